"""What the fast paths must not change: a capped count, a kept-open searcher that sees every
commit, drain slices that never merge and optimize() that does, an index of the previous
version rebuilt, and snippets from stored offsets equal to those from re-reading the text."""

from __future__ import annotations

import json
from pathlib import Path

from reader._search import WhooshIndex, open_index
from reader._search.analysis import text_analyzer
from reader._search.index import VERSION_FILE
from reader._search.schema import SCHEMA_VERSION
from reader._search.snippets import excerpt, match_spans
from tests.search.search_fakes import FakeQueue, make_doc


def test_a_count_cut_off_by_the_limit_is_capped(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(*(make_doc(n, f"Harbour {n}", "Cranes at the quay.") for n in range(1, 6)))
    index.drain(queue)
    capped = index.search_results("harbour", limit=3)
    assert len(capped.hits) == 3 and capped.capped
    exact = index.search_results("harbour", limit=5)
    assert len(exact.hits) == 5 and not exact.capped
    assert not index.search_results("harbour", limit=9).capped
    assert [h.item_id for h in index.search("harbour", limit=3)] == [h.item_id for h in capped.hits]


def test_the_kept_searcher_sees_adds_updates_and_deletes(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(make_doc(1, "Ferry", "Crossings resume."), make_doc(2, "Grain", "Silo fire."))
    index.drain(queue)
    assert [h.item_id for h in index.search("crossings")] == [1]
    kept = index._searcher
    queue.put(make_doc(1, "Ferry", "Sailings cancelled."), make_doc(3, "Ferry two", "Crossings."))
    queue.remove("story", 2)
    index.drain(queue, batch_size=1)
    assert [h.item_id for h in index.search("crossings")] == [3]
    assert [h.item_id for h in index.search("sailings")] == [1]
    assert index.search("silo") == []
    assert index._searcher is not kept, "moved to the new commit"
    index.refresh()
    same = index._searcher
    assert index.search("ferry") and index._searcher is same, "no commit, no new searcher"


def test_a_search_of_the_empty_index_then_of_its_first_commit(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    # The first search keeps a searcher over no segment at all (the window searches before the
    # first batch of a new index is committed); the next one moves to the first commit.
    assert index.search("quay") == []
    queue.put(make_doc(1, "Quay cranes", "Idle at dawn."))
    index.drain(queue)
    assert [hit.item_id for hit in index.search("quay")] == [1]


def test_drain_never_merges_and_optimize_bounds_the_segments(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    queue.put(*(make_doc(n, f"Story {n}", f"Quay item {n}.") for n in range(1, 13)))
    index.drain(queue, batch_size=1)
    assert index.segment_count() == 12
    assert not index.optimize(max_segments=12)
    assert index.optimize(max_segments=3)
    assert index.segment_count() == 3
    assert index.document_count() == 12
    assert {h.item_id for h in index.search("quay", limit=50)} == set(range(1, 13))


def test_an_index_of_the_previous_version_is_rebuilt(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    queue = FakeQueue()
    queue.put(make_doc(1, "Old", "format"))
    with open_index(directory) as index:
        index.drain(queue)
    (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    with open_index(directory) as reopened:
        assert reopened.needs_rebuild and reopened.document_count() == 0
        assert reopened.rebuilt_reason is not None
        assert f"version {SCHEMA_VERSION - 1}, now {SCHEMA_VERSION}" in reopened.rebuilt_reason


def test_stored_offsets_give_the_snippet_re_reading_the_text_gives(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    title = "Strikes at Łódź: the dockers' vote"
    body = "Café owners near the port said striking DOCKERS voted; 上海港口 strikes too. " * 6
    queue.put(make_doc(1, title, body, source="Port Wire", labels="Why it matters"))
    index.drain(queue)
    for query in ("strike docker", "lodz", "上海港口", "port*", '"dockers voted"'):
        hit = index.search(query)[0]
        terms = set(hit.terms) | {query.strip('"*').split(":")[-1]}
        analyzer = text_analyzer()
        words = {token.text for word in terms for token in analyzer(word)}
        wanted = excerpt(
            title, body, match_spans(analyzer, title, words), match_spans(analyzer, body, words)
        )
        assert hit.snippet == wanted.html, query
        assert hit.terms == wanted.terms, query
