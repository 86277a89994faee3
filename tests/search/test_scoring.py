"""The search's scorer reads each segment's field lengths once, and scores exactly as Whoosh's
BM25F does, over several segments and for documents missing a field."""

from __future__ import annotations

import pytest
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from reader._search import WhooshIndex
from reader._search.schema import ALL_TEXT
from tests.search.search_fakes import FakeQueue, make_doc


def test_scores_are_whoosh_s_own(index: WhooshIndex, queue: FakeQueue) -> None:
    for n in range(1, 31):
        words = " ".join(["quay"] * (n % 4 + 1) + ["filler"] * (n * 3))
        queue.put(make_doc(n, f"Story {n}" + (" quay" if n % 5 == 0 else ""), words))
    index.drain(queue, batch_size=7)
    assert index.segment_count() > 1
    ours = {hit.item_id: hit.score for hit in index.search("quay", limit=50)}
    plain = Searcher(index._ix.reader())
    try:
        query = Or([Term(ALL_TEXT, "quay"), Term("tags", "quay"), Term("labels", "quay")])
        theirs = {int(hit["item_id"]): hit.score for hit in plain.search(query, limit=50)}
    finally:
        plain.close()
    assert ours.keys() == theirs.keys() and len(ours) == 30
    for item_id, score in ours.items():
        assert score == pytest.approx(theirs[item_id], rel=1e-12)
    # Field lengths are cached with the kept segment readers, read once.
    readers = [leaf for leaf, _base in index._searcher.reader().leaf_readers()]
    assert all(ALL_TEXT in getattr(leaf, "_reader_field_lengths", {}) for leaf in readers)
