"""Draining the change queue and rebuilding: adds, updates and deletes land in one commit per
batch, re-applying a batch is harmless, and a rebuild replaces everything from the queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import SegmentWriter

from reader._protocols import ChangeQueue, SearchIndex
from reader._search import WhooshIndex, open_index, workers
from reader.model import ItemKind
from tests.search.search_fakes import FakeQueue, make_doc


def titles(index: WhooshIndex, query: str) -> list[str]:
    return [hit.title for hit in index.search(query)]


def test_fresh_index_is_empty_and_wants_a_rebuild(tmp_path: Path) -> None:
    index = open_index(tmp_path / "index")
    assert index.needs_rebuild and index.rebuilt_reason is None
    assert index.document_count() == 0 and index.doc_ids() == set()
    assert index.search("anything") == []
    index.close()
    with open_index(tmp_path / "index") as reopened:
        assert not reopened.needs_rebuild and reopened.rebuilt_reason is None


def test_implements_the_protocols(index: WhooshIndex, queue: FakeQueue) -> None:
    checked_index: SearchIndex = index
    checked_queue: ChangeQueue = queue
    assert checked_index.drain(checked_queue) == 0


def test_drain_adds_updates_and_deletes(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(
        make_doc(1, "Harbour cranes idle", "Dock workers walked out at dawn."),
        make_doc(2, "Grain prices", "Wheat futures rose."),
        make_doc(7, "Grain prices", "Which silo?", kind="highlight", story_id=2),
    )
    assert index.drain(queue) == 3
    assert queue.changes == [] and queue.acknowledged == [3]
    assert index.doc_ids() == {"story:1", "story:2", "highlight:7"}
    assert titles(index, "dock") == ["Harbour cranes idle"]

    queue.put(make_doc(1, "Harbour cranes busy again", "Work resumed at noon."))
    queue.remove("highlight", 7)
    assert index.drain(queue) == 2
    assert index.doc_ids() == {"story:1", "story:2"}
    assert index.document_count() == 2
    assert titles(index, "dock") == []
    assert titles(index, "noon") == ["Harbour cranes busy again"]
    assert titles(index, "silo") == []


def test_drain_can_stop_after_a_number_of_batches(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(*(make_doc(n, f"Story {n}", "Quay cranes.") for n in range(1, 8)))
    assert index.drain(queue, batch_size=3, max_batches=1) == 3
    assert len(queue.changes) == 4, "the rest waits for the next call"
    assert index.drain(queue, batch_size=3, max_batches=2) == 4
    assert queue.changes == [] and index.document_count() == 7


def test_a_change_to_a_missing_item_deletes_nothing_else(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "Kept", "still here"))
    queue.enqueue("note", 99)
    assert index.drain(queue) == 2
    assert index.doc_ids() == {"story:1"}


def test_one_commit_per_batch(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    commits: list[int] = []
    original = SegmentWriter.commit

    def counting_commit(self: SegmentWriter, *args: Any, **kwargs: Any) -> None:
        commits.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(SegmentWriter, "commit", counting_commit)
    # In this process: with worker processes a long backlog goes in larger batches.
    monkeypatch.setenv(workers.ENV, "1")
    queue.put(*(make_doc(i, f"Story {i}", "routine text") for i in range(1, 1201)))
    queue.put(make_doc(5, "Story 5 revised", "routine text"))
    assert index.drain(queue, batch_size=500) == 1201
    assert len(commits) == 3
    assert queue.acknowledged == [500, 1000, 1201]
    assert index.document_count() == 1200


def test_reapplying_an_unacknowledged_batch_is_harmless(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue.put(make_doc(1, "Seawall vote", "The town voted to rebuild the seawall."))
    queue.put(make_doc(2, "Ferry schedule", "Fewer crossings this winter."))

    def die(up_to_seq: int) -> None:
        raise KeyboardInterrupt  # the process stops after the index commit

    monkeypatch.setattr(queue, "acknowledge", die)
    with pytest.raises(KeyboardInterrupt):
        index.drain(queue)
    monkeypatch.undo()
    assert queue.pending_count() == 2, "nothing was acknowledged"
    assert index.drain(queue) == 2
    assert index.document_count() == 2
    assert titles(index, "seawall") == ["Seawall vote"]


def test_a_failed_batch_leaves_the_index_writable(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "Broken", "text"))

    def broken(changes: object) -> dict[tuple[str, int], object]:
        return {("story", 1): object()}

    original = queue.documents_for
    queue.documents_for = broken  # type: ignore[assignment,method-assign]
    with pytest.raises(AttributeError):
        index.drain(queue)
    queue.documents_for = original  # type: ignore[method-assign]
    assert index.drain(queue) == 1, "the failed writer released the lock"


def test_rebuild_replaces_the_index_and_acknowledges_what_it_saw(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "Old one", "stale"), make_doc(2, "Old two", "stale"))
    index.drain(queue)
    # The database moved on without the index hearing of most of it.
    queue.documents = {
        (ItemKind.STORY, i): make_doc(i, f"New {i}", "fresh text") for i in range(10, 1110)
    }
    queue.enqueue("story", 10)
    seen_before_rebuild = queue.changes[-1].seq
    original_all = queue.all_documents

    def all_documents(batch_size: int) -> list[list[Any]]:
        batches = original_all(batch_size)
        queue.put(make_doc(3, "Arrived during rebuild", "late"))  # a write lands meanwhile
        return batches

    queue.all_documents = all_documents  # type: ignore[method-assign]
    assert index.rebuild(queue) == 1100
    assert not index.needs_rebuild
    assert index.document_count() == 1100
    assert "story:1" not in index.doc_ids() and "story:10" in index.doc_ids()
    assert titles(index, "stale") == []
    assert queue.acknowledged[-1] == seen_before_rebuild
    assert [c.item_id for c in queue.changes] == [3], "the late change stays queued"
    assert index.drain(queue) == 1
    assert titles(index, "late") == ["Arrived during rebuild"]


def test_rebuild_of_an_empty_queue_empties_the_index(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "Going", "away"))
    index.drain(queue)
    queue.documents = {}
    assert index.rebuild(queue) == 0
    assert index.document_count() == 0
    assert queue.acknowledged == [1]
