"""Re-anchoring by example: context chooses between identical quotes, a one-word edit is found
and flagged, a deleted paragraph leaves an orphan with candidate places."""

from __future__ import annotations

from itertools import pairwise

from reader._anchoring import (
    ANCHORED,
    CHANGED,
    ORPHAN,
    Placement,
    candidates,
    reanchor,
    relocate,
    selector_for_quote,
    selector_for_range,
    word_diff,
)
from reader.model import DiffOp

HARBOUR = (
    "The harbour master said the port closed at noon because of the storm.\n"
    "Grain barges waited downstream for the water to fall below the quay wall.\n"
    "By evening the ferry company said the port closed to cars until Tuesday."
)


def second(text: str, quote: str) -> int:
    return text.index(quote, text.index(quote) + 1)


def test_context_chooses_between_two_identical_quotes() -> None:
    at = second(HARBOUR, "said the port closed")
    selector = selector_for_range(HARBOUR, at, at + len("said the port closed"))
    # The paragraphs change places, and the old offset now lies in the other occurrence's
    # paragraph: only the context tells them apart.
    lines = HARBOUR.split("\n")
    swapped = "\n".join([lines[2], lines[0], lines[1]])
    placement = reanchor(swapped, selector, expected=swapped.index("said the port closed"))
    assert placement.status == ANCHORED
    assert swapped[: placement.start].endswith("the ferry company ")
    [through_diff] = relocate(HARBOUR, swapped, [selector])
    assert through_diff == placement


def test_nearness_breaks_a_tie_of_context() -> None:
    text = "one two. one two. one two."
    selector = selector_for_range(text, 9, 16)
    assert reanchor(text, selector) == Placement(9, 16, ANCHORED)


def test_a_one_word_edit_is_found_and_flagged_changed() -> None:
    selector = selector_for_quote(HARBOUR, "waited downstream for the water to fall")
    edited = HARBOUR.replace("waited downstream", "waited upstream")
    [placement] = relocate(HARBOUR, edited, [selector])
    assert placement.status == CHANGED
    assert edited[placement.start : placement.end] == "waited upstream for the water to fall"


def test_a_moved_paragraph_takes_its_highlight_along() -> None:
    selector = selector_for_quote(HARBOUR, "Grain barges waited downstream")
    lines = HARBOUR.split("\n")
    moved = "\n".join([lines[1], lines[0], lines[2]])
    assert relocate(HARBOUR, moved, [selector]) == [Placement(0, 30, ANCHORED)]


def test_a_deleted_paragraph_leaves_an_orphan_with_candidates() -> None:
    selector = selector_for_quote(HARBOUR, "Grain barges waited downstream for the water")
    lines = HARBOUR.split("\n")
    shorter = "\n".join([lines[0], lines[2]])
    [placement] = relocate(HARBOUR, shorter, [selector])
    assert placement.status == ORPHAN
    assert placement.start == placement.end == len(lines[0]) + 1, "where the paragraph was"

    found = candidates(shorter, selector, limit=3)
    assert 1 <= len(found) <= 3
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    for candidate in found:
        assert shorter[candidate.start : candidate.end] == candidate.text
        assert 0 < candidate.score < 1
    spans = sorted((c.start, c.end) for c in found)
    assert all(end <= start for (_, end), (start, _) in pairwise(spans)), "no overlaps"


def test_an_orphan_comes_back_when_its_words_return() -> None:
    selector = selector_for_quote(HARBOUR, "Grain barges waited downstream")
    without = HARBOUR.replace("Grain barges waited downstream", "Nothing")
    [gone] = relocate(HARBOUR, without, [selector])
    assert gone.status == ORPHAN
    [back] = relocate(without, HARBOUR, [selector])
    assert back == Placement(selector.start, selector.end, ANCHORED)


def test_an_unrelated_short_word_is_not_taken_for_the_quote() -> None:
    text = "The port is open."
    selector = selector_for_quote(text, "port")
    placement = reanchor("A sort of calm returned to the town square today.", selector)
    assert placement.status == ORPHAN


def test_word_diff_names_each_change() -> None:
    ops = word_diff("The port closed at noon.", "The port reopened at noon today.")
    assert ops == [
        DiffOp("equal", "The port ", "The port "),
        DiffOp("replace", "closed", "reopened"),
        DiffOp("equal", " at noon", " at noon"),
        DiffOp("insert", "", " today"),
        DiffOp("equal", ".", "."),
    ]
    assert [op.text for op in ops] == ["The port ", "reopened", " at noon", " today", "."]
