"""normalize_text, canonical_text and content_hash: the rules highlights depend on."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from reader._parse import canonical_text, content_hash, normalize_text
from reader.model import Section

WHITESPACE = " \t\n\r\u00a0\u2009\u202f\u2028\u3000"
INVISIBLE = "\u200b\ufeff"
texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(WHITESPACE + INVISIBLE))


def test_whitespace_runs_become_one_space() -> None:
    assert normalize_text("  a\u00a0\u00a0b\tc\n\nd\u2009e\u202ff  ") == "a b c d e f"


def test_zero_width_characters_are_removed() -> None:
    assert normalize_text("open\u200bsource\ufeff") == "opensource"


def test_words_typos_and_punctuation_are_kept() -> None:
    text = "“It’s open-surce,” she said — really…"

    assert normalize_text(text) == text


def test_nfc() -> None:
    assert normalize_text("cafe\u0301") == "café"


@settings(max_examples=200)
@given(texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)

    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once and "\n" not in once


def test_canonical_text_block_rule() -> None:
    sections = [
        Section(None, ("Lead  paragraph (Wire).",)),
        Section("Why it matters:", ("First.", "Second."), ("One", "Two")),
        Section("By the numbers:", (), ("Three",)),
        Section(None, ("", " "), ("Four\u00a0five",)),
    ]

    assert canonical_text(sections) == (
        "Lead paragraph (Wire).\n"
        "Why it matters: First.\n"
        "Second.\n"
        "One\n"
        "Two\n"
        "By the numbers:\n"
        "Three\n"
        "Four five"
    )


sections = st.builds(
    Section,
    label=st.none() | texts,
    paragraphs=st.lists(texts, max_size=3).map(tuple),
    bullets=st.lists(texts, max_size=3).map(tuple),
)


@settings(max_examples=200)
@given(st.lists(sections, max_size=5))
def test_canonical_text_has_clean_blocks(secs: list[Section]) -> None:
    text = canonical_text(secs)

    assert "\n\n" not in text
    if text:
        for block in text.split("\n"):
            assert block and block == normalize_text(block)


def test_content_hash() -> None:
    expected = hashlib.sha256("Café title\nLine one\nLine two".encode()).hexdigest()

    assert content_hash("  Cafe\u0301\u00a0title ", "Line one\nLine two") == expected
    assert content_hash("A title", "Line one") != content_hash("A title", "Line two")
