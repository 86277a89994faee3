"""Indexing does each change once (a fresh archive, an import, a reindex), and the background
indexer works in slices that stop when asked, leaving the rest queued in the database."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reader.archive import Archive, BackgroundIndexer, Turns

WAIT_S = 60.0
"""A generous bound on waiting for another thread; a busy machine is slow, not wrong."""


def write_stories(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"story-{n:03}.md"
        path.write_text(
            f"# Harbour report number {n}\n\nThe tide gauge {n} read high on the quay today.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_three_files_imported_into_an_empty_folder_apply_three_changes(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 3)
    with Archive(tmp_path / "data") as archive:
        assert len(archive.import_paths(files).imported) == 3
        assert archive.index_backlog() == 3, "the new index's fill replaced the triggers' rows"
        assert archive.sync_index() == 3
        assert archive._index.document_count() == 3
        assert archive.check().ok


def test_a_fresh_archive_of_n_stories_drains_n_changes(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 30)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    # Opened again with no index folder at all: the blank index is owed each story once.
    assert not (tmp_path / "data" / "index").exists()
    with Archive(tmp_path / "data") as archive:
        assert archive.sync_index() == 30
        assert archive.index_backlog() == 0 and archive.check().ok


def test_reindex_does_not_go_through_the_queue_and_acknowledges_it(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 5)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
        assert archive.reindex() == 5
        assert archive.index_backlog() == 0, "what the rebuild covered is acknowledged"
        assert archive.sync_index() == 0
        assert [h.title for h in archive.search("number 3", sync=False)][:1] == [
            "Harbour report number 3"
        ]


def test_a_lost_index_is_owed_every_item_once_however_long_the_queue(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 4)
    with Archive(tmp_path / "data") as archive:
        ids = archive.import_paths(files).imported
        archive.sync_index()
        for story_id in ids:
            archive.tag_story(story_id, ["port"])
    # Four tag changes are queued; the index is lost: the fill replaces them, not adds to them.
    import shutil

    shutil.rmtree(tmp_path / "data" / "index")
    with Archive(tmp_path / "data") as archive:
        assert archive.index_backlog() == 4
        assert archive.sync_index() == 4
        assert {h.title for h in archive.search("tags:port", limit=10, sync=False)} == {
            f"Harbour report number {n}" for n in range(4)
        }


def test_a_refill_in_steps_queues_what_one_refill_queues(tmp_path: Path) -> None:
    """Steps of two items, across stories, highlights and notes, one of them deleted: the
    queue holds exactly what the single-transaction refill puts in it, each item once."""
    from reader._storage import changes

    files = write_stories(tmp_path / "in", 5)
    with Archive(tmp_path / "data") as archive:
        ids = archive.import_paths(files).imported
        for story_id in ids[:3]:
            archive.highlight_quote(story_id, "tide gauge")
            archive.add_note(story_id, "worth a look")
        archive.delete_stories([ids[4]])
        db = archive._db
        steps: list[int] = []
        queued = changes.refill_in_steps(db, step=2, between=lambda: steps.append(1))
        stepped = sorted(db.db.execute("SELECT kind, item_id FROM changes").fetchall())
        # Two steps for each kind (4 stories, 3 highlights, 3 notes), each after between().
        assert len(steps) == 6
        with db.transaction() as tx:
            assert changes.refill(tx) == queued
        whole = sorted(db.db.execute("SELECT kind, item_id FROM changes").fetchall())
    assert stepped == whole and len(set(whole)) == len(whole) == 4 + 3 + 3


def test_the_background_indexer_works_in_slices(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 7)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    indexer = BackgroundIndexer(tmp_path / "data", batch_size=2)
    try:
        assert indexer.backlog() == 7
        assert [indexer.step() for _ in range(5)] == [2, 2, 2, 1, 0]
        assert indexer.backlog() == 0 and indexer.slices == 4
    finally:
        indexer.close()
    with Archive(tmp_path / "data") as archive:
        assert archive.check().ok


def test_stopping_between_slices_leaves_the_rest_queued(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 12)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    indexer = BackgroundIndexer(tmp_path / "data", batch_size=3)
    reports: list[int] = []

    def progress(left: int) -> None:
        reports.append(left)
        if len(reports) == 2:  # after the first slice: ask it to stop before the next
            indexer.stop()

    thread = threading.Thread(target=indexer.run, args=(progress,))
    thread.start()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    assert reports == [12, 9]
    assert indexer.applied == 3 and indexer.slices == 1
    with Archive(tmp_path / "data") as archive:
        assert archive.index_backlog() == 9, "the queue persists what was not applied"
        assert archive._index.document_count() == 3
        assert archive.sync_index() == 9 and archive.check().ok


def test_no_slice_starts_while_the_analysts_operation_runs() -> None:
    turns = Turns()
    turns.analyst_started()
    assert not turns.wait(lambda: False, for_write=False, timeout=0)
    assert turns.wait(lambda: True, for_write=False, timeout=0), "stopping always returns"
    turns.analyst_finished()
    assert turns.wait(lambda: False, for_write=False, timeout=0)
    assert not turns.wait(lambda: False, for_write=True, timeout=0), "nothing was written"
    turns.changes_written()
    assert turns.wait(lambda: False, for_write=True, timeout=0)
    assert not turns.wait(lambda: False, for_write=True, timeout=0), "each write wakes it once"


def test_the_indexer_waits_for_the_analyst_before_its_next_slice(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 4)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    turns = Turns()
    indexer = BackgroundIndexer(tmp_path / "data", turns, batch_size=1)
    reported = threading.Event()
    reports: list[int] = []

    def progress(left: int) -> None:
        reports.append(left)
        reported.set()

    turns.analyst_started()
    thread = threading.Thread(target=indexer.run, args=(progress,))
    thread.start()
    try:
        assert reported.wait(WAIT_S)
        # The backlog is reported, then the indexer waits for its turn: stopping it now
        # must find nothing applied.
        indexer.stop()
        thread.join(WAIT_S)
        assert not thread.is_alive()
        assert reports == [4] and indexer.applied == 0
    finally:
        turns.analyst_finished()
        indexer.stop()
        thread.join(WAIT_S)


def test_segments_are_merged_during_a_long_backlog_and_when_idle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices never merge, so every slice adds a segment; the indexer merges the smallest few
    when there get to be many, and down to a handful once the queue is empty."""
    import reader.archive.indexing as indexing

    monkeypatch.setattr(indexing, "BACKLOG_SEGMENTS", 6)
    monkeypatch.setattr(indexing, "BACKLOG_MERGE", 3)
    monkeypatch.setattr(indexing, "IDLE_SEGMENTS", 2)
    files = write_stories(tmp_path / "in", 14)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    indexer = BackgroundIndexer(tmp_path / "data", batch_size=1)
    most = 0
    tidied = threading.Event()

    def progress(left: int) -> None:
        nonlocal most
        most = max(most, indexer._segments())
        if not left and indexer._segments() <= 2:
            tidied.set()
            indexer.stop()

    real_tidy = indexer.tidy

    def tidy(max_segments: int) -> bool:
        merged = real_tidy(max_segments)
        progress(indexer.backlog())
        return merged

    monkeypatch.setattr(indexer, "tidy", tidy)
    thread = threading.Thread(target=indexer.run, args=(progress,))
    thread.start()
    thread.join(WAIT_S)
    assert not thread.is_alive() and tidied.is_set()
    assert most <= 7, "never more than the bound and the one slice past it"
    with Archive(tmp_path / "data") as archive:
        assert archive.check().ok and archive._index.document_count() == 14


