"""Typed records shared by every layer: what the parser produces and what storage returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Color(StrEnum):
    """Highlight colours. The value is the name stored in the database and used on the CLI."""

    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"
    PINK = "pink"
    PURPLE = "purple"


class View(StrEnum):
    """The story lists. Every view but ARCHIVED and STARRED hides archived stories."""

    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"
    LATER = "later"
    """Set aside to read later: a reading list apart from the favourites."""
    HIGHLIGHTED = "highlighted"
    ARCHIVED = "archived"


class Order(StrEnum):
    """What a story list is sorted by; PUBLISHED falls back to when the story was fetched
    (added), an undated story after the stories published on the day it was added."""

    PUBLISHED = "published"
    TITLE = "title"
    SOURCE = "source"
    HIGHLIGHTS = "highlights"
    FETCHED = "fetched"


class AnchorStatus(StrEnum):
    """How a highlight sits on its story's current text."""

    ANCHORED = "anchored"
    """On its quote."""
    CHANGED = "changed"
    """Placed, but the words there differ from the quote."""
    ORPHAN = "orphan"
    """No place found; kept with its quote until re-attached."""


class ItemKind(StrEnum):
    """What a search hit or an index change is about."""

    STORY = "story"
    HIGHLIGHT = "highlight"
    NOTE = "note"


class RefreshStatus(StrEnum):
    """How refreshing one feed or mailbox folder went."""

    OK = "ok"
    NOT_MODIFIED = "not-modified"
    ERROR = "error"
    SKIPPED = "skipped"
    """Backing off after errors."""


class Changed(StrEnum):
    """What an archive call changed, as its listeners hear it: one event per kind of data, so
    a view refreshes only for what it shows."""

    STORIES = "stories"
    READ = "read"
    """Stories were only marked read or unread: lists keep their rows, counts change."""
    HIGHLIGHTS = "highlights"
    NOTES = "notes"
    TAGS = "tags"
    SUBSCRIPTIONS = "subscriptions"
    CODEBOOK = "codebook"
    SAVED_SEARCHES = "saved_searches"


class BlockKind(StrEnum):
    """What a block of a story's canonical text is."""

    PARAGRAPH = "paragraph"
    BULLET = "bullet"


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One line of a story's canonical text, as a reader lays it out.

    ``start`` and ``end`` are offsets in the canonical text (``text == canonical[start:end]``);
    ``label`` is the section label the block begins with ("Why it matters:"), drawn bold.
    """

    kind: BlockKind
    text: str
    start: int
    end: int
    label: str | None = None
    rtl: bool = False
    """The block reads right to left."""


@dataclass(frozen=True, slots=True)
class TextLayout:
    """The blocks of a story's canonical text, in order, and whether the story as a whole
    (its headline too) reads right to left."""

    blocks: tuple[TextBlock, ...]
    rtl: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A run of story text under one label ("Why it matters:"), or unlabelled (the lead).

    Paragraphs come first, then bullets. A paragraph that follows bullets starts a new,
    unlabelled section, so the order of blocks is always recoverable.
    """

    label: str | None = None
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "paragraphs": list(self.paragraphs),
            "bullets": list(self.bullets),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Section:
        label = data.get("label")
        paragraphs = data.get("paragraphs") or []
        bullets = data.get("bullets") or []
        assert isinstance(paragraphs, list) and isinstance(bullets, list)
        return cls(
            label=str(label) if label is not None else None,
            paragraphs=tuple(str(p) for p in paragraphs),
            bullets=tuple(str(b) for b in bullets),
        )


@dataclass(frozen=True, slots=True)
class ParsedStory:
    """One story as the parser found it, before it is stored.

    ``source`` is the publication the lead names ("The New York Times") and
    ``source_qualifier`` what follows it in the parenthesis ("subscription").
    ``html`` is sanitized HTML of the story's own part of the page. ``category`` is the
    digest's section banner the story sat under ("Markets"); ``reading_time`` what a link
    digest says of its length ("5 minute read"); ``tracking_url`` the link as the e-mail
    spelled it when ``url`` had to be unwrapped from a click-tracking redirect.
    ``newsletter`` is the name a digest's own header gives ("Analyst Weekly"): the story is
    stored under it when its lead names no ``source``. ``tags`` come from a file's front matter.
    """

    title: str
    sections: tuple[Section, ...]
    html: str = ""
    source: str | None = None
    source_qualifier: str | None = None
    url: str | None = None
    guid: str | None = None
    byline: str | None = None
    published: datetime | None = None
    language: str | None = None
    image_url: str | None = None
    category: str | None = None
    reading_time: str | None = None
    tracking_url: str | None = None
    newsletter: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """A stored story."""

    id: int
    title: str
    sections: tuple[Section, ...]
    text: str
    html: str
    content_hash: str
    source: str | None = None
    source_qualifier: str | None = None
    url: str | None = None
    guid: str | None = None
    byline: str | None = None
    published: datetime | None = None
    fetched: datetime | None = None
    origin: str | None = None
    language: str | None = None
    category: str | None = None
    reading_time: str | None = None
    tracking_url: str | None = None
    is_read: bool = False
    is_starred: bool = False
    is_archived: bool = False
    is_later: bool = False
    tags: tuple[str, ...] = ()
    highlight_count: int = 0
    feed_id: int | None = None
    version: int = 1
    """The current version of the text; earlier ones are :class:`StoryVersion` records."""
    revisions: int = 0
    """How many earlier versions of the text are kept (see :class:`StoryVersion`)."""


