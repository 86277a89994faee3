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

from reader._anchoring import Selector
from reader._protocols import Change, IndexDocument
from reader._storage import annotations as highlights_and_notes
from reader._storage import (
    backup,
    codebook,
    documents,
    feeds,
    mailboxes,
    schema,
    stories,
    transfer,
    versions,
)
from reader._storage import changes as queue
from reader._storage import tags as tagging
from reader._storage.db import Connection
from reader._storage.feeds import EntryState
from reader._storage.mailboxes import MailboxRow
from reader._storage.schema import SCHEMA_VERSION
from reader._storage.transfer import (
    Attached,
    Attachment,
    ImportContext,
    Placer,
    StoryMerge,
    StoryRecord,
)
from reader.model import (
    BackupSettings,
    CodebookEntry,
    Color,
    Highlight,
    Note,
    ParsedStory,
    Source,
    Story,
    StorySummary,
    StoryVersion,
    Subscription,
    VersionReport,
)

__all__ = ["SCHEMA_VERSION", "EntryState", "MailboxRow", "Store"]


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
        offset: int = 0,
        status: str | None = None,
    ) -> list[Highlight]:
        """Highlights on live stories, newest first; ``limit``/``offset`` page through them
        and ``status`` keeps only "anchored", "changed" or "orphan" ones."""
        with self._conn.transaction(write=False) as db:
            return highlights_and_notes.all_highlights(
                db,
                color=color,
                tag=tag,
                source_id=source_id,
                limit=limit,
                offset=offset,
                status=status,
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

    # Story versions and where highlights stand on them

    def add_version(
        self,
        story_id: int,
        parsed: ParsedStory,
        *,
        text: str,
        content_hash: str,
        fetched: datetime,
    ) -> VersionReport:
        """Make ``parsed`` the story's current version, keeping the one before, and re-anchor
        its highlights on the new text."""
        with self._conn.transaction() as db:
            return versions.add_version(
                db, story_id, parsed, text=text, content_hash=content_hash, fetched=fetched
            )

    def known_hashes(self, story_id: int) -> set[str]:
        """Content hashes of the story's current and earlier versions."""
        with self._conn.transaction(write=False) as db:
            return versions.known_hashes(db, story_id)

    def versions_for(self, story_id: int) -> list[StoryVersion]:
        """Earlier versions, oldest first (the current one is the story itself)."""
        with self._conn.transaction(write=False) as db:
            stories.require(db, story_id)
            return versions.versions_for(db, story_id)

    def get_version(self, story_id: int, version: int) -> StoryVersion:
        """Any version of the story, the current one included."""
        with self._conn.transaction(write=False) as db:
            stories.require(db, story_id)
            return versions.get_version(db, story_id, version)

    def repair_highlights(self, story_id: int) -> int:
        """Re-anchor highlights that do not fit the story's text; returns how many moved.
        Takes the write lock only when one needs it."""
        with self._conn.transaction(write=False) as db:
            if not versions.unfit_highlights(db, story_id)[1]:
                return 0
        with self._conn.transaction() as db:
            return versions.repair_highlights(db, story_id)

    def reattach_highlight(self, highlight_id: int, selector: Selector) -> Highlight:
        """Put the highlight on a new selection of its story's current text (anchored)."""
        with self._conn.transaction() as db:
            highlights_and_notes.get_highlight(db, highlight_id)
            versions.reattach(db, highlight_id, selector)
            return highlights_and_notes.get_highlight(db, highlight_id)

    # Feeds (subscriptions) and their stories

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
        """The story (deleted or not) holding a feed entry's guid, with its versions' hashes."""
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

    # Mailbox folders (feeds rows of kind "mailbox")

    def add_mailbox(
        self,
        url: str,
        *,
        title: str,
        host: str,
        port: int,
        username: str,
        folder: str,
        security: str,
        ca_file: str | None,
    ) -> int:
        """A new mailbox source; AlreadySubscribedError if ``url`` has one."""
        with self._conn.transaction() as db:
            feed_id = feeds.add_feed(db, url, title=title)
            mailboxes.add_mailbox(
                db,
                feed_id,
                host=host,
                port=port,
                username=username,
                folder=folder,
                security=security,
                ca_file=ca_file,
            )
            return feed_id

    def mailbox(self, feed_id: int) -> MailboxRow:
        with self._conn.transaction(write=False) as db:
            return mailboxes.get_mailbox(db, feed_id)

    def mailboxes(self) -> list[MailboxRow]:
        with self._conn.transaction(write=False) as db:
            return mailboxes.list_mailboxes(db)

    def set_mailbox_position(self, feed_id: int, *, uidvalidity: int, last_uid: int) -> None:
        with self._conn.transaction() as db:
            mailboxes.set_position(db, feed_id, uidvalidity=uidvalidity, last_uid=last_uid)

    # Codebook, tag completion, backup settings, whole-archive transfer and backups

    def codebook(self) -> list[CodebookEntry]:
        """The named colours, in the order of Color."""
        with self._conn.transaction(write=False) as db:
            return codebook.entries(db)

    def set_codebook_entry(self, color: Color, name: str, description: str = "") -> CodebookEntry:
        with self._conn.transaction() as db:
            return codebook.set_entry(db, color, name, description)

    def clear_codebook_entry(self, color: Color) -> bool:
        with self._conn.transaction() as db:
            return codebook.clear(db, color)

    def tag_names(self, prefix: str = "") -> list[str]:
        """Tag names starting with ``prefix``, most used first."""
        with self._conn.transaction(write=False) as db:
            return tagging.names_by_use(db, prefix)

    def backup_settings(self) -> BackupSettings:
        with self._conn.transaction(write=False) as db:
            return backup.read_settings(db)

    def set_backup_settings(self, value: BackupSettings) -> None:
        with self._conn.transaction() as db:
            backup.write_settings(db, value)

    def export_story_ids(
        self, story_ids: Iterable[int] | None, highlight_ids: Iterable[int] | None
    ) -> list[int]:
        with self._conn.transaction(write=False) as db:
            return transfer.selected_story_ids(db, story_ids, highlight_ids)

    def story_records(
        self,
        story_ids: Sequence[int],
        *,
        highlight_ids: frozenset[int] | None = None,
        with_notes: bool = True,
    ) -> list[StoryRecord]:
        with self._conn.transaction(write=False) as db:
            return transfer.story_records(
                db, story_ids, highlight_ids=highlight_ids, with_notes=with_notes
            )

    def export_sources(self) -> list[Source]:
        with self._conn.transaction(write=False) as db:
            return transfer.sources(db)

    def export_feeds(self) -> list[Subscription]:
        with self._conn.transaction(write=False) as db:
            return transfer.feeds(db)

    def export_mailboxes(self) -> list[MailboxRow]:
        with self._conn.transaction(write=False) as db:
            return transfer.mailbox_settings(db)

    def import_header(
        self,
        entries: Iterable[CodebookEntry],
        sources: Iterable[Source],
        subscriptions: Iterable[Subscription],
        mailbox_settings: Iterable[MailboxRow] = (),
    ) -> tuple[ImportContext, list[str]]:
        """Codebook, sources and subscriptions of an export (mailbox sources with their
        settings, by the export's feed ids); ids are kept when the archive is empty.
        Returns the context for :meth:`import_stories` and codebook conflicts."""
        mailbox_of = {row.feed_id: row for row in mailbox_settings}
        with self._conn.transaction() as db:
            keep_ids = transfer.is_empty(db)
            messages = codebook.merge(db, entries)
            transfer.import_sources(db, sources, keep_ids=keep_ids)
            feed_ids = transfer.import_feeds(
                db, subscriptions, keep_ids=keep_ids, mailbox_of=mailbox_of
            )
            return transfer.ImportContext(keep_ids, feed_ids), messages

    def import_stories(
        self, records: Sequence[StoryRecord], context: ImportContext, place: Placer
    ) -> list[StoryMerge]:
        """Add or merge exported stories, in one transaction."""
        with self._conn.transaction() as db:
            return [
                transfer.import_story(
                    db, record, feed_ids=context.feed_ids, keep_ids=context.keep_ids, place=place
                )
                for record in records
            ]

    def attach(self, items: Sequence[Attachment], place: Placer) -> list[Attached]:
        """Add annotation-file highlights and notes to their stories, in one transaction."""
        with self._conn.transaction() as db:
            return [transfer.attach(db, item, place) for item in items]

    def backup(self, target: Path) -> None:
        """Write a consistent copy of the archive to ``target`` while others may write."""
        backup.snapshot(self._conn.db.conn, target)

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

    def enqueue_everything(self) -> int:
        """Queue every live item for the index (to fill a new or lost one); returns how many."""
        with self._conn.transaction() as db:
            return queue.enqueue_everything(db)
