"""What the story list shows of a story's text without reading it: the word count its reading
time comes from and a one-line preview, worked out once when the text is stored."""

from __future__ import annotations

import re
from typing import Any

PREVIEW_CHARS = 140
"""About a line of the list under the title."""

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_SPACE = re.compile(r"\s+")


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The first words of ``text`` on one line, cut at a word with "…" when there is more."""
    line = _SPACE.sub(" ", text[: limit * 4]).strip()
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def text_columns(text: str) -> dict[str, Any]:
    """The stories row's ``word_count`` and ``preview`` for ``text``."""
    return {"word_count": word_count(text), "preview": preview(text)}
