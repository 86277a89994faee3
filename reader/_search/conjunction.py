"""The top hits of an AND of words, scored a segment at a time instead of a match at a time.

Two common words at 100,000 stories share tens of thousands of documents; Whoosh's top-N
collector leapfrogs the two posting lists and scores and collects each shared document in
turn, a dozen Python calls per match (block-max skipping rarely helps on news text, where
almost every block holds a document that could score high). That was the slowest tenth of
all searches (100-180 ms). Here, where the matcher is an intersection of plain on-disk
posting lists (the default search of two or more words, once Whoosh has simplified it), each
list is read whole a block at a time, the shared documents are found by set intersection,
and every one is scored with Whoosh's own BM25F arithmetic in the same order of operations, so
scores, ranking and ties are exactly what Whoosh's collector gives. Any other matcher (a
phrase, a prefix, an OR, a tag that exists as a tag) is collected by Whoosh as before.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import TopCollector
from whoosh.matching.binary import IntersectionMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer

from reader._search.postings import blocks


class ConjunctionCollector(TopCollector):  # type: ignore[misc]
    """Whoosh's :class:`TopCollector`, taking the fast path for the segments whose matcher is
    an intersection of plain posting lists."""

    fast_segments = 0
    """Segments answered by the fast path (for tests)."""

    def collect_matches(self) -> None:
        tree = None if self._use_final() else _plan(self.matcher.replace(0))
        if tree is None:
            super().collect_matches()
            return
        scores, docs = _scored(tree)
        self.fast_segments += 1
        if not docs:
            return
        best = heapq.nlargest(self.limit, zip(scores, (0 - doc for doc in docs), strict=True))
        # What the heap would have counted for the documents it then forgot.
        self.total += len(docs) - len(best)
        offset = self.offset
        for score, negated in best:
            self._collect(offset - negated, score)

    def _use_final(self) -> bool:
        return bool(self.top_searcher.weighting.use_final)


def _plan(matcher: Any) -> Any:
    """The intersection tree itself, or None when the matcher has another shape. A deletion
    filter may wrap the tree or its leaves (a segment reader filters each posting list)."""
    if not isinstance(matcher, IntersectionMatcher) or not _plain(matcher):
        return None
    return matcher


def _plain(matcher: Any) -> bool:
    if isinstance(matcher, IntersectionMatcher):
        return _plain(matcher.a) and _plain(matcher.b)
    if isinstance(matcher, FilterMatcher):
        if not matcher._exclude:
            return False
        matcher = matcher.child
    return (
        type(matcher) is W3LeafMatcher
        and matcher.is_active()
        and type(matcher.scorer) is BM25FScorer
    )


def _scored(tree: Any) -> tuple[list[float], list[int]]:
    """Every document the tree matches in ascending order, and its score as Whoosh computes
    it."""
    leaves = _leaves(tree)
    postings = [_read_all(leaf) for leaf in leaves]
    sizes = [len(weights) for weights in postings]
    shared = set(postings[sizes.index(min(sizes))])
    for leaf, weights in zip(leaves, postings, strict=True):
        shared.intersection_update(weights)
        if isinstance(leaf, FilterMatcher):
            shared.difference_update(leaf._ids)
    docs = sorted(shared)
    by_leaf = {
        id(leaf): _leaf_scores(leaf, weights, docs)
        for leaf, weights in zip(leaves, postings, strict=True)
    }
    return _combined(tree, by_leaf), docs


def _leaves(matcher: Any) -> list[Any]:
    if isinstance(matcher, IntersectionMatcher):
        return [*_leaves(matcher.a), *_leaves(matcher.b)]
    return [matcher]


def _read_all(leaf: Any) -> dict[int, float]:
    """Document -> weight for the rest of one posting list."""
    if isinstance(leaf, FilterMatcher):
        leaf = leaf.child
    weights: dict[int, float] = {}
    for ids, block_weights, _values in blocks(leaf):
        weights.update(zip(ids, block_weights, strict=True))
    return weights


def _leaf_scores(leaf: Any, weights: dict[int, float], docs: list[int]) -> list[float]:
    """The leaf's ``score()`` for each of ``docs``: ``BM25FScorer._score(weight, dfl(doc))``
    spelt out with the very operations of :func:`whoosh.scoring.bm25`, so the floats are the
    same, times a filter's boost as FilterMatcher.score multiplies it."""
    boost = 1.0
    if isinstance(leaf, FilterMatcher):
        boost, leaf = leaf.boost, leaf.child
    scorer = leaf.scorer
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    dfl: Callable[[int], int] = scorer.dfl
    scores = [
        idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * dfl(doc) / avgfl)))
        for doc in docs
        for tf in (weights[doc],)
    ]
    if boost != 1.0:
        scores = [score * boost for score in scores]
    return scores


def _combined(tree: Any, by_leaf: dict[int, list[float]]) -> list[float]:
    """Each document's score as IntersectionMatcher.score adds them: a's plus b's, down the
    tree, in that order."""
    if isinstance(tree, IntersectionMatcher):
        return list(map(operator.add, _combined(tree.a, by_leaf), _combined(tree.b, by_leaf)))
    return by_leaf[id(tree)]
