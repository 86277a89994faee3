"""The change queue: what each write queues (by trigger), that a change to anything the index
reads queues the documents that show it and nothing else does, atomicity, and the documents the
indexer reads."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._protocols import Change, IndexDocument
from reader._storage import Connection, changes, documents, stories
from reader._storage import annotations as highlights_and_notes
from reader._storage import tags as tagging
from reader.model import Color, ItemKind, Section

from .factories import FETCHED, add, parsed, run_sql

PUBLISHED = datetime(2024, 4, 30, 8, 0, tzinfo=UTC)


def drain(db: Database) -> list[tuple[str, int]]:
    """The pending changes as (kind, id), acknowledged so the next write starts clean."""
    pending = changes.pending(db, 1000)
    if pending:
        changes.acknowledge(db, pending[-1].seq)
    return [(change.kind, change.item_id) for change in pending]


def test_story_writes_enqueue_the_story(db: Database) -> None:
    story_id = add(db)
    assert drain(db) == [("story", story_id)]

    stories.set_flags(db, story_id, read=True, starred=True, archived=True)
    assert drain(db) == [], "the index does not show flags"
    stories.set_flags(db, story_id, read=None, starred=None, archived=None)
    assert drain(db) == []

    stories.tag_story(db, story_id, ["rates"])
    assert drain(db) == [("story", story_id)]
    stories.untag_story(db, story_id, ["rates"])
    assert drain(db) == [("story", story_id)]


def test_annotation_writes_enqueue_the_annotation(db: Database) -> None:
    story_id = add(db)
    drain(db)

    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    assert drain(db) == [("highlight", highlight.id)]
    highlights_and_notes.update_highlight(db, highlight.id, note="why")
    assert drain(db) == [("highlight", highlight.id)]
    highlights_and_notes.tag_highlight(db, highlight.id, ["quote"])
    assert drain(db) == [("highlight", highlight.id)]
    highlights_and_notes.untag_highlight(db, highlight.id, ["quote"])
    assert drain(db) == [("highlight", highlight.id)]
    deleted = highlights_and_notes.delete_highlight(db, highlight.id)
    assert drain(db) == [("highlight", highlight.id)]
    highlights_and_notes.restore_highlight(db, deleted)
    assert drain(db) == [("highlight", highlight.id)]

    note = highlights_and_notes.add_note(db, story_id, "Body")
    assert drain(db) == [("note", note.id)]
    highlights_and_notes.update_note(db, note.id, "Edited")
    assert drain(db) == [("note", note.id)]
    deleted_note = highlights_and_notes.delete_note(db, note.id)
    assert drain(db) == [("note", note.id)]
    highlights_and_notes.restore_note(db, deleted_note)
    assert drain(db) == [("note", note.id)]


def test_story_deletion_and_renaming_enqueue_its_annotations(db: Database) -> None:
    story_id = add(db, "Draft", source="The Ledger")
    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Draft", prefix="", suffix="", color=Color.BLUE
    )
    note = highlights_and_notes.add_note(db, story_id, "Body")
    tree = [("story", story_id), ("highlight", highlight.id), ("note", note.id)]
    drain(db)

    stories.delete_story(db, story_id)
    assert drain(db) == tree
    stories.undelete_story(db, story_id)
    assert drain(db) == tree

    def update(title: str, source: str) -> None:
        stories.update_story(
            db,
            story_id,
            parsed(title, source=source),
            text=f"{title} text",
            content_hash=title,
            origin=None,
            fetched=FETCHED,
        )

    update("Draft", "The Ledger")
    assert drain(db) == [("story", story_id)]
    update("Final", "The Ledger")
    assert drain(db) == tree
    update("Final", "Wire")
    assert drain(db) == tree

    stories.delete_story(db, story_id)
    drain(db)
    stories.purge_deleted(db)
    assert drain(db) == []


def test_reads_enqueue_nothing(conn: Connection, db: Database) -> None:
    story_id = add(db)
    drain(db)
    stories.get_story(db, story_id)
    stories.story_ids(db)
    stories.summaries(db, [story_id])
    highlights_and_notes.highlights_for(db, story_id)
    tagging.counts(db)
    documents.documents_for(db, [Change(1, ItemKind.STORY, story_id)])
    list(documents.DocumentBatches(conn, 10))
    assert changes.pending_count(db) == 0


def test_failed_write_leaves_no_change_row(db: Database, path: Path) -> None:
    story_id = add(db)
    highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    highlights_and_notes.add_note(db, story_id, "Body")
    drain(db)
    # Fails on the last change delete_story enqueues, after the story and highlight rows.
    run_sql(
        path,
        "CREATE TRIGGER fail_note_change AFTER INSERT ON changes WHEN NEW.kind = 'note'"
        " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )

    with pytest.raises(sqlite3.IntegrityError, match="simulated failure"):
        stories.delete_story(db, story_id)

    assert changes.pending_count(db) == 0
    assert stories.get_story(db, story_id).id == story_id


def test_failed_write_leaves_no_data_without_its_change(
    conn: Connection, db: Database, path: Path
) -> None:
    run_sql(
        path,
        "CREATE TRIGGER fail_change AFTER INSERT ON changes"
        " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )
    with pytest.raises(sqlite3.IntegrityError, match="simulated failure"), conn.transaction():
        add(db)
    assert stories.story_ids(db) == []
    assert stories.sources(db) == []


def test_nested_transaction_rolls_back_only_the_inner_block(conn: Connection, db: Database) -> None:
    with conn.transaction():
        kept = add(db, "Kept")
        with pytest.raises(RuntimeError), conn.transaction():
            add(db, "Dropped")
            raise RuntimeError("undo the inner block")
    assert stories.story_ids(db) == [kept]
    assert drain(db) == [("story", kept)]


def test_failed_outer_transaction_keeps_nothing(conn: Connection, db: Database) -> None:
    with pytest.raises(KeyboardInterrupt), conn.transaction():
        add(db, "First")
        add(db, "Second")
        raise KeyboardInterrupt
    assert stories.story_ids(db) == []
    assert changes.pending_count(db) == 0


def test_pending_changes_and_acknowledge(db: Database) -> None:
    ids = [add(db, f"Story {n}") for n in range(5)]
    assert changes.pending_count(db) == 5

    first_two = changes.pending(db, 2)
    assert [change.item_id for change in first_two] == ids[:2]
    assert first_two[0].seq < first_two[1].seq

    changes.acknowledge(db, first_two[-1].seq)
    assert changes.pending_count(db) == 3
    assert [change.item_id for change in changes.pending(db, 10)] == ids[2:]
    changes.acknowledge(db, first_two[-1].seq)
    assert changes.pending_count(db) == 3


def _populated(db: Database) -> tuple[int, int, int]:
    story_id = stories.add_story(
        db,
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
    stories.tag_story(db, story_id, ["rates", "Economy"])
    highlight = highlights_and_notes.add_highlight(
        db,
        story_id,
        start=0,
        end=5,
        quote="Lead.",
        prefix="",
        suffix="",
        color=Color.PINK,
        note="Key",
    )
    highlights_and_notes.tag_highlight(db, highlight.id, ["quote"])
    note = highlights_and_notes.add_note(db, story_id, "Ask about the minutes")
    return story_id, highlight.id, note.id


def test_documents_for_each_kind(db: Database) -> None:
    story_id, highlight_id, note_id = _populated(db)

    docs = documents.documents_for(db, changes.pending(db, 100))

    assert set(docs) == {("story", story_id), ("highlight", highlight_id), ("note", note_id)}
    assert docs[(ItemKind.STORY, story_id)] == IndexDocument(
        kind=ItemKind.STORY,
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
    assert docs[(ItemKind.HIGHLIGHT, highlight_id)] == IndexDocument(
        kind=ItemKind.HIGHLIGHT,
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
    assert docs[(ItemKind.NOTE, note_id)] == IndexDocument(
        kind=ItemKind.NOTE,
        item_id=note_id,
        story_id=story_id,
        title="Rates hold steady",
        body="Ask about the minutes",
        source="The Ledger",
        published=PUBLISHED,
        fetched=FETCHED,
    )
    assert docs[(ItemKind.HIGHLIGHT, highlight_id)].doc_id == f"highlight:{highlight_id}"


def test_highlight_without_note_is_just_its_quote(db: Database) -> None:
    story_id = add(db)
    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    docs = documents.documents_for(db, [Change(1, ItemKind.HIGHLIGHT, highlight.id)])
    assert docs[(ItemKind.HIGHLIGHT, highlight.id)].body == "Rates"
    assert docs[(ItemKind.HIGHLIGHT, highlight.id)].source == ""


def test_deleted_items_are_absent_from_documents(db: Database) -> None:
    story_id, highlight_id, note_id = _populated(db)
    other_story = add(db, "Other")
    other_highlight = highlights_and_notes.add_highlight(
        db, other_story, start=0, end=5, quote="Other", prefix="", suffix="", color=Color.BLUE
    )
    other_note = highlights_and_notes.add_note(db, other_story, "Other note")
    stories.delete_story(db, story_id)
    highlights_and_notes.delete_highlight(db, other_highlight.id)
    highlights_and_notes.delete_note(db, other_note.id)

    docs = documents.documents_for(
        db, [*changes.pending(db, 100), Change(999, ItemKind.STORY, 999)]
    )

    assert set(docs) == {("story", other_story)}
    assert {(change.kind, change.item_id) for change in changes.pending(db, 100)} >= {
        ("story", story_id),
        ("highlight", highlight_id),
        ("note", note_id),
    }


def test_all_documents_in_batches_without_deleted(conn: Connection, db: Database) -> None:
    story_ids = [add(db, f"Story {n}") for n in range(5)]
    for story_id in story_ids[:3]:
        highlights_and_notes.add_highlight(
            db, story_id, start=0, end=5, quote="Story", prefix="", suffix="", color=Color.BLUE
        )
    highlights_and_notes.add_note(db, story_ids[4], "Note")
    stories.delete_story(db, story_ids[0])

    batches = documents.DocumentBatches(conn, 2)

    # 4 live stories, 2 live highlights, 1 note: batches never mix kinds.
    assert len(batches) == 2 + 1 + 1
    assert [len(batch) for batch in batches] == [2, 2, 2, 1]
    assert [document.kind for document in batches[2]] == ["highlight", "highlight"]
    doc_ids = [document.doc_id for batch in batches for document in batch]
    assert len(doc_ids) == len(set(doc_ids)) == 7
    assert all(document.story_id != story_ids[0] for batch in batches for document in batch)
    assert set(doc_ids) == documents.document_ids(db)
    assert batches[-1] == batches[3]
    assert batches[1:3] == [batches[1], batches[2]]


def test_document_batches_stay_disjoint_while_rows_change(conn: Connection, db: Database) -> None:
    story_ids = [add(db, f"Story {n}") for n in range(6)]
    batches = documents.DocumentBatches(conn, 2)
    stories.delete_story(db, story_ids[0])
    stories.delete_story(db, story_ids[1])
    added = add(db, "Added during the rebuild")

    read = [[document.item_id for document in batch] for batch in batches]

    assert read == [[], story_ids[2:4], [*story_ids[4:], added]]


def test_all_documents_rejects_empty_batches(conn: Connection, db: Database) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(documents.DocumentBatches(conn, 0))


# -- every column the index reads queues a change; no other column does --------------------


def _note_read(
    tables: set[str],
    found: set[tuple[str, str]],
    action: int,
    table: str | None,
    column: str | None,
    *_: str | None,
) -> int:
    if action == sqlite3.SQLITE_READ and table in tables and column:
        found.add((table, column))
    return sqlite3.SQLITE_OK


def _columns_read(path: Path) -> dict[ItemKind, set[tuple[str, str]]]:
    """For each kind, the (table, column) pairs SQLite reads to build its documents, as its
    authorizer reports them: derived from the queries in reader._storage.documents, not a
    second list kept by hand. A fresh connection, so no statement comes from a cache."""
    read: dict[ItemKind, set[tuple[str, str]]] = {}
    with closing(sqlite3.connect(path)) as raw:
        tables = {
            row[0] for row in raw.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
        }
        for kind in ItemKind:
            found: set[tuple[str, str]] = set()
            raw.set_authorizer(partial(_note_read, tables, found))
            documents.documents_for(Database(raw), [Change(0, kind, 1)])
            raw.set_authorizer(None)
            read[kind] = found
    return read


def _world(db: Database) -> None:
    """Two stories (the first with a source, a tag, a highlight with a tag and a note; the
    second with a highlight), and a spare source and tag for keys to point at."""
    first = add(db, "First", source="The Ledger", published=PUBLISHED)
    second = add(db, "Second")
    stories.tag_story(db, first, ["rates"])
    highlight = highlights_and_notes.add_highlight(
        db, first, start=0, end=5, quote="First", prefix="", suffix="", color=Color.BLUE
    )
    highlights_and_notes.add_highlight(
        db, second, start=0, end=6, quote="Second", prefix="", suffix="", color=Color.PINK
    )
    highlights_and_notes.tag_highlight(db, highlight.id, ["quote"])
    highlights_and_notes.add_note(db, first, "Body")
    db.execute("INSERT INTO sources (name, created) VALUES ('Spare', '2024-01-01')")
    db.execute("INSERT INTO tags (name) VALUES ('spare')")
    drain(db)


def _change_every_row(db: Database, table: str, column: str) -> list[tuple[str, int]]:
    """Give ``column`` a different value in every row of ``table`` and return what that
    queued; the write is rolled back. A key points at another existing parent row."""
    info = {row[1]: row for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
    parents = {row[3]: row[2] for row in db.execute(f"PRAGMA foreign_key_list({table})")}
    if column in parents:
        parent = parents[column]
        value = f"(SELECT p.id FROM {parent} p WHERE p.id IS NOT {column} ORDER BY p.id LIMIT 1)"
    elif str(info[column][2]).upper() == "INTEGER":
        value = f"CASE WHEN {column} = 0 THEN 1 ELSE {column} + 1000 END"
    else:
        value = f"COALESCE({column} || ' changed', 'changed')"
    db.execute("SAVEPOINT probe")
    try:
        db.execute(f'UPDATE {table} SET "{column}" = {value}')
        return drain(db)
    finally:
        db.execute("ROLLBACK TO probe")
        db.execute("RELEASE probe")


def test_changing_any_indexed_column_queues_every_document_that_shows_it(
    db: Database, path: Path
) -> None:
    read = _columns_read(path)
    indexed = set().union(*read.values())
    # The derivation found the obvious ones, so it did read the queries.
    assert {("stories", "title"), ("highlights", "quote"), ("notes", "body")} <= indexed
    assert ("stories", "is_read") not in indexed
    _world(db)

    for table, column in sorted(indexed):
        is_key = column == "id" or column.endswith("_id")
        try:
            queued = _change_every_row(db, table, column)
        except sqlite3.IntegrityError as error:
            # A key that rows refer to cannot change (no ON UPDATE CASCADE): nothing to miss.
            assert is_key and "FOREIGN KEY" in str(error), (table, column, error)
            continue
        kinds = {kind for kind, _ in queued}
        wanted = {kind for kind, columns in read.items() if (table, column) in columns}
        assert wanted <= kinds, f"changing {table}.{column} queued only {sorted(kinds)}"


def test_changing_columns_the_index_does_not_read_queues_nothing(db: Database, path: Path) -> None:
    indexed = set().union(*_columns_read(path).values())
    _world(db)
    for table in sorted({table for table, _ in indexed}):
        for row in db.execute(f"PRAGMA table_info({table})").fetchall():
            column = row[1]
            if (table, column) in indexed:
                continue
            try:
                queued = _change_every_row(db, table, column)
            except sqlite3.IntegrityError:
                continue  # e.g. a CHECK on a status; the flags below are checked by name
            assert queued == [], f"changing {table}.{column} queued {queued}"
    for flag in ("is_read", "is_starred", "is_archived"):
        assert _change_every_row(db, "stories", flag) == [], flag


def test_purging_deleted_stories_queues_nothing(db: Database) -> None:
    _world(db)
    for story_id in stories.story_ids(db):
        stories.delete_story(db, story_id)
    drain(db)
    assert stories.purge_deleted(db) == 2
    assert drain(db) == []


def test_a_live_story_removed_for_good_queues_its_whole_tree(db: Database) -> None:
    story_id = add(db)
    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.BLUE
    )
    note = highlights_and_notes.add_note(db, story_id, "Body")
    drain(db)
    db.execute("DELETE FROM stories WHERE id = ?", [story_id])
    assert sorted(drain(db)) == sorted(
        [("story", story_id), ("highlight", highlight.id), ("note", note.id)]
    )
