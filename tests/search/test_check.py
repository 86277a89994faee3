"""The index's side of ``check``: each document stores the fingerprint of what it was given,
``compare`` finds documents missing, extra or stale batch by batch, ``verify`` reads every
segment, and damage met by a search is one line and marks the index for rebuilding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader._protocols import FingerprintBatch, IndexDocument, fingerprint
from reader._search import IndexDamagedError, WhooshIndex, open_index
from reader.model import ItemKind
from tests.search.search_fakes import FakeQueue, flip_middle, make_doc


def _batches(docs: list[IndexDocument], size: int = 2) -> list[FingerprintBatch]:
    """What the database side gives: per kind, id ranges covering every id."""
    batches = []
    for kind in ItemKind:
        mine = sorted((d for d in docs if d.kind == kind), key=lambda d: d.item_id)
        chunks = [mine[i : i + size] for i in range(0, len(mine), size)] or [[]]
        for n, chunk in enumerate(chunks):
            start = None if n == 0 else chunk[0].item_id
            end = None if n == len(chunks) - 1 else chunks[n + 1][0].item_id
            batches.append(
                FingerprintBatch(kind, start, end, {d.doc_id: fingerprint(d) for d in chunk})
            )
    return batches


def _docs() -> list[IndexDocument]:
    return [
        *(make_doc(i, f"Story {i}", f"Tugboats and barges, item {i}.") for i in range(1, 8)),
        make_doc(3, "Story 3", "A highlight", kind="highlight", story_id=3, color="yellow"),
        make_doc(4, "Story 4", "A note", kind="note", story_id=4),
    ]


def test_the_fingerprint_covers_every_indexed_field() -> None:
    doc = make_doc(1, "Title", "Body", source="Wire", labels="Why", tags=("a",), color="red")
    changed = [
        replace(doc, title="Other"),
        replace(doc, body="Other"),
        replace(doc, source="Other"),
        replace(doc, labels="Other"),
        replace(doc, tags=("b",)),
        replace(doc, color="blue"),
        replace(doc, story_id=2),
        replace(doc, kind=ItemKind.NOTE),
    ]
    assert len({fingerprint(d) for d in [doc, *changed]}) == len(changed) + 1
    assert fingerprint(doc) == fingerprint(replace(doc))


def test_an_index_that_agrees_has_no_differences(index: WhooshIndex, queue: FakeQueue) -> None:
    docs = _docs()
    queue.put(*docs)
    index.drain(queue, batch_size=3)
    assert not index.compare(_batches(docs))


def test_compare_finds_stale_missing_and_extra(index: WhooshIndex, queue: FakeQueue) -> None:
    docs = _docs()
    queue.put(*docs)
    index.drain(queue)
    truth = [
        replace(docs[1], body="Rewritten behind the index's back"),
        *docs[2:],
        make_doc(50, "Story 50", "Never indexed"),
    ]
    found = index.compare(_batches(truth))
    assert found.stale == ("story:2",)
    assert found.missing == ("story:50",)
    assert found.extra == ("story:1",)


def _filled(directory: Path) -> None:
    queue = FakeQueue()
    queue.put(
        *(make_doc(i, f"Story {i}", f"Tugboats and barges, item {i}. " * 20) for i in range(200))
    )
    with open_index(directory) as index:
        index.drain(queue, batch_size=100)


@pytest.mark.parametrize("part", ["pst", "_stored.col", "trm"])
def test_verify_finds_flipped_bytes_in_any_segment_file(tmp_path: Path, part: str) -> None:
    directory = tmp_path / "index"
    _filled(directory)
    with open_index(directory) as index:
        assert index.verify() is None
    for path in directory.glob(f"MAIN_*.{part}"):
        flip_middle(path)
    with open_index(directory) as index:
        found = index.verify()
        assert found is not None and "\n" not in found
        assert index.damaged is None, "verify only reports"


def test_damage_met_by_a_search_is_one_line_and_the_next_open_rebuilds(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    _filled(directory)
    for path in directory.glob("MAIN_*._stored.col"):
        flip_middle(path)
    with open_index(directory) as index:
        with pytest.raises(IndexDamagedError) as raised:
            index.search("tugboats", limit=300)
        assert "\n" not in str(raised.value) and raised.value.reason.startswith("zlib.error")
        assert index.damaged == raised.value.reason
    with open_index(directory) as reopened:
        assert reopened.needs_rebuild and reopened.document_count() == 0
        assert reopened.rebuilt_reason is not None
        assert reopened.rebuilt_reason.startswith("search index was damaged (zlib.error")
    assert (tmp_path / "index.corrupt").is_dir()
    with open_index(directory) as again:
        assert not again.needs_rebuild
