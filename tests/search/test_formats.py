"""The catch-all field's postings: the analyzer's fast ``postings()`` gives exactly the tokens of
its token stream, and the compact encoding gives back every position and character offset."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Characters

from reader._search.analysis import PART_BREAK, all_text_analyzer
from reader._search.formats import CompactCharacters, decode_flat, encode_flat
from reader._search.schema import ALL_TEXT, build_schema

ANALYZER = all_text_analyzer(2.0)

# Words of several scripts, stop words, dotted numbers, accents in both forms, CJK runs of
# every length, punctuation and the break between parts.
PIECES = [
    "Port",
    "tariffs",
    "the",
    "and",
    "U.S.",
    "3.5",
    "café",
    "cafe\u0301",
    "Łódź",
    "上海港口",
    "港",
    "東京の会社",
    "서울",
    "мост",
    "e-mail",
    ",",
    " ",
    "\n",
    PART_BREAK,
]


def from_stream(value: str) -> dict[str, list[float]]:
    """What Whoosh's own Characters format keeps, from the analyzer's token stream."""
    found: dict[str, list[float]] = defaultdict(lambda: [0.0])
    for token in ANALYZER(value, positions=True, chars=True, boosts=True, mode="index"):
        entry = found[token.text]
        entry[0] += token.boost
        entry += (token.pos, token.startchar, token.endchar)
    return dict(found)


def test_a_story_gives_the_tokens_of_the_stream() -> None:
    value = PART_BREAK.join(
        [
            "Port tariffs rise at the port",
            "The port of 上海港 raised fees by 3.5 % for U.S. ships. Café owners and the port.",
            "Harbor Ledger",
            "Why it matters",
        ]
    )
    fast = ANALYZER.postings(value)
    assert fast == from_stream(value)
    # The title's words weigh twice: "port" is there twice, and twice in the body.
    assert fast["port"][0] == 2 * 2.0 + 2


@given(st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join))
def test_any_text_gives_the_tokens_of_the_stream(value: str) -> None:
    assert ANALYZER.postings(value) == from_stream(value)


triples = st.lists(
    st.tuples(
        st.integers(0, 200), st.integers(0, 70_000), st.integers(1, 70_000)
    ),  # position step, start step, length
    min_size=1,
    max_size=40,
)


@given(triples)
def test_the_encoding_gives_back_every_occurrence(steps: list[tuple[int, int, int]]) -> None:
    flat: list[int] = []
    pos = start = 0
    for pos_step, start_step, length in steps:
        pos += pos_step
        start += start_step
        flat += (pos, start, start + length)
    value = encode_flat(flat)
    expected = [tuple(flat[i : i + 3]) for i in range(0, len(flat), 3)]
    assert list(decode_flat(value)) == expected
    fmt = CompactCharacters()
    # The frequency is read as Whoosh reads its own: the count in the first four bytes.
    assert fmt.decode_frequency(value) == Characters().decode_frequency(value) == len(steps)
    assert fmt.decode_positions(value) == [p for p, _s, _e in expected]
    assert fmt.decode_characters(value) == expected
    # A value the leading-field offset skips into is read the same.
    assert encode_flat([9, 9, 9, *flat], 3) == value


def test_the_common_posting_is_small() -> None:
    # One occurrence: the count, the width and three 16-bit numbers.
    assert len(encode_flat([412, 2_950, 2_957])) == 4 + 1 + 6


def test_the_catch_all_field_is_filled_through_the_fast_path() -> None:
    field = build_schema()[ALL_TEXT]
    assert isinstance(field.format, CompactCharacters)
    value = PART_BREAK.join(["Port fees", "The port raised fees", "", ""])
    values = {term: (freq, weight, raw) for term, freq, weight, raw in field.index(value)}
    assert set(values) == {b"port", b"fee", b"rais"}
    freq, weight, raw = values[b"port"]
    assert (freq, weight) == (2, 3.0)
    assert field.format.decode_characters(raw) == [(0, 0, 4), (102, 14, 18)]
