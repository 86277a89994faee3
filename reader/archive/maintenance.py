"""Keeping the archive healthy and portable: the search index, exports, and backups with
restore (``check`` is in :mod:`reader.archive.checking`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from reader import _killpoints
from reader._storage import SCHEMA_VERSION, backup, changes, documents, open_archive
from reader._storage import stories as story_rows
from reader._storage.backup import BACKUP_DIRNAME
from reader._storage.changes import ChangeQueue
from reader.archive.core import ArchiveBase
from reader.archive.indexing import IDLE_SEGMENTS
from reader.errors import BackupError
from reader.model import BackupSettings, Changed, ItemKind, View


def _item(doc_id: str) -> tuple[ItemKind, int]:
    kind, _, item_id = doc_id.partition(":")
    return ItemKind(kind), int(item_id)


def _owing(indexed: set[str]) -> Callable[[Path], None]:
    """What an index holding ``indexed`` owes an archive about to replace the one it
    describes: every live item, and the deletion of every document the new archive lacks.
    Recorded in the new file (schema brought up to date first) before it is put in place."""

    def owe(incoming: Path) -> None:
        db = open_archive(incoming)
        try:
            with db.transaction() as tx:
                changes.refill(tx)
                extra = indexed - documents.document_ids(tx)
                changes.enqueue(tx, (_item(doc_id) for doc_id in sorted(extra)))
        finally:
            db.close()

    return owe


class MaintenanceMixin(ArchiveBase):
    """Index, check, export and backup methods of :class:`~reader.archive.Archive`."""

    # -- index ------------------------------------------------------------------------------

    def sync_index(self, batch_size: int = 500, max_batches: int | None = None) -> int:
        """Apply pending changes to the index; returns how many were applied. With
        ``max_batches`` the caller can interleave other work; the window leaves all of this
        to a :class:`~reader.archive.BackgroundIndexer` on a thread of its own."""
        return self._index.drain(self._queue, batch_size=batch_size, max_batches=max_batches)

    def merge_index(self, when: int | None = 2) -> tuple[int, int]:
        """Merge the index's segments as the window's indexer does when idle (minutes for
        100,000 stories, in a worker process), by default without waiting for there to be
        many (``when=None``: only once the indexer would); returns the number of segments
        before and after."""
        index = self._open_index(fill=True)
        before = index.segment_count()
        while index.optimize(IDLE_SEGMENTS):
            pass
        if index.start_merge(when=when):
            index.finish_merge()
        return before, index.segment_count()

    def index_backlog(self) -> int:
        """How many changes the search index has still to apply (a new or lost index is owed
        every live item, so the index is opened first)."""
        self._open_index(fill=True)
        return self._queue.pending_count()

    def reindex(self) -> int:
        """Rebuild the index from the database in one writer, not through the queue, and
        acknowledge the changes it covered; returns how many documents it holds."""
        return self._open_index(fill=False).rebuild(self._queue)

    # -- check and export -------------------------------------------------------------------

    def export(
        self,
        fmt: str,
        out: IO[str],
        story_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        *,
        bom: bool = True,
        with_notes: bool = False,
        title: str = "",
        about: str = "",
    ) -> int:
        """Write the archive, the given stories, or the given highlights (with their stories'
        notes only ``with_notes``) in ``fmt`` (json, markdown, csv, w3c). Returns how many
        stories (json, markdown), rows (csv) or annotations (w3c). ``bom``: a CSV starts with
        a UTF-8 BOM. ``title`` and ``about``: a Markdown notebook's heading and what it
        covers."""
        from reader._export import write_export

        return write_export(
            fmt,
            self._db,
            out,
            story_ids=story_ids,
            highlight_ids=highlight_ids,
            bom=bom,
            with_notes=with_notes,
            title=title,
            about=about,
        )

    def export_folder(
        self,
        directory: Path,
        story_ids: Iterable[int] | None = None,
        highlight_ids: Iterable[int] | None = None,
        *,
        with_notes: bool = False,
    ) -> list[Path]:
        """One Markdown note per story in ``directory``, for note-taking tools; returns the
        files written (a file of the same name is replaced). ``with_notes`` as for
        :meth:`export`."""
        from reader._export import write_markdown_folder

        return write_markdown_folder(
            self._db,
            Path(directory),
            story_ids=story_ids,
            highlight_ids=highlight_ids,
            with_notes=with_notes,
        )

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
        backup.snapshot(self._db.db.conn, path)
        return path

    def backup_if_due(self, now: datetime | None = None) -> Path | None:
        """Make an automatic backup when the schedule says one is due (the window and the
        command line call this at start) and prune to the newest ``keep``; returns it, or
        None. An archive without stories has nothing to protect yet."""
        now = now or datetime.now(UTC)
        with self._reading() as db:
            schedule = backup.read_settings(db)
            if not backup.is_due(self.backups_dir, schedule, now):
                return None
            if not self._story_total(db):
                return None
        name = backup.backup_name(now, automatic=True)
        path = backup.unique_path(self.backups_dir, name)
        backup.snapshot(self._db.db.conn, path)
        backup.prune(self.backups_dir, schedule.keep)
        _killpoints.step("backup.pruned")
        return path

    def backup_settings(self) -> BackupSettings:
        with self._reading() as db:
            return backup.read_settings(db)

    def set_backup_settings(self, value: BackupSettings) -> None:
        """Change the automatic backup schedule (ValueError for a keep or interval below 1)."""
        with self._writing() as db:
            backup.write_settings(db, value)

    def restore(self, path: str | Path) -> Path:
        """Replace the archive with the backup at ``path`` after checking it (our file, a
        schema this app knows, intact). The archive it replaces is kept in ``backups/`` as
        ``pre-restore-…``, whose path is returned. What the search index owes the restored
        archive (every live item, and the deletion of what only the old one had) is queued in
        the restored file before it takes the archive's place, to be applied by the next
        :meth:`sync_index` (or the window's background indexer) rather than rebuilt here on
        the caller's thread. The swap is journaled: a crash anywhere in it is finished by the
        next start (see :func:`reader._storage.backup.recover_restore`).

        Close other windows on this archive first: a process still writing to the old file
        would go on writing to the kept copy.
        """
        _killpoints.step("restore.started")
        candidate = Path(path)
        live = self._db.path
        if candidate.resolve() == live.resolve():
            raise BackupError("that is the archive itself; choose a backup to restore")
        backup.verify(candidate, newest_schema=SCHEMA_VERSION)
        _killpoints.step("restore.verified")
        indexed = self._index.doc_ids()
        self._close_index()
        self._db.close()
        try:
            kept = backup.restore_file(
                candidate, live, self.backups_dir, datetime.now(UTC), _owing(indexed)
            )
        finally:
            self._db = open_archive(live)
            self._queue = ChangeQueue(self._db)
        _killpoints.step("restore.requeued")
        for what in Changed:
            self._emit(what)
        return kept

    @staticmethod
    def _story_total(db: Database) -> int:
        """Live stories, archived ones included."""
        return story_rows.count_stories(db, view=View.ALL) + story_rows.count_stories(
            db, view=View.ARCHIVED
        )
