"""The one facade the window and the command line talk to: open an archive, import files and
URLs, subscribe to feeds and refresh them, read, highlight, annotate, search, export and check.
Nothing outside ``reader`` reaches below it.

An :class:`Archive` owns one database connection and must be used from one thread; the window
gives its worker thread an archive of its own. A refresh fetches on threads of its own but
writes only on the archive's thread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from reader.anchoring import (
    Selector,
    candidates,
    selector_for_quote,
    selector_for_range,
    word_diff,
)
from reader.errors import BackupError, CodebookError, ParseError, ReaderError
from reader.export.importing import detect as detect_export
from reader.model import (
    Candidate,
    CodebookEntry,
    Color,
    DiffOp,
    Highlight,
    ImportFailure,
    ImportReport,
    MergeReport,
    Note,
    ParsedStory,
    RefreshReport,
    SearchHit,
    Source,
    Story,
    StorySummary,
    StoryVersion,
    Subscription,
)
from reader.parse import canonical_text, content_hash, parse_bytes
from reader.protocols import Fetcher, SearchIndex
from reader.search import open_index
from reader.sources.feeds import feed_format
from reader.sources.files import collect_files, read_file
from reader.sources.opml import read_opml, write_opml
from reader.sources.subscriptions import add_feeds, import_feed, refresh_feeds, subscribe
from reader.storage import SCHEMA_VERSION, Store, backup
from reader.storage.backup import BACKUP_DIRNAME, BackupSettings

DB_FILENAME = "archive.sqlite3"
INDEX_DIRNAME = "index"

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, current_path)`` while a batch imports, and as
``progress(done, total, feed_title)`` while feeds refresh."""

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Listener = Callable[[str], None]
"""Called with the name of what changed: "stories", "highlights", "notes", "tags",
"subscriptions" or "codebook"."""


@dataclass(slots=True)
class CheckReport:
    """What ``check`` found; ``ok`` when there are no problems."""

    schema_version: int
    stories: int
    indexed_documents: int
    pending_changes: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class StoryBundle:
    """A story with its annotations, as exports and ``show`` need it."""

    story: Story
    highlights: list[Highlight]
    notes: list[Note]


