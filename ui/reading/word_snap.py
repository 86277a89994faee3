"""Snaps a selection in a story's text to whole words before it becomes a highlight: an end
inside a word extends to the word's edge, and spaces and punctuation at either end are trimmed.
Scripts written without spaces (Chinese, Japanese, Thai …) snap to the character."""

from __future__ import annotations

import unicodedata

JOINERS = frozenset("'’-‐")
"""Inside a word between two letters ("don't", "well-known"), these belong to the word."""
NUMBER_JOINERS = frozenset(",.")
"""Between two digits ("1,300", "2.6"), these belong to the number."""

_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script that puts no spaces between words."""
    code = ord(ch)
    return any(low <= code <= high for low, high in _UNSPACED)


def is_word_char(ch: str) -> bool:
    """A letter, digit or combining mark of a spaced script (an underscore counts too)."""
    if unspaced(ch):
        return False
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def _trimmed(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith(("P", "Z", "C"))


def _joined(text: str, i: int) -> bool:
    """Whether the characters at ``i - 1`` and ``i`` are in one word."""
    if i <= 0 or i >= len(text):
        return False
    left, right = text[i - 1], text[i]
    if is_word_char(left) and is_word_char(right):
        return True
    if right in JOINERS | NUMBER_JOINERS and i + 1 < len(text):
        return _bridges(left, right, text[i + 1])
    if left in JOINERS | NUMBER_JOINERS and i >= 2:
        return _bridges(text[i - 2], left, right)
    return False


def _bridges(before: str, joiner: str, after: str) -> bool:
    if joiner in NUMBER_JOINERS:
        return before.isdigit() and after.isdigit()
    return is_word_char(before) and is_word_char(after)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` widened to whole words and trimmed of spaces and punctuation at the
    ends; None when nothing but those is selected."""
    start, end = max(0, start), min(len(text), end)
    while start < end and _trimmed(text[start]):
        start += 1
    while end > start and _trimmed(text[end - 1]):
        end -= 1
    if start >= end:
        return None
    while _joined(text, start):
        start -= 1
    while _joined(text, end):
        end += 1
    return start, end
