"""Codebook names in queries: ``color:risk`` means the colour the analyst calls "risk", names
compare without case and may be quoted, and an unknown one lists what there is."""

from __future__ import annotations

import pytest

from reader._search import WhooshIndex
from reader.errors import InvalidQueryError
from tests.search.search_fakes import FakeQueue, make_doc

NAMES = {"risk": "pink", "Open Question": "blue", "claim": "yellow"}


@pytest.fixture
def highlights(index: WhooshIndex, queue: FakeQueue) -> WhooshIndex:
    queue.put(
        make_doc(1, "Port strike", "dockers walked out", kind="highlight", color="pink"),
        make_doc(2, "Port strike", "shipping is delayed", kind="highlight", color="blue"),
        make_doc(3, "Port strike", "talks resume", kind="highlight", color="yellow"),
        make_doc(4, "Port strike", "Dockers walked out; shipping is delayed; talks resume."),
    )
    index.drain(queue)
    return index


def found(index: WhooshIndex, query: str) -> set[int]:
    return {hit.item_id for hit in index.search(query, limit=50, color_names=NAMES)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("color:risk", {1}),
        ("color:RISK", {1}),
        ("color:pink", {1}),
        ('color:"open question"', {2}),
        ("color:risk OR color:claim", {1, 3}),
        ("kind:highlight NOT color:risk", {2, 3}),
        ("shipping color:(risk OR blue)", {2}),
    ],
)
def test_names_stand_for_their_colours(
    highlights: WhooshIndex, query: str, expected: set[int]
) -> None:
    assert found(highlights, query) == expected


def test_an_unknown_name_lists_colours_and_names(highlights: WhooshIndex) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        highlights.search("color:danger", color_names=NAMES)
    message = str(caught.value)
    assert "unknown color 'danger'" in message
    assert "colors: blue, green, pink, purple, yellow" in message
    assert "names: claim, open question, risk" in message


def test_without_a_codebook_only_colours(highlights: WhooshIndex) -> None:
    assert {hit.item_id for hit in highlights.search("color:pink")} == {1}
    with pytest.raises(InvalidQueryError, match=r"unknown color 'risk' \(colors: [a-z, ]+\)$"):
        highlights.search("color:risk")