class Archive:
    """An open archive in ``data_dir``: the SQLite database and the search index beside it.

    ``fetcher`` fetches URLs and feeds (tests pass a double); by default an HTTP client is
    made on first use and closed with the archive.
    """

    def __init__(self, data_dir: Path, *, fetcher: Fetcher | None = None) -> None:
        self.data_dir = Path(data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ReaderError(
                f"cannot create data directory {self.data_dir}: {err.strerror or err}"
            ) from err
        # An index missing beside an archive that already existed is worth a message; the
        # index of a brand-new archive is simply not made yet.
        self._index_expected = (self.data_dir / DB_FILENAME).exists()
        self.store = Store(self.data_dir / DB_FILENAME)
        self._index: SearchIndex | None = None
        self._fetcher = fetcher
        self._own_fetcher: Callable[[], None] | None = None
        self._listeners: list[Listener] = []
        self.messages: list[str] = []
        """Things worth telling the user that were not errors (e.g. an index was rebuilt)."""

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._own_fetcher is not None:
            self._own_fetcher()
            self._own_fetcher = None
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, what: str) -> None:
        for listener in list(self._listeners):
            listener(what)

    # -- import -----------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import files, folders and URLs (strings with a scheme, such as ``https://``). One
        that fails is reported and the rest go on. Our JSON exports and W3C annotation files
        are recognised by their content and merged (see :meth:`import_export`)."""
        paths = list(paths)
        urls = [p for p in paths if isinstance(p, str) and _URL.match(p)]
        items = collect_files(p for p in paths if not (isinstance(p, str) and _URL.match(p)))
        total = len(items) + len(urls)
        report = ImportReport()
        done = 0
        for item in items:
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, total, str(item.path))
            done += 1
            if item.error is not None:
                report.failed.append(ImportFailure(str(item.path), item.error))
                continue
            try:
                kind = detect_export(item.path)
                if kind is not None:
                    report.merges.append(self._import_export(item.path, kind))
                    continue
                data = read_file(item.path)
                stories = parse_bytes(data, filename=item.path.name)
                report.merge(self._add_parsed(stories, origin=str(item.path)))
            except ReaderError as err:
                report.failed.append(ImportFailure(str(item.path), str(err)))
        for url in urls:
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, total, url)
            done += 1
            try:
                report.merge(self._import_url(url))
            except ReaderError as err:
                report.failed.append(ImportFailure(url, str(err)))
        if progress is not None:
            progress(done, total, "")
        self._emit_imported(report)
        return report

    def import_bytes(
        self,
        data: bytes,
        *,
        origin: str,
        filename: str | None = None,
        url: str | None = None,
        content_type: str | None = None,
    ) -> ImportReport:
        """Import one document already in memory; raises ReaderError if it cannot be read."""
        stories = parse_bytes(data, filename=filename, url=url, content_type=content_type)
        report = self._add_parsed(stories, origin=origin)
        self._emit_imported(report)
        return report

    def _add_parsed(self, stories: Sequence[ParsedStory], *, origin: str) -> ImportReport:
        """Store a document's stories in one transaction. One already archived (same URL or
        GUID) whose content changed becomes a new version of it; others are duplicates."""
        report = ImportReport()
        fetched = datetime.now(UTC)
        with self.store.transaction():
            for parsed in stories:
                text = canonical_text(parsed.sections)
                digest = content_hash(parsed.title, text)
                existing = self.store.find_duplicate(
                    url=parsed.url, guid=parsed.guid, content_hash=digest
                )
                if existing is None:
                    story_id = self.store.add_story(
                        parsed, text=text, content_hash=digest, origin=origin, fetched=fetched
                    )
                    report.imported.append(story_id)
                elif (
                    (parsed.url or parsed.guid)
                    # Two parts of one document sharing a link are not versions of each other.
                    and existing not in report.imported
                    and digest not in self.store.known_hashes(existing)
                ):
                    report.versions.append(
                        self.store.add_version(
                            existing, parsed, text=text, content_hash=digest, fetched=fetched
                        )
                    )
                else:
                    report.duplicates += 1
        return report

    def _emit_imported(self, report: ImportReport) -> None:
        if report.imported or report.versions:
            self._emit("stories")
        if any(v.moved or v.changed or v.orphaned for v in report.versions):
            self._emit("highlights")

    def import_url(self, url: str) -> ImportReport:
        """Import the page or feed at ``url``: an article, a digest's stories, or a feed's
        entries (without subscribing). Raises a ReaderError with a one-line reason."""
        report = self._import_url(url)
        self._emit_imported(report)
        return report

    def _import_url(self, url: str) -> ImportReport:
        result = self.fetcher.fetch(url)
        if not result.body.strip():
            raise ParseError("the response is empty")
        if feed_format(result.body, result.content_type) is not None:
            counts = import_feed(self.store, result, url=url)
            return ImportReport(counts.new, duplicates=counts.unchanged, versions=counts.versions)
        stories = parse_bytes(result.body, url=result.url_final, content_type=result.content_type)
        return self._add_parsed(stories, origin=url)

    # -- subscriptions ----------------------------------------------------------------------

    @property
    def fetcher(self) -> Fetcher:
        """The URL fetcher: the one given to the constructor, else an HTTP client."""
        if self._fetcher is None:
            from reader.sources.http import HttpFetcher  # httpx loads only when needed

            client = HttpFetcher()
            self._fetcher, self._own_fetcher = client, client.close
        return self._fetcher

    def subscribe_feed(self, url: str, *, fetch_full_articles: bool = False) -> Subscription:
        """Subscribe to the feed at ``url`` and import its entries.

        The feed is fetched first: if that fails, or the address is not a feed, a one-line
        ReaderError is raised and nothing is saved. (``subscribe`` is the change listener.)
        """
        feed_id, refreshed = subscribe(
            self.store, self.fetcher, url, fetch_full_articles=fetch_full_articles
        )
        self._emit("subscriptions")
        if refreshed.new:
            self._emit("stories")
        return self.store.get_feed(feed_id)

    def unsubscribe_feed(self, feed_id: int) -> Subscription:
        """Forget a subscription and return it; its stories stay in the archive."""
        subscription = self.store.get_feed(feed_id)
        self.store.delete_feed(feed_id)
        self._emit("subscriptions")
        return subscription

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its fetch status and story and unread counts, by title."""
        return self.store.feeds()

    def subscription(self, feed_id: int) -> Subscription:
        return self.store.get_feed(feed_id)

    def set_fetch_full_articles(self, feed_id: int, enabled: bool) -> Subscription:
        """Whether entries with only a short summary fetch the article they link to."""
        self.store.set_fetch_full_articles(feed_id, enabled)
        self._emit("subscriptions")
        return self.store.get_feed(feed_id)

    def refresh(
        self,
        ids: Iterable[int] | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        force: bool = False,
    ) -> RefreshReport:
        """Fetch subscriptions in parallel and store what is new or changed.

        With no ``ids``, every subscription that is not backing off after errors (those come
        back as "skipped"); ids that are asked for are always fetched. ``force`` also fetches
        the backing-off ones, and without conditional GET. Writes happen on this thread.
        """
        report = refresh_feeds(
            self.store,
            self.fetcher,
            None if ids is None else list(ids),
            progress=progress,
            cancelled=cancelled,
            force=force,
        )
        self._emit("subscriptions")
        if report.new or any(feed.changed for feed in report.feeds):
            self._emit("stories")
        if any(v.moved or v.changed or v.orphaned for f in report.feeds for v in f.versions):
            self._emit("highlights")
        return report

    def import_opml(self, path: str | Path) -> int:
        """Subscribe to every feed an OPML file lists (fetched at the next refresh); returns
        how many were new."""
        added = add_feeds(self.store, read_opml(read_file(Path(path))))
        if added:
            self._emit("subscriptions")
        return added

    def export_opml(self, out: IO[str]) -> int:
        """Write the subscriptions as OPML 2.0; returns how many."""
        return write_opml(self.store.feeds(), out)

    # -- versions ---------------------------------------------------------------------------

    def versions(self, story_id: int) -> list[StoryVersion]:
        """The story's earlier versions, oldest first; the current one is the story itself."""
        return self.store.versions_for(story_id)

    def version_diff(
        self, story_id: int, old_version: int, new_version: int | None = None
    ) -> list[DiffOp]:
        """Word-level changes from one version's text to another's (by default the current)."""
        old = self.store.get_version(story_id, old_version)
        new = (
            self.store.get_version(story_id, new_version)
            if new_version is not None
            else self.store.get_story(story_id)
        )
        return word_diff(old.text, new.text)

    # -- reading ----------------------------------------------------------------------------

    def story_ids(
        self,
        *,
        view: str = "all",
        source_id: int | None = None,
        tag: str | None = None,
        order: str = "published",
        descending: bool = True,
        feed_id: int | None = None,
    ) -> list[int]:
        return self.store.story_ids(
            view=view,
            source_id=source_id,
            tag=tag,
            order=order,
            descending=descending,
            feed_id=feed_id,
        )

    def summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        return self.store.summaries(ids)

    def list_stories(self, *, view: str = "all", limit: int | None = None) -> list[StorySummary]:
        """Stories newest first (by published date, else by when they were fetched)."""
        ids = self.story_ids(view=view)
        return self.summaries(ids[:limit] if limit is not None else ids)

    def story(self, story_id: int) -> Story:
        return self.store.get_story(story_id)

    def bundle(self, story_id: int) -> StoryBundle:
        story = self.store.get_story(story_id)
        return StoryBundle(story, self.highlights(story_id), self.store.notes_for(story_id))

    def bundles(self, story_ids: Iterable[int] | None = None) -> Iterator[StoryBundle]:
        """Stories with annotations one at a time, so an export of 100,000 stays small."""
        ids = list(story_ids) if story_ids is not None else self.story_ids(view="all")
        if story_ids is None:
            ids += self.story_ids(view="archived")
        for story_id in ids:
            yield self.bundle(story_id)

    def highlight(self, highlight_id: int) -> Highlight:
        return self.store.get_highlight(highlight_id)

    def highlights(self, story_id: int) -> list[Highlight]:
        """The story's highlights, each valid for its current text: one that no longer fits
        (its quote is not where it points) is re-anchored and written back first."""
        if self.store.repair_highlights(story_id):
            self._emit("highlights")
        return self.store.highlights_for(story_id)

    def all_highlights(
        self,
        *,
        color: Color | None = None,
        tag: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
        status: str | None = None,
    ) -> list[Highlight]:
        return self.store.all_highlights(
            color=color, tag=tag, source_id=source_id, limit=limit, offset=offset, status=status
        )

    def notes(self, story_id: int) -> list[Note]:
        return self.store.notes_for(story_id)

    def sources(self) -> list[tuple[Source, int]]:
        return self.store.sources()

    def tags(self) -> list[tuple[str, int]]:
        return self.store.tags()

    def count_stories(self, view: str = "all") -> int:
        return self.store.count_stories(view)

    # -- flags ------------------------------------------------------------------------------

    def set_flags(
        self,
        story_id: int,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        archived: bool | None = None,
    ) -> None:
        self.store.set_flags(story_id, read=read, starred=starred, archived=archived)
        self._emit("stories")

    def delete_story(self, story_id: int) -> None:
        """Hide a story (undoable with :meth:`undelete_story`)."""
        self.store.delete_story(story_id)
        self._emit("stories")

    def undelete_story(self, story_id: int) -> None:
        self.store.undelete_story(story_id)
        self._emit("stories")

    def tag_story(self, story_id: int, tags: Iterable[str]) -> None:
        self.store.tag_story(story_id, [t.strip() for t in tags if t.strip()])
        self._emit("tags")

    def untag_story(self, story_id: int, tags: Iterable[str]) -> None:
        self.store.untag_story(story_id, list(tags))
        self._emit("tags")

    def tag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        self.store.tag_highlight(highlight_id, [t.strip() for t in tags if t.strip()])
        self._emit("tags")

    def untag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        self.store.untag_highlight(highlight_id, list(tags))
        self._emit("tags")

    def tag_names(self, prefix: str = "") -> list[str]:
        """Tag names starting with ``prefix`` (ignoring case), most used first: completion."""
        return self.store.tag_names(prefix)

    # -- codebook ---------------------------------------------------------------------------

    def codebook(self) -> list[CodebookEntry]:
        """What the analyst calls each named colour, in the order of :class:`Color`."""
        return self.store.codebook()

    def color_names(self) -> dict[Color, str]:
        """Each named colour's name; a colour without one is absent."""
        return {entry.color: entry.name for entry in self.store.codebook()}

    def color_for(self, text: str) -> Color:
        """The colour ``text`` names: a colour or a codebook name, in any case."""
        folded = text.strip().casefold()
        for entry in self.store.codebook():
            if entry.name.casefold() == folded:
                return entry.color
        try:
            return Color(folded)
        except ValueError:
            names = [entry.name for entry in self.store.codebook()]
            known = ", ".join([c.value for c in Color] + names)
            raise CodebookError(f"unknown colour {text!r} (choose from {known})") from None

    def set_codebook_entry(self, color: Color, name: str, description: str = "") -> CodebookEntry:
        """Name what ``color`` means (CodebookError if the name is empty or taken)."""
        entry = self.store.set_codebook_entry(color, name, description)
        self._emit("codebook")
        return entry

    def clear_codebook_entry(self, color: Color) -> bool:
        """Forget what ``color`` means; False if it had no name."""
        cleared = self.store.clear_codebook_entry(color)
        if cleared:
            self._emit("codebook")
        return cleared

    # -- highlights and notes ---------------------------------------------------------------

    def highlight_range(
        self, story_id: int, start: int, end: int, *, color: Color = Color.YELLOW, note: str = ""
    ) -> Highlight:
        """Highlight ``text[start:end]`` of the story's canonical text."""
        text = self.store.get_story(story_id).text
        return self._add_highlight(story_id, selector_for_range(text, start, end), color, note)

    def highlight_quote(
        self, story_id: int, quote: str, *, color: Color = Color.YELLOW, note: str = ""
    ) -> Highlight:
        """Highlight the first occurrence of ``quote``; QuoteNotFoundError if it is absent."""
        text = self.store.get_story(story_id).text
        selector = selector_for_quote(text, unicodedata.normalize("NFC", quote))
        return self._add_highlight(story_id, selector, color, note)

    def _add_highlight(self, story_id: int, sel: Selector, color: Color, note: str) -> Highlight:
        highlight = self.store.add_highlight(
            story_id,
            start=sel.start,
            end=sel.end,
            quote=sel.quote,
            prefix=sel.prefix,
            suffix=sel.suffix,
            color=color,
            note=note,
        )
        self._emit("highlights")
        return highlight

    def update_highlight(
        self, highlight_id: int, *, color: Color | None = None, note: str | None = None
    ) -> Highlight:
        highlight = self.store.update_highlight(highlight_id, color=color, note=note)
        self._emit("highlights")
        return highlight

    def delete_highlight(self, highlight_id: int) -> Highlight:
        highlight = self.store.delete_highlight(highlight_id)
        self._emit("highlights")
        return highlight

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        restored = self.store.restore_highlight(highlight)
        self._emit("highlights")
        return restored

    def orphan_candidates(self, highlight_id: int, limit: int = 3) -> list[Candidate]:
        """Places in the story's current text where a highlight that lost its place could go,
        best first; pass one to :meth:`reattach_highlight`."""
        highlight = self.store.get_highlight(highlight_id)
        text = self.store.get_story(highlight.story_id).text
        selector = Selector(
            highlight.start, highlight.end, highlight.quote, highlight.prefix, highlight.suffix
        )
        return candidates(text, selector, limit=limit)

    def reattach_highlight(self, highlight_id: int, start: int, end: int) -> Highlight:
        """Put a highlight on ``text[start:end]`` of its story's current text: its quote and
        context become that selection's and it is anchored again."""
        highlight = self.store.get_highlight(highlight_id)
        text = self.store.get_story(highlight.story_id).text
        reattached = self.store.reattach_highlight(
            highlight_id, selector_for_range(text, start, end)
        )
        self._emit("highlights")
        return reattached

    def add_note(self, story_id: int, body: str) -> Note:
        note = self.store.add_note(story_id, body)
        self._emit("notes")
        return note

    def update_note(self, note_id: int, body: str) -> Note:
        note = self.store.update_note(note_id, body)
        self._emit("notes")
        return note

    def delete_note(self, note_id: int) -> Note:
        note = self.store.delete_note(note_id)
        self._emit("notes")
        return note

    def restore_note(self, note: Note) -> Note:
        restored = self.store.restore_note(note)
        self._emit("notes")
        return restored

    # -- search -----------------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (and rebuilt if it was missing or unreadable) on first use."""
        if self._index is None:
            index = open_index(self.data_dir / INDEX_DIRNAME)
            if index.needs_rebuild:
                count = index.rebuild(self.store)
                if index.rebuilt_reason:
                    self.messages.append(index.rebuilt_reason)
                elif count and self._index_expected:
                    self.messages.append(
                        f"search index was missing; rebuilt from the archive ({count} documents)"
                    )
            self._index = index
        return self._index

    def sync_index(self, batch_size: int = 500) -> int:
        """Apply pending changes to the index; returns how many were applied."""
        return self.index.drain(self.store, batch_size=batch_size)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Hits for ``query`` (InvalidQueryError if it cannot be parsed), best first.
        ``color:`` takes a colour or its codebook name."""
        self.sync_index()
        names = {entry.name: entry.color.value for entry in self.store.codebook()}
        return self.index.search(query, limit=limit, color_names=names)

    def reindex(self) -> int:
        """Rebuild the index from the database; returns how many documents it holds."""
        return self.index.rebuild(self.store)

    # -- check and export -------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Schema, SQLite integrity, and whether the index holds exactly what the database does."""
        problems = list(self.store.integrity_check())
        self.sync_index()
        expected = self.store.document_ids()
        indexed = self.index.doc_ids()
        missing = expected - indexed
        extra = indexed - expected
        if missing:
            problems.append(f"{len(missing)} item(s) missing from the search index")
        if extra:
            problems.append(f"{len(extra)} item(s) in the search index but not in the database")
        return CheckReport(
            schema_version=self.store.schema_version,
            stories=self.store.count_stories("all") + self.store.count_stories("archived"),
            indexed_documents=len(indexed),
            pending_changes=self.store.pending_count(),
            problems=problems,
        )

    def export(
        self,
        fmt: str,
        out: IO[str],
        story_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        *,
        bom: bool = True,
    ) -> int:
        """Write the archive, the given stories, or the given highlights (then without story
        notes) in ``fmt`` (json, markdown, csv, w3c). Returns how many stories (json,
        markdown), rows (csv) or annotations (w3c). ``bom``: a CSV starts with a UTF-8 BOM."""
        from reader.export import write_export

        return write_export(
            fmt, self.store, out, story_ids=story_ids, highlight_ids=highlight_ids, bom=bom
        )

    def export_folder(
        self,
        directory: Path,
        story_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
    ) -> list[Path]:
        """One Markdown note per story in ``directory``, for note-taking tools; returns the
        files written (a file of the same name is replaced)."""
        from reader.export import write_markdown_folder

        return write_markdown_folder(
            self.store, Path(directory), story_ids=story_ids, highlight_ids=highlight_ids
        )

    def import_export(self, path: str | Path) -> MergeReport:
        """Merge one of our JSON exports or a W3C Web Annotation file into the archive
        (ParseError if it is neither). Nothing is duplicated: stories match by url, guid or
        content, highlights by story, position and quote, notes by text; tags are united."""
        path = Path(path)
        kind = detect_export(path)
        if kind is None:
            raise ParseError(f"{path} is neither a story archive export nor Web Annotations")
        return self._import_export(path, kind)

    def _import_export(self, path: Path, kind: str) -> MergeReport:
        from reader.export.importing import import_file

        names = {entry.name.casefold(): entry.color for entry in self.store.codebook()}
        report = import_file(self.store, path, kind, names)
        if report.stories_added:
            self._emit("stories")
        if report.highlights_added or report.notes_added or report.stories_merged:
            self._emit("highlights")
            self._emit("notes")
        return report

    # -- backups ----------------------------------------------------------------------------

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / BACKUP_DIRNAME

    def backup(self, target: str | Path | None = None) -> Path:
        """A consistent copy of the archive, safe while other threads or processes write;
        by default ``backups/archive-YYYYmmdd-HHMMSS.sqlite3`` (UTC). Returns its path."""
        now = datetime.now(UTC)
        path = (
            Path(target)
            if target is not None
            else backup.unique_path(self.backups_dir, backup.backup_name(now, automatic=False))
        )
        self.store.backup(path)
        return path

    def backup_if_due(self, now: datetime | None = None) -> Path | None:
        """Make an automatic backup when the schedule says one is due (the window and the
        command line call this at start) and prune to the newest ``keep``; returns it, or
        None. An archive without stories has nothing to protect yet."""
        now = now or datetime.now(UTC)
        schedule = self.store.backup_settings()
        if not backup.is_due(self.backups_dir, schedule, now):
            return None
        if not self.store.count_stories("all") + self.store.count_stories("archived"):
            return None
        name = backup.backup_name(now, automatic=True)
        path = backup.unique_path(self.backups_dir, name)
        self.store.backup(path)
        backup.prune(self.backups_dir, schedule.keep)
        return path

    def backup_settings(self) -> BackupSettings:
        return self.store.backup_settings()

    def set_backup_settings(self, value: BackupSettings) -> None:
        """Change the automatic backup schedule (ValueError for a keep or interval below 1)."""
        self.store.set_backup_settings(value)

    def restore(self, path: str | Path) -> Path:
        """Replace the archive with the backup at ``path`` after checking it (our file, a
        schema this app knows, intact). The archive it replaces is kept in ``backups/`` as
        ``pre-restore-…``, whose path is returned; the search index is rebuilt.

        Close other windows on this archive first: a process still writing to the old file
        would go on writing to the kept copy.
        """
        candidate = Path(path)
        live = self.store.path
        if candidate.resolve() == live.resolve():
            raise BackupError("that is the archive itself; choose a backup to restore")
        backup.verify(candidate, newest_schema=SCHEMA_VERSION)
        if self._index is not None:
            self._index.close()
            self._index = None
        self.store.close()
        try:
            kept = backup.restore_file(candidate, live, self.backups_dir, datetime.now(UTC))
        finally:
            self.store = Store(live)
        self.reindex()
        for what in ("stories", "highlights", "notes", "tags", "subscriptions", "codebook"):
            self._emit(what)
        return kept
