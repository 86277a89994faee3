"""Story versions: a changed text becomes the current version (the stories row), the one before
is kept in story_versions, and the story's highlights move onto the new text in the same
transaction. Also the show-time repair of highlights that no longer fit, and reattaching."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from reader._anchoring import (
    ANCHORED,
    CHANGED,
    ORPHAN,
    Placement,
    Selector,
    needs_repair,
    reanchor,
    relocate,
)
from reader._storage.db import decode_time, encode_time, insert, now, update
from reader._storage.stories import decode_sections, encode_sections, require
from reader._storage.text_stats import text_columns
from reader.errors import NotFoundError
from reader.model import AnchorStatus, ParsedStory, StoryVersion, VersionReport

_CONTENT = "version, fetched, title, text, sections, html, content_hash"


def known_hashes(db: Database, story_id: int) -> set[str]:
    """Content hashes of the story's current and earlier versions."""
    rows = db.execute(
        "SELECT content_hash FROM stories WHERE id = ?"
        " UNION SELECT content_hash FROM story_versions WHERE story_id = ?",
        [story_id, story_id],
    ).fetchall()
    return {str(row[0]) for row in rows}


def add_version(
    db: Database,
    story_id: int,
    parsed: ParsedStory,
    *,
    text: str,
    content_hash: str,
    fetched: datetime,
) -> VersionReport:
    """Make ``parsed`` the story's current version, keep the current one as an earlier
    version, and re-anchor the story's highlights on the new text."""
    rows = list(
        db.query(f"SELECT {_CONTENT} FROM stories WHERE id = ? AND deleted_at IS NULL", [story_id])
    )
    if not rows:
        raise NotFoundError(f"no story with id {story_id}")
    current = rows[0]
    insert(db, "story_versions", {"story_id": story_id, **current})
    version = int(current["version"]) + 1
    update(
        db,
        "stories",
        story_id,
        {
            "version": version,
            "fetched": encode_time(fetched),
            "title": parsed.title,
            "text": text,
            "sections": encode_sections(parsed.sections),
            "html": parsed.html,
            "content_hash": content_hash,
            **text_columns(text),
            "updated": now(),
        },
    )
    counts = move_highlights(db, story_id, current["text"], text)
    return VersionReport(
        story_id,
        version,
        parsed.title,
        moved=counts[ANCHORED],
        changed=counts[CHANGED],
        orphaned=counts[ORPHAN],
    )


def move_highlights(
    db: Database, story_id: int, old_text: str, new_text: str
) -> dict[AnchorStatus, int]:
    """Re-anchor every highlight of the story from ``old_text`` onto ``new_text``; returns how
    many ended up anchored, changed and orphaned."""
    rows = _highlight_rows(db, story_id)
    placements = relocate(old_text, new_text, [_selector(row) for row in rows])
    counts = dict.fromkeys((ANCHORED, CHANGED, ORPHAN), 0)
    for row, placement in zip(rows, placements, strict=True):
        _place(db, row, placement)
        counts[placement.status] += 1
    return counts


def unfit_highlights(db: Database, story_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The live story's text, and its highlights that do not fit it as their status says
    (e.g. the canonical text changed between app versions)."""
    row = db.execute(
        "SELECT text FROM stories WHERE id = ? AND deleted_at IS NULL", [story_id]
    ).fetchone()
    if row is None:
        return "", []
    text = str(row[0])
    return text, [
        h
        for h in _highlight_rows(db, story_id)
        if needs_repair(text, h["start"], h["end"], h["quote"], h["status"])
    ]


def repair_highlights(db: Database, story_id: int) -> int:
    """Re-anchor the story's unfit highlights on its text; returns how many were written."""
    text, unfit = unfit_highlights(db, story_id)
    return sum(_place(db, row, reanchor(text, _selector(row))) for row in unfit)


def reattach(db: Database, highlight_id: int, selector: Selector) -> None:
    """Put a highlight on a new selection of its story's current text, anchored there."""
    update(
        db,
        "highlights",
        highlight_id,
        {
            "start": selector.start,
            "end": selector.end,
            "quote": selector.quote,
            "prefix": selector.prefix,
            "suffix": selector.suffix,
            "status": ANCHORED,
            "updated": now(),
        },
    )


def versions_for(db: Database, story_id: int) -> list[StoryVersion]:
    """The live story's earlier versions, oldest first (NotFoundError for no such story)."""
    require(db, story_id)
    rows = db.query(
        f"SELECT story_id, {_CONTENT} FROM story_versions WHERE story_id = ? ORDER BY version",
        [story_id],
    )
    return [version_from_row(row) for row in rows]


def get_version(db: Database, story_id: int, version: int) -> StoryVersion:
    """One version of the live story, the current one included."""
    require(db, story_id)
    for table, column in (("stories", "id"), ("story_versions", "story_id")):
        rows = list(
            db.query(
                f"SELECT {column} AS story_id, {_CONTENT} FROM {table}"
                f" WHERE {column} = ? AND version = ?",
                [story_id, version],
            )
        )
        if rows:
            return version_from_row(rows[0])
    raise NotFoundError(f"story {story_id} has no version {version}")


def _highlight_rows(db: Database, story_id: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            'SELECT id, start, "end", quote, prefix, suffix, status FROM highlights'
            " WHERE story_id = ? ORDER BY id",
            [story_id],
        )
    )


def _selector(row: dict[str, Any]) -> Selector:
    return Selector(row["start"], row["end"], row["quote"], row["prefix"], row["suffix"])


def _place(db: Database, row: dict[str, Any], placement: Placement) -> int:
    """Write a highlight's new place and status if they differ; 1 if written, else 0."""
    if (row["start"], row["end"], row["status"]) == (
        placement.start,
        placement.end,
        placement.status,
    ):
        return 0
    update(
        db,
        "highlights",
        row["id"],
        {"start": placement.start, "end": placement.end, "status": placement.status},
    )
    return 1


def version_from_row(row: dict[str, Any]) -> StoryVersion:
    """A version from a story_versions row (or a stories row with ``id AS story_id``)."""
    return StoryVersion(
        story_id=row["story_id"],
        version=row["version"],
        fetched=decode_time(row["fetched"]),
        title=row["title"],
        text=row["text"],
        sections=decode_sections(row["sections"]),
        html=row["html"],
        content_hash=row["content_hash"],
    )
