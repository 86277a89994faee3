"""Saved searches: a query kept under a name (unique, case-insensitive), with when it was last
opened and the highest story, highlight and note id at that moment, the marks above which a
match counts as new. Ids come from AUTOINCREMENT and never go back, so "arrived since" needs
no date on the rows the index holds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from reader._storage.db import decode_time, insert, now
from reader.errors import SavedSearchError, SavedSearchNotFoundError
from reader.model import SavedSearch

MAX_NAME = 60

_COLUMNS = "id, name, query, filters, created, seen_at"


@dataclass(frozen=True, slots=True)
class SeenMarks:
    """The highest story, highlight and note id when a saved search was last opened."""

    story: int = 0
    highlight: int = 0
    note: int = 0


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A saved search as an export carries it: no dates, no marks (the archive it is imported
    into has ids of its own)."""

    name: str
    query: str
    filters: dict[str, object] | None = None


def check_name(name: str) -> str:
    """The name with its spaces collapsed; SavedSearchError if it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise SavedSearchError("a saved search needs a name")
    if len(name) > MAX_NAME:
        raise SavedSearchError(f"a saved search's name has at most {MAX_NAME} characters")
    return name


def current_marks(db: Database) -> SeenMarks:
    """The highest id ever given to a story, a highlight and a note (deleted ones included)."""
    rows = dict(
        db.execute(
            "SELECT name, seq FROM sqlite_sequence WHERE name IN ('stories', 'highlights', 'notes')"
        ).fetchall()
    )
    return SeenMarks(
        int(rows.get("stories", 0)), int(rows.get("highlights", 0)), int(rows.get("notes", 0))
    )


def save(
    db: Database, name: str, query: str, filters: Mapping[str, object] | None = None
) -> SavedSearch:
    """Keep ``query`` under ``name``, seen now: nothing that is already there counts as new."""
    name = check_name(name)
    query = query.strip()
    if not query:
        raise SavedSearchError("a saved search needs a query")
    marks = current_marks(db)
    stamp = now()
    try:
        insert(
            db,
            "saved_searches",
            {
                "name": name,
                "query": query,
                "filters": _encode_filters(filters),
                "created": stamp,
                "seen_at": stamp,
                "seen_story_id": marks.story,
                "seen_highlight_id": marks.highlight,
                "seen_note_id": marks.note,
            },
        )
    except sqlite3.IntegrityError:
        raise SavedSearchError(f"a saved search named {get(db, name).name!r} exists") from None
    return get(db, name)


def get(db: Database, name: str) -> SavedSearch:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM saved_searches WHERE name = ?", [" ".join(name.split())]
    ).fetchone()
    if row is None:
        raise SavedSearchNotFoundError(f"no saved search named {name!r}")
    return _record(row)


def all_searches(db: Database) -> list[tuple[SavedSearch, SeenMarks]]:
    """Every saved search by name, with its marks."""
    rows = db.execute(
        f"SELECT {_COLUMNS}, seen_story_id, seen_highlight_id, seen_note_id"
        " FROM saved_searches ORDER BY name COLLATE NOCASE, id"
    ).fetchall()
    return [(_record(row[:6]), SeenMarks(*row[6:])) for row in rows]


def mark_seen(db: Database, name: str) -> SavedSearch:
    """Opened now: what matches so far is no longer new."""
    search = get(db, name)
    marks = current_marks(db)
    db.execute(
        "UPDATE saved_searches SET seen_at = ?, seen_story_id = ?, seen_highlight_id = ?,"
        " seen_note_id = ? WHERE id = ?",
        [now(), marks.story, marks.highlight, marks.note, search.id],
    )
    return get(db, search.name)


def rename(db: Database, name: str, new_name: str) -> SavedSearch:
    search = get(db, name)
    new_name = check_name(new_name)
    try:
        db.execute("UPDATE saved_searches SET name = ? WHERE id = ?", [new_name, search.id])
    except sqlite3.IntegrityError:
        taken = get(db, new_name).name
        raise SavedSearchError(f"a saved search named {taken!r} exists") from None
    return get(db, new_name)


def delete(db: Database, name: str) -> SavedSearch:
    search = get(db, name)
    db.execute("DELETE FROM saved_searches WHERE id = ?", [search.id])
    return search


def queries(db: Database) -> list[SavedQuery]:
    return [SavedQuery(s.name, s.query, s.filters) for s, _marks in all_searches(db)]


def merge(db: Database, incoming: Iterable[SavedQuery]) -> list[str]:
    """Save the incoming searches whose names are free, seen now; returns why any was left
    out. The archive's own saved searches always win."""
    skipped: list[str] = []
    for kept in incoming:
        try:
            mine = get(db, kept.name)
        except SavedSearchNotFoundError:
            try:
                save(db, kept.name, kept.query, kept.filters)
            except SavedSearchError as err:
                skipped.append(f"saved search {kept.name!r} not added: {err}")
            continue
        if mine.query != kept.query.strip():
            skipped.append(
                f"saved search {mine.name!r} stays {mine.query!r} (the import has {kept.query!r})"
            )
    return skipped


def _encode_filters(filters: Mapping[str, object] | None) -> str | None:
    return None if not filters else json.dumps(dict(filters), ensure_ascii=False, sort_keys=True)


def _record(row: Any) -> SavedSearch:
    id_, name, query, filters, created, seen_at = row
    return SavedSearch(
        id=int(id_),
        name=str(name),
        query=str(query),
        created=decode_time(created),
        seen_at=decode_time(seen_at),
        filters=None if filters is None else json.loads(filters),
    )
