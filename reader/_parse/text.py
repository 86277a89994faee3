"""The canonical text of a story: whitespace normalization, the block rule highlights point
into, and the content hash that detects duplicates."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from reader.model import Section

# Invisible characters that split words for search and offsets but carry no text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def normalize_text(s: str) -> str:
    """NFC, every whitespace run to one space, zero-width characters removed, stripped."""
    # Remove invisibles before NFC: removing one later could bring a base letter and a
    # combining mark together and make the result change on a second pass.
    composed = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return " ".join(composed.split())


def _section_blocks(section: Section) -> list[str]:
    """The raw blocks of one section: its label joins the first paragraph, then bullets."""
    paras = list(section.paragraphs)
    if section.label:
        if paras:
            paras[0] = section.label + " " + paras[0]
        else:
            paras = [section.label]
    return paras + list(section.bullets)


def canonical_text(sections: Sequence[Section]) -> str:
    """The text highlights point into: one normalized block per line, no empty lines."""
    blocks = (normalize_text(b) for section in sections for b in _section_blocks(section))
    return "\n".join(b for b in blocks if b)


def content_hash(title: str, text: str) -> str:
    """sha256 hex of the normalized title, a newline and the canonical text."""
    return hashlib.sha256((normalize_text(title) + "\n" + text).encode("utf-8")).hexdigest()
