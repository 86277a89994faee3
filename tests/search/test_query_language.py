"""The query language: fields and their aliases, phrases, prefixes, boolean operators, date
ranges, and a one-line InvalidQueryError for everything Whoosh would silently get wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reader._search import WhooshIndex
from reader.errors import InvalidQueryError
from tests.search.search_fakes import FakeQueue, make_doc

SMELTERS_DAY = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
STRIKE_DAY = datetime(2025, 3, 31, 22, 0)


@pytest.fixture
def filled(index: WhooshIndex, queue: FakeQueue) -> WhooshIndex:
    queue.put(
        make_doc(
            1,
            "Copper smelters idle",
            "Two smelters in Chile halted output.",
            source="Reuters",
            labels="Why it matters",
            tags=["Metals", "supply chain"],
            published=SMELTERS_DAY,
        ),
        make_doc(
            2,
            "Port strike spreads",
            "Dockers at the harbour walked out; shipping is delayed.",
            source="The Financial Times",
            tags=["shipping"],
            published=STRIKE_DAY,
        ),
        make_doc(
            3,
            "Port strike spreads",
            "shipping is delayed",
            kind="highlight",
            story_id=2,
            color="yellow",
            published=STRIKE_DAY,
        ),
        make_doc(
            4,
            "Copper smelters idle",
            "Ask about copper contracts.",
            kind="note",
            story_id=1,
            published=SMELTERS_DAY,
        ),
        make_doc(
            5,
            "Portugal votes",
            "Voters went to the polls.",
            source="AP",
            published=datetime(2024, 12, 31, 12, 0),
        ),
        make_doc(6, "Harbour notes", "Nothing to report."),
    )
    index.drain(queue)
    return index


def found(index: WhooshIndex, query: str) -> set[str]:
    return {f"{hit.kind}:{hit.item_id}" for hit in index.search(query, limit=50)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("copper", {"story:1", "note:4"}),
        ("title:copper", {"story:1", "note:4"}),
        ("contracts", {"note:4"}),
        ("source:reuters", {"story:1"}),
        ('source:"financial times"', {"story:2"}),
        ("tag:metals", {"story:1"}),
        ('tag:"supply chain"', {"story:1"}),
        ("tags:shipping", {"story:2"}),
        ("label:matters", {"story:1"}),
        ("kind:highlight", {"highlight:3"}),
        ("kind:note copper", {"note:4"}),
        ("color:yellow", {"highlight:3"}),
        ("color:Yellow", {"highlight:3"}),
        ('"port strike"', {"story:2", "highlight:3"}),
        ('"strike port"', set()),
        ("port*", {"story:2", "highlight:3", "story:5"}),
        ("port AND dockers", {"story:2"}),
        ("copper OR portugal", {"story:1", "note:4", "story:5"}),
        ("port NOT kind:highlight", {"story:2"}),
        ("(copper OR portugal) AND NOT kind:note", {"story:1", "story:5"}),
    ],
)
def test_fields_and_operators(filled: WhooshIndex, query: str, expected: set[str]) -> None:
    assert found(filled, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2025", {"story:1", "story:2", "highlight:3", "note:4"}),
        ("date:2024", {"story:5"}),
        ("published:2024-12-31", {"story:5"}),
        ("date:2025-03", {"story:2", "highlight:3"}),
        ("date:>2025-01-15", {"story:2", "highlight:3"}),
        ("date:>=2025-01-15", {"story:1", "story:2", "highlight:3", "note:4"}),
        ("date:<2025", {"story:5"}),
        ("date:[2025-01-01 to 2025-03-31]", {"story:1", "story:2", "highlight:3", "note:4"}),
        ("date:[2025-02-01 to 2025-03-30]", set()),
        ('date:"march 2025" shipping', {"story:2", "highlight:3"}),
        ("copper date:[to 2025-01-31]", {"story:1", "note:4"}),
    ],
)
def test_date_ranges(filled: WhooshIndex, query: str, expected: set[str]) -> None:
    assert found(filled, query) == expected


def test_hits_carry_their_record(filled: WhooshIndex) -> None:
    hit = filled.search("kind:note copper")[0]
    assert (hit.kind, hit.item_id, hit.story_id) == ("note", 4, 1)
    assert hit.title == "Copper smelters idle"
    assert hit.published == SMELTERS_DAY, "the time zone survives the index"
    assert hit.score > 0
    story = filled.search("dockers")[0]
    assert story.source == "The Financial Times" and story.published == STRIKE_DAY
    assert filled.search("nothing")[0].published is None


def test_title_matches_rank_first(filled: WhooshIndex) -> None:
    hits = filled.search("harbour")
    assert [hit.item_id for hit in hits] == [6, 2]


def test_limit(filled: WhooshIndex) -> None:
    assert len(filled.search("copper OR port OR portugal", limit=2)) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ("(copper", "unbalanced parentheses"),
        ("copper)", "unbalanced parentheses"),
        ('"copper smelters', "unbalanced quotes"),
        ("date:[2025 to", "unbalanced brackets"),
        ("foo:bar", "unknown field 'foo'"),
        ("item_id:4", "unknown field 'item_id'"),
        ("date:notadate", "cannot read the date 'notadate'"),
        ("date:[2025-01-01 to whenever]", "cannot read the date 'whenever'"),
        ("date:2025-13-01", "cannot read the date '2025-13-01'"),
        ("kind:video", "unknown kind 'video'"),
        ("color:red", "unknown color 'red'"),
    ],
)
def test_invalid_queries(filled: WhooshIndex, query: str, message: str) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        filled.search(query)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_invalid_query_on_an_empty_index(index: WhooshIndex) -> None:
    with pytest.raises(InvalidQueryError, match="unknown field"):
        index.search("nosuchfield:copper")


def test_colons_in_ordinary_words_are_not_fields(filled: WhooshIndex) -> None:
    assert filled.search("10:30") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NOT NOT copper", {"story:1", "note:4"}),
        ("NOT NOT NOT NOT copper", {"story:1", "note:4"}),
        ("port AND NOT NOT dockers", {"story:2"}),
    ],
)
def test_double_negation_cancels(filled: WhooshIndex, query: str, expected: set[str]) -> None:
    """``NOT NOT harbor`` once gave an IndexError traceback from Whoosh's parser."""
    assert found(filled, query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(" * 4995 + "copper" + ")" * 4995, "the query is too long (9,996 characters"),
        ("(" * 40 + "copper" + ")" * 40, "the query nests 40 levels deep (the limit is 32)"),
        ("copper " * 400, "the query is too long"),
    ],
)
def test_queries_past_the_limits_are_one_line_errors(
    filled: WhooshIndex, query: str, message: str
) -> None:
    """4,995 parentheses once gave a RecursionError; an error never echoes the whole query."""
    with pytest.raises(InvalidQueryError) as caught:
        filled.search(query)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 200


