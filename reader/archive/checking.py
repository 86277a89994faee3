"""``check``: the database's schema and integrity, and whether the search index holds exactly
what the database does, down to each document's content (a fingerprint stored with every
indexed document, compared with one computed from the database, batch by batch) and whether
every segment can still be read; and its repair, which re-queues exactly what differs through
the change queue. A damaged index, found here or while searching, is replaced by an empty one
that the queue refills."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from reader._protocols import IndexDifferences, SearchIndex
from reader._search import IndexDamagedError
from reader._storage import changes, documents, schema
from reader._storage import stories as story_rows
from reader.archive.core import ArchiveBase
from reader.errors import SearchError
from reader.model import ItemKind, View

CHECK_BATCH = 1000
"""Documents whose fingerprints are compared at a time (their bodies are read to hash them)."""


@dataclass(slots=True)
class CheckReport:
    """What ``check`` found; ``ok`` when there are no problems. After a repair, ``repaired``
    says what was done and the counts and ``problems`` are those of the check run after it."""

    schema_version: int
    stories: int
    indexed_documents: int
    pending_changes: int
    problems: list[str] = field(default_factory=list)
    missing: int = 0
    """Items of the database the index does not hold."""
    extra: int = 0
    """Documents of the index that the database does not hold."""
    stale: int = 0
    """Documents indexed with other content than the database's (or indexed twice)."""
    damaged: str | None = None
    """Why the index could not be read, if it could not."""
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _item(doc_id: str) -> tuple[ItemKind, int]:
    kind, _, item_id = doc_id.partition(":")
    return ItemKind(kind), int(item_id)


class CheckingMixin(ArchiveBase):
    """``check`` and its repair, for :class:`~reader.archive.Archive`; also reopens an index
    found damaged, so its next use starts the refill."""

    def check(self, *, repair: bool = False) -> CheckReport:
        """Schema, SQLite integrity, and whether the index holds exactly what the database
        does: every segment readable, no document missing, extra or stale. Pending changes
        are applied first. With ``repair`` a damaged index is replaced (refilled through the
        change queue) and each differing item re-queued; the queue is drained and the check
        run again, so the report says what is left."""
        report = self._check_once()
        if not repair or report.ok:
            return report
        done: list[str] = []
        if report.damaged is not None:
            # Reopening puts the marked index aside and queues every live item for a new one.
            self._index.mark_damaged(report.damaged)
            count = self._reopen_index()
            done.append(f"search index replaced; {count} item(s) queued to refill it")
        elif report.missing or report.extra or report.stale:
            count = self._requeue_differences()
            done.append(f"{count} item(s) re-queued for the search index")
        if not done:
            return report
        after = self._check_once()
        after.repaired = done
        return after

    def _check_once(self) -> CheckReport:
        with self._reading() as db:
            problems = schema.integrity_problems(db)
        try:
            self._sync()
        except SearchError as err:
            problems.append(f"search index not updated: {err}")
        with self._reading() as db:
            version = schema.schema_version(db)
            stories = self._live_stories(db)
            pending = changes.pending_count(db)
        index = self._index
        report = CheckReport(
            schema_version=version,
            stories=stories,
            indexed_documents=0,
            pending_changes=pending,
            problems=problems,
        )
        damage = index.verify()
        differences = IndexDifferences()
        if damage is None:
            try:
                differences = self._differences(index)
            except IndexDamagedError as err:
                damage = err.reason
        if damage is not None:
            report.damaged = damage
            problems.append(f"search index is damaged ({damage}); run check --repair")
            return report
        report.indexed_documents = index.document_count()
        report.missing = len(differences.missing)
        report.extra = len(differences.extra)
        report.stale = len(differences.stale)
        if differences:
            problems.append(
                f"search index: {report.stale} stale, {report.missing} missing,"
                f" {report.extra} extra; run check --repair"
            )
        return report

    def _differences(self, index: SearchIndex) -> IndexDifferences:
        return index.compare(documents.fingerprint_batches(self._db, CHECK_BATCH))

    def _requeue_differences(self) -> int:
        """Queue each item the index has wrong (the indexer re-reads it, deleting what the
        database no longer holds); returns how many."""
        index = self._index
        differences = self._differences(index)
        doc_ids = sorted({*differences.missing, *differences.extra, *differences.stale})
        with self._writing() as db:
            changes.enqueue(db, (_item(doc_id) for doc_id in doc_ids))
        self._sync()
        return len(doc_ids)

    def _reopen_index(self) -> int:
        """Close the index and open it again, which replaces a damaged one with an empty one
        owed every live item; returns how many changes are queued."""
        self._close_index()
        self._open_index(fill=True)
        count = self._queue.pending_count()
        self._sync()
        return count

    def _sync(self) -> None:
        self._index.drain(self._queue)

    def _open_index(self, *, fill: bool) -> SearchIndex:
        # An index found damaged (by a search or a check) was marked so; opening it again puts
        # it aside and starts the refill, with the reason in ``messages``.
        opened = self._opened_index
        if opened is not None and opened.damaged is not None:
            self._close_index()
        return super()._open_index(fill=fill)

    @staticmethod
    def _live_stories(db: Database) -> int:
        """Live stories, archived ones included."""
        return story_rows.count_stories(db, view=View.ALL) + story_rows.count_stories(
            db, view=View.ARCHIVED
        )
