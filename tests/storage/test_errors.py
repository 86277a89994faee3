"""Environmental failures leave the store as StorageError; programming errors are not hidden."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from reader._storage import Store, schema
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
        Store(path)
    assert "\n" not in str(caught.value)


def test_file_that_is_not_sqlite_is_a_storage_error(path: Path) -> None:
    path.write_bytes(b"This is a plain text file, not a database. " * 100)
    with pytest.raises(StorageError, match="not a database"):
        Store(path)


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


def test_programming_errors_propagate_unwrapped(store: Store) -> None:
    story_id = add(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_highlight(
            story_id, start=5, end=2, quote="", prefix="", suffix="", color=Color.BLUE
        )
    with pytest.raises(ValueError, match="unknown view"):
        store.story_ids(view="everything")
    with pytest.raises(ValueError, match="unknown order"):
        store.story_ids(order="length")


def test_missing_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        store.get_story(42)
    with pytest.raises(NotFoundError, match=r"^no highlight with id 7$"):
        store.get_highlight(7)
    with pytest.raises(NotFoundError, match=r"^no note with id 7$"):
        store.update_note(7, "body")
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        store.add_note(42, "body")
    with pytest.raises(NotFoundError, match=r"^no story with id 42$"):
        store.set_flags(42, read=True)
    with pytest.raises(NotFoundError):
        store.tag_story(42, ["x"])
    assert store.pending_count() == 0
