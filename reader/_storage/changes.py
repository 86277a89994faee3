"""The change queue: rows telling the search indexer which items to re-read.

Writers call these inside their own transaction, so an item and its change commit together.
"""

from __future__ import annotations

from typing import Literal

from sqlite_utils import Database

from reader._protocols import Change

Kind = Literal["story", "highlight", "note"]


def enqueue(db: Database, kind: Kind, item_id: int) -> None:
    db.execute("INSERT INTO changes (kind, item_id) VALUES (?, ?)", [kind, item_id])


def enqueue_annotations(db: Database, story_id: int) -> None:
    """Queue a story's highlights and notes, whose documents repeat the story's title and source."""
    db.execute(
        "INSERT INTO changes (kind, item_id)"
        " SELECT 'highlight', id FROM highlights WHERE story_id = ? ORDER BY id",
        [story_id],
    )
    db.execute(
        "INSERT INTO changes (kind, item_id)"
        " SELECT 'note', id FROM notes WHERE story_id = ? ORDER BY id",
        [story_id],
    )


def enqueue_story_tree(db: Database, story_id: int) -> None:
    enqueue(db, "story", story_id)
    enqueue_annotations(db, story_id)


def enqueue_everything(db: Database) -> int:
    """Queue every live story, highlight and note: how a new or lost index is filled, in the
    same resumable batches as any other change. Returns how many were queued."""
    before = pending_count(db)
    db.execute(
        "INSERT INTO changes (kind, item_id)"
        " SELECT 'story', id FROM stories WHERE deleted_at IS NULL ORDER BY id"
    )
    for kind, table in (("highlight", "highlights"), ("note", "notes")):
        db.execute(
            f"INSERT INTO changes (kind, item_id) SELECT '{kind}', x.id FROM {table} x"
            " JOIN stories s ON s.id = x.story_id WHERE s.deleted_at IS NULL ORDER BY x.id"
        )
    return pending_count(db) - before


def pending(db: Database, limit: int) -> list[Change]:
    rows = db.execute(
        "SELECT seq, kind, item_id FROM changes ORDER BY seq LIMIT ?", [limit]
    ).fetchall()
    return [Change(seq=seq, kind=kind, item_id=item_id) for seq, kind, item_id in rows]


def acknowledge(db: Database, up_to_seq: int) -> None:
    db.execute("DELETE FROM changes WHERE seq <= ?", [up_to_seq])


def pending_count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM changes").fetchone()[0])
