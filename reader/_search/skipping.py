"""Skipping within a block of postings by binary search.

An AND of two words is answered by leapfrogging: each word's postings skip to the other's
current document. Whoosh's on-disk matcher skips whole blocks by their last id, then steps
through the block one posting at a time, three Python calls a step; at 100,000 stories a
two-word query of common words took 60-200 ms, most of it there. The block's ids are a sorted
tuple already in memory, so the step is one ``bisect_left``; the postings met are the same.

Installed on Whoosh's ``W3LeafMatcher`` by :func:`install`, which the index module calls when
it is imported, as the codec offers no hook to choose the matcher class.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar

_whoosh_skip_to = W3LeafMatcher.skip_to


def skip_to(self: Any, targetid: int) -> None:
    """Move to the first posting whose id is at least ``targetid`` (Whoosh's contract)."""
    if not self.is_active():
        raise ReadTooFar
    if self._ids is None:
        self._read_ids()
    if targetid <= self._ids[self._i]:
        return
    if targetid > self._maxid:
        # Whole blocks whose last id is below the target, as Whoosh skips them.
        while self.is_active() and targetid > self._maxid:
            self._next_block()
        if not self.is_active():
            return
        if self._ids is None:
            self._read_ids()
    # The block's last id is at least the target, so the posting is in this block.
    self._i = bisect_left(self._ids, targetid, self._i)


def install() -> None:
    """Use :func:`skip_to` for every on-disk posting list (idempotent)."""
    W3LeafMatcher.skip_to = skip_to


def uninstall() -> None:
    """Whoosh's own stepping again (for tests comparing the two)."""
    W3LeafMatcher.skip_to = _whoosh_skip_to
