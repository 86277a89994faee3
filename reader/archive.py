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

from reader.anchoring import Selector, selector_for_quote, selector_for_range
from reader.errors import ParseError, ReaderError
from reader.model import (
    Color,
    Highlight,
    ImportFailure,
    ImportReport,
    Note,
    ParsedStory,
    RefreshReport,
    SearchHit,
    Source,
    Story,
    StoryRevision,
    StorySummary,
    Subscription,
)
from reader.parse import canonical_text, content_hash, parse_bytes
from reader.protocols import Fetcher, SearchIndex
from reader.search import open_index
from reader.sources.feeds import feed_format
from reader.sources.files import collect_files, read_file
from reader.sources.opml import read_opml, write_opml
from reader.sources.subscriptions import add_feeds, import_feed, refresh_feeds, subscribe
from reader.storage import Store

DB_FILENAME = "archive.sqlite3"
INDEX_DIRNAME = "index"

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, current_path)`` while a batch imports, and as
``progress(done, total, feed_title)`` while feeds refresh."""

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Listener = Callable[[str], None]
"""Called with the name of what changed: "stories", "highlights", "notes", "tags" or
"subscriptions"."""


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
        that fails is reported and the rest go on."""
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
        if report.imported:
            self._emit("stories")
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
        if report.imported:
            self._emit("stories")
        return report

    def _add_parsed(self, stories: Sequence[ParsedStory], *, origin: str) -> ImportReport:
        """Store a document's stories in one transaction, skipping ones already archived."""
        report = ImportReport()
        fetched = datetime.now(UTC)
        with self.store.transaction():
            for parsed in stories:
                text = canonical_text(parsed.sections)
                digest = content_hash(parsed.title, text)
                if self.store.find_duplicate(url=parsed.url, guid=parsed.guid, content_hash=digest):
                    report.duplicates += 1
                    continue
                story_id = self.store.add_story(
                    parsed, text=text, content_hash=digest, origin=origin, fetched=fetched
                )
                report.imported.append(story_id)
        return report

    def import_url(self, url: str) -> ImportReport:
        """Import the page or feed at ``url``: an article, a digest's stories, or a feed's
        entries (without subscribing). Raises a ReaderError with a one-line reason."""
        report = self._import_url(url)
        if report.imported:
            self._emit("stories")
        return report

    def _import_url(self, url: str) -> ImportReport:
        result = self.fetcher.fetch(url)
        if not result.body.strip():
            raise ParseError("the response is empty")
        if feed_format(result.body, result.content_type) is not None:
            counts = import_feed(self.store, result, url=url)
            return ImportReport(counts.new, duplicates=counts.unchanged + len(counts.changed))
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

    def revisions(self, story_id: int) -> list[StoryRevision]:
        """Newer versions of a feed story recorded after it was stored, oldest first."""
        return self.store.revisions_for(story_id)

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
        return StoryBundle(
            self.store.get_story(story_id),
            self.store.highlights_for(story_id),
            self.store.notes_for(story_id),
        )

    def bundles(self, story_ids: Iterable[int] | None = None) -> Iterator[StoryBundle]:
        """Stories with annotations one at a time, so an export of 100,000 stays small."""
        ids = list(story_ids) if story_ids is not None else self.story_ids(view="all")
        if story_ids is None:
            ids += self.story_ids(view="archived")
        for story_id in ids:
            yield self.bundle(story_id)

    def highlights(self, story_id: int) -> list[Highlight]:
        return self.store.highlights_for(story_id)

    def all_highlights(
        self,
        *,
        color: Color | None = None,
        tag: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
    ) -> list[Highlight]:
        return self.store.all_highlights(color=color, tag=tag, source_id=source_id, limit=limit)

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
        """Hits for ``query`` (InvalidQueryError if it cannot be parsed), best first."""
        self.sync_index()
        return self.index.search(query, limit=limit)

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

    def export(self, fmt: str, out: IO[str], story_ids: Iterable[int] | None = None) -> int:
        """Write the archive (or the given stories) in ``fmt``; returns how many stories."""
        from reader.export import write_export

        return write_export(fmt, self.bundles(story_ids), out)
