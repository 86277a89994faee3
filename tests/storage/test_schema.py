"""Opening archives: pragmas, migrations, refusing foreign and newer files, integrity checks."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import SCHEMA_VERSION, open_archive, schema, stories
from reader._storage import annotations as highlights_and_notes
from reader._storage.db import APPLICATION_ID, Connection
from reader.errors import SchemaVersionError, StorageError

from .factories import add, opened, run_sql


def _pragma(path: Path, name: str) -> object:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def _count_changes(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM changes").fetchone()[0])


def _build_at(path: Path, version: int) -> None:
    conn = Connection(path)
    try:
        schema.migrate(conn, target=version)
    finally:
        conn.close()


def test_new_archive_is_created_at_current_version(path: Path) -> None:
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION == 12
        assert schema.integrity_problems(db) == []
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    assert _pragma(path, "application_id") == APPLICATION_ID
    assert _pragma(path, "journal_mode") == "wal"


def test_empty_file_becomes_an_archive(path: Path) -> None:
    path.touch()
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION


def test_connection_pragmas(path: Path) -> None:
    conn = Connection(path)
    try:
        pragmas = {
            name: conn.db.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("foreign_keys", "busy_timeout", "synchronous", "journal_mode")
        }
    finally:
        conn.close()
    # synchronous NORMAL is 1
    assert pragmas == {
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "synchronous": 1,
        "journal_mode": "wal",
    }


def test_first_step_alone_builds_v1_without_soft_delete(path: Path) -> None:
    _build_at(path, 1)
    db = Database(path)
    try:
        assert _pragma(path, "user_version") == 1
        assert "deleted_at" not in db.table("stories").columns_dict
        assert {"sources", "stories", "highlights", "notes", "tags", "changes"} <= set(
            db.table_names()
        )
    finally:
        db.close()


def test_v1_archive_is_migrated_keeping_its_rows(path: Path) -> None:
    _build_at(path, 1)
    run_sql(
        path,
        "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
        " VALUES ('Old story', '2024-01-01T00:00:00.000000+00:00', 'Body', 'h1',"
        " '2024-01-01T00:00:00.000000+00:00', '2024-01-01T00:00:00.000000+00:00')",
    )

    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
        [story_id] = stories.story_ids(db)
        assert stories.get_story(db, story_id).title == "Old story"
        stories.delete_story(db, story_id)
        assert stories.story_ids(db) == []
        assert schema.integrity_problems(db) == []


def test_reopening_a_current_archive_keeps_data(path: Path) -> None:
    with opened(path) as db:
        story_id = add(db)
    with opened(path) as db:
        assert stories.get_story(db, story_id).title == "Rates hold steady"


def test_newer_archive_is_refused(path: Path) -> None:
    open_archive(path).close()
    run_sql(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    with pytest.raises(SchemaVersionError) as caught:
        open_archive(path)
    assert str(caught.value) == (
        f"archive {path} was written by a newer version "
        f"(schema {SCHEMA_VERSION + 1}, this app knows {SCHEMA_VERSION}); upgrade the app"
    )


def test_foreign_application_id_is_refused(path: Path) -> None:
    run_sql(path, "PRAGMA application_id = 1234")

    with pytest.raises(SchemaVersionError, match=r"^not a story archive: "):
        open_archive(path)


def test_unmarked_database_with_tables_is_refused(path: Path) -> None:
    run_sql(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY)")

    with pytest.raises(SchemaVersionError, match=r"^not a story archive: "):
        open_archive(path)
    assert _pragma(path, "user_version") == 0


def test_migration_breaking_references_is_rolled_back(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build_at(path, 1)

    def orphan_note(db: Database) -> None:
        # Deferred, so that the orphan survives until foreign_key_check looks for it.
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute("INSERT INTO notes (story_id, body, created, updated) VALUES (999, 'x', '', '')")

    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], orphan_note))
    conn = Connection(path)
    try:
        with pytest.raises(StorageError, match="broke references"):
            schema.migrate(conn, target=2)
        assert conn.db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
        assert schema.schema_version(conn.db) == 1
    finally:
        conn.close()


def test_integrity_check_reports_broken_references(db: Database, path: Path) -> None:
    story_id = add(db)
    highlights_and_notes.add_note(db, story_id, "A note")
    run_sql(path, "DELETE FROM stories")

    assert schema.integrity_problems(db) == [
        "notes row 1 refers to a missing row in stories",
    ]


def test_a_failing_step_rolls_back_every_step_before_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_step(db: Database) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken_step))
    conn = Connection(path)
    try:
        with pytest.raises(RuntimeError, match="step failed"):
            schema.migrate(conn, target=len(schema.MIGRATIONS))
        tables = conn.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tables == [], "the first steps' tables must not survive the failure"
        assert schema.schema_version(conn.db) == 0
    finally:
        conn.close()


def test_v3_archive_gains_versions_codebook_and_highlight_status(path: Path) -> None:
    conn = Connection(path)
    try:
        schema.migrate(conn, target=3)
    finally:
        conn.close()
    run_sql(
        path,
        "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
        " VALUES ('Kept', '2025-01-01T00:00:00+00:00', 'Body text', 'h', '', '')",
        "INSERT INTO highlights (story_id, start, end, quote, prefix, suffix, color, note,"
        " created, updated) VALUES (1, 0, 4, 'Body', '', ' text', 'yellow', '', '', '')",
    )
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT version FROM stories").fetchone() == (1,)
        assert db.execute("SELECT status FROM highlights").fetchone() == ("anchored",)
        assert db.execute("SELECT COUNT(*) FROM codebook").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO codebook (color, name) VALUES ('orange', 'x')")


def test_v11_archive_gains_later_and_fills_word_counts_and_previews(path: Path) -> None:
    _build_at(path, 11)
    long_text = " ".join(f"word{n}" for n in range(700))
    # More stories than one fill batch, so the batches meet end to end.
    rows = [("Short", "Gas storage rose.\n\nTraders   shrugged."), ("Long", long_text)] + [
        (f"Filler {n}", "One two three.") for n in range(schema._FILL_BATCH)
    ]
    run_sql(
        path,
        *(
            "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
            f" VALUES ('{title}', '2025-01-01T00:00:00+00:00', '{text}', 'h{n}', '', '')"
            for n, (title, text) in enumerate(rows)
        ),
    )
    queued = _pragma(path, "user_version"), _count_changes(path)
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
    # The fill is no change the search index must see.
    assert (11, _count_changes(path)) == queued
    with closing(sqlite3.connect(path)) as db:
        found = db.execute("SELECT title, word_count, preview, is_later FROM stories ORDER BY id")
        short, long, *fillers = found.fetchall()
        assert short == ("Short", 5, "Gas storage rose. Traders shrugged.", 0)
        assert long[1] == 700 and long[2].endswith("…") and len(long[2]) <= 141
        assert {row[1:] for row in fillers} == {(3, "One two three.", 0)}


def test_an_upgrade_is_known_before_the_archive_is_opened(tmp_path: Path) -> None:
    """Opening an archive of an older schema migrates it, which at 100,000 stories takes most
    of a minute: the faces ask first, without opening it for writing, so they can say so."""
    path = tmp_path / "archive.sqlite3"
    assert not schema.upgrade_pending(path)  # no file yet: a new archive, nothing to upgrade
    conn = Connection(path)
    try:
        schema.migrate(conn, target=schema.SCHEMA_VERSION - 1)
    finally:
        conn.close()
    assert schema.upgrade_pending(path)
    schema.open_archive(path).close()
    assert not schema.upgrade_pending(path)
    other = tmp_path / "other.sqlite3"
    foreign = sqlite3.connect(other)
    foreign.execute("CREATE TABLE t (x)")
    foreign.execute("PRAGMA user_version = 3")
    foreign.commit()
    foreign.close()
    assert not schema.upgrade_pending(other)  # not ours: opening it says so
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all")
    assert not schema.upgrade_pending(tmp_path / "junk.sqlite3")
