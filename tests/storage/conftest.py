"""Fixtures for storage tests: a fresh archive on a temporary path, opened as the facade opens
it, and its Database for calling the storage modules (each statement commits on its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import Connection, open_archive


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "archive.sqlite"


@pytest.fixture
def conn(path: Path) -> Iterator[Connection]:
    opened = open_archive(path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def db(conn: Connection) -> Database:
    return conn.db
