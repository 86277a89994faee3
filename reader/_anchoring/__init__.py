"""Highlights <-> canonical text: quote/position selectors, and re-anchoring highlights when a
story's text changes (exact, then approximate, else orphaned with candidate places)."""

from reader._anchoring.diff import PositionMap, word_diff
from reader._anchoring.reanchor import (
    ANCHORED,
    CHANGED,
    ORPHAN,
    Placement,
    candidates,
    needs_repair,
    reanchor,
    relocate,
)
from reader._anchoring.selectors import (
    CONTEXT_CHARS,
    Selector,
    is_anchored,
    selector_for_quote,
    selector_for_range,
)

__all__ = [
    "ANCHORED",
    "CHANGED",
    "CONTEXT_CHARS",
    "ORPHAN",
    "Placement",
    "PositionMap",
    "Selector",
    "candidates",
    "is_anchored",
    "needs_repair",
    "reanchor",
    "relocate",
    "selector_for_quote",
    "selector_for_range",
    "word_diff",
]