@dataclass(frozen=True, slots=True)
class StorySummary:
    """The columns a story list shows, without the body."""

    id: int
    title: str
    source: str | None
    published: datetime | None
    fetched: datetime | None
    is_read: bool
    is_starred: bool
    is_archived: bool
    highlight_count: int
    is_later: bool = False
    word_count: int = 0
    byline: str | None = None
    tags: tuple[str, ...] = ()
    preview: str = ""
    """The text's first words on one line (stored with the text, so no row reads it)."""


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlighted passage: ``text[start:end] == quote`` when it was made.

    ``prefix`` and ``suffix`` hold up to 32 characters of context either side, so the
    highlight can be found again if the text changes.
    """

    id: int
    story_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    color: Color
    note: str
    created: datetime
    updated: datetime
    tags: tuple[str, ...] = ()
    status: AnchorStatus = AnchorStatus.ANCHORED
    """On its quote, changed (placed, but the words differ from the quote) or an orphan (could
    not be placed in the current text; start == end marks where it was)."""


@dataclass(frozen=True, slots=True)
class Note:
    """A note on a whole story (Markdown)."""

    id: int
    story_id: int
    body: str
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class Source:
    """Where stories come from: a publication named in a lead, or (later) a feed."""

    id: int
    kind: str
    name: str
    url: str | None = None


@dataclass(slots=True)
class ImportFailure:
    path: str
    error: str


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something an imported file held that was not read as meant (front matter that is not
    YAML or TOML), in one line; its text was imported all the same."""

    path: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """What one import did. ``imported`` holds new story ids in the order they were added."""

    imported: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: list[ImportFailure] = field(default_factory=list)
    versions: list[VersionReport] = field(default_factory=list)
    """Stories already archived whose text had changed: each got a new version."""
    merges: list[MergeReport] = field(default_factory=list)
    """Our JSON exports and W3C annotation files, merged into the archive."""
    warnings: list[ImportWarning] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        self.imported.extend(other.imported)
        self.duplicates += other.duplicates
        self.failed.extend(other.failed)
        self.versions.extend(other.versions)
        self.merges.extend(other.merges)
        self.warnings.extend(other.warnings)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``kind`` is "story", "highlight" or "note"; ``item_id`` its row id.

    ``snippet`` marks matched words with ``<b class="match">…</b>``; everything else in it
    is HTML-escaped. ``terms`` are the words matched in the text, as written there;
    ``title_terms`` and ``source_terms`` the words to mark in the title and the source line
    (a word asked only of ``title:`` or ``source:`` is never one of ``terms``).
    """

    kind: str
    item_id: int
    story_id: int
    title: str
    score: float
    snippet: str
    source: str | None = None
    published: datetime | None = None
    terms: tuple[str, ...] = ()
    title_terms: tuple[str, ...] = ()
    source_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The hits of one search, best first, cut to the limit asked for. ``capped`` says more
    documents matched than the hits hold, so a count of them reads "200+", not "200"."""

    hits: tuple[SearchHit, ...]
    capped: bool


class FacetField(StrEnum):
    """What a facet counts matches by (issue 12)."""

    KIND = "kind"
    SOURCE = "source"
    TAG = "tag"
    COLOR = "color"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class FacetValue:
    """``count`` matches have ``value`` in ``field`` (a kind, a source's name, a tag, a colour,
    a month as ``2026-11``); ``query`` is the query text that narrows a search to them."""

    field: FacetField
    value: str
    count: int
    query: str


