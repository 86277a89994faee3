"""Environmental failures leave the db as StorageError; programming errors are not hidden."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import changes, open_archive, schema, stories
from reader._storage.db import Connection
from reader.errors import NotFoundError, StorageError
from reader.model import Color

from .factories import add


@pytest.fixture
def conn(path: Path) -> Iterator[Connection]:
    connection = Connection(path)
    schema.migrate(connection)
    yield connection
    connection.close()


def test_unopenable_path_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "missing-directory" / "archive.sqlite"
    with pytest.raises(StorageError, match="unable to open database") as caught:
        open_archive(path)
    assert "\n" not in str(caught.value)


def test_file_that_is_not_sqlite_is_a_storage_error(path: Path) -> None:
    path.write_bytes(b"This is a plain text file, not a database. " * 100)
    with pytest.raises(StorageError, match="not a database"):
        open_archive(path)


def test_locked_database_is_a_storage_error(conn: Connection, path: Path) -> None:
    conn.db.execute("PRAGMA busy_timeout = 0")  # fail at once rather than after five seconds
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        with (
            pytest.raises(StorageError, match=r"^archive .*: database is locked$"),
            conn.transaction(),
        ):
            pass
        other.execute("ROLLBACK")


def test_full_disk_is_a_storage_error_and_rolls_back(conn: Connection) -> None:
    pages = conn.db.execute("PRAGMA page_count").fetchone()[0]
    conn.db.execute(f"PRAGMA max_page_count = {pages}")
    with (
        pytest.raises(StorageError, match="database or disk is full"),
        conn.transaction() as db,
    ):
        db.execute("INSERT INTO changes (kind, item_id) VALUES ('story', 1)")
        db.execute(
            "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
            " VALUES ('Long', '', ?, '', '', '')",
            ["x" * 100_000],
        )
    assert conn.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0


def test_programming_errors_propagate_unwrapped(db: Database) -> None:
    story_id = add(db)
    with pytest.raises(sqlite3.IntegrityError):
        highlights_and_notes.add_highlight(
            db, story_id, start=5, end=2, quote="", prefix="", suffix="", color=Color.BLUE
        )
    with pytest.raises(ValueError, match="unknown view"):
        stories.story_ids(db, view="everything")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown order"):
        stories.story_ids(db, order="length")  # type: ignore[arg-type]


def test_missing_ids_raise_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        stories.get_story(db, 42)
    with pytest.raises(NotFoundError, match=r"^no highlight with id 7$"):
        highlights_and_notes.get_highlight(db, 7)
    with pytest.raises(NotFoundError, match=r"^no note with id 7$"):
        highlights_and_notes.update_note(db, 7, "body")
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        highlights_and_notes.add_note(db, 42, "body")
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        stories.set_flags(db, 42, read=True)
    with pytest.raises(NotFoundError):
        stories.tag_story(db, 42, ["x"])
    assert changes.pending_count(db) == 0
