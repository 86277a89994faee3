"""Exit statuses say what happened (the table is in ``reader.cli.context``): a change that was
saved exits 0 even when the search index must catch up later, and says so on stderr; one that
was not saved exits 1; reading commands never wait for another process's write lock."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import SegmentWriter

from reader._search import open_index
from reader._storage import db as storage_db
from reader.archive import DB_FILENAME, INDEX_DIRNAME
from reader.cli import runner
from tests.cli.conftest import DIGEST, MARKDOWN, Prefill, Runner

QUOTE = "carry about a fifth less grain"


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Waits for a lock are bounds, never the subject: short, so a locked test is quick."""
    monkeypatch.setattr(runner, "INDEX_LOCK_TIMEOUT", 0.05)
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 50)


@contextmanager
def index_writer_held(data_dir: Path) -> Iterator[None]:
    """Another writer holds the index's write lock, as a live process's indexer would."""
    index = open_index(data_dir / INDEX_DIRNAME)
    writer = index._ix.writer()
    try:
        yield
    finally:
        writer.cancel()
        index.close()


@contextmanager
def database_write_locked(data_dir: Path) -> Iterator[None]:
    """Another process's connection holds the database's write lock."""
    with closing(sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


def _disk_full(self: Any, *args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _highlights(cli: Runner, story_id: int) -> list[Any]:
    shown = cli("show", str(story_id), "--json")
    assert shown.code == 0, shown.err
    highlights: list[Any] = shown.json()["highlights"]
    return highlights


def test_a_highlight_saved_while_a_live_writer_locks_the_index_exits_0(
    cli: Runner, prefilled: Prefill, data_dir: Path
) -> None:
    [story, _] = prefilled(DIGEST)
    with index_writer_held(data_dir):
        made = cli("highlight", str(story), "--quote", QUOTE)
    assert made.code == 0, made.err
    assert "saved; search will catch up: search index is locked" in made.err
    assert [h["quote"] for h in _highlights(cli, story)] == [QUOTE], "saved once"
    found = cli("search", "fifth", "--json")
    assert found.code == 0
    assert "highlight" in {hit["kind"] for hit in found.json()}, "the next start caught up"


def test_a_note_saved_on_a_full_disk_exits_0_and_the_index_catches_up(
    cli: Runner, prefilled: Prefill, monkeypatch: pytest.MonkeyPatch
) -> None:
    [story, _] = prefilled(DIGEST)
    with monkeypatch.context() as full:
        full.setattr(SegmentWriter, "commit", _disk_full)
        noted = cli("note", str(story), "pelicans nest on the breakwater")
    assert noted.code == 0, noted.err
    assert "saved; search will catch up:" in noted.err and "No space left" in noted.err
    found = cli("search", "pelicans", "--json")
    assert [hit["kind"] for hit in found.json()] == ["note"]


AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def index_unwritable(index: Path, how: str) -> Iterator[None]:
    """The index folder cannot be written: read-only (chmod, moot for root), or with no way to
    create the write lock's file (a folder in its place), which holds for root as well."""
    if how == "read-only":
        index.chmod(0o555)
        try:
            yield
        finally:
            index.chmod(0o755)
        return
    lock = index / "MAIN_WRITELOCK"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    try:
        yield
    finally:
        lock.rmdir()


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(
            "read-only",
            marks=pytest.mark.skipif(
                AS_ROOT, reason="root writes into a read-only folder, so chmod is moot"
            ),
        ),
        "no-lock-file",
    ],
)
def test_a_note_saved_beside_an_unwritable_index_exits_0(
    cli: Runner, prefilled: Prefill, data_dir: Path, how: str
) -> None:
    [story, _] = prefilled(DIGEST)
    with index_unwritable(data_dir / INDEX_DIRNAME, how):
        noted = cli("note", str(story), "pelicans nest on the breakwater")
    assert noted.code == 0, noted.err
    assert "saved; search will catch up: search index could not be" in noted.err
    assert [hit["kind"] for hit in cli("search", "pelicans", "--json").json()] == ["note"]


def test_import_on_a_full_index_disk_prints_its_report_and_says_what_is_partial(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.html"
    with monkeypatch.context() as full:
        full.setattr(SegmentWriter, "commit", _disk_full)
        imported = cli("import", str(DIGEST), str(MARKDOWN), str(missing))
    assert imported.code == 3, imported.err
    assert "3 imported, 0 duplicate(s) skipped, 1 failed" in imported.out
    assert f"error: {missing}:" in imported.err
    assert "saved; search will catch up:" in imported.err
    found = cli("search", "seawall", "--json")
    assert found.json()[0]["title"] == "Coastal Town Votes to Rebuild Its Seawall"


def test_a_highlight_the_database_lock_kept_out_exits_1_and_saves_nothing(
    cli: Runner, prefilled: Prefill, data_dir: Path
) -> None:
    [story, _] = prefilled(DIGEST)
    with database_write_locked(data_dir):
        refused = cli("highlight", str(story), "--quote", QUOTE)
    assert refused.code == 1
    assert "database is locked" in refused.err
    assert _highlights(cli, story) == []


@pytest.mark.parametrize(
    "command", [("list",), ("show", "{story}"), ("search", "seawall"), ("list", "--json")]
)
def test_reading_commands_never_wait_for_another_process_s_write_lock(
    cli: Runner, prefilled: Prefill, data_dir: Path, command: tuple[str, ...]
) -> None:
    [story, _] = prefilled(DIGEST)
    with database_write_locked(data_dir):
        result = cli(*(part.format(story=story) for part in command))
    assert result.code == 0, result.err
    assert "locked" not in result.err, "a read tried to write"
    assert result.out
