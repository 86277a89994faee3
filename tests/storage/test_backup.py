"""Backups: consistent while another connection writes, restore only of an intact archive of
ours and never without keeping the one it replaces, and rolling automatic backups."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import backup, open_archive, schema, stories
from reader._storage.backup import automatic_backups
from reader._storage.db import APPLICATION_ID
from reader.archive import DB_FILENAME, Archive
from reader.errors import BackupError
from reader.model import BackupSettings, Color

from .factories import add, opened, run_sql, transaction

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def counts(path: Path) -> tuple[int, int, str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        highlights = conn.execute("SELECT COUNT(*) FROM highlights").fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "delete", "a backup is one self-contained file"
    return int(stories), int(highlights), str(check)


def add_story_with_two_highlights(db: Database, number: int) -> None:
    with transaction(db):
        story_id = add(db, f"Story {number}")
        for start in (0, 6):
            highlights_and_notes.add_highlight(
                db,
                story_id,
                start=start,
                end=start + 5,
                quote="Story",
                prefix="",
                suffix="",
                color=Color.YELLOW,
            )


def test_backup_leaves_out_a_transaction_still_open(path: Path, tmp_path: Path) -> None:
    with opened(path) as db:
        add_story_with_two_highlights(db, 0)
    half_written = threading.Event()
    backed_up = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with opened(path) as db, transaction(db):
                add(db, "Half a transaction")
                half_written.set()
                assert backed_up.wait(timeout=60)
        except BaseException as err:  # reported to the test thread
            errors.append(err)
            half_written.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert half_written.wait(timeout=60)
    target = tmp_path / "during.sqlite3"
    with opened(path) as db:
        try:
            backup.snapshot(db.conn, target)
        finally:
            backed_up.set()
            thread.join()
    assert not errors
    assert counts(target) == (1, 2, "ok")
    with opened(path) as db:
        assert stories.count_stories(db) == 2, "the writer committed after the backup"


def test_backup_while_a_writer_keeps_writing(path: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    started = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with opened(path) as db:
            number = 0
            while not stop.is_set():
                add_story_with_two_highlights(db, number)
                written.append(number)
                number += 1
                started.set()

    open_archive(path).close()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(timeout=60)
        targets = [tmp_path / f"copy-{n}.sqlite3" for n in range(3)]
        with opened(path) as db:
            for target in targets:
                backup.snapshot(db.conn, target)
    finally:
        stop.set()
        thread.join()
    for target in targets:
        stories, highlights, check = counts(target)
        assert check == "ok"
        assert stories >= 1 and highlights == 2 * stories, "only whole transactions"
    with opened(target) as copy:
        assert schema.integrity_problems(copy) == []


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "data") as opened:
        opened.import_paths([FIXTURES])
        yield opened


def test_restore_keeps_the_archive_it_replaces(archive: Archive, tmp_path: Path) -> None:
    barge = next(s.id for s in archive.list_stories() if s.title.startswith("Barge"))
    archive.highlight_quote(barge, "lock repairs", note="before the backup")
    saved = archive.backup()
    assert saved.parent == archive.data_dir / "backups"
    assert saved.name.startswith("archive-") and saved.suffix == ".sqlite3"
    archive.delete_story(barge)
    with opened(archive.data_dir / DB_FILENAME) as db:
        stories.purge_deleted(db)
    archive.add_note(next(iter(archive.story_ids())), "after the backup")
    assert archive.search("lock") == []
    events: list[str] = []
    archive.on_change(events.append)
    kept = archive.restore(saved)
    assert kept.parent == archive.backups_dir and kept.name.startswith("pre-restore-")
    assert [h.note for h in archive.highlights(barge)] == ["before the backup"]
    assert archive.check().ok, "the index was rebuilt from the restored archive"
    assert {hit.kind for hit in archive.search("lock")} >= {"highlight"}
    assert "stories" in events and "highlights" in events
    with opened(kept) as old:
        assert stories.count_stories(old) == 2, "the replaced archive, as it was, purge and all"


def test_restore_checks_the_file_first(archive: Archive, tmp_path: Path) -> None:
    live = archive.data_dir / DB_FILENAME
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    newer = archive.backup(tmp_path / "newer.sqlite3")
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 99")
    cases = [
        (foreign, "not a story archive"),
        (garbage, "not a story archive"),
        (newer, "newer version"),
        (tmp_path / "missing.sqlite3", "no such file"),
        (live, "the archive itself"),
    ]
    for candidate, message in cases:
        with pytest.raises(BackupError, match=message):
            archive.restore(candidate)
    assert not archive.backups_dir.exists() or not any(archive.backups_dir.iterdir())
    assert archive.count_stories() == 3, "nothing was touched"


def test_restore_refuses_our_id_and_version_over_other_tables(
    archive: Archive, tmp_path: Path
) -> None:
    """Such a file once replaced the archive, and every later command gave a traceback."""
    impostor = tmp_path / "impostor.sqlite3"
    with closing(sqlite3.connect(impostor)) as conn:
        conn.execute("CREATE TABLE stories (id INTEGER PRIMARY KEY, headline TEXT)")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    older = archive.backup(tmp_path / "older.sqlite3")
    with closing(sqlite3.connect(older)) as conn:
        conn.execute("CREATE TABLE stray (x)")
    with pytest.raises(BackupError, match=r"not a story archive of this layout.*no table"):
        archive.restore(impostor)
    with pytest.raises(BackupError, match="a table this version does not make: stray"):
        archive.restore(older)
    assert archive.count_stories() == 3, "nothing was touched"


def test_a_damaged_archive_is_not_backed_up_and_keeps_its_backups(
    archive: Archive, tmp_path: Path
) -> None:
    archive.set_backup_settings(BackupSettings(enabled=True, keep=2, interval_hours=1))
    good = [archive.backup_if_due(now=T0), archive.backup_if_due(now=T0 + timedelta(hours=2))]
    live = archive.data_dir / DB_FILENAME
    with closing(sqlite3.connect(live)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'idx_stories_url'"
        ).fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    data = bytearray(live.read_bytes())
    data[(page - 1) * page_size + 8 : page * page_size] = b"\xff" * (page_size - 8)
    live.write_bytes(bytes(data))
    with Archive(archive.data_dir) as damaged:
        with pytest.raises(BackupError, match="the archive is damaged, so no backup was kept"):
            damaged.backup_if_due(now=T0 + timedelta(hours=4))
        with pytest.raises(BackupError, match="damaged"):
            damaged.backup(tmp_path / "manual.sqlite3")
    kept = [path for _, path in automatic_backups(archive.backups_dir)]
    assert kept == good, "the good backups are not rotated out"
    assert not (tmp_path / "manual.sqlite3").exists()
    assert not list(archive.backups_dir.glob("*.part"))


def test_restore_refuses_a_damaged_file(archive: Archive, tmp_path: Path) -> None:
    damaged = archive.backup(tmp_path / "damaged.sqlite3")
    with closing(sqlite3.connect(damaged)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'idx_stories_url'"
        ).fetchone()[0]
    data = bytearray(damaged.read_bytes())
    # Scribble over the index's page: its cells no longer make sense.
    data[(page - 1) * page_size + 8 : page * page_size] = b"\xff" * (page_size - 8)
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged"):
        archive.restore(damaged)
    assert archive.count_stories() == 3


def test_rolling_backups_are_made_when_due_and_pruned(archive: Archive) -> None:
    archive.set_backup_settings(BackupSettings(enabled=True, keep=3, interval_hours=24))
    manual = archive.backup()
    made = [archive.backup_if_due(now=T0)]
    assert made[0] is not None and made[0].name == "archive-20260501-080000-auto.sqlite3"
    assert archive.backup_if_due(now=T0 + timedelta(hours=23)) is None, "not due yet"
    for day in range(1, 5):
        made.append(archive.backup_if_due(now=T0 + timedelta(days=day)))
    kept = [path for _, path in automatic_backups(archive.backups_dir)]
    assert kept == made[-3:], "the newest three automatic ones"
    assert manual.exists(), "a backup the user made is never pruned"
    for path in kept:
        assert counts(path)[2] == "ok"


def test_backup_settings(archive: Archive) -> None:
    assert archive.backup_settings() == BackupSettings(enabled=True, keep=7, interval_hours=24)
    archive.set_backup_settings(BackupSettings(enabled=False, keep=2, interval_hours=6))
    assert archive.backup_settings() == BackupSettings(enabled=False, keep=2, interval_hours=6)
    assert archive.backup_if_due(now=T0) is None, "disabled"
    with pytest.raises(ValueError):
        archive.set_backup_settings(BackupSettings(keep=0))
    # A value mangled by hand falls back to the default instead of failing every start.
    run_sql(
        archive.data_dir / DB_FILENAME,
        "UPDATE settings SET value = 'soon' WHERE key = 'backup.interval_hours'",
    )
    assert archive.backup_settings().interval_hours == 24


def test_an_empty_archive_is_not_backed_up(tmp_path: Path) -> None:
    with Archive(tmp_path / "new") as archive:
        assert archive.backup_if_due(now=T0) is None
        assert not archive.backups_dir.exists()


def _dead_pid() -> int:
    """The pid of a process that has exited (reaped, so nobody holds it)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def test_a_start_removes_what_killed_backups_left_and_nothing_a_live_one_writes(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    backups = data / "backups"
    backups.mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    stale = [
        backups / f"archive-20260501-080000.sqlite3.{dead}.part",
        backups / f"archive-20260501-080000.sqlite3.{dead}.part-journal",
        data / f"export.json.{dead}.part",
        data / f"archive.sqlite3.{dead}.restoring",
        data / f"archive.sqlite3.{dead}.restoring-wal",
        backups / "archive-20260401-080000.sqlite3.part",
    ]
    kept = [
        backups / f"archive-20260502-080000.sqlite3.{alive}.part",
        backups / f"archive-20260502-080000.sqlite3.{alive}.part-journal",
        backups / "archive-20260502-080000.sqlite3.part",
        backups / "notes.part.txt",
    ]
    for path in stale + kept:
        path.write_bytes(b"half")
    a_week_ago = (datetime.now(UTC) - timedelta(days=7)).timestamp()
    os.utime(backups / "archive-20260401-080000.sqlite3.part", (a_week_ago, a_week_ago))

    Archive(data).close()

    assert [path for path in stale if path.exists()] == []
    assert [path for path in kept if not path.exists()] == []


def test_a_killed_backup_is_cleaned_up_by_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.import_paths([FIXTURES])
    script = (
        "import os, signal, sys\n"
        "from reader._storage import backup\n"
        "from reader.archive import Archive\n"
        "archive = Archive(sys.argv[1])\n"
        "def die(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "backup.os.replace = die\n"
        "archive.backup()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(data)], timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert list((data / "backups").glob("*.part")), "the kill left its part file"
    Archive(data).close()
    assert list((data / "backups").iterdir()) == []
