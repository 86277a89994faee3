"""Tag names and the tables linking them to stories and highlights.

Names compare case-insensitively and keep the spelling first used. Callers check that the
tagged item exists; this module only maintains the links (triggers queue the change).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Literal

from sqlite_utils import Database

Target = Literal["story", "highlight"]

_LINK_TABLES: dict[Target, tuple[str, str]] = {
    "story": ("story_tags", "story_id"),
    "highlight": ("highlight_tags", "highlight_id"),
}

# Select-list expressions for a row's tags as a JSON array; they expect the story table
# aliased ``s`` and the highlight table ``h``. Decode them with decode().
STORY_TAGS_SQL = (
    "(SELECT json_group_array(t.name) FROM story_tags x"
    " JOIN tags t ON t.id = x.tag_id WHERE x.story_id = s.id)"
)
HIGHLIGHT_TAGS_SQL = (
    "(SELECT json_group_array(t.name) FROM highlight_tags x"
    " JOIN tags t ON t.id = x.tag_id WHERE x.highlight_id = h.id)"
)


def decode(value: str) -> tuple[str, ...]:
    names: list[str] = json.loads(value)
    return tuple(sorted(names, key=str.casefold))


def normalize(names: Iterable[str]) -> list[str]:
    """Strip the names and drop case-insensitive repeats; an empty name is a caller's bug."""
    result: dict[str, str] = {}
    for raw in names:
        name = raw.strip()
        if not name:
            raise ValueError(f"empty tag name: {raw!r}")
        result.setdefault(name.casefold(), name)
    return list(result.values())


def link(db: Database, target: Target, item_id: int, names: Iterable[str]) -> None:
    table, column = _LINK_TABLES[target]
    for name in normalize(names):
        db.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name])
        db.execute(
            f"INSERT OR IGNORE INTO {table} ({column}, tag_id)"
            " SELECT ?, id FROM tags WHERE name = ?",
            [item_id, name],
        )


def unlink(db: Database, target: Target, item_id: int, names: Iterable[str]) -> None:
    table, column = _LINK_TABLES[target]
    for name in normalize(names):
        db.execute(
            f"DELETE FROM {table}"
            f" WHERE {column} = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
            [item_id, name],
        )
    prune(db)


def prune(db: Database) -> None:
    """Forget names nothing carries any more, so they stop being offered for completion."""
    db.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM story_tags)"
        " AND id NOT IN (SELECT tag_id FROM highlight_tags)"
    )


def counts(db: Database) -> list[tuple[str, int]]:
    """Each tag with how many live stories and highlights carry it, by name."""
    rows = db.execute(
        """
        SELECT name, n FROM (
            SELECT t.name AS name,
                (SELECT COUNT(*) FROM story_tags x JOIN stories s ON s.id = x.story_id
                 WHERE x.tag_id = t.id AND s.deleted_at IS NULL)
              + (SELECT COUNT(*) FROM highlight_tags x
                 JOIN highlights h ON h.id = x.highlight_id
                 JOIN stories s ON s.id = h.story_id
                 WHERE x.tag_id = t.id AND s.deleted_at IS NULL) AS n
            FROM tags t
        )
        WHERE n > 0
        ORDER BY name COLLATE NOCASE
        """
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]


def names_by_use(db: Database, prefix: str = "") -> list[str]:
    """Names starting with ``prefix`` (ignoring case), most used first, for completion."""
    wanted = prefix.strip().casefold()
    used = [(name, n) for name, n in counts(db) if name.casefold().startswith(wanted)]
    return [name for name, _ in sorted(used, key=lambda item: (-item[1], item[0].casefold()))]