def test_an_idle_indexer_with_only_large_segments_does_not_keep_trying_to_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.archive.indexing as indexing
    from reader._search import index as search_index

    monkeypatch.setattr(indexing, "IDLE_SEGMENTS", 1)
    # No segment counts as small: optimize() has nothing it may merge.
    monkeypatch.setattr(search_index, "SMALL_SEGMENT_DOCS", 0)
    files = write_stories(tmp_path / "in", 3)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    indexer = BackgroundIndexer(tmp_path / "data", batch_size=1)
    tidied: list[bool] = []
    real_tidy, real_wait = indexer.tidy, indexer.turns.wait

    def tidy(max_segments: int) -> bool:
        tidied.append(real_tidy(max_segments))
        return tidied[-1]

    def wait(stopping: Any, *, for_write: bool, timeout: float | None) -> bool:
        if for_write:  # the idle wait for new changes: the loop has settled
            indexer.stop()
        return real_wait(stopping, for_write=for_write, timeout=timeout)

    monkeypatch.setattr(indexer, "tidy", tidy)
    monkeypatch.setattr(indexer.turns, "wait", wait)
    thread = threading.Thread(target=indexer.run, args=(lambda _left: None,))
    thread.start()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    assert tidied == [False], "asked once after the slices, not again and again"


