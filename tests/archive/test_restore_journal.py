"""Restore is one journaled operation: a process killed at any point of it leaves an archive
that the next start opens holding either the old data or the restored data, complete, with an
index that agrees once it has caught up, and no half-written file left behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from reader._storage import backup
from reader.archive import DB_FILENAME, Archive
from reader.errors import BackupError

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"
DIGEST = FIXTURES / "river-digest.html"
MARKDOWN = FIXTURES / "quiet-markets.md"

# Kills itself instead of the n-th os.replace of the restore (1: the copy's .part into place,
# 2: the journal into place, 3-5: the archive and its WAL files to the kept copy, 6: the copy
# into the archive's place), or instead of removing the journal ("journal"). A second
# connection stays open, as another window's would, so the WAL files exist and hold data.
KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    from pathlib import Path
    from reader._storage import backup
    from reader.archive import Archive

    data, saved, where = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    other = sqlite3.connect(data / "archive.sqlite3")
    other.execute("SELECT COUNT(*) FROM stories").fetchall()
    archive = Archive(data)
    archive.add_note(archive.story_ids()[0], "only in the WAL")

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if where == "journal":
        backup._remove_journal = die
    else:
        real, calls = os.replace, [0]
        def replace(*args, **kwargs):
            calls[0] += 1
            if calls[0] == int(where):
                die()
            return real(*args, **kwargs)
        os.replace = replace
    archive.restore(saved)
    print("finished without being killed", file=sys.stderr)
    """
)

POINTS = ["1", "2", "3", "4", "5", "6", "journal"]
RESTORED_FROM = {"3", "4", "5", "6", "journal"}
"""Once the journal is written, a start finishes the restore."""


def _stories(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


def _leftovers(data: Path) -> list[str]:
    names = [p.name for p in data.iterdir()]
    if (data / "backups").exists():
        names += [p.name for p in (data / "backups").iterdir()]
    return sorted(
        name
        for name in names
        if ".part" in name or ".restoring" in name or name == backup.JOURNAL_NAME
    )


@pytest.mark.parametrize("where", POINTS)
def test_a_restore_killed_anywhere_is_finished_or_never_begun(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.import_paths([DIGEST])
        saved = archive.backup(tmp_path / "saved.sqlite3")
        archive.import_paths([MARKDOWN])
        archive.sync_index()
        assert archive.count_stories() == 3
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(data), str(saved), where],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    with Archive(data) as archive:
        restored = where in RESTORED_FROM
        assert archive.count_stories() == (2 if restored else 3)
        notes = [n.body for sid in archive.story_ids() for n in archive.notes(sid)]
        assert notes == ([] if restored else ["only in the WAL"])
        assert bool(archive.messages) == restored, archive.messages
        archive.sync_index()
        report = archive.check()
        assert report.ok, report.problems
        titles = {hit.title for hit in archive.search("copper")}
        assert bool(titles) != restored, "the index describes the archive it stands beside"
    assert _leftovers(data) == []
    kept = sorted((data / "backups").glob("pre-restore-*.sqlite3"))
    if restored:
        [old] = kept
        assert _stories(old) == 3, "the replaced archive is kept whole, its WAL with it"
    else:
        assert kept == []


def test_a_journal_of_a_live_process_is_left_to_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Archive(data).close()
    live = data / DB_FILENAME
    journal = backup.RestoreJournal(
        live=live,
        incoming=live.with_name("elsewhere.restoring"),
        kept=data / "backups" / "pre-restore-x.sqlite3",
        source="saved.sqlite3",
        pid=os.getppid(),
    )
    backup.journal_path(live).write_text(journal.to_json(), encoding="utf-8")
    with pytest.raises(BackupError, match=f"process {os.getppid()} is restoring"):
        Archive(data)
    assert json.loads(backup.journal_path(live).read_text(encoding="utf-8"))["pid"] == os.getppid()
