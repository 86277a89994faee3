"""A process killed between the database commit and the index update loses nothing: the
next start drains the change queue and the index agrees with the database again."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.archive import Archive

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"

KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from reader.archive import Archive

    archive = Archive(sys.argv[1])
    archive._index  # open (and create) the index before the kill point
    where = sys.argv[2]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "before-index":
        archive._index.drain = die
    else:
        archive._queue.acknowledge = die
    archive.import_paths(sys.argv[3:])
    archive.sync_index()
    """
)


@pytest.mark.parametrize("where", ["before-index", "after-index-before-ack"])
def test_killed_between_commit_and_index_update(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(data), where, str(FIXTURES / "river-digest.html")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    with Archive(data) as archive:
        assert archive.index_backlog() > 0, "the queue must survive the kill"
        assert archive.count_stories() == 2
        report = archive.check()
        assert report.ok, report.problems
        assert report.pending_changes == 0
        hits = archive.search("seawall")
        assert [hit.title for hit in hits] == ["Coastal Town Votes to Rebuild Its Seawall"]
        assert archive._index.document_count() == 2
