"""The conjunction fast path gives exactly Whoosh's top hits: the same documents, scores and
order, over several segments with deletions, and it steps aside for any other query."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from whoosh.collectors import TopCollector

from reader._search import WhooshIndex, open_index, workers
from reader._search import index as index_module
from reader._search.conjunction import ConjunctionCollector
from tests.search.search_fakes import FakeQueue, make_doc

# A skewed vocabulary, so that some pairs share hundreds of documents and others a few.
WORDS = [f"w{n}" for n in range(60)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhooshIndex]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(workers.ENV, "0")
        patch.setattr(index_module, "PARALLEL_MIN", 100_000)
        rng = random.Random(3)
        queue = FakeQueue()
        with open_index(tmp_path_factory.mktemp("conjunction") / "index") as opened:
            for start in range(1, 1201, 300):
                queue.put(
                    *(
                        make_doc(
                            n,
                            " ".join(rng.choices(WORDS, WEIGHTS, k=4)),
                            " ".join(rng.choices(WORDS, WEIGHTS, k=rng.randint(5, 120))),
                        )
                        for n in range(start, start + 300)
                    )
                )
                opened.drain(queue, batch_size=300)
            # Deletions and updates in the older segments.
            for n in range(7, 1200, 19):
                queue.remove("story", n)
            queue.put(*(make_doc(n, "w0 w1 w2", "w3 w0 w0 w5") for n in range(3, 1200, 23)))
            opened.drain(queue, batch_size=1000)
            assert opened.segment_count() >= 4
            yield opened


def top(index: WhooshIndex, text: str, collector: TopCollector) -> list[tuple[int, float]]:
    query = index._parser.parse(text, None)
    with index._mutex:
        searcher = index._current_searcher()
        searcher.search_with_collector(query, collector)
        return [(hit.docnum, hit.score) for hit in collector.results()]


@pytest.mark.parametrize("seed", range(40))
def test_the_top_hits_are_whooshs_exactly(index: WhooshIndex, seed: int) -> None:
    rng = random.Random(seed)
    words = rng.sample(WORDS[:25], rng.choice([2, 2, 3, 4]))
    limit = rng.choice([1, 5, 21, 201])
    fast = ConjunctionCollector(limit)
    ours = top(index, " ".join(words), fast)
    theirs = top(index, " ".join(words), TopCollector(limit))
    assert ours == theirs
    assert fast.fast_segments > 0


@pytest.mark.parametrize("text", ["w0 OR w1", '"w0 w1"', "w0*", "w0 NOT w1", "w0"])
def test_other_queries_are_left_to_whoosh(index: WhooshIndex, text: str) -> None:
    fast = ConjunctionCollector(21)
    assert top(index, text, fast) == top(index, text, TopCollector(21))
    assert fast.fast_segments == 0


def test_searches_take_the_fast_path(index: WhooshIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[int] = []
    real = ConjunctionCollector.collect_matches

    def counting(self: ConjunctionCollector) -> None:
        real(self)
        used.append(self.fast_segments)

    monkeypatch.setattr(ConjunctionCollector, "collect_matches", counting)
    hits = index.search("w0 w1", limit=20)
    assert len(hits) == 20 and sum(used) >= 1
