"""Highlights and notes: CRUD, restore under the same id, and what happens with their story."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from reader._storage import Store
from reader.errors import NotFoundError
from reader.model import Color, Highlight

from .factories import add, count_rows


def _highlight(
    store: Store, story_id: int, start: int = 0, color: Color = Color.YELLOW, note: str = ""
) -> Highlight:
    return store.add_highlight(
        story_id,
        start=start,
        end=start + 5,
        quote="Rates",
        prefix="",
        suffix=" hold steady",
        color=color,
        note=note,
    )


def test_highlight_crud(store: Store) -> None:
    story_id = add(store)
    created = _highlight(store, story_id, note="Check the minutes")

    assert created == store.get_highlight(created.id)
    assert (created.start, created.end, created.quote) == (0, 5, "Rates")
    assert (created.prefix, created.suffix) == ("", " hold steady")
    assert created.color is Color.YELLOW
    assert created.note == "Check the minutes"
    assert created.created == created.updated
    assert created.created.tzinfo is not None

    recolored = store.update_highlight(created.id, color=Color.PINK)
    assert (recolored.color, recolored.note) == (Color.PINK, "Check the minutes")
    renoted = store.update_highlight(created.id, note="")
    assert (renoted.color, renoted.note) == (Color.PINK, "")
    assert renoted.updated >= created.updated
    assert store.update_highlight(created.id) == renoted

    deleted = store.delete_highlight(created.id)
    assert deleted == renoted
    with pytest.raises(NotFoundError, match=f"no highlight with id {created.id}"):
        store.get_highlight(created.id)
    with pytest.raises(NotFoundError):
        store.delete_highlight(created.id)


def test_restore_highlight_keeps_id_dates_and_tags(store: Store) -> None:
    story_id = add(store)
    highlight = _highlight(store, story_id, color=Color.BLUE, note="why")
    store.tag_highlight(highlight.id, ["Evidence"])
    deleted = store.delete_highlight(highlight.id)
    later = _highlight(store, story_id, start=20)

    restored = store.restore_highlight(deleted)

    assert restored == deleted
    assert restored.tags == ("Evidence",)
    assert later.id != highlight.id
    assert [h.id for h in store.highlights_for(story_id)] == [highlight.id, later.id]
    with pytest.raises(sqlite3.IntegrityError):
        store.restore_highlight(deleted)


def test_highlights_for_orders_by_position(store: Store) -> None:
    story_id = add(store)
    other = add(store, "Other story")
    late = _highlight(store, story_id, start=30)
    early = _highlight(store, story_id, start=2)
    _highlight(store, other)

    assert [h.id for h in store.highlights_for(story_id)] == [early.id, late.id]
    assert store.highlights_for(999) == []


def test_all_highlights_newest_first_with_filters(store: Store) -> None:
    ledger_story = add(store, "Ledger story", source="The Ledger")
    wire_story = add(store, "Wire story", source="Wire")
    first = _highlight(store, ledger_story, color=Color.GREEN)
    second = _highlight(store, wire_story, color=Color.GREEN)
    third = _highlight(store, ledger_story, start=10, color=Color.PURPLE)
    store.tag_highlight(first.id, ["Quote"])
    ledger = next(source.id for source, _ in store.sources() if source.name == "The Ledger")

    def ids(highlights: list[Highlight]) -> list[int]:
        return [h.id for h in highlights]

    assert ids(store.all_highlights()) == [third.id, second.id, first.id]
    assert ids(store.all_highlights(limit=2)) == [third.id, second.id]
    assert ids(store.all_highlights(color=Color.GREEN)) == [second.id, first.id]
    assert ids(store.all_highlights(tag="quote")) == [first.id]
    assert ids(store.all_highlights(source_id=ledger)) == [third.id, first.id]
    assert ids(store.all_highlights(source_id=ledger, color=Color.GREEN, tag="QUOTE")) == [first.id]
    assert ids(store.all_highlights(limit=2, offset=2)) == [first.id]
    assert ids(store.all_highlights(offset=1)) == [second.id, first.id]
    assert ids(store.all_highlights(status="anchored")) == [third.id, second.id, first.id]
    assert store.all_highlights(status="orphan") == []


def test_annotations_of_a_deleted_story_are_hidden_then_purged(store: Store, path: Path) -> None:
    story_id = add(store)
    highlight = _highlight(store, story_id)
    store.tag_highlight(highlight.id, ["gone-soon"])
    note = store.add_note(story_id, "Follow up")

    store.delete_story(story_id)

    assert store.highlights_for(story_id) == []
    assert store.notes_for(story_id) == []
    assert store.all_highlights() == []
    with pytest.raises(NotFoundError):
        store.get_highlight(highlight.id)
    with pytest.raises(NotFoundError):
        store.add_note(story_id, "Too late")

    store.undelete_story(story_id)
    assert store.highlights_for(story_id) == [replace(highlight, tags=("gone-soon",))]
    assert store.notes_for(story_id) == [note]

    store.delete_story(story_id)
    store.purge_deleted()
    for table in ("stories", "highlights", "notes", "highlight_tags", "tags"):
        assert count_rows(path, table) == 0, table
    with pytest.raises(NotFoundError):
        store.restore_highlight(highlight)
    with pytest.raises(NotFoundError):
        store.restore_note(note)
    assert store.tags() == []
    assert store.integrity_check() == []


def test_note_crud_and_restore(store: Store) -> None:
    story_id = add(store)
    first = store.add_note(story_id, "# Thoughts\n\nRates *hold*.")
    second = store.add_note(story_id, "Second")

    assert store.get_note(first.id) == first
    assert first.body == "# Thoughts\n\nRates *hold*."
    assert store.notes_for(story_id) == [first, second]

    edited = store.update_note(first.id, "Edited")
    assert (edited.id, edited.body, edited.created) == (first.id, "Edited", first.created)

    deleted = store.delete_note(first.id)
    assert deleted == edited
    assert store.notes_for(story_id) == [second]
    with pytest.raises(NotFoundError):
        store.get_note(first.id)

    assert store.restore_note(deleted) == deleted
    assert store.notes_for(story_id) == [deleted, second]
