"""Changes to many stories or highlights at once (bulk triage): flags, soft deletion, tags and
colours, each a few set-based statements in the caller's transaction, returning what an undo
needs to put back exactly what it changed.

Ids travel as one JSON parameter (``json_each``), so 100,000 of them are one statement each,
with no SQLITE_MAX_VARIABLE_NUMBER to chunk around.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from sqlite_utils import Database

from reader._storage import tags
from reader._storage.db import now
from reader.errors import NotFoundError
from reader.model import Color

StoryFlag = Literal["read", "starred", "archived", "later"]
Target = Literal["story", "highlight"]
TagLinks = dict[str, list[int]]
"""Tag name -> the stories (or highlights) a bulk tagging linked to it."""

_FLAG_COLUMNS: dict[str, str] = {
    "read": "is_read",
    "starred": "is_starred",
    "archived": "is_archived",
    "later": "is_later",
}
_LINKS: dict[str, tuple[str, str]] = {
    "story": ("story_tags", "story_id"),
    "highlight": ("highlight_tags", "highlight_id"),
}
_IDS = "SELECT value FROM json_each(?)"

_LIVE: dict[str, str] = {
    "story": f"SELECT id FROM stories WHERE id IN ({_IDS}) AND deleted_at IS NULL",
    "highlight": (
        "SELECT h.id FROM highlights h JOIN stories s ON s.id = h.story_id"
        f" WHERE h.id IN ({_IDS}) AND s.deleted_at IS NULL"
    ),
}


def _ids(values: Iterable[int]) -> str:
    return json.dumps(list(dict.fromkeys(values)))


def require_all(db: Database, target: Target, ids: Sequence[int]) -> None:
    """NotFoundError naming the first of ``ids`` that is missing or deleted, before any write."""
    found = {row[0] for row in db.execute(_LIVE[target], [_ids(ids)])}
    missing = next((i for i in ids if i not in found), None)
    if missing is not None:
        raise NotFoundError(f"no {target} with id {missing}")


def count_flagged(db: Database, story_ids: Sequence[int], flag: StoryFlag) -> int:
    """How many of the live stories have ``flag`` set."""
    row = db.execute(
        f"SELECT COUNT(*) FROM stories WHERE id IN ({_IDS})"
        f" AND deleted_at IS NULL AND {_FLAG_COLUMNS[flag]} = 1",
        [_ids(story_ids)],
    ).fetchone()
    return int(row[0])


def set_flag(db: Database, story_ids: Sequence[int], flag: StoryFlag, value: bool) -> list[int]:
    """Set ``flag`` on every story; returns the ids whose flag it changed (the others had it
    already), which is what an undo flips back."""
    require_all(db, "story", story_ids)
    column = _FLAG_COLUMNS[flag]
    differ = {
        row[0]
        for row in db.execute(
            f"SELECT id FROM stories WHERE id IN ({_IDS}) AND {column} != ?",
            [_ids(story_ids), int(value)],
        )
    }
    changed = [i for i in dict.fromkeys(story_ids) if i in differ]
    db.execute(
        f"UPDATE stories SET {column} = ?, updated = ? WHERE id IN ({_IDS})",
        [int(value), now(), json.dumps(changed)],
    )
    return changed


def delete_stories(db: Database, story_ids: Sequence[int]) -> list[int]:
    """Soft-delete every story (all must be live); returns their ids, for the undo."""
    require_all(db, "story", story_ids)
    ids = _ids(story_ids)
    db.execute(f"UPDATE stories SET deleted_at = ? WHERE id IN ({_IDS})", [now(), ids])
    return list(json.loads(ids))


def undelete_stories(db: Database, story_ids: Sequence[int]) -> None:
    found = db.execute(
        f"UPDATE stories SET deleted_at = NULL WHERE id IN ({_IDS}) AND deleted_at IS NOT NULL",
        [_ids(story_ids)],
    )
    if found.rowcount != len(set(story_ids)):
        raise NotFoundError("some of the stories to restore are not deleted any more")


def link_tags(db: Database, target: Target, ids: Sequence[int], names: Iterable[str]) -> TagLinks:
    """Give every item the tags; returns, per tag, the items that did not carry it yet."""
    require_all(db, target, ids)
    table, column = _LINKS[target]
    added: TagLinks = {}
    for name in tags.normalize(names):
        db.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name])
        tag_id = db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]
        new = [
            int(row[0])
            for row in db.execute(
                f"SELECT value FROM json_each(?) WHERE value NOT IN"
                f" (SELECT {column} FROM {table} WHERE tag_id = ?)",
                [_ids(ids), tag_id],
            )
        ]
        db.execute(
            f"INSERT INTO {table} ({column}, tag_id) SELECT value, ? FROM json_each(?)",
            [tag_id, json.dumps(new)],
        )
        if new:
            added[name] = new
    return added


def unlink_tags(db: Database, target: Target, links: Mapping[str, Sequence[int]]) -> None:
    """Take each tag off the items listed for it (what :func:`link_tags` added)."""
    table, column = _LINKS[target]
    for name, ids in links.items():
        db.execute(
            f"DELETE FROM {table} WHERE {column} IN ({_IDS})"
            " AND tag_id = (SELECT id FROM tags WHERE name = ?)",
            [_ids(ids), name],
        )
    tags.prune(db)


def recolor(db: Database, colors: Mapping[int, Color]) -> dict[int, Color]:
    """Give each highlight its colour; returns the colours they had (all must exist)."""
    require_all(db, "highlight", list(colors))
    before = {
        int(row[0]): Color(row[1])
        for row in db.execute(
            f"SELECT id, color FROM highlights WHERE id IN ({_IDS})", [_ids(colors)]
        )
    }
    stamp = now()
    for color in set(colors.values()):
        ids = [i for i, c in colors.items() if c == color and before[i] != color]
        db.execute(
            f"UPDATE highlights SET color = ?, updated = ? WHERE id IN ({_IDS})",
            [color.value, stamp, json.dumps(ids)],
        )
    return before
