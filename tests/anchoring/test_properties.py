"""Rules re-anchoring keeps for every text and every edit: a quote that still occurs once is
found there; a highlight is never placed on other words while claiming to be anchored; the
approximate matcher agrees with the textbook dynamic programme."""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import event, given, settings
from hypothesis import strategies as st

from reader._anchoring import (
    ANCHORED,
    CHANGED,
    ORPHAN,
    Placement,
    PositionMap,
    Selector,
    needs_repair,
    reanchor,
    relocate,
    selector_for_range,
    word_diff,
)
from reader._anchoring.approximate import Match, edit_distance, search

# A small vocabulary makes quotes repeat (context must choose); random words make them unique.
WORDS = st.sampled_from(
    [
        "the",
        "port",
        "tide",
        "gauge",
        "closed",
        "quay",
        "trucks",
        "harbour",
        "river",
        "grain",
        "barge",
        "said",
        "on",
        "a",
    ]
) | st.text(string.ascii_lowercase, min_size=1, max_size=8)
SENTENCES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
TEXTS = st.lists(SENTENCES, min_size=1, max_size=6).map("\n".join)
INSERTS = SENTENCES | st.sampled_from([" ", "\n", ", ", "new words here "])


@dataclass(frozen=True)
class Case:
    old: str
    new: str
    selector: Selector
    edits: tuple[str, ...]


@st.composite
def edited_texts(draw: st.DrawFn) -> Case:
    old = draw(TEXTS)
    start = draw(st.integers(0, len(old) - 1))
    end = draw(st.integers(start + 1, min(len(old), start + 80)))
    new = old
    edits: list[str] = []
    for kind in draw(
        st.lists(st.sampled_from(["insert", "delete", "replace", "move"]), max_size=4)
    ):
        edits.append(kind)
        if kind == "move":
            paragraphs = new.split("\n")
            moved = paragraphs.pop(draw(st.integers(0, len(paragraphs) - 1)))
            paragraphs.insert(draw(st.integers(0, len(paragraphs))), moved)
            new = "\n".join(paragraphs)
            continue
        at = draw(st.integers(0, len(new)))
        until = at if kind == "insert" else draw(st.integers(at, min(len(new), at + 60)))
        added = "" if kind == "delete" else draw(INSERTS)
        new = new[:at] + added + new[until:]
    return Case(old, new, selector_for_range(old, start, end), tuple(edits))


def occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def assert_honest(text: str, quote: str, placement: Placement) -> None:
    """Anchored means on the quote; changed means placed on other words; an orphan is an
    empty range inside the text. Every one passes the show-time check as it stands."""
    if placement.status == ANCHORED:
        assert text[placement.start : placement.end] == quote
    elif placement.status == CHANGED:
        assert 0 <= placement.start < placement.end <= len(text)
        assert text[placement.start : placement.end] != quote
    else:
        assert placement.status == ORPHAN
        assert 0 <= placement.start == placement.end <= len(text)
    assert not needs_repair(text, placement.start, placement.end, quote, placement.status)


@settings(max_examples=300, deadline=None)
@given(edited_texts())
def test_a_new_version_never_misplaces_a_highlight(case: Case) -> None:
    quote = case.selector.quote
    [placement] = relocate(case.old, case.new, [case.selector])
    assert_honest(case.new, quote, placement)
    found = occurrences(case.new, quote)
    event(f"{placement.status}, quote found {min(len(found), 2)} time(s)")
    if len(found) == 1:
        assert (placement.start, placement.end, placement.status) == (
            found[0],
            found[0] + len(quote),
            ANCHORED,
        )
    elif found:
        assert placement.status == ANCHORED, "an exact quote beats any approximate match"


@settings(max_examples=200, deadline=None)
@given(edited_texts())
def test_show_time_repair_without_the_old_text_is_as_honest(case: Case) -> None:
    placement = reanchor(case.new, case.selector)
    assert_honest(case.new, case.selector.quote, placement)
    if len(occurrences(case.new, case.selector.quote)) == 1:
        assert placement.status == ANCHORED


@settings(max_examples=150, deadline=None)
@given(edited_texts())
def test_placing_again_on_the_same_text_changes_nothing(case: Case) -> None:
    [first] = relocate(case.old, case.new, [case.selector])
    if first.status != ANCHORED:
        return
    again = Selector(
        first.start,
        first.end,
        case.selector.quote,
        case.new[max(0, first.start - 32) : first.start],
        case.new[first.end : first.end + 32],
    )
    assert relocate(case.new, case.new, [again]) == [first]


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_an_unchanged_text_keeps_every_highlight_where_it_is(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = selector_for_range(text, start, end)
    assert relocate(text, text, [selector]) == [Placement(start, end, ANCHORED)]


@settings(max_examples=200, deadline=None)
@given(edited_texts())
def test_the_word_diff_gives_both_texts_back_and_maps_into_the_new_one(case: Case) -> None:
    ops = word_diff(case.old, case.new)
    assert "".join(op.old for op in ops) == case.old
    assert "".join(op.new for op in ops) == case.new
    assert all(op.old == op.new for op in ops if op.op == "equal")
    mapping = PositionMap(case.old, case.new)
    assert all(0 <= mapping.map(i) <= len(case.new) for i in range(len(case.old) + 1))


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


SMALL = st.text("abc ", max_size=14)


@settings(max_examples=300, deadline=None)
@given(SMALL, SMALL)
def test_edit_distance_is_levenshtein(a: str, b: str) -> None:
    assert edit_distance(a, b) == levenshtein(a, b)


@settings(max_examples=300, deadline=None)
@given(st.text("abcd ", max_size=40), st.text("abcd", min_size=1, max_size=9), st.integers(0, 3))
def test_search_finds_every_place_within_the_bound(text: str, pattern: str, k: int) -> None:
    matches = search(text, pattern, k)
    for match in matches:
        assert match.errors == levenshtein(pattern, text[match.start : match.end]) <= k
    for at in occurrences(text, pattern):
        assert Match(at, at + len(pattern), 0) in matches, "an exact occurrence is never missed"