def test_a_wildcard_or_range_that_stands_for_too_many_words_is_refused(
    index: WhooshIndex, queue: FakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader._search.query as query_module

    monkeypatch.setattr(query_module, "MAX_EXPANSION", 5)
    words = " ".join(f"alpha{n}" for n in range(8))
    queue.put(make_doc(1, "Many words", words), make_doc(2, "Few", "beta1 beta2"))
    index.drain(queue)
    for query in ("alpha*", "[alpha0 to alpha7]", "alph?1 OR alpha*"):
        with pytest.raises(InvalidQueryError, match="stands for more than 5 words"):
            index.search(query)
    assert [hit.item_id for hit in index.search("beta*")] == [2]
    assert [hit.item_id for hit in index.search("alpha3")] == [1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:>banana", "cannot read the date 'banana' (use 2025, 2025-03, 2025-03-31"),
        ("title:(port OR", "unbalanced parentheses: '(' without ')'"),
        ("color:chartreuse", "unknown color 'chartreuse' (colors: blue, green, pink, purple"),
        ('"unclosed', 'unbalanced quotes: a phrase is missing its closing "'),
    ],
)
def test_the_mistakes_analysts_make_are_named_in_one_line(
    filled: WhooshIndex, query: str, message: str
) -> None:
    """Issue 12: each message says what is wrong, so the search box can show it in full."""
    with pytest.raises(InvalidQueryError) as caught:
        filled.search(query)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 120
