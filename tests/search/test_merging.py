"""Merging segments: the fast merge writes what Whoosh's own merge writes; a merge beside the
writers lets drains go on meanwhile and takes in what they deleted; its unfinished files
survive other commits while it runs, and are deleted once its process is gone."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from reader._search import WhooshIndex, leftovers, merging, open_index, workers
from reader._search import index as index_module
from reader._search.index import INDEX_NAME, WRITER_OPTIONS
from reader._search.segment_writer import IndexSegmentWriter
from reader.errors import SearchError
from tests.search.search_fakes import FakeQueue, make_doc

WORDS = [
    "quay",
    "crane",
    "harbour",
    "freight",
    "ledger",
    "tariff",
    "berth",
    "pilot",
    "tugboat",
    "manifest",
]


@pytest.fixture(autouse=True)
def one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.ENV, "2")
    # Every drain here is applied in this process, a segment per batch.
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 100_000)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WhooshIndex]:
    with open_index(tmp_path / "index", lock_timeout=5) as opened:
        yield opened


def story(number: int, rng: random.Random, *, prefix: str = "Story") -> Any:
    return make_doc(
        number,
        f"{prefix} {number} {rng.choice(WORDS)}",
        " ".join(rng.choice(WORDS) for _ in range(25)) + f" number{number}",
        tags=[rng.choice(WORDS)],
        source=rng.choice(["Harbour Weekly", "Port Notes"]),
    )


def segmented(index: WhooshIndex, queue: FakeQueue, count: int = 160, per: int = 20) -> None:
    """``count`` stories in segments of ``per``, then updates and deletions in older ones."""
    rng = random.Random(7)
    for start in range(1, count + 1, per):
        queue.put(*(story(n, rng) for n in range(start, min(start + per, count + 1))))
        index.drain(queue, batch_size=per)
    queue.put(*(story(n, rng, prefix="Changed") for n in range(5, count, 13)))
    for number in range(3, count, 17):
        queue.remove("story", number)
    index.drain(queue, batch_size=500)


def segments(index: WhooshIndex) -> list[Any]:
    return list(index._ix._read_toc().segments)


def whoosh_merge(index: WhooshIndex, chosen: list[Any]) -> Any:
    writer = IndexSegmentWriter(index._ix, _lk=False, **WRITER_OPTIONS)
    for segment in chosen:
        reader = SegmentReader(index._ix.storage, index._ix.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = writer._finalize_segment()
    writer.is_closed = True
    return merged


def test_the_fast_merge_writes_what_whooshs_merge_writes(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    segmented(index, queue)
    chosen = segments(index)
    assert len(chosen) >= 8 and any(segment.has_deletions() for segment in chosen)
    storage, schema = index._ix.storage, index._ix.schema
    ours = merging.merge_segments(storage, schema, INDEX_NAME, chosen, dict(WRITER_OPTIONS))
    theirs = whoosh_merge(index, chosen)
    mine, whooshs = SegmentReader(storage, schema, ours), SegmentReader(storage, schema, theirs)
    try:
        assert ours.doc_count_all() == theirs.doc_count_all() == index.document_count()
        assert list(mine.iter_postings()) == list(whooshs.iter_postings())
        assert list(mine.iter_docs()) == list(whooshs.iter_docs())
        for name in schema.names():
            assert mine.field_length(name) == whooshs.field_length(name)
            assert [mine.doc_field_length(d, name) for d in range(ours.doc_count_all())] == [
                whooshs.doc_field_length(d, name) for d in range(theirs.doc_count_all())
            ]
    finally:
        mine.close()
        whooshs.close()


def test_a_merge_of_only_deleted_documents_writes_nothing(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "Gone soon"), make_doc(2, "Also gone"))
    index.drain(queue)
    queue.remove("story", 1)
    queue.remove("story", 2)
    index.drain(queue)
    storage, schema = index._ix.storage, index._ix.schema
    assert merging.merge_segments(storage, schema, INDEX_NAME, segments(index), {}) is None


def found(index: WhooshIndex, query: str) -> set[int]:
    return {hit.item_id for hit in index.search(query, limit=500)}


def test_drains_go_on_while_a_merge_runs_and_their_deletions_are_kept(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    segmented(index, queue)
    before = index.segment_count()
    # The worker waits for this file before it merges, so the drain below surely runs while
    # the merge is under way, whatever the machine's speed.
    gate = index.directory / "gate"
    monkeypatch.setenv(workers.MERGE_GATE_ENV, str(gate))
    assert index.start_merge()
    assert index.merging and leftovers.merge_under_way(index.directory)
    rng = random.Random(11)
    queue.put(story(7, rng, prefix="Rewritten"), story(500, rng, prefix="Newcomer"))
    queue.remove("story", 10)
    index.drain(queue)
    assert found(index, "rewritten") == {7} and 10 not in found(index, "quay OR crane OR pilot")
    gate.touch()
    assert index.finish_merge()
    assert not index.merging and not leftovers.merge_under_way(index.directory)
    # The merged one and the one the drain added meanwhile.
    assert index.segment_count() == 2 < before
    expected = {doc.item_id for doc in queue.documents.values()}
    assert index.doc_ids() == {f"story:{n}" for n in expected}
    assert index.document_count() == len(expected)
    assert found(index, "rewritten") == {7} and found(index, "newcomer") == {500}
    assert found(index, "story OR changed OR rewritten OR newcomer") == expected
    assert index.verify() is None


def test_a_merge_whose_segments_were_rebuilt_meanwhile_is_thrown_away(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    segmented(index, queue)
    gate = index.directory / "gate"
    monkeypatch.setenv(workers.MERGE_GATE_ENV, str(gate))
    assert index.start_merge()
    assert index.rebuild(queue) == len(queue.documents)
    gate.touch()
    assert not index.finish_merge()
    assert index.segment_count() == 1 and index.verify() is None
    assert index.document_count() == len(queue.documents)


def segment_files(index: WhooshIndex) -> set[str]:
    """Segment files the latest table of contents does not name."""
    named = {segment.segment_id() for segment in segments(index)}
    pattern = TOC._segment_pattern(INDEX_NAME)
    return {
        name
        for name in os.listdir(index.directory)
        if (match := pattern.match(name)) and match.group(1) not in named
    }


def test_unfinished_files_survive_other_commits_until_the_merging_process_is_gone(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "First"))
    index.drain(queue)
    stray = index.directory / f"{INDEX_NAME}_unfinishedsegment.pst"
    stray.write_bytes(b"half written")
    leftovers.mark_merging(index.directory)
    queue.put(make_doc(2, "Second"))
    index.drain(queue)
    assert stray.exists(), "a commit deleted the files of a merge under way"
    # A marker left by a process that died: its files are leftovers now.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    (index.directory / leftovers.MARKER_FILE).write_text(f'{{"pid": {gone.stdout.strip()}}}')
    assert not leftovers.merge_under_way(index.directory)
    queue.put(make_doc(3, "Third"))
    index.drain(queue)
    assert not stray.exists() and segment_files(index) == set()


def test_a_failed_merge_leaves_the_index_as_it_was(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    segmented(index, queue)
    before = index.segment_count()
    monkeypatch.setenv(workers.MERGE_GATE_ENV, str(index.directory / "never"))
    assert index.start_merge()
    assert index._merge is not None
    index._merge[1]._workers[0][0].kill()
    with pytest.raises(SearchError, match="an indexing process stopped"):
        index.finish_merge()
    assert not index.merging and not leftovers.merge_under_way(index.directory)
    assert index.segment_count() == before and index.verify() is None
    queue.put(make_doc(900, "After the failure"))
    index.drain(queue)
    assert segment_files(index) == set()


def test_closing_the_index_stops_a_merge_under_way(
    tmp_path: Path, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index(tmp_path / "index")
    segmented(index, queue)
    monkeypatch.setenv(workers.MERGE_GATE_ENV, str(tmp_path / "never"))
    assert index.start_merge()
    assert index._merge is not None
    process = index._merge[1]._workers[0][0]
    index.close()
    assert process.wait(10) is not None
    assert not leftovers.merge_under_way(index.directory)


def test_few_segments_are_not_merged(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(make_doc(1, "One"))
    index.drain(queue)
    queue.put(make_doc(2, "Two"))
    index.drain(queue)
    assert not index.start_merge()
    assert not index.merging


class Sized:
    def __init__(self, name: str, docs: int) -> None:
        self.name, self.docs = name, docs

    def segment_id(self) -> str:
        return self.name

    def doc_count_all(self) -> int:
        return self.docs


@pytest.mark.parametrize(
    ("sizes", "merged"),
    [
        # After a long backlog: everything, in the index's order.
        ([2000, 2000, 4000, 8000, 16000, 20000, 20000, 20000], "abcdefgh"),
        # A large merged segment and a few small ones since: only the small ones.
        ([98000, 900, 700, 1000, 400, 300, 200, 100], "bcdefgh"),
        ([6000, 900, 700, 1000, 400, 300, 200, 100], "abcdefgh"),
        # Too few segments to be worth a merge.
        ([2000, 2000, 4000, 8000, 16000, 20000, 20000], ""),
    ],
)
def test_a_merge_takes_all_but_a_segment_far_larger_than_the_rest(
    sizes: list[int], merged: str
) -> None:
    segments = [Sized(name, docs) for name, docs in zip("abcdefgh", sizes, strict=False)]
    chosen = index_module._background_choice(segments, index_module.MERGE_WHEN)
    assert "".join(segment.segment_id() for segment in chosen) == merged
