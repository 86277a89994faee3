"""Plain text to blocks: blank lines separate paragraphs, "•"/"-" lines are bullets, and a
short unpunctuated line on its own is a headline."""

from __future__ import annotations

import re

from reader._parse.blocks import (
    HEADLINE_LEVEL,
    Block,
    Kind,
    furniture_url,
    is_furniture,
    word_count,
)
from reader._parse.text import normalize_text

_BULLET = re.compile(r"^\s*[•◦▪‣·*\-–]\s+(?P<text>\S.*)$")
_RULE = re.compile(r"^\s*(?:([-*_=~])\s*)(?:\1\s*){2,}$")
_MAX_HEADLINE_WORDS = 16
_MAX_HEADLINE_CHARS = 140
_MAX_TITLE_WORDS = 12
_MAX_TITLE_CHARS = 90
_LEADS_ON = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "but", "as", "that", "which", "who", "than", "into",
})  # fmt: skip
_OPENERS = "“\"‘'"
_NOT_HEADLINE_ENDINGS = ".,:;…!-–—)”\"'"


def plain_blocks(text: str) -> list[Block]:
    reader = _Reader()
    for line in text.splitlines():
        reader.line(line)
    reader.flush()
    return reader.blocks


def _heading_like(text: str) -> bool:
    """A line that reads as a headline: short, capitalized, no closing punctuation."""
    return (
        0 < word_count(text) <= _MAX_HEADLINE_WORDS
        and len(text) <= _MAX_HEADLINE_CHARS
        and (text[0].isupper() or text[0].isdigit() or text[0] in _OPENERS)
        and text[-1] not in _NOT_HEADLINE_ENDINGS
    )


def _title_line(first: str, second: str) -> bool:
    """A file's first line reads as its title over the line after it, not as the first line
    of a paragraph wrapped by hand: short and headline-like, not ending on a word that leads
    into more ("of", "the"), and the next line does not go on with its sentence."""
    return (
        _heading_like(first)
        and word_count(first) <= _MAX_TITLE_WORDS
        and len(first) <= _MAX_TITLE_CHARS
        and first.rsplit(" ", 1)[-1].casefold() not in _LEADS_ON
        and not second[:1].islower()
    )


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._para: list[str] = []
        self._bullet: list[str] | None = None

    def line(self, line: str) -> None:
        text = normalize_text(line)
        if not text:
            self.flush()
        elif _RULE.match(line):
            self.flush()
            self.blocks.append(Block(Kind.RULE, ""))
        elif is_furniture(text):
            self.flush()
            self.blocks.append(Block(Kind.MORE, text, href=furniture_url(text)))
        elif match := _BULLET.match(line):
            self.flush()
            self._bullet = [match.group("text")]
        elif self._bullet is not None and line[:1].isspace():
            # An indented line under a bullet continues it; a flush-left one ends the list.
            self._bullet.append(line)
        else:
            if self._bullet is not None:
                self.flush()
            self._para.append(line)

    def flush(self) -> None:
        if self._bullet is not None:
            self._add(Kind.BULLET, " ".join(self._bullet))
            self._bullet = None
        if not self._para:
            return
        lines, self._para = self._para, []
        first = normalize_text(lines[0])
        if len(lines) == 1 and _heading_like(first):
            self.blocks.append(Block(Kind.HEADING, first, HEADLINE_LEVEL))
        elif not self.blocks and len(lines) > 1 and _title_line(first, normalize_text(lines[1])):
            # A file's first line is its title even with no blank line after it.
            self.blocks.append(Block(Kind.HEADING, first, HEADLINE_LEVEL))
            self._add(Kind.PARA, " ".join(lines[1:]))
        else:
            self._add(Kind.PARA, " ".join(lines))

    def _add(self, kind: Kind, raw: str) -> None:
        text = normalize_text(raw)
        if text:
            self.blocks.append(Block(kind, text))
