"""The window's worker and its background indexer: the analyst's operation is answered while a
large backlog is still being indexed, and stopping leaves the rest of the backlog queued."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader._processes import BACKGROUND_NICENESS
from reader._storage import schema
from reader._storage.db import Connection
from reader.archive import DB_FILENAME, Archive
from reader.model import Story
from tests.ui.conftest import WAIT_MS
from ui.core.worker import Worker

BACKLOG = 3000


def queue_backlog(data_dir: Path, count: int) -> list[int]:
    """``count`` changes queued by the triggers (the stories tagged over and over), on an
    archive whose index is complete. Returns the story ids."""
    with Archive(data_dir) as archive:
        ids = archive.story_ids()
        for n in range(count // (2 * len(ids)) + 1):
            for story_id in ids:
                archive.tag_story(story_id, [f"t{n}"])
                archive.untag_story(story_id, [f"t{n}"])
        backlog = archive.index_backlog()
    assert backlog >= count and (data_dir / DB_FILENAME).exists()
    return ids


def test_an_operation_is_answered_while_a_large_backlog_is_indexed(
    qtbot: QtBot, data_dir: Path
) -> None:
    ids = queue_backlog(data_dir, BACKLOG)
    worker = Worker(data_dir, index_batch_size=5)
    reports: list[int] = []
    worker.indexing.connect(reports.append)
    try:
        with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
            worker.start()
        qtbot.waitUntil(lambda: bool(reports) and reports[-1] > 0, timeout=WAIT_MS)
        answers: list[tuple[Story, int]] = []
        worker.run(lambda a: (a.story(ids[0]), a.index_backlog()), done=answers.append)
        qtbot.waitUntil(lambda: bool(answers), timeout=WAIT_MS)
        story, left = answers[0]
        assert story.id == ids[0]
        assert left > 0, "answered before the backlog was worked off, not after it"
    finally:
        worker.stop()


def test_stopping_leaves_the_rest_of_the_backlog_queued(qtbot: QtBot, data_dir: Path) -> None:
    queue_backlog(data_dir, BACKLOG)
    worker = Worker(data_dir, index_batch_size=5)
    reports: list[int] = []
    worker.indexing.connect(reports.append)
    with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
        worker.start()
    qtbot.waitUntil(lambda: len(reports) >= 3, timeout=WAIT_MS)
    worker.stop()
    assert worker.indexer is None
    assert reports[0] > reports[-1] > 0, "some slices were applied, and not all"
    with Archive(data_dir) as archive:
        left = archive.index_backlog()
        assert 0 < left < reports[0]
        assert archive.sync_index() == left and archive.check().ok


@contextmanager
def indexing_worker(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[Worker, list[int]]]:
    """A started Worker whose indexer has reported the backlog at least once, with its
    reports; stopped at the end."""
    worker = Worker(data_dir)
    reports: list[int] = []
    worker.indexing.connect(reports.append)
    try:
        with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
            worker.start()
        qtbot.waitUntil(lambda: bool(reports), timeout=WAIT_MS)
        yield worker, reports
    finally:
        worker.stop()


def test_a_write_is_indexed_in_the_background_and_found(qtbot: QtBot, data_dir: Path) -> None:
    with indexing_worker(qtbot, data_dir) as (worker, reports):
        qtbot.waitUntil(lambda: reports == [0], timeout=WAIT_MS)
        ids: list[int] = []
        worker.run(lambda a: a.story_ids(), done=ids.extend)
        qtbot.waitUntil(lambda: bool(ids), timeout=WAIT_MS)
        worker.run(lambda a: a.add_note(ids[0], "a fender was rebuilt"), write=True)
        qtbot.waitUntil(lambda: len(reports) >= 2 and reports[-1] == 0, timeout=WAIT_MS)
        hits: list[object] = []
        worker.run(lambda a: a.search("fender", sync=False), done=hits.extend)
        qtbot.waitUntil(lambda: bool(hits), timeout=WAIT_MS)


def test_the_worker_says_when_it_upgrades_the_archive_first(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    data_dir.mkdir()
    conn = Connection(data_dir / DB_FILENAME)
    try:
        schema.migrate(conn, target=schema.SCHEMA_VERSION - 1)
    finally:
        conn.close()
    worker = Worker(data_dir)
    said: list[str] = []
    worker.upgrading.connect(lambda: said.append("upgrading"))
    worker.opened.connect(lambda: said.append("opened"))
    try:
        with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
            worker.start()
        assert said == ["upgrading", "opened"]
    finally:
        worker.stop()
    again = Worker(data_dir)
    again.upgrading.connect(lambda: said.append("upgrading again"))
    try:
        with qtbot.waitSignal(again.opened, timeout=WAIT_MS):
            again.start()
        assert "upgrading again" not in said
    finally:
        again.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
def test_indexing_and_aside_work_yield_the_processor_to_the_analysts_threads(
    qtbot: QtBot, data_dir: Path
) -> None:
    """The indexer's thread and an aside thread (a backup) run at a background priority; the
    GUI thread and the worker's thread keep theirs."""
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with indexing_worker(qtbot, data_dir) as (worker, _reports):
        indexer = worker.indexer
        assert indexer is not None
        indexer_thread = indexer._thread.native_id
        assert indexer_thread is not None
        seen: list[tuple[str, int]] = []

        def niceness(name: str) -> object:
            seen.append((name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
            return None

        worker.run(lambda _a: niceness("worker"))
        worker.run_aside(lambda _a: niceness("aside"))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
        background = max(mine, BACKGROUND_NICENESS)
        assert dict(seen) == {"worker": mine, "aside": background}
        assert os.getpriority(os.PRIO_PROCESS, indexer_thread) == background
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
