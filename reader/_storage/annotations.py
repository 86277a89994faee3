"""Highlights and notes on stories: create, read, update, delete, and restore for undo.

Annotations of a soft-deleted story are hidden along with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from reader._storage import stories, tags
from reader._storage.db import decode_time, encode_time, insert, now, update
from reader.errors import NotFoundError
from reader.model import AnchorStatus, Color, Highlight, Note

_HIGHLIGHTS = f"""
    SELECT h.id, h.story_id, h.start, h."end", h.quote, h.prefix, h.suffix, h.color, h.note,
        h.created, h.updated, h.status, {tags.HIGHLIGHT_TAGS_SQL} AS tags
    FROM highlights h JOIN stories s ON s.id = h.story_id
    WHERE s.deleted_at IS NULL
"""

_NOTES = """
    SELECT n.id, n.story_id, n.body, n.created, n.updated
    FROM notes n JOIN stories s ON s.id = n.story_id
    WHERE s.deleted_at IS NULL
"""


def add_highlight(
    db: Database,
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
    stories.require(db, story_id)
    timestamp = now()
    record = {
        "story_id": story_id,
        "start": start,
        "end": end,
        "quote": quote,
        "prefix": prefix,
        "suffix": suffix,
        "color": color.value,
        "note": note,
        "created": timestamp,
        "updated": timestamp,
    }
    highlight_id = insert(db, "highlights", record)
    return get_highlight(db, highlight_id)


def get_highlight(db: Database, highlight_id: int) -> Highlight:
    found = _highlights(db, "AND h.id = ?", [highlight_id])
    if not found:
        raise NotFoundError(f"no highlight with id {highlight_id}")
    return found[0]


def update_highlight(
    db: Database, highlight_id: int, *, color: Color | None = None, note: str | None = None
) -> Highlight:
    get_highlight(db, highlight_id)
    updates: dict[str, str] = {}
    if color is not None:
        updates["color"] = color.value
    if note is not None:
        updates["note"] = note
    if updates:
        update(db, "highlights", highlight_id, {**updates, "updated": now()})
    return get_highlight(db, highlight_id)


def delete_highlight(db: Database, highlight_id: int) -> Highlight:
    deleted = get_highlight(db, highlight_id)
    db.execute("DELETE FROM highlights WHERE id = ?", [highlight_id])
    return deleted


def restore_highlight(db: Database, highlight: Highlight) -> Highlight:
    """Put back a deleted highlight under its old id, so references to it hold again."""
    stories.require(db, highlight.story_id)
    db.table("highlights").insert(
        {
            "id": highlight.id,
            "story_id": highlight.story_id,
            "start": highlight.start,
            "end": highlight.end,
            "quote": highlight.quote,
            "prefix": highlight.prefix,
            "suffix": highlight.suffix,
            "color": highlight.color.value,
            "note": highlight.note,
            "created": encode_time(highlight.created),
            "updated": encode_time(highlight.updated),
            "status": highlight.status,
        }
    )
    tags.link(db, "highlight", highlight.id, highlight.tags)
    return get_highlight(db, highlight.id)


def highlights_for(db: Database, story_id: int) -> list[Highlight]:
    return _highlights(db, "AND h.story_id = ? ORDER BY h.start, h.id", [story_id])


def all_highlights(
    db: Database,
    *,
    color: Color | None = None,
    tag: str | None = None,
    source_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    status: AnchorStatus | None = None,
) -> list[Highlight]:
    conditions = []
    params: list[object] = []
    if status is not None:
        conditions.append("AND h.status = ?")
        params.append(status)
    if color is not None:
        conditions.append("AND h.color = ?")
        params.append(color.value)
    if tag is not None:
        conditions.append(
            "AND h.id IN (SELECT x.highlight_id FROM highlight_tags x"
            " JOIN tags t ON t.id = x.tag_id WHERE t.name = ?)"
        )
        params.append(tag.strip())
    if source_id is not None:
        conditions.append("AND s.source_id = ?")
        params.append(source_id)
    conditions.append("ORDER BY h.created DESC, h.id DESC")
    if limit is not None or offset:
        conditions.append("LIMIT ? OFFSET ?")
        params.extend([-1 if limit is None else limit, offset])
    return _highlights(db, " ".join(conditions), params)


def tag_highlight(db: Database, highlight_id: int, names: Iterable[str]) -> None:
    get_highlight(db, highlight_id)
    tags.link(db, "highlight", highlight_id, names)


def untag_highlight(db: Database, highlight_id: int, names: Iterable[str]) -> None:
    get_highlight(db, highlight_id)
    tags.unlink(db, "highlight", highlight_id, names)


def add_note(db: Database, story_id: int, body: str) -> Note:
    stories.require(db, story_id)
    timestamp = now()
    record = {"story_id": story_id, "body": body, "created": timestamp, "updated": timestamp}
    note_id = insert(db, "notes", record)
    return get_note(db, note_id)


def get_note(db: Database, note_id: int) -> Note:
    found = _notes(db, "AND n.id = ?", [note_id])
    if not found:
        raise NotFoundError(f"no note with id {note_id}")
    return found[0]


def update_note(db: Database, note_id: int, body: str) -> Note:
    get_note(db, note_id)
    update(db, "notes", note_id, {"body": body, "updated": now()})
    return get_note(db, note_id)


def delete_note(db: Database, note_id: int) -> Note:
    deleted = get_note(db, note_id)
    db.execute("DELETE FROM notes WHERE id = ?", [note_id])
    return deleted


def restore_note(db: Database, note: Note) -> Note:
    """Put back a deleted note under its old id."""
    stories.require(db, note.story_id)
    db.table("notes").insert(
        {
            "id": note.id,
            "story_id": note.story_id,
            "body": note.body,
            "created": encode_time(note.created),
            "updated": encode_time(note.updated),
        }
    )
    return get_note(db, note.id)


def notes_for(db: Database, story_id: int) -> list[Note]:
    return _notes(db, "AND n.story_id = ? ORDER BY n.created, n.id", [story_id])


def highlight_from_row(row: dict[str, Any]) -> Highlight:
    """A highlight from a highlights row with its ``tags`` (as HIGHLIGHT_TAGS_SQL gives them)."""
    return Highlight(
        id=row["id"],
        story_id=row["story_id"],
        start=row["start"],
        end=row["end"],
        quote=row["quote"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        color=Color(row["color"]),
        note=row["note"],
        created=decode_time(row["created"]),
        updated=decode_time(row["updated"]),
        tags=tags.decode(row["tags"]),
        status=AnchorStatus(row["status"]),
    )


def note_from_row(row: dict[str, Any]) -> Note:
    return Note(
        id=row["id"],
        story_id=row["story_id"],
        body=row["body"],
        created=decode_time(row["created"]),
        updated=decode_time(row["updated"]),
    )


def _highlights(db: Database, clauses: str, params: list[object]) -> list[Highlight]:
    return [highlight_from_row(row) for row in db.query(f"{_HIGHLIGHTS} {clauses}", params)]


def _notes(db: Database, clauses: str, params: list[object]) -> list[Note]:
    return [note_from_row(row) for row in db.query(f"{_NOTES} {clauses}", params)]
