"""Tag names and the tables linking them to stories and highlights, their counts by kind, and
renaming one (into another: a merge) and undoing that.

Names compare case-insensitively and keep the spelling first used. Callers check that the
tagged item exists; this module only maintains the links (triggers queue the change).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Literal

from sqlite_utils import Database

from reader.errors import NotFoundError, TagError
from reader.model import TagRename, TagUse

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


def uses(db: Database) -> list[TagUse]:
    """Each tag carried by a live story or one of its highlights, with both counts, by name."""
    rows = db.execute(
        """
        SELECT name, stories, highlights FROM (
            SELECT t.name AS name,
                (SELECT COUNT(*) FROM story_tags x JOIN stories s ON s.id = x.story_id
                 WHERE x.tag_id = t.id AND s.deleted_at IS NULL) AS stories,
                (SELECT COUNT(*) FROM highlight_tags x
                 JOIN highlights h ON h.id = x.highlight_id
                 JOIN stories s ON s.id = h.story_id
                 WHERE x.tag_id = t.id AND s.deleted_at IS NULL) AS highlights
            FROM tags t
        )
        WHERE stories + highlights > 0
        ORDER BY name COLLATE NOCASE
        """
    ).fetchall()
    return [TagUse(str(name), int(n), int(m)) for name, n, m in rows]


def counts(db: Database) -> list[tuple[str, int]]:
    """Each tag with how many live stories and highlights carry it, by name."""
    return [(use.name, use.stories + use.highlights) for use in uses(db)]


def rename(db: Database, old: str, new: str) -> TagRename:
    """Rename the tag ``old`` to ``new`` on every story and highlight; when ``new`` exists
    already the two become one (a merge, spelled as ``new`` was). A change of case only
    respells the tag."""
    name = " ".join(new.split())
    if not name:
        raise TagError("a tag needs a name")
    source = _tag(db, old)
    if source is None:
        raise NotFoundError(f"no tag named {old.strip()!r}")
    source_id, source_name = source
    story_ids = _linked(db, "story", source_id)
    highlight_ids = _linked(db, "highlight", source_id)
    target = _tag(db, name)
    if target is None or target[0] == source_id:
        db.execute("UPDATE tags SET name = ? WHERE id = ?", [name, source_id])
        return TagRename(source_name, name, False, story_ids, highlight_ids)
    target_id, target_name = target
    had_new = {t: set(_linked(db, t, target_id)) for t in _LINK_TABLES}
    for table, column in _LINK_TABLES.values():
        db.execute(
            f"INSERT OR IGNORE INTO {table} ({column}, tag_id)"
            f" SELECT {column}, ? FROM {table} WHERE tag_id = ?",
            [target_id, source_id],
        )
        db.execute(f"DELETE FROM {table} WHERE tag_id = ?", [source_id])
    db.execute("DELETE FROM tags WHERE id = ?", [source_id])
    return TagRename(
        source_name,
        target_name,
        True,
        story_ids,
        highlight_ids,
        tuple(i for i in story_ids if i in had_new["story"]),
        tuple(i for i in highlight_ids if i in had_new["highlight"]),
    )


def undo_rename(db: Database, done: TagRename) -> None:
    """Put back what :func:`rename` did: the old name on the items that had it, and the new
    one taken off those that had only the old."""
    if not done.merged:
        target = _tag(db, done.new)
        if target is not None:
            db.execute("UPDATE tags SET name = ? WHERE id = ?", [done.old, target[0]])
        return
    for item_id in done.story_ids:
        link(db, "story", item_id, [done.old])
    for item_id in done.highlight_ids:
        link(db, "highlight", item_id, [done.old])
    undone: tuple[tuple[Target, tuple[int, ...], tuple[int, ...]], ...] = (
        ("story", done.story_ids, done.stories_had_new),
        ("highlight", done.highlight_ids, done.highlights_had_new),
    )
    for kind, ids, kept in undone:
        for item_id in sorted(set(ids) - set(kept)):
            unlink(db, kind, item_id, [done.new])


def _tag(db: Database, name: str) -> tuple[int, str] | None:
    row = db.execute("SELECT id, name FROM tags WHERE name = ?", [name.strip()]).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _linked(db: Database, target: Target, tag_id: int) -> tuple[int, ...]:
    table, column = _LINK_TABLES[target]
    rows = db.execute(
        f"SELECT {column} FROM {table} WHERE tag_id = ? ORDER BY {column}", [tag_id]
    ).fetchall()
    return tuple(int(row[0]) for row in rows)


def names_by_use(db: Database, prefix: str = "") -> list[str]:
    """Names starting with ``prefix`` (ignoring case), most used first, for completion."""
    wanted = prefix.strip().casefold()
    used = [(name, n) for name, n in counts(db) if name.casefold().startswith(wanted)]
    return [name for name, _ in sorted(used, key=lambda item: (-item[1], item[0].casefold()))]