def test_an_idle_indexer_merges_large_segments_beside_the_writers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments too large for the locked merge are merged by a worker process once the queue
    is empty, and the merge is committed when it is done; then the indexer settles."""
    import reader.archive.indexing as indexing
    from reader._search import index as search_index

    monkeypatch.setattr(search_index, "SMALL_SEGMENT_DOCS", 0)
    monkeypatch.setattr(search_index, "MERGE_WHEN", 4)
    files = write_stories(tmp_path / "in", 6)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    indexer = BackgroundIndexer(tmp_path / "data", batch_size=1)
    settled = threading.Event()
    started: list[bool] = []
    real_merge = indexer.merge

    def merge() -> bool:
        under_way = real_merge()
        started.append(under_way)
        if not under_way and indexer._segments() == 1:
            settled.set()
            indexer.stop()
        return under_way

    monkeypatch.setattr(indexer, "merge", merge)
    assert indexing.MERGE_POLL_SECONDS < indexing.IDLE_POLL_SECONDS
    thread = threading.Thread(target=indexer.run, args=(lambda _left: None,))
    thread.start()
    settled.wait(WAIT_S)
    indexer.stop()  # whatever happened, so that a failure does not leave the thread running
    thread.join(WAIT_S)
    assert not thread.is_alive() and settled.is_set()
    assert started[0], "the first idle turn starts the merge"
    with Archive(tmp_path / "data") as archive:
        assert archive.check().ok and archive._index.document_count() == 6
        assert len(archive.search("harbour", limit=20)) == 6


def test_the_indexer_reopens_an_index_another_handle_found_damaged(tmp_path: Path) -> None:
    files = write_stories(tmp_path / "in", 3)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
        archive.sync_index()
    indexer = BackgroundIndexer(tmp_path / "data")
    try:
        assert indexer.backlog() == 0
        with Archive(tmp_path / "data") as searcher:
            searcher._index.mark_damaged("a block that would not decompress")
        left = indexer.backlog()
        assert left == 3, "the replacement index is owed every story"
        assert any("damaged" in message for message in indexer.messages)
        assert indexer.step() == 3
    finally:
        indexer.close()
    with Archive(tmp_path / "data") as archive:
        assert archive.check().ok and archive._index.document_count() == 3


def test_index_workers_read_the_archive_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long backlog goes to the worker processes as item keys: the process that owns the
    queue (the window's) builds no document, and a story deleted after it was queued is not
    indexed."""
    from reader._search import index as index_module
    from reader._search import workers
    from reader._storage.changes import ChangeQueue

    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 20)
    monkeypatch.setattr(index_module, "PARALLEL_FIRST_BATCH", 40)
    monkeypatch.setattr(index_module, "PARALLEL_CHUNK", 7)
    files = write_stories(tmp_path / "in", 45)
    with Archive(tmp_path / "data") as archive:
        ids = archive.import_paths(files).imported
        assert archive.index_backlog() == 45, "the blank index's fill is queued"
        archive.delete_story(ids[3])

        def built_here(self: ChangeQueue, changes: Any) -> Any:
            raise AssertionError("the parent built documents the workers could read")

        monkeypatch.setattr(ChangeQueue, "documents_for", built_here)
        # The first 40 changes go to the workers (the fill, and the deletion, are 46).
        first = archive._queue.pending_changes(40)
        assert archive._index.drain(archive._queue, max_batches=1) == 40
        expected = {f"story:{c.item_id}" for c in first if c.item_id != ids[3]}
        assert archive._index.doc_ids() == expected and len(expected) == 39
        monkeypatch.undo()
        archive.sync_index()
        titles = {h.title for h in archive.search("harbour", limit=100, sync=False)}
        assert titles == {f"Harbour report number {n}" for n in range(45) if n != 3}
        assert archive.check().ok


def test_a_refill_lets_the_analyst_first_unless_the_analyst_waits_to_open_the_index(
    tmp_path: Path,
) -> None:
    """Between its steps a refill yields to the analyst's operation, but not while another
    thread waits to open the index: that operation may be the one waiting, behind the refill."""
    import shutil

    from reader._storage import open_archive
    from reader.archive import core

    files = write_stories(tmp_path / "in", 3)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    yielded: list[int] = []
    for waiting in (0, 1):
        shutil.rmtree(tmp_path / "data" / "index", ignore_errors=True)
        db = open_archive(tmp_path / "data" / core.DB_FILENAME)
        core._OPENING_WANTED.count += waiting
        try:
            index, _message = core.open_filled_index(
                tmp_path / "data", db, expected=True, between_writes=lambda: yielded.append(1)
            )
        finally:
            core._OPENING_WANTED.count -= waiting
        index.close()
        db.close()
        if not waiting:
            assert yielded, "the refill asked before its steps"
            yielded.clear()
    assert yielded == []


def test_a_second_handle_on_an_empty_index_refills_only_what_is_still_owed(
    tmp_path: Path,
) -> None:
    """The window's indexer creates the index and fills the queue; the analyst's first search
    opens the same, still empty, index and leaves the queue alone. A queue missing an item
    (a refill cut short) is filled again."""
    import shutil

    from reader._storage import open_archive
    from reader.archive import core

    files = write_stories(tmp_path / "in", 4)
    with Archive(tmp_path / "data") as archive:
        archive.import_paths(files)
    shutil.rmtree(tmp_path / "data" / "index", ignore_errors=True)
    db = open_archive(tmp_path / "data" / core.DB_FILENAME)
    try:
        first, _ = core.open_filled_index(tmp_path / "data", db, expected=True)
        queued = db.db.execute("SELECT seq, kind, item_id FROM changes").fetchall()
        assert len(queued) == 4
        second, _ = core.open_filled_index(tmp_path / "data", db, expected=True)
        assert db.db.execute("SELECT seq, kind, item_id FROM changes").fetchall() == queued
        second.close()
        db.db.execute("DELETE FROM changes WHERE seq = ?", [queued[0][0]])
        third, _ = core.open_filled_index(tmp_path / "data", db, expected=True)
        after = db.db.execute("SELECT kind, item_id FROM changes").fetchall()
        assert sorted(after) == sorted((kind, item) for _seq, kind, item in queued)
        third.close()
        first.close()
    finally:
        db.close()
