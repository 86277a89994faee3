"""Approximate string matching with Myers' bit-parallel algorithm: where a pattern occurs in a
text within a number of edits, and the edit distance between two strings.

Python's unbounded integers hold a bit-vector as long as the pattern, so one step per text
character handles a pattern of any length (G. Myers, "A fast bit-vector algorithm for
approximate string matching based on dynamic programming", JACM 1999; the search variant as
H. Hyyrö explains it, 2001).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Match:
    """``text[start:end]`` is within ``errors`` edits (insertions, deletions, substitutions)
    of the pattern."""

    start: int
    end: int
    errors: int


def _scores(pattern: str, text: str, *, free_start: bool) -> Iterator[int]:
    """After each character of ``text``, the edit distance between ``pattern`` and the best
    substring ending there (``free_start``), or the prefix of ``text`` read so far."""
    m = len(pattern)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    carry_in = 0 if free_start else 1
    pv, mv, score = full, 0, m
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry_in) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        yield score


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between ``a`` and ``b``."""
    if not a or not b:
        return len(a) + len(b)
    return deque(_scores(a, b, free_start=False), maxlen=1)[0]


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, falling to 0.0 as the edits approach the longer one's length."""
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - edit_distance(a, b) / longest


def search(text: str, pattern: str, max_errors: int) -> list[Match]:
    """Substrings of ``text`` within ``max_errors`` edits of ``pattern``, in text order.

    A match seen from the end positions next to it only gains errors, so only ends where
    the error count is at a local minimum are reported, each with the start that goes with it.
    """
    if not pattern or max_errors < 0:
        return []
    max_errors = min(max_errors, len(pattern) - 1)
    scores = list(_scores(pattern, text, free_start=True))
    ends = [
        index + 1
        for index, score in enumerate(scores)
        if score <= max_errors
        and (index == 0 or score <= scores[index - 1])
        and (index + 1 == len(scores) or score <= scores[index + 1])
    ]
    return [
        Match(_start(text, pattern, end, scores[end - 1]), end, scores[end - 1]) for end in ends
    ]


def _start(text: str, pattern: str, end: int, errors: int) -> int:
    """Where the match of ``pattern`` with ``errors`` edits ending at ``end`` starts: reading
    backwards from ``end``, the length with the fewest edits, nearest the pattern's length."""
    m = len(pattern)
    window = text[max(0, end - m - errors) : end][::-1]
    chosen, chosen_key = m, (errors + 1, 0)
    for length, score in enumerate(_scores(pattern[::-1], window, free_start=False), 1):
        key = (score, abs(length - m))
        if key < chosen_key:
            chosen, chosen_key = length, key
    return end - chosen
