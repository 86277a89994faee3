"""The SQLite connection behind the facade: opening it with our pragmas, nestable transactions,
translating environmental failures into StorageError, and how datetimes are written."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier

from reader.errors import StorageError

# "SRDR": marks a SQLite file as a story archive, so another app's database is never migrated.
APPLICATION_ID = 0x53524452

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's write lock before it is "locked"."""

# Failures of the machine rather than of our code; only these leave storage as StorageError.
_ENVIRONMENTAL = (
    "database is locked",
    "database or disk is full",
    "unable to open database",
    "disk i/o error",
    "file is not a database",
    "database disk image is malformed",
)


_GATES: dict[str, threading.RLock] = {}
_GATES_LOCK = threading.Lock()


def _write_gate(path: Path) -> threading.RLock:
    """The lock that this process's write transactions on the file at ``path`` take turns
    on. SQLite's busy handler waits for another connection's write lock by sleeping 1, 2,
    5, 10, 15, 20, 25 … ms between tries, so a write queued behind a 20 ms one (the
    indexer's, on its own thread) waited 33 ms or more; a lock held in this process wakes
    the next writer the moment it is let go. Other processes still meet SQLite's lock."""
    key = str(path.resolve())
    with _GATES_LOCK:
        gate = _GATES.get(key)
        if gate is None:
            gate = _GATES[key] = threading.RLock()
        return gate


class Connection:
    """One sqlite-utils Database on one file, used by one thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._depth = 0
        self._closed = False
        self._gate = _write_gate(Path(path))
        with self.errors():
            self.db = Database(path, execute_plugins=False)
            try:
                # We issue BEGIN IMMEDIATE ourselves: the driver's implicit BEGIN DEFERRED lets
                # two writers each hold a read lock and then fail to upgrade it.
                self.db.conn.isolation_level = None
                self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
                self.db.enable_wal()
                self.db.execute("PRAGMA foreign_keys = ON")
                self.db.execute("PRAGMA synchronous = NORMAL")
            except BaseException:
                self.db.close()
                raise

    def close(self, *, optimize: bool = True) -> None:
        """Close the file (again is a no-op), refreshing the planner's statistics first:
        without them SQLite sorts the story list in a temporary b-tree instead of reading
        idx_stories_sort_date in order. A reader that only read (an indexing worker) passes
        ``optimize=False``: it has nothing to add to the statistics."""
        if self._closed:
            return
        self._closed = True
        if not optimize:
            self.db.close()
            return
        try:
            # Statistics only speed queries up: closing never waits for another process's
            # write lock for them, and a full disk or a damaged file must not block closing.
            self.db.execute("PRAGMA busy_timeout = 0")
            self.db.execute("PRAGMA optimize")
        except sqlite3.DatabaseError:
            pass
        finally:
            self.db.close()

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn an environmental sqlite3 failure into a one-line StorageError."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            message = str(error)
            if not any(text in message.lower() for text in _ENVIRONMENTAL):
                raise
            raise StorageError(f"archive {self.path}: {message}") from error

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Database]:
        """Run the block atomically; nested blocks become savepoints.

        A read (``write=False``) still opens a transaction, so a read made of several
        queries sees one snapshot even while another connection writes. A write waits for
        this process's other writes to the file at its gate (:func:`_write_gate`), then for
        other processes' in SQLite, each up to :data:`BUSY_TIMEOUT_MS`.
        """
        outermost = self._depth == 0
        gated = outermost and write
        if gated and not self._gate.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            # What SQLite says when its own wait runs out, so callers see one failure.
            raise StorageError(f"archive {self.path}: database is locked")
        try:
            with self.errors():
                yield from self._transaction(outermost, write)
        finally:
            if gated:
                self._gate.release()

    def _transaction(self, outermost: bool, write: bool) -> Iterator[Database]:
        savepoint = f"sp{self._depth}"
        if outermost:
            self.db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        else:
            self.db.execute(f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self._depth -= 1
            # An error such as SQLITE_FULL may already have rolled everything back.
            if self.db.conn.in_transaction:
                if outermost:
                    self.db.execute("ROLLBACK")
                else:
                    self.db.execute(f"ROLLBACK TO {savepoint}")
                    self.db.execute(f"RELEASE {savepoint}")
            raise
        self._depth -= 1
        if not outermost:
            self.db.execute(f"RELEASE {savepoint}")
            return
        try:
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise


def insert(db: Database, table: str, record: dict[str, Any]) -> int:
    """Insert one row and return its rowid (which is its id)."""
    rowid = db.table(table).insert(record).last_rowid
    assert rowid is not None
    return rowid


def update(db: Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set columns of one row; sqlite-utils' Table.update would first read the whole row."""
    assignments = ", ".join(f"{quote_identifier(column)} = ?" for column in values)
    db.execute(
        f"UPDATE {quote_identifier(table)} SET {assignments} WHERE id = ?",
        [*values.values(), row_id],
    )


def encode_time(value: datetime) -> str:
    """ISO-8601 UTC with fixed precision, so that text order is time order.

    A naive datetime is taken to be UTC already (feeds and leads often omit the zone).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def encode_optional_time(value: datetime | None) -> str | None:
    return None if value is None else encode_time(value)


def decode_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def decode_optional_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def now() -> str:
    return encode_time(datetime.now(UTC))
