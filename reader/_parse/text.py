"""The canonical text of a story: whitespace normalization, the block rule highlights point
into, the layout of those blocks (kind, label, offsets, direction), and the content hash that
detects duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence

from reader.model import BlockKind, Section, TextBlock

# Invisible characters that split words for search and offsets but carry no text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
"""Arabic, Hebrew, Persian and Urdu: stories in them read right to left."""
SCRIPT_SAMPLE = 4000
"""How many characters of a story without a language tell its script."""


def normalize_text(s: str) -> str:
    """NFC, every whitespace run to one space, zero-width characters removed, stripped."""
    # Remove invisibles before NFC: removing one later could bring a base letter and a
    # combining mark together and make the result change on a second pass.
    composed = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return " ".join(composed.split())


def _section_blocks(section: Section) -> Iterator[tuple[BlockKind, str, str | None]]:
    """The raw blocks of one section with their kind and label: the label joins the first
    paragraph (or stands alone), then the bullets."""
    paras = list(section.paragraphs)
    label = section.label or None
    if label is not None and not paras:
        yield BlockKind.PARAGRAPH, label, label
    for i, para in enumerate(paras):
        if i == 0 and label is not None:
            yield BlockKind.PARAGRAPH, label + " " + para, label
        else:
            yield BlockKind.PARAGRAPH, para, None
    for bullet in section.bullets:
        yield BlockKind.BULLET, bullet, None


def block_layout(sections: Sequence[Section], *, rtl: bool = False) -> tuple[TextBlock, ...]:
    """The canonical blocks of ``sections``: normalized, empty ones dropped, with their offsets
    in the canonical text (the blocks joined by newlines)."""
    blocks: list[TextBlock] = []
    start = 0
    for section in sections:
        for kind, raw, raw_label in _section_blocks(section):
            text = normalize_text(raw)
            if not text:
                continue
            label = normalize_text(raw_label) if raw_label is not None else None
            if not label or not text.startswith(label):
                label = None
            blocks.append(TextBlock(kind, text, start, start + len(text), label, rtl))
            start += len(text) + 1
    return tuple(blocks)


def line_layout(text: str, *, rtl: bool = False) -> tuple[TextBlock, ...]:
    """``text`` as plain paragraphs, one per line."""
    blocks: list[TextBlock] = []
    start = 0
    for line in text.split("\n"):
        blocks.append(TextBlock(BlockKind.PARAGRAPH, line, start, start + len(line), None, rtl))
        start += len(line) + 1
    return tuple(blocks)


TITLE_CHARS = 100
"""A title made from a story's opening words is at most this long (and its ellipsis)."""
# The end of a sentence: after a small letter, a digit or a closing quote or bracket, before
# a capital ("U.S. Officials" ends none).
_SENTENCE_END = re.compile(
    r"(?<=[a-z0-9\u00df-\u00ff”’\"')\]])[.!?](?=\s+[\"“‘(]?[A-Z\u00c0-\u00de])"
)


def title_from(text: str) -> str:
    """A title for a story that has none: its first sentence when that fits in
    :data:`TITLE_CHARS` characters (without its full stop), else its opening words cut at a
    word boundary, with an ellipsis."""
    end = _SENTENCE_END.search(text, 0, TITLE_CHARS + 1)
    if end is not None:
        return text[: end.start()] if text[end.start()] == "." else text[: end.end()]
    if len(text) <= TITLE_CHARS:
        return text
    return text[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:—–- ") + "…"


def canonical_text(sections: Sequence[Section]) -> str:
    """The text highlights point into: one normalized block per line, no empty lines."""
    return "\n".join(block.text for block in block_layout(sections))


def mostly_rtl(text: str) -> bool:
    """Whether more of the letters in ``text`` are of a right-to-left script (Arabic, Hebrew,
    Syriac, Thaana …) than of a left-to-right one; digits and punctuation do not count."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr


def reads_rtl(language: str | None, title: str, text: str) -> bool:
    """Whether a story reads right to left: by its language, else by its script."""
    primary = (language or "").replace("_", "-").split("-")[0].lower()
    if primary in RTL_LANGUAGES:
        return True
    return mostly_rtl(f"{title}\n{text[:SCRIPT_SAMPLE]}")


def content_hash(title: str, text: str) -> str:
    """sha256 hex of the normalized title, a newline and the canonical text."""
    return hashlib.sha256((normalize_text(title) + "\n" + text).encode("utf-8")).hexdigest()
