"""Highlights and notes: CRUD, restore under the same id, and what happens with their story."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import schema, stories
from reader._storage import tags as tagging
from reader.errors import NotFoundError
from reader.model import AnchorStatus, Color, Highlight

from .factories import add, count_rows


def _highlight(
    db: Database, story_id: int, start: int = 0, color: Color = Color.YELLOW, note: str = ""
) -> Highlight:
    return highlights_and_notes.add_highlight(
        db,
        story_id,
        start=start,
        end=start + 5,
        quote="Rates",
        prefix="",
        suffix=" hold steady",
        color=color,
        note=note,
    )


def test_highlight_crud(db: Database) -> None:
    story_id = add(db)
    created = _highlight(db, story_id, note="Check the minutes")

    assert created == highlights_and_notes.get_highlight(db, created.id)
    assert (created.start, created.end, created.quote) == (0, 5, "Rates")
    assert (created.prefix, created.suffix) == ("", " hold steady")
    assert created.color is Color.YELLOW
    assert created.note == "Check the minutes"
    assert created.created == created.updated
    assert created.created.tzinfo is not None

    recolored = highlights_and_notes.update_highlight(db, created.id, color=Color.PINK)
    assert (recolored.color, recolored.note) == (Color.PINK, "Check the minutes")
    renoted = highlights_and_notes.update_highlight(db, created.id, note="")
    assert (renoted.color, renoted.note) == (Color.PINK, "")
    assert renoted.updated >= created.updated
    assert highlights_and_notes.update_highlight(db, created.id) == renoted

    deleted = highlights_and_notes.delete_highlight(db, created.id)
    assert deleted == renoted
    with pytest.raises(NotFoundError, match=f"no highlight with id {created.id}"):
        highlights_and_notes.get_highlight(db, created.id)
    with pytest.raises(NotFoundError):
        highlights_and_notes.delete_highlight(db, created.id)


def test_restore_highlight_keeps_id_dates_and_tags(db: Database) -> None:
    story_id = add(db)
    highlight = _highlight(db, story_id, color=Color.BLUE, note="why")
    highlights_and_notes.tag_highlight(db, highlight.id, ["Evidence"])
    deleted = highlights_and_notes.delete_highlight(db, highlight.id)
    later = _highlight(db, story_id, start=20)

    restored = highlights_and_notes.restore_highlight(db, deleted)

    assert restored == deleted
    assert restored.tags == ("Evidence",)
    assert later.id != highlight.id
    assert [h.id for h in highlights_and_notes.highlights_for(db, story_id)] == [
        highlight.id,
        later.id,
    ]
    with pytest.raises(sqlite3.IntegrityError):
        highlights_and_notes.restore_highlight(db, deleted)


def test_highlights_for_orders_by_position(db: Database) -> None:
    story_id = add(db)
    other = add(db, "Other story")
    late = _highlight(db, story_id, start=30)
    early = _highlight(db, story_id, start=2)
    _highlight(db, other)

    assert [h.id for h in highlights_and_notes.highlights_for(db, story_id)] == [early.id, late.id]
    assert highlights_and_notes.highlights_for(db, 999) == []


def test_all_highlights_newest_first_with_filters(db: Database) -> None:
    ledger_story = add(db, "Ledger story", source="The Ledger")
    wire_story = add(db, "Wire story", source="Wire")
    first = _highlight(db, ledger_story, color=Color.GREEN)
    second = _highlight(db, wire_story, color=Color.GREEN)
    third = _highlight(db, ledger_story, start=10, color=Color.PURPLE)
    highlights_and_notes.tag_highlight(db, first.id, ["Quote"])
    ledger = next(source.id for source, _ in stories.sources(db) if source.name == "The Ledger")

    def ids(highlights: list[Highlight]) -> list[int]:
        return [h.id for h in highlights]

    assert ids(highlights_and_notes.all_highlights(db)) == [third.id, second.id, first.id]
    assert ids(highlights_and_notes.all_highlights(db, limit=2)) == [third.id, second.id]
    assert ids(highlights_and_notes.all_highlights(db, color=Color.GREEN)) == [second.id, first.id]
    assert ids(highlights_and_notes.all_highlights(db, tag="quote")) == [first.id]
    assert ids(highlights_and_notes.all_highlights(db, source_id=ledger)) == [third.id, first.id]
    assert ids(
        highlights_and_notes.all_highlights(db, source_id=ledger, color=Color.GREEN, tag="QUOTE")
    ) == [first.id]
    assert ids(highlights_and_notes.all_highlights(db, limit=2, offset=2)) == [first.id]
    assert ids(highlights_and_notes.all_highlights(db, offset=1)) == [second.id, first.id]
    assert ids(highlights_and_notes.all_highlights(db, status=AnchorStatus.ANCHORED)) == [
        third.id,
        second.id,
        first.id,
    ]
    assert highlights_and_notes.all_highlights(db, status=AnchorStatus.ORPHAN) == []


def test_annotations_of_a_deleted_story_are_hidden_then_purged(db: Database, path: Path) -> None:
    story_id = add(db)
    highlight = _highlight(db, story_id)
    highlights_and_notes.tag_highlight(db, highlight.id, ["gone-soon"])
    note = highlights_and_notes.add_note(db, story_id, "Follow up")

    stories.delete_story(db, story_id)

    assert highlights_and_notes.highlights_for(db, story_id) == []
    assert highlights_and_notes.notes_for(db, story_id) == []
    assert highlights_and_notes.all_highlights(db) == []
    with pytest.raises(NotFoundError):
        highlights_and_notes.get_highlight(db, highlight.id)
    with pytest.raises(NotFoundError):
        highlights_and_notes.add_note(db, story_id, "Too late")

    stories.undelete_story(db, story_id)
    assert highlights_and_notes.highlights_for(db, story_id) == [
        replace(highlight, tags=("gone-soon",))
    ]
    assert highlights_and_notes.notes_for(db, story_id) == [note]

    stories.delete_story(db, story_id)
    stories.purge_deleted(db)
    for table in ("stories", "highlights", "notes", "highlight_tags", "tags"):
        assert count_rows(path, table) == 0, table
    with pytest.raises(NotFoundError):
        highlights_and_notes.restore_highlight(db, highlight)
    with pytest.raises(NotFoundError):
        highlights_and_notes.restore_note(db, note)
    assert tagging.counts(db) == []
    assert schema.integrity_problems(db) == []


def test_note_crud_and_restore(db: Database) -> None:
    story_id = add(db)
    first = highlights_and_notes.add_note(db, story_id, "# Thoughts\n\nRates *hold*.")
    second = highlights_and_notes.add_note(db, story_id, "Second")

    assert highlights_and_notes.get_note(db, first.id) == first
    assert first.body == "# Thoughts\n\nRates *hold*."
    assert highlights_and_notes.notes_for(db, story_id) == [first, second]

    edited = highlights_and_notes.update_note(db, first.id, "Edited")
    assert (edited.id, edited.body, edited.created) == (first.id, "Edited", first.created)

    deleted = highlights_and_notes.delete_note(db, first.id)
    assert deleted == edited
    assert highlights_and_notes.notes_for(db, story_id) == [second]
    with pytest.raises(NotFoundError):
        highlights_and_notes.get_note(db, first.id)

    assert highlights_and_notes.restore_note(db, deleted) == deleted
    assert highlights_and_notes.notes_for(db, story_id) == [deleted, second]
