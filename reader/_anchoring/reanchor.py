"""Re-anchoring: where a highlight belongs once its story's text has changed.

In order: the exact quote (among several occurrences, the one whose context matches best, then
the nearest to where the highlight was); else an approximate match of the quote, scored on
quote, context and position the way web-annotation quote matchers do, if it scores well
enough ("changed"); else nowhere ("orphan"), with candidate places for the analyst to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reader._anchoring.approximate import search, similarity
from reader._anchoring.diff import PositionMap
from reader._anchoring.selectors import Selector
from reader.model import AnchorStatus, Candidate

ANCHORED = AnchorStatus.ANCHORED
CHANGED = AnchorStatus.CHANGED
ORPHAN = AnchorStatus.ORPHAN

MAX_ERROR_RATE = 0.4
"""An approximate match is at most this many edits per character of the quote away from it."""
CANDIDATE_ERROR_RATE = 0.6
"""The looser bound for places offered to an orphan: the analyst judges them."""
ACCEPT_SCORE = 0.6
"""An approximate match scoring less than this leaves the highlight an orphan."""

# Quote, prefix, suffix and position, weighed as Hypothesis does (hypothesis/client
# src/annotator/anchoring/match-quote.ts): the quote decides, context separates look-alikes,
# position breaks ties.
_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
_TOTAL_WEIGHT = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _POSITION_WEIGHT

_MAX_EXACT = 1000
"""Occurrences of an exact quote weighed; a quote found more often than this is a stop word."""
_MAX_APPROXIMATE = 200
"""Approximate matches scored in full, the fewest errors and nearest first."""

# A sentence: up to a full stop (or the like) before a space, or to the end of its line.
_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?…]+(?=\s)|(?=\n)|\Z)")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a highlight goes in the current text, and whether it is on its own words."""

    start: int
    end: int
    status: AnchorStatus


def needs_repair(text: str, start: int, end: int, quote: str, status: AnchorStatus) -> bool:
    """Whether a stored highlight does not fit ``text`` as its status says it should."""
    if status == ANCHORED:
        return not (0 <= start < end <= len(text) and text[start:end] == quote)
    if status == CHANGED:
        return not 0 <= start < end <= len(text) or text[start:end] == quote
    return not 0 <= start <= end <= len(text)


def reanchor(text: str, selector: Selector, *, expected: int | None = None) -> Placement:
    """Where ``selector`` belongs in ``text``. ``expected`` says where it should start (by
    default its stored start); an orphan is left there as an empty range."""
    start = selector.start if expected is None else expected
    if selector.quote:
        exact = _exact(text, selector, start)
        if exact is not None:
            return exact
        scored = _approximate(text, selector, start, MAX_ERROR_RATE)
        if scored:
            score, found_start, found_end = max(scored, key=lambda item: item[0])
            if score >= ACCEPT_SCORE:
                return Placement(found_start, found_end, CHANGED)
    start = min(max(start, 0), len(text))
    return Placement(start, start, ORPHAN)


def relocate(old_text: str, new_text: str, selectors: Sequence[Selector]) -> list[Placement]:
    """Placements in ``new_text`` for highlights made on ``old_text``: each is expected where
    the word diff carries its old position."""
    mapping = PositionMap(old_text, new_text)
    return [reanchor(new_text, s, expected=mapping.map(s.start)) for s in selectors]


def candidates(text: str, selector: Selector, *, limit: int = 3) -> list[Candidate]:
    """The best places in ``text`` for a highlight that has none, best first, not
    overlapping: loose approximate matches of the quote, and sentences (or runs of them as
    long as the quote) scored the same way."""
    if limit <= 0 or not text:
        return []
    expected = min(max(selector.start, 0), len(text))
    spans: dict[tuple[int, int], float] = {}
    for score, start, end in _approximate(text, selector, expected, CANDIDATE_ERROR_RATE):
        spans[start, end] = score
    for start, end in _sentence_runs(text, len(selector.quote)):
        if (start, end) not in spans:
            spans[start, end] = _score(text, selector, start, end, expected)
    chosen: list[Candidate] = []
    for (start, end), score in sorted(spans.items(), key=lambda item: (-item[1], item[0])):
        if any(start < other.end and other.start < end for other in chosen):
            continue
        chosen.append(Candidate(start, end, text[start:end], round(score, 3)))
        if len(chosen) == limit:
            break
    return chosen


def _exact(text: str, selector: Selector, expected: int) -> Placement | None:
    quote = selector.quote
    starts: list[int] = []
    found = text.find(quote)
    while found >= 0 and len(starts) < _MAX_EXACT:
        starts.append(found)
        found = text.find(quote, found + 1)
    if not starts:
        return None
    # Nearest first: the nearest occurrence with the very same context wins outright; else
    # the best context, nearness breaking ties (max keeps the first of equals).
    starts.sort(key=lambda start: abs(start - expected))
    stored = (selector.prefix, selector.suffix)
    best = next(
        (s for s in starts if _context(text, selector, s, s + len(quote)) == stored),
        None,
    )
    if best is None:
        best = max(starts, key=lambda s: _score(text, selector, s, s + len(quote), expected))
    return Placement(best, best + len(quote), ANCHORED)


def _approximate(
    text: str, selector: Selector, expected: int, error_rate: float
) -> list[tuple[float, int, int]]:
    quote = selector.quote
    max_errors = int(len(quote) * error_rate)
    if max_errors < 1:
        return []
    matches = sorted(
        search(text, quote, max_errors), key=lambda m: (m.errors, abs(m.start - expected))
    )
    return [
        (
            _score(text, selector, m.start, m.end, expected, 1.0 - m.errors / len(quote)),
            m.start,
            m.end,
        )
        for m in matches[:_MAX_APPROXIMATE]
    ]


def _score(
    text: str,
    selector: Selector,
    start: int,
    end: int,
    expected: int,
    quote_similarity: float | None = None,
) -> float:
    """0..1: how well ``text[start:end]`` stands for the highlight."""
    if quote_similarity is None:
        quote_similarity = similarity(selector.quote, text[start:end])
    before, after = _context(text, selector, start, end)
    closeness = 1.0 - abs(start - expected) / max(len(text), 1)
    total = (
        _QUOTE_WEIGHT * quote_similarity
        + _PREFIX_WEIGHT * similarity(selector.prefix, before)
        + _SUFFIX_WEIGHT * similarity(selector.suffix, after)
        + _POSITION_WEIGHT * closeness
    )
    return total / _TOTAL_WEIGHT


def _context(text: str, selector: Selector, start: int, end: int) -> tuple[str, str]:
    """The text either side of ``start:end``, as long as the selector's stored context (which
    is shorter than CONTEXT_CHARS only at the edges of the text it was made on)."""
    before = text[max(0, start - len(selector.prefix)) : start]
    return before, text[end : end + len(selector.suffix)]


def _sentence_runs(text: str, length: int) -> Iterator[tuple[int, int]]:
    """Each sentence, and from each sentence the shortest run of sentences at least
    ``length`` long (a quote may span several)."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    for index, (start, end) in enumerate(sentences):
        yield start, end
        last = index
        while end - start < length and last + 1 < len(sentences):
            last += 1
            end = sentences[last][1]
        if last > index:
            yield start, end
