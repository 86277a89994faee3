"""Saved searches in storage: unique names without regard to case, the marks that say what is
new, rename and delete, and the schema 10 archive that gains the table."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import SCHEMA_VERSION, schema
from reader._storage import annotations as highlights_and_notes
from reader._storage import saved_searches as saved
from reader._storage.db import Connection
from reader.errors import SavedSearchError, SavedSearchNotFoundError

from .factories import add, opened


def test_a_saved_search_is_seen_when_saved(db: Database) -> None:
    story = add(db)
    highlights_and_notes.add_note(db, story, "Watch the bank")

    search = saved.save(db, "  Central   bank ", " rates source:Ledger ")

    assert (search.name, search.query, search.filters) == (
        "Central bank",
        "rates source:Ledger",
        None,
    )
    assert search.seen_at == search.created
    [(listed, marks)] = saved.all_searches(db)
    assert listed == search
    assert marks == saved.SeenMarks(story=story, highlight=0, note=1)


def test_names_are_unique_without_regard_to_case(db: Database) -> None:
    saved.save(db, "Tariffs", "tariff OR sanctions")

    with pytest.raises(SavedSearchError, match=r"^a saved search named 'Tariffs' exists$"):
        saved.save(db, "TARIFFS", "tariff")
    assert saved.get(db, "tariffs").query == "tariff OR sanctions"


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "a saved search needs a name"), ("x" * 61, "at most 60 characters")],
)
def test_a_name_must_be_usable(db: Database, name: str, message: str) -> None:
    with pytest.raises(SavedSearchError, match=message):
        saved.save(db, name, "rates")


def test_filters_are_kept_as_json(db: Database) -> None:
    saved.save(db, "Reuters this year", "sanctions", {"source": "Reuters", "since": "2026-01-01"})

    assert saved.get(db, "reuters this year").filters == {
        "since": "2026-01-01",
        "source": "Reuters",
    }


def test_marking_seen_moves_the_marks_past_what_arrived(db: Database) -> None:
    saved.save(db, "Rates", "rates")
    first = add(db, "Rates fall")
    highlights_and_notes.add_note(db, first, "A note")
    before = saved.get(db, "rates")

    after = saved.mark_seen(db, "RATES")

    assert after.seen_at > before.seen_at
    [(_search, marks)] = saved.all_searches(db)
    assert marks == saved.SeenMarks(story=first, highlight=0, note=1)


def test_rename_and_delete(db: Database) -> None:
    saved.save(db, "Rates", "rates")
    saved.save(db, "Tariffs", "tariff")

    assert saved.rename(db, "rates", "Interest rates").name == "Interest rates"
    with pytest.raises(SavedSearchError, match="named 'Tariffs' exists"):
        saved.rename(db, "Interest rates", "tariffs")
    assert saved.rename(db, "tariffs", "Tariffs and duties").query == "tariff"
    assert saved.delete(db, "interest RATES").query == "rates"
    assert [s.name for s, _ in saved.all_searches(db)] == ["Tariffs and duties"]
    with pytest.raises(SavedSearchNotFoundError, match=r"^no saved search named 'Rates'$"):
        saved.delete(db, "Rates")


def test_a_schema_10_archive_gains_the_table_and_keeps_its_stories(path: Path) -> None:
    conn = Connection(path)
    try:
        schema.migrate(conn, target=10)
        with conn.transaction() as db:
            # Raw SQL: today's add_story writes columns a schema 10 file does not have yet.
            story = db.execute(
                "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
                " VALUES ('Before saved searches', '2025-01-01T00:00:00+00:00', 'Body', 'h',"
                " '', '')"
            ).lastrowid
            assert "saved_searches" not in db.table_names()
    finally:
        conn.close()

    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION == 12
        assert schema.integrity_problems(db) == []
        assert schema.layout_problems(db, SCHEMA_VERSION) == []
        search = saved.save(db, "Old", "before")
        [(_listed, marks)] = saved.all_searches(db)
        assert marks.story == story and search.name == "Old"
    with closing(sqlite3.connect(path)) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO saved_searches (name, query, filters, created, seen_at)"
            " VALUES ('Bad', 'x', 'not json', '', '')"
        )