@dataclass(frozen=True, slots=True)
class FacetOthers:
    """The values of ``field`` beyond those listed: how many, and the matches they hold."""

    field: FacetField
    values: int
    count: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Matches dated in the ISO week starting on Monday ``start``, and the query for it."""

    start: date
    count: int
    query: str


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts of a search's matches (or a list view's stories) by kind, source, tag, colour
    and month, the most frequent of each, and matches per week from the first dated one to
    the last (empty weeks included)."""

    total: int
    values: tuple[FacetValue, ...] = ()
    others: tuple[FacetOthers, ...] = ()
    weeks: tuple[WeekCount, ...] = ()

    def of(self, field: FacetField) -> tuple[FacetValue, ...]:
        return tuple(value for value in self.values if value.field == field)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscribed feed with its fetch status and story counts.

    ``kind`` is "rss", "atom" or "jsonfeed", and None until the first successful fetch;
    "mailbox" for a mailbox folder (its ``url`` is ``imap://user@host:port/Folder``).
    ``next_attempt`` is set while the feed backs off after errors.
    """

    id: int
    url: str
    title: str
    created: datetime
    site_url: str | None = None
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    next_attempt: datetime | None = None
    fetch_full_articles: bool = False
    story_count: int = 0
    unread_count: int = 0


@dataclass(slots=True)
class FeedRefresh:
    """What refreshing one feed did; when ``status`` is SKIPPED (backing off after errors)
    ``error`` holds the last one."""

    feed_id: int
    title: str
    url: str
    status: RefreshStatus
    new: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    """Stories whose entry changed; each got a new version, described in ``versions``."""
    unchanged: int = 0
    versions: list[VersionReport] = field(default_factory=list)
    error: str | None = None
    next_attempt: datetime | None = None


@dataclass(slots=True)
class RefreshReport:
    """Per-feed results of one refresh, in the order the feeds finished."""

    feeds: list[FeedRefresh] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> list[FeedRefresh]:
        return [feed for feed in self.feeds if feed.status is RefreshStatus.ERROR]

    @property
    def new(self) -> list[int]:
        return [story_id for feed in self.feeds for story_id in feed.new]


@dataclass(frozen=True, slots=True)
class StoryVersion:
    """An earlier version of a story's text, kept when a newer one replaced it."""

    story_id: int
    version: int
    fetched: datetime
    title: str
    text: str
    sections: tuple[Section, ...]
    html: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class VersionReport:
    """What a new version of a story did to its highlights. Every highlight is in one count:
    ``moved`` (on its exact words, wherever they now are), ``changed`` (placed on words that
    differ from its quote) or ``orphaned`` (no place found; kept, not deleted)."""

    story_id: int
    version: int
    title: str
    moved: int = 0
    changed: int = 0
    orphaned: int = 0


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff between two versions: ``op`` is "equal", "insert",
    "delete" or "replace"; ``old`` and ``new`` are the text on either side ("" for none)."""

    op: str
    old: str
    new: str

    @property
    def text(self) -> str:
        """The text the step shows: the new words, or the old ones for a deletion."""
        return self.old if self.op == "delete" else self.new


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place an orphaned highlight could go: ``text[start:end]``, best ``score`` 1.0."""

    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    """What the analyst says a highlight colour means, e.g. yellow = "claim"."""

    color: Color
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class TagUse:
    """A tag with how many live stories and how many of their highlights carry it."""

    name: str
    stories: int
    highlights: int


@dataclass(frozen=True, slots=True)
class TagRename:
    """What renaming the tag ``old`` to ``new`` did, enough to undo it: the items that carried
    ``old``, and, when ``new`` existed already (a merge), those of them that carried it too."""

    old: str
    new: str
    merged: bool
    story_ids: tuple[int, ...] = ()
    highlight_ids: tuple[int, ...] = ()
    stories_had_new: tuple[int, ...] = ()
    highlights_had_new: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class UnplacedAnnotation:
    """An imported highlight that found no place: in ``target`` (a story's title, else the
    address the file gives), the ``quote``, why, and whether it was ``kept`` as an orphan."""

    target: str
    quote: str
    reason: str
    kept: bool = False


@dataclass(slots=True)
class MergeReport:
    """What importing one of our JSON exports (``kind`` "archive") or a W3C Web Annotation
    file ("annotations") did. Nothing it held is dropped unreported: what found no place is
    in ``unplaced``."""

    path: str
    kind: str
    stories_added: list[int] = field(default_factory=list)
    stories_merged: list[int] = field(default_factory=list)
    highlights_added: int = 0
    highlights_skipped: int = 0
    notes_added: int = 0
    notes_skipped: int = 0
    unplaced: list[UnplacedAnnotation] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    """Other things worth saying, e.g. a codebook name the archive already uses differently."""


@dataclass(frozen=True, slots=True)
class BackupSettings:
    """The automatic backup schedule: every ``interval_hours``, keeping the newest ``keep``."""

    enabled: bool = True
    keep: int = 7
    interval_hours: float = 24.0


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query kept under a name, to be run again and to watch for new matches. ``filters``
    holds what the window's search adds to the text (None: the text alone); ``seen_at`` is
    when it was last opened (at first, when it was saved)."""

    id: int
    name: str
    query: str
    created: datetime
    seen_at: datetime
    filters: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class SavedSearchCount:
    """A saved search with how many documents match it (``total``) and how many of those
    arrived since it was last opened (``new``: stories added, highlights and notes written;
    when ``new_capped``, at least that many: more arrived than are looked at, the newest 2,000
    of each kind). ``error`` says why it could not be counted (its query no longer parses)."""

    search: SavedSearch
    total: int
    new: int
    error: str | None = None
    new_capped: bool = False
