"""The Store: one archive file behind one connection, used from one thread.

Each public method is one transaction (writes take the write lock up front) and lets only
StorageError, NotFoundError and programming errors out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType

from reader.model import (
    Color,
    Highlight,
    Note,
    ParsedStory,
    Source,
    Story,
    StoryRevision,
    StorySummary,
    Subscription,
)
from reader.protocols import Change, IndexDocument
from reader.storage import annotations as highlights_and_notes
from reader.storage import changes as queue
from reader.storage import documents, feeds, schema, stories
from reader.storage import tags as tagging
from reader.storage.db import Connection
from reader.storage.feeds import EntryState
from reader.storage.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "EntryState", "Store"]


class Store:
    """Stories, annotations and tags in one SQLite file; also the search index's ChangeQueue."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn = Connection(self.path)
        self._closed = False
        try:
            schema.migrate(self._conn)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            # Refreshes planner statistics when stale; without them SQLite sorts the story
            # list in a temporary b-tree instead of reading idx_stories_sort_date in order.
            with self._conn.errors():
                self._conn.db.execute("PRAGMA optimize")
        finally:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._conn.transaction(write=False) as db:
            return schema.schema_version(db)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes into one; nested blocks roll back on their own."""
        with self._conn.transaction():
            yield

    def integrity_check(self) -> list[str]:
        """Problems SQLite finds in the file and its references; empty when all is well."""
        with self._conn.transaction(write=False) as db:
            return schema.integrity_problems(db)

    # Stories

    def find_duplicate(
        self, *, url: str | None = None, guid: str | None = None, content_hash: str | None = None
    ) -> int | None:
        """A live story with this url or guid when either is given, else with this content."""
        with self._conn.transaction(write=False) as db:
            return stories.find_duplicate(db, url=url, guid=guid, content_hash=content_hash)

    def add_story(
        self,
        parsed: ParsedStory,
        *,
        text: str,
        content_hash: str,
        origin: str | None,
        fetched: datetime,
    ) -> int:
        with self._conn.transaction() as db:
            return stories.add_story(
                db, parsed, text=text, content_hash=content_hash, origin=origin, fetched=fetched
            )

    def update_story(
        self,
        story_id: int,
        parsed: ParsedStory,
        *,
        text: str,
        content_hash: str,
        origin: str | None,
        fetched: datetime,
    ) -> None:
        """Replace a story's content with a newer parse; flags, tags and annotations stay."""
        with self._conn.transaction() as db:
            stories.update_story(
                db,
                story_id,
                parsed,
                text=text,
                content_hash=content_hash,
                origin=origin,
                fetched=fetched,
            )

    def get_story(self, story_id: int) -> Story:
        with self._conn.transaction(write=False) as db:
            return stories.get_story(db, story_id)

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
        """Ids of live stories in ``view`` (all, unread, starred, highlighted, archived), sorted
        by ``order`` (published, title, source, highlights, fetched), ties by id."""
        with self._conn.transaction(write=False) as db:
            return stories.story_ids(
                db,
                view=view,
                source_id=source_id,
                tag=tag,
                order=order,
                descending=descending,
                feed_id=feed_id,
            )

    def summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        """Summaries in the order of ``ids``; ids of missing or deleted stories are skipped."""
        with self._conn.transaction(write=False) as db:
            return stories.summaries(db, ids)

    def count_stories(self, view: str = "all") -> int:
        with self._conn.transaction(write=False) as db:
            return stories.count_stories(db, view=view)

    def story_count_by_source(self, view: str = "all") -> dict[int | None, int]:
        with self._conn.transaction(write=False) as db:
            return stories.story_count_by_source(db, view=view)

    def set_flags(
        self,
        story_id: int,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        archived: bool | None = None,
    ) -> None:
        with self._conn.transaction() as db:
            stories.set_flags(db, story_id, read=read, starred=starred, archived=archived)

    def delete_story(self, story_id: int) -> None:
        """Hide the story and its annotations until undeleted or purged."""
        with self._conn.transaction() as db:
            stories.delete_story(db, story_id)

    def undelete_story(self, story_id: int) -> None:
        with self._conn.transaction() as db:
            stories.undelete_story(db, story_id)

    def purge_deleted(self) -> int:
        """Remove deleted stories for good; returns how many."""
        with self._conn.transaction() as db:
            return stories.purge_deleted(db)

    def sources(self) -> list[tuple[Source, int]]:
        with self._conn.transaction(write=False) as db:
            return stories.sources(db)

    # Highlights

    def add_highlight(
        self,
        story_id: int,
        *,
        start: int,
        end: int,
        quote: str,
        prefix: str,
        suffix: str,
        color: Color,
        note: str = "",
    ) -> Highlight:
        with self._conn.transaction() as db:
            return highlights_and_notes.add_highlight(
                db,
                story_id,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                color=color,
                note=note,
            )

    def get_highlight(self, highlight_id: int) -> Highlight:
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.get_highlight(db, highlight_id)

    def update_highlight(
        self, highlight_id: int, *, color: Color | None = None, note: str | None = None
    ) -> Highlight:
        with self._conn.transaction() as db:
            return highlights_and_notes.update_highlight(db, highlight_id, color=color, note=note)

    def delete_highlight(self, highlight_id: int) -> Highlight:
        """Delete and return the highlight, so that it can be restored."""
        with self._conn.transaction() as db:
            return highlights_and_notes.delete_highlight(db, highlight_id)

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        with self._conn.transaction() as db:
            return highlights_and_notes.restore_highlight(db, highlight)

    def highlights_for(self, story_id: int) -> list[Highlight]:
        """The story's highlights by position; empty for a missing or deleted story."""
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.highlights_for(db, story_id)

    def all_highlights(
        self,
        *,
        color: Color | None = None,
        tag: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
    ) -> list[Highlight]:
        """Highlights on live stories, newest first."""
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.all_highlights(
                db, color=color, tag=tag, source_id=source_id, limit=limit
            )

    # Notes

    def add_note(self, story_id: int, body: str) -> Note:
        with self._conn.transaction() as db:
            return highlights_and_notes.add_note(db, story_id, body)

    def get_note(self, note_id: int) -> Note:
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.get_note(db, note_id)

    def update_note(self, note_id: int, body: str) -> Note:
        with self._conn.transaction() as db:
            return highlights_and_notes.update_note(db, note_id, body)

    def delete_note(self, note_id: int) -> Note:
        """Delete and return the note, so that it can be restored."""
        with self._conn.transaction() as db:
            return highlights_and_notes.delete_note(db, note_id)

    def restore_note(self, note: Note) -> Note:
        with self._conn.transaction() as db:
            return highlights_and_notes.restore_note(db, note)

    def notes_for(self, story_id: int) -> list[Note]:
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.notes_for(db, story_id)

    # Tags

    def tag_story(self, story_id: int, tags: Iterable[str]) -> None:
        with self._conn.transaction() as db:
            stories.tag_story(db, story_id, tags)

    def untag_story(self, story_id: int, tags: Iterable[str]) -> None:
        with self._conn.transaction() as db:
            stories.untag_story(db, story_id, tags)

    def tag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        with self._conn.transaction() as db:
            highlights_and_notes.tag_highlight(db, highlight_id, tags)

    def untag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        with self._conn.transaction() as db:
            highlights_and_notes.untag_highlight(db, highlight_id, tags)

    def tags(self) -> list[tuple[str, int]]:
        """Tag names with how many live stories and highlights carry each, by name."""
        with self._conn.transaction(write=False) as db:
            return tagging.counts(db)

    # Feeds (subscriptions), their stories and revisions

    def add_feed(
        self,
        url: str,
        *,
        title: str,
        fetch_full_articles: bool = False,
        site_url: str | None = None,
        kind: str | None = None,
    ) -> int:
        """A new subscription; AlreadySubscribedError if ``url`` has one."""
        with self._conn.transaction() as db:
            return feeds.add_feed(
                db,
                url,
                title=title,
                fetch_full_articles=fetch_full_articles,
                site_url=site_url,
                kind=kind,
            )

    def feed_id_for_url(self, url: str) -> int | None:
        with self._conn.transaction(write=False) as db:
            return feeds.feed_id_for_url(db, url)

    def get_feed(self, feed_id: int) -> Subscription:
        with self._conn.transaction(write=False) as db:
            return feeds.get_feed(db, feed_id)

    def feeds(self) -> list[Subscription]:
        """Every subscription with its story and unread counts, by title."""
        with self._conn.transaction(write=False) as db:
            return feeds.list_feeds(db)

    def due_feeds(self, at: datetime) -> list[Subscription]:
        """Subscriptions that are not backing off after errors at ``at``."""
        with self._conn.transaction(write=False) as db:
            return feeds.due_feeds(db, at)

    def delete_feed(self, feed_id: int) -> None:
        """Forget a subscription; its stories stay."""
        with self._conn.transaction() as db:
            feeds.delete_feed(db, feed_id)

    def set_fetch_full_articles(self, feed_id: int, enabled: bool) -> None:
        with self._conn.transaction() as db:
            feeds.set_fetch_full_articles(db, feed_id, enabled)

    def record_feed_success(
        self,
        feed_id: int,
        *,
        fetched: datetime,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
        site_url: str | None = None,
        kind: str | None = None,
    ) -> None:
        with self._conn.transaction() as db:
            feeds.record_success(
                db,
                feed_id,
                fetched=fetched,
                etag=etag,
                last_modified=last_modified,
                title=title,
                site_url=site_url,
                kind=kind,
            )

    def record_feed_failure(self, feed_id: int, *, fetched: datetime, error: str) -> datetime:
        """Keep the error and back off; returns when the feed is due again."""
        with self._conn.transaction() as db:
            return feeds.record_failure(db, feed_id, fetched=fetched, error=error)

    def known_guids(self, feed_url: str) -> set[str]:
        with self._conn.transaction(write=False) as db:
            return feeds.known_guids(db, feed_url)

    def entry_state(self, guid: str) -> EntryState | None:
        """The story (deleted or not) holding a feed entry's guid, with its latest revision."""
        with self._conn.transaction(write=False) as db:
            return feeds.entry_state(db, guid)

    def add_feed_story(
        self,
        parsed: ParsedStory,
        *,
        feed_id: int | None,
        tags: Iterable[str],
        text: str,
        content_hash: str,
        origin: str | None,
        fetched: datetime,
    ) -> int:
        with self._conn.transaction() as db:
            return feeds.add_feed_story(
                db,
                parsed,
                feed_id=feed_id,
                tag_names=tags,
                text=text,
                content_hash=content_hash,
                origin=origin,
                fetched=fetched,
            )

    def add_revision(
        self,
        story_id: int,
        parsed: ParsedStory,
        *,
        text: str,
        content_hash: str,
        fetched: datetime,
    ) -> int:
        """Record a changed version of a feed entry beside its story, which stays as it is."""
        with self._conn.transaction() as db:
            return feeds.add_revision(
                db, story_id, parsed, text=text, content_hash=content_hash, fetched=fetched
            )

    def revisions_for(self, story_id: int) -> list[StoryRevision]:
        with self._conn.transaction(write=False) as db:
            return feeds.revisions_for(db, story_id)

    # ChangeQueue

    def pending_changes(self, limit: int) -> list[Change]:
        with self._conn.transaction(write=False) as db:
            return queue.pending(db, limit)

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[str, int], IndexDocument]:
        with self._conn.transaction(write=False) as db:
            return documents.documents_for(db, changes)

    def acknowledge(self, up_to_seq: int) -> None:
        with self._conn.transaction() as db:
            queue.acknowledge(db, up_to_seq)

    def all_documents(self, batch_size: int) -> documents.DocumentBatches:
        """Every live document for a full rebuild; each batch is read when it is accessed."""
        return documents.DocumentBatches(self._conn, batch_size)

    def document_ids(self) -> set[str]:
        """The ``doc_id`` of every live document, to compare with what the index holds."""
        with self._conn.transaction(write=False) as db:
            return documents.document_ids(db)

    def pending_count(self) -> int:
        with self._conn.transaction(write=False) as db:
            return queue.pending_count(db)
