"""Indexing through worker processes: a long backlog and a rebuild are written by several
processes into segments of their own and committed together; a worker that dies, or a stop
request, commits nothing and leaves every change queued; no worker outlives the index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader._processes import BACKGROUND_NICENESS
from reader._search import WhooshIndex, open_index, workers
from reader._search import index as index_module
from reader.errors import SearchError
from tests.search.search_fakes import FakeQueue, make_doc

# Small enough to be quick, large enough to need the workers (with the bounds lowered below).
STORIES = 120


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 30)
    monkeypatch.setattr(index_module, "PARALLEL_FIRST_BATCH", 50)
    monkeypatch.setattr(index_module, "PARALLEL_CHUNK", 10)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WhooshIndex]:
    with open_index(tmp_path / "index", lock_timeout=0) as opened:
        yield opened
        assert not running(opened)


def stories(queue: FakeQueue, count: int = STORIES, *, word: str = "quay") -> None:
    queue.put(
        *(make_doc(n, f"Story {n}", f"The {word} cranes number {n}.") for n in range(1, count + 1))
    )


def running(index: WhooshIndex) -> bool:
    return index._workers is not None and index._workers.running


def worker_pids(index: WhooshIndex) -> list[int]:
    pool = index._workers
    assert pool is not None and pool.running
    return [process.pid for process, _conn in pool._workers]


def test_a_long_backlog_is_written_by_the_workers_and_found(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    stories(queue)
    assert index.drain(queue) == STORIES
    assert queue.changes == [] and index.document_count() == STORIES
    # Batches of 50, 50 and 20 documents: two worker segments each for the first two, the
    # last (below PARALLEL_MIN) written here.
    assert index.segment_count() == 5
    assert len(index.search("quay", limit=500)) == STORIES
    hit = index.search("number 77")[0]
    assert hit.title == "Story 77" and '<b class="match">77</b>' in hit.snippet
    assert not running(index), "the workers stop once the backlog is gone"


def test_an_update_through_the_workers_replaces_the_old_version(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    stories(queue, word="quay")
    index.drain(queue)
    stories(queue, word="ferry")
    queue.remove("story", 3)
    assert index.drain(queue) == STORIES + 1
    assert index.search("quay") == []
    assert len(index.search("ferry", limit=500)) == STORIES - 1
    assert "story:3" not in index.doc_ids()


def test_a_rebuild_writes_one_segment_per_worker(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "REBUILD_BATCH", 25)
    stories(queue)
    assert index.rebuild(queue) == STORIES
    assert index.segment_count() == 2 and index.document_count() == STORIES
    assert len(index.search("cranes", limit=500)) == STORIES
    assert not running(index)


def test_a_worker_closes_its_segment_at_the_bound_and_opens_another(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker's writer holding more documents would spill its postings to disk.
    monkeypatch.setattr(index_module, "REBUILD_BATCH", 25)
    monkeypatch.setattr(index_module, "PARALLEL_WORKER_MAX", 25)
    stories(queue)
    assert index.rebuild(queue) == STORIES
    sizes = sorted(segment.doc_count() for segment in index._ix._read_toc().segments)
    # 60 documents a worker: 25, 25 and 10.
    assert sizes == [10, 10, 25, 25, 25, 25]
    assert index.document_count() == STORIES
    assert len(index.search("cranes", limit=500)) == STORIES
    assert index.search("number 77")[0].title == "Story 77"
    assert not running(index)


def test_a_stop_request_commits_nothing_and_stops_the_workers(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    stories(queue)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    assert index.drain(queue, stop=stop) == 0
    assert len(queue.changes) == STORIES and index.document_count() == 0
    assert not running(index)
    assert index.drain(queue) == STORIES, "the batch is applied on the next call"


def test_a_worker_that_dies_fails_the_batch_and_commits_nothing(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    stories(queue)
    killed: list[int] = []

    def kill_one() -> bool:
        if not killed:
            pid = worker_pids(index)[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return False

    with pytest.raises(SearchError, match=r"indexing process stopped .*signal 9"):
        index.drain(queue, stop=kill_one)
    assert len(queue.changes) == STORIES and index.document_count() == 0
    assert not running(index)
    assert not _alive(killed[0])
    assert index.drain(queue) == STORIES and index.document_count() == STORIES


def test_closing_the_index_stops_its_workers(tmp_path: Path, queue: FakeQueue) -> None:
    index = open_index(tmp_path / "index", lock_timeout=0)
    pool = index._worker_pool()
    pool.begin()
    pids = worker_pids(index)
    index.close()
    assert not any(_alive(pid) for pid in pids)


def test_a_worker_reports_a_failure_in_one_line(tmp_path: Path) -> None:
    index = open_index(tmp_path / "index", lock_timeout=0)
    pool = index._worker_pool()
    try:
        pool.begin()
        # A field the schema does not have: the worker's writer refuses the document.
        pool.add([{"doc_id": "story:1", "no_such_field": "x"}])
        with pytest.raises(SearchError, match=r"could not be written: .*no_such_field") as caught:
            pool.finish()
        assert "\n" not in str(caught.value)
        assert not pool.running
    finally:
        index.close()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_the_workers_yield_the_processor_from_their_first_import(tmp_path: Path) -> None:
    index = open_index(tmp_path / "index", lock_timeout=0)
    pool = index._worker_pool()
    try:
        pool.begin()
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        for process, _conn in pool._workers:
            assert os.getpriority(os.PRIO_PROCESS, process.pid) == max(mine, BACKGROUND_NICENESS)
        pool.cancel()
    finally:
        index.close()
    # The worker's entry lowers its priority before it imports Whoosh or the index.
    probe = (
        "import sys, reader._index_worker\n"
        "print(sorted(m for m in sys.modules if m.startswith(('whoosh', 'reader._search'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert loaded.strip() == "[]"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # Reaped children are gone; a zombie would still answer, so look at its state too.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def test_small_segments_are_merged_in_a_worker_with_their_deletions(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "MERGE_IN_WORKER", 2)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10_000)
    stories(queue, 12)
    index.drain(queue, batch_size=1)
    queue.remove("story", 4)
    index.drain(queue)
    assert index.segment_count() == 12
    merged_in: list[int] = []
    real_merge = workers.SegmentWorkers.merge

    def merge(self: workers.SegmentWorkers, segments: list[Any], stop: Any = None) -> Any:
        merged_in.append(len(segments))
        return real_merge(self, segments, stop)

    monkeypatch.setattr(workers.SegmentWorkers, "merge", merge)
    assert index.optimize(max_segments=3)
    assert merged_in == [10] and index.segment_count() == 3
    assert index.document_count() == 11 and "story:4" not in index.doc_ids()
    assert {h.item_id for h in index.search("quay", limit=50)} == set(range(1, 13)) - {4}
    assert not running(index)


def test_large_segments_are_never_merged(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SMALL_SEGMENT_DOCS", 2)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10_000)
    stories(queue, 9)
    index.drain(queue, batch_size=3)
    stories(queue, 2)
    index.drain(queue, batch_size=1)
    assert index.segment_count() == 5
    # Three segments of three documents stay; only the two of one document can be merged.
    assert index.optimize(max_segments=1)
    assert index.segment_count() == 4
    assert not index.optimize(max_segments=1), "nothing small is left to merge"
