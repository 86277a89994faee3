"""Recovery: a writer killed mid-commit leaves no lock behind, and a damaged or outdated index is
recreated on open with the reason reported, ready to be rebuilt from the queue."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reader._search import open_index
from reader._search.analysis import analysis_stamp
from reader._search.index import VERSION_FILE
from reader.errors import SearchError
from tests.search.search_fakes import FakeQueue, make_doc

# Takes the write lock through drain(), then, inside the commit, either waits to be killed or
# kills itself: no Python cleanup runs in the child either way.
HOLD_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from whoosh.writing import SegmentWriter
    from reader._protocols import Change, IndexDocument
    from reader._search import open_index

    class OneChange:
        doc = IndexDocument("story", 1, 1, "Half written", "never committed")
        def pending_changes(self, limit):
            return [Change(1, "story", 1)]
        def documents_for(self, changes):
            return {("story", 1): self.doc}
        def pending_count(self):
            return 1

    def hold(self, *args, **kwargs):
        if sys.argv[2] == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        print("holding the write lock", flush=True)
        sys.stdin.readline()

    SegmentWriter.commit = hold
    open_index(Path(sys.argv[1])).drain(OneChange())
    """
)


def test_a_writer_killed_while_holding_the_lock(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    queue = FakeQueue()
    queue.put(make_doc(2, "After the crash", "written later"))
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(directory), "wait"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "holding the write lock"
            with (
                open_index(directory, lock_timeout=0) as index,
                pytest.raises(SearchError, match=f"locked by another process.*pid {child.pid}"),
            ):
                index.drain(queue)
            assert queue.pending_count() == 1, "nothing acknowledged while locked"
        finally:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    with open_index(directory, lock_timeout=0) as index:
        assert not index.needs_rebuild
        assert index.drain(queue) == 1
        assert index.doc_ids() == {"story:2"}, "the killed writer's document never landed"
        assert [hit.title for hit in index.search("crash")] == ["After the crash"]


def test_a_writer_that_kills_itself_mid_commit(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-c", HOLD_SCRIPT, str(directory), "die"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    queue = FakeQueue()
    queue.put(make_doc(2, "Fresh start", "written by the next process"))
    with open_index(directory, lock_timeout=0) as index:
        assert index.drain(queue) == 1
        assert index.doc_ids() == {"story:2"}


def _fill(directory: Path) -> FakeQueue:
    queue = FakeQueue()
    queue.put(*(make_doc(i, f"Story {i}", f"Tugboats and barges, item {i}.") for i in range(30)))
    with open_index(directory) as index:
        index.drain(queue, batch_size=10)
    return queue


def _truncate_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def truncate_toc(directory: Path) -> None:
    _truncate_half(next(directory.glob("_MAIN_*.toc")))


def garbage_toc(directory: Path) -> None:
    next(directory.glob("_MAIN_*.toc")).write_bytes(b"\x00not an index\xff" * 20)


def newer_garbage_toc(directory: Path) -> None:
    (directory / "_MAIN_99.toc").write_bytes(b"junk")


def segment_files(directory: Path) -> list[Path]:
    # Segments are written as separate files (not one compound .seg): MAIN_<id>.<part>.
    files = sorted(directory.glob("MAIN_*.*"))
    assert files, "the index has segment files to damage"
    return files


def truncate_segments(directory: Path) -> None:
    for segment in segment_files(directory):
        _truncate_half(segment)


def clip_segment_ends(directory: Path) -> None:
    for segment in segment_files(directory):
        segment.write_bytes(segment.read_bytes()[:-40])


def delete_segments(directory: Path) -> None:
    for segment in segment_files(directory):
        segment.unlink()


@pytest.mark.parametrize(
    "damage",
    [
        truncate_toc,
        garbage_toc,
        newer_garbage_toc,
        truncate_segments,
        clip_segment_ends,
        delete_segments,
    ],
)
def test_an_unreadable_index_is_recreated(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    directory = tmp_path / "index"
    queue = _fill(directory)
    damage(directory)
    with open_index(directory) as index:
        assert index.needs_rebuild
        assert index.rebuilt_reason is not None
        assert index.rebuilt_reason.startswith("search index was unreadable (")
        assert index.rebuilt_reason.endswith("; rebuilt")
        assert "\n" not in index.rebuilt_reason
        assert index.document_count() == 0
        assert index.rebuild(queue) == 30
        assert len(index.search("tugboats", limit=100)) == 30
    assert (tmp_path / "index.corrupt").is_dir(), "the damaged index is kept aside"
    with open_index(directory) as reopened:
        assert not reopened.needs_rebuild and reopened.rebuilt_reason is None


def test_a_stray_file_is_not_damage(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    _fill(directory)
    (directory / "notes.txt").write_text("left here by someone", encoding="utf-8")
    with open_index(directory) as index:
        assert not index.needs_rebuild and index.document_count() == 30


@pytest.mark.parametrize("stamp", ['{"schema_version": 0}', "not json", None])
def test_another_schema_version_is_recreated(tmp_path: Path, stamp: str | None) -> None:
    directory = tmp_path / "index"
    _fill(directory)
    if stamp is None:
        (directory / VERSION_FILE).unlink()
    else:
        (directory / VERSION_FILE).write_text(stamp, encoding="utf-8")
    with open_index(directory) as index:
        assert index.needs_rebuild and index.document_count() == 0
        assert index.rebuilt_reason is not None
        assert "another format" in index.rebuilt_reason
    stored = json.loads((directory / VERSION_FILE).read_text(encoding="utf-8"))
    assert stored["schema_version"] >= 1


def test_an_index_of_another_stemmer_is_recreated(tmp_path: Path) -> None:
    # Its terms are another stemmer's: queries stemmed now would miss them.
    directory = tmp_path / "index"
    _fill(directory)
    stamp = json.loads((directory / VERSION_FILE).read_text(encoding="utf-8"))
    assert stamp["analysis"] == analysis_stamp()
    stamp["analysis"] = "0123456789abcdef"
    (directory / VERSION_FILE).write_text(json.dumps(stamp), encoding="utf-8")
    with open_index(directory) as index:
        assert index.needs_rebuild and index.document_count() == 0
        assert index.rebuilt_reason == "search index was built with another stemmer; rebuilt"
    stored = json.loads((directory / VERSION_FILE).read_text(encoding="utf-8"))
    assert stored["analysis"] == analysis_stamp()
    with open_index(directory) as index:
        assert not index.needs_rebuild
