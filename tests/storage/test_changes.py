"""The change queue: what each write enqueues, atomicity, and the documents the indexer reads."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader._protocols import Change, IndexDocument
from reader._storage import Store
from reader.model import Color, Section

from .factories import FETCHED, add, parsed, run_sql

PUBLISHED = datetime(2024, 4, 30, 8, 0, tzinfo=UTC)


def drain(store: Store) -> list[tuple[str, int]]:
    """The pending changes as (kind, id), acknowledged so the next write starts clean."""
    pending = store.pending_changes(1000)
    if pending:
        store.acknowledge(pending[-1].seq)
    return [(change.kind, change.item_id) for change in pending]


def test_story_writes_enqueue_the_story(store: Store) -> None:
    story_id = add(store)
    assert drain(store) == [("story", story_id)]

    store.set_flags(story_id, read=True)
    assert drain(store) == [("story", story_id)]
    store.set_flags(story_id)
    assert drain(store) == []

    store.tag_story(story_id, ["rates"])
    assert drain(store) == [("story", story_id)]
    store.untag_story(story_id, ["rates"])
    assert drain(store) == [("story", story_id)]


def test_annotation_writes_enqueue_the_annotation(store: Store) -> None:
    story_id = add(store)
    drain(store)

    highlight = store.add_highlight(
        story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    assert drain(store) == [("highlight", highlight.id)]
    store.update_highlight(highlight.id, note="why")
    assert drain(store) == [("highlight", highlight.id)]
    store.tag_highlight(highlight.id, ["quote"])
    assert drain(store) == [("highlight", highlight.id)]
    store.untag_highlight(highlight.id, ["quote"])
    assert drain(store) == [("highlight", highlight.id)]
    deleted = store.delete_highlight(highlight.id)
    assert drain(store) == [("highlight", highlight.id)]
    store.restore_highlight(deleted)
    assert drain(store) == [("highlight", highlight.id)]

    note = store.add_note(story_id, "Body")
    assert drain(store) == [("note", note.id)]
    store.update_note(note.id, "Edited")
    assert drain(store) == [("note", note.id)]
    deleted_note = store.delete_note(note.id)
    assert drain(store) == [("note", note.id)]
    store.restore_note(deleted_note)
    assert drain(store) == [("note", note.id)]


def test_story_deletion_and_renaming_enqueue_its_annotations(store: Store) -> None:
    story_id = add(store, "Draft", source="The Ledger")
    highlight = store.add_highlight(
        story_id, start=0, end=5, quote="Draft", prefix="", suffix="", color=Color.BLUE
    )
    note = store.add_note(story_id, "Body")
    tree = [("story", story_id), ("highlight", highlight.id), ("note", note.id)]
    drain(store)

    store.delete_story(story_id)
    assert drain(store) == tree
    store.undelete_story(story_id)
    assert drain(store) == tree

    def update(title: str, source: str) -> None:
        store.update_story(
            story_id,
            parsed(title, source=source),
            text=f"{title} text",
            content_hash=title,
            origin=None,
            fetched=FETCHED,
        )

    update("Draft", "The Ledger")
    assert drain(store) == [("story", story_id)]
    update("Final", "The Ledger")
    assert drain(store) == tree
    update("Final", "Wire")
    assert drain(store) == tree

    store.delete_story(story_id)
    drain(store)
    store.purge_deleted()
    assert drain(store) == []


def test_reads_enqueue_nothing(store: Store) -> None:
    story_id = add(store)
    drain(store)
    store.get_story(story_id)
    store.story_ids()
    store.summaries([story_id])
    store.highlights_for(story_id)
    store.tags()
    store.documents_for([Change(1, "story", story_id)])
    list(store.all_documents(10))
    assert store.pending_count() == 0


def test_failed_write_leaves_no_change_row(store: Store, path: Path) -> None:
    story_id = add(store)
    store.add_highlight(
        story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    store.add_note(story_id, "Body")
    drain(store)
    # Fails on the last change delete_story enqueues, after the story and highlight rows.
    run_sql(
        path,
        "CREATE TRIGGER fail_note_change AFTER INSERT ON changes WHEN NEW.kind = 'note'"
        " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )

    with pytest.raises(sqlite3.IntegrityError, match="simulated failure"):
        store.delete_story(story_id)

    assert store.pending_count() == 0
    assert store.get_story(story_id).id == story_id


def test_failed_write_leaves_no_data_without_its_change(store: Store, path: Path) -> None:
    run_sql(
        path,
        "CREATE TRIGGER fail_change AFTER INSERT ON changes"
        " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )
    with pytest.raises(sqlite3.IntegrityError, match="simulated failure"):
        add(store)
    assert store.story_ids() == []
    assert store.sources() == []


def test_nested_transaction_rolls_back_only_the_inner_block(store: Store) -> None:
    with store.transaction():
        kept = add(store, "Kept")
        with pytest.raises(RuntimeError), store.transaction():
            add(store, "Dropped")
            raise RuntimeError("undo the inner block")
    assert store.story_ids() == [kept]
    assert drain(store) == [("story", kept)]


def test_failed_outer_transaction_keeps_nothing(store: Store) -> None:
    with pytest.raises(KeyboardInterrupt), store.transaction():
        add(store, "First")
        add(store, "Second")
        raise KeyboardInterrupt
    assert store.story_ids() == []
    assert store.pending_count() == 0


def test_pending_changes_and_acknowledge(store: Store) -> None:
    ids = [add(store, f"Story {n}") for n in range(5)]
    assert store.pending_count() == 5

    first_two = store.pending_changes(2)
    assert [change.item_id for change in first_two] == ids[:2]
    assert first_two[0].seq < first_two[1].seq

    store.acknowledge(first_two[-1].seq)
    assert store.pending_count() == 3
    assert [change.item_id for change in store.pending_changes(10)] == ids[2:]
    store.acknowledge(first_two[-1].seq)
    assert store.pending_count() == 3


def _populated(store: Store) -> tuple[int, int, int]:
    story_id = store.add_story(
        parsed(
            "Rates hold steady",
            sections=(
                Section(None, ("Lead.",)),
                Section("Why it matters:", ("Costs.",)),
                Section("The big picture:", (), ("Bullet",)),
            ),
            source="The Ledger",
            published=PUBLISHED,
        ),
        text="Lead.\nWhy it matters: Costs.",
        content_hash="h",
        origin=None,
        fetched=FETCHED,
    )
    store.tag_story(story_id, ["rates", "Economy"])
    highlight = store.add_highlight(
        story_id, start=0, end=5, quote="Lead.", prefix="", suffix="", color=Color.PINK, note="Key"
    )
    store.tag_highlight(highlight.id, ["quote"])
    note = store.add_note(story_id, "Ask about the minutes")
    return story_id, highlight.id, note.id


def test_documents_for_each_kind(store: Store) -> None:
    story_id, highlight_id, note_id = _populated(store)

    documents = store.documents_for(store.pending_changes(100))

    assert set(documents) == {("story", story_id), ("highlight", highlight_id), ("note", note_id)}
    assert documents[("story", story_id)] == IndexDocument(
        kind="story",
        item_id=story_id,
        story_id=story_id,
        title="Rates hold steady",
        body="Lead.\nWhy it matters: Costs.",
        source="The Ledger",
        labels="Why it matters: The big picture:",
        tags=("Economy", "rates"),
        published=PUBLISHED,
        fetched=FETCHED,
    )
    assert documents[("highlight", highlight_id)] == IndexDocument(
        kind="highlight",
        item_id=highlight_id,
        story_id=story_id,
        title="Rates hold steady",
        body="Lead.\nKey",
        source="The Ledger",
        tags=("quote",),
        color="pink",
        published=PUBLISHED,
        fetched=FETCHED,
    )
    assert documents[("note", note_id)] == IndexDocument(
        kind="note",
        item_id=note_id,
        story_id=story_id,
        title="Rates hold steady",
        body="Ask about the minutes",
        source="The Ledger",
        published=PUBLISHED,
        fetched=FETCHED,
    )
    assert documents[("highlight", highlight_id)].doc_id == f"highlight:{highlight_id}"


def test_highlight_without_note_is_just_its_quote(store: Store) -> None:
    story_id = add(store)
    highlight = store.add_highlight(
        story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    documents = store.documents_for([Change(1, "highlight", highlight.id)])
    assert documents[("highlight", highlight.id)].body == "Rates"
    assert documents[("highlight", highlight.id)].source == ""


def test_deleted_items_are_absent_from_documents(store: Store) -> None:
    story_id, highlight_id, note_id = _populated(store)
    other_story = add(store, "Other")
    other_highlight = store.add_highlight(
        other_story, start=0, end=5, quote="Other", prefix="", suffix="", color=Color.BLUE
    )
    other_note = store.add_note(other_story, "Other note")
    store.delete_story(story_id)
    store.delete_highlight(other_highlight.id)
    store.delete_note(other_note.id)

    documents = store.documents_for([*store.pending_changes(100), Change(999, "story", 999)])

    assert set(documents) == {("story", other_story)}
    assert {(change.kind, change.item_id) for change in store.pending_changes(100)} >= {
        ("story", story_id),
        ("highlight", highlight_id),
        ("note", note_id),
    }


def test_all_documents_in_batches_without_deleted(store: Store) -> None:
    story_ids = [add(store, f"Story {n}") for n in range(5)]
    for story_id in story_ids[:3]:
        store.add_highlight(
            story_id, start=0, end=5, quote="Story", prefix="", suffix="", color=Color.BLUE
        )
    store.add_note(story_ids[4], "Note")
    store.delete_story(story_ids[0])

    batches = store.all_documents(2)

    # 4 live stories, 2 live highlights, 1 note: batches never mix kinds.
    assert len(batches) == 2 + 1 + 1
    assert [len(batch) for batch in batches] == [2, 2, 2, 1]
    assert [document.kind for document in batches[2]] == ["highlight", "highlight"]
    doc_ids = [document.doc_id for batch in batches for document in batch]
    assert len(doc_ids) == len(set(doc_ids)) == 7
    assert all(document.story_id != story_ids[0] for batch in batches for document in batch)
    assert set(doc_ids) == store.document_ids()
    assert batches[-1] == batches[3]
    assert batches[1:3] == [batches[1], batches[2]]


def test_document_batches_stay_disjoint_while_rows_change(store: Store) -> None:
    story_ids = [add(store, f"Story {n}") for n in range(6)]
    batches = store.all_documents(2)
    store.delete_story(story_ids[0])
    store.delete_story(story_ids[1])
    added = add(store, "Added during the rebuild")

    read = [[document.item_id for document in batch] for batch in batches]

    assert read == [[], story_ids[2:4], [*story_ids[4:], added]]


def test_all_documents_rejects_empty_batches(store: Store) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(store.all_documents(0))
