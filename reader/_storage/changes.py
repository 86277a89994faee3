"""The change queue: rows telling the search indexer which items to re-read.

SQLite triggers (schema step 9) fill it in the same transaction as each write, so an item and
its change commit together and no write can forget one; this module reads and empties it, and
replaces it with everything at once when an index must be filled from scratch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlite_utils import Database

from reader._protocols import Change, DocumentSource, IndexDocument
from reader._storage import documents
from reader._storage.db import Connection
from reader.model import ItemKind

_BEYOND_ANY_ID = 2**63 - 1
REFILL_STEP = 2_000
"""Items queued per transaction by :func:`refill_in_steps`: the analyst's own writes wait for
one step at most (4 to 20 ms; steps of 10,000 took 20 to 110 ms in a window at 100,000
stories, beside its start), not for the whole refill (about 200 ms at 100,000 stories)."""

# Live story ids from the small partial index: deleted_at sits at the end of a story's row,
# after its text, so reading it from the table walks every story's overflow pages (seconds
# at 100,000 stories, with the database's write lock held).
_LIVE = "SELECT id FROM stories INDEXED BY idx_stories_live_by_source WHERE deleted_at IS NULL"
# What a new index is owed, kind by kind: the live stories, and the highlights and notes of
# live stories.
_OWED = (
    ("story", f"SELECT id FROM ({_LIVE})"),
    *(
        (kind, f"SELECT x.id AS id FROM {table} x WHERE x.story_id IN ({_LIVE})")
        for kind, table in (("highlight", "highlights"), ("note", "notes"))
    ),
)


def refill(db: Database) -> int:
    """Replace the queue with one change per live story, highlight and note: how a new or lost
    index is filled, in the same resumable batches as any other change. Returns how many.

    Replaced, not added to: an empty index needs every live item exactly once, and the rows the
    triggers queued (a fresh archive's every insert, deletions of items the index never held)
    would only make each item count, and be indexed, twice.
    """
    db.execute("DELETE FROM changes")
    for kind, owed in _OWED:
        db.execute(
            f"INSERT INTO changes (kind, item_id) SELECT '{kind}', id FROM ({owed}) ORDER BY id"
        )
    return pending_count(db)


def fill_owed(db: Database) -> bool:
    """Whether a live item has no change queued, so that an index with no documents is still
    owed a refill (none was made, or one was cut short); False once a refill is complete."""
    for kind, owed in _OWED:
        # EXCEPT sorts both sides once; a correlated NOT EXISTS scanned the queue per item.
        missing = db.execute(
            f"SELECT id FROM ({owed}) EXCEPT SELECT item_id FROM changes WHERE kind = ? LIMIT 1",
            [kind],
        ).fetchone()
        if missing is not None:
            return True
    return False


def refill_in_steps(
    conn: Connection, step: int = REFILL_STEP, between: Callable[[], None] = lambda: None
) -> int:
    """:func:`refill` in transactions of ``step`` items, so that no other write waits long;
    ``between()`` is called before each one (the indexer waits there for the analyst's
    operation to end, so that it goes first).

    The ids owed are first copied, kind by kind, into a temporary table of this connection
    (which takes no lock on the archive): each step then reads its ``step`` ids in order
    from there, instead of walking the partial index of live stories, which is in source
    order, for every step (each step cost as much as the whole refill).

    Only for an index with no documents: until its first batch is committed it is refilled
    on every open, so a refill cut short (a crash between steps) is simply done again; an item
    written meanwhile may be queued twice, which costs a second look, never a wrong index."""
    with conn.transaction() as tx:
        tx.execute("DELETE FROM changes")
    db = conn.db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS refill_owed (id INTEGER PRIMARY KEY)")
    try:
        for kind, owed in _OWED:
            db.execute("DELETE FROM temp.refill_owed")
            db.execute(f"INSERT INTO temp.refill_owed (id) SELECT id FROM ({owed})")
            low: int | None = -1
            while low is not None:
                # Where the step after this one starts (None: this is the last).
                row = db.execute(
                    "SELECT id FROM temp.refill_owed WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?",
                    (low, step),
                ).fetchone()
                end = None if row is None else int(row[0])
                between()
                with conn.transaction() as tx:
                    tx.execute(
                        f"INSERT INTO changes (kind, item_id) SELECT '{kind}', id"
                        " FROM temp.refill_owed WHERE id > ? AND id < ? ORDER BY id",
                        (low, _BEYOND_ANY_ID if end is None else end),
                    )
                low = None if end is None else end - 1
    finally:
        db.execute("DROP TABLE IF EXISTS temp.refill_owed")
    return pending_count(conn.db)


def enqueue(db: Database, items: Iterable[tuple[ItemKind, int]]) -> None:
    """Queue the given items (the indexer re-reads each one, deleting what no longer exists)."""
    db.conn.executemany("INSERT INTO changes (kind, item_id) VALUES (?, ?)", list(items))


def pending(db: Database, limit: int) -> list[Change]:
    rows = db.execute(
        "SELECT seq, kind, item_id FROM changes ORDER BY seq LIMIT ?", [limit]
    ).fetchall()
    return [Change(seq=seq, kind=ItemKind(kind), item_id=item_id) for seq, kind, item_id in rows]


def acknowledge(db: Database, up_to_seq: int) -> None:
    db.execute("DELETE FROM changes WHERE seq <= ?", [up_to_seq])


def pending_count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM changes").fetchone()[0])


class ChangeQueue:
    """The search index's view of the archive (the ``ChangeQueue`` protocol) over one
    connection: each call is a transaction of its own."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def pending_changes(self, limit: int) -> list[Change]:
        with self._conn.transaction(write=False) as db:
            return pending(db, limit)

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[ItemKind, int], IndexDocument]:
        with self._conn.transaction(write=False) as db:
            return documents.documents_for(db, changes)

    def acknowledge(self, up_to_seq: int) -> None:
        with self._conn.transaction() as db:
            acknowledge(db, up_to_seq)

    def all_documents(self, batch_size: int) -> documents.DocumentBatches:
        """Every live document for a full rebuild; each batch is read when it is accessed."""
        return documents.DocumentBatches(self._conn, batch_size)

    def pending_count(self) -> int:
        with self._conn.transaction(write=False) as db:
            return pending_count(db)

    def document_source(self) -> DocumentSource:
        return DocumentSource(documents.WORKER_LOADER, str(self._conn.path))
