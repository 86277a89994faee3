"""Highlights <-> canonical text: turning a quote or a selection into a text-quote/position
selector, and checking a stored selector against the story's current text."""

from __future__ import annotations

from dataclasses import dataclass

from reader.errors import QuoteNotFoundError

CONTEXT_CHARS = 32


@dataclass(frozen=True, slots=True)
class Selector:
    """A passage of a story's canonical text, by position and by quote with context."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def selector_for_range(text: str, start: int, end: int) -> Selector:
    """The selector for ``text[start:end]``; raises ValueError for an empty or bad range."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"selection {start}-{end} is outside the story's text (0-{len(text)})")
    return Selector(
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def selector_for_quote(text: str, quote: str) -> Selector:
    """The selector for the first occurrence of ``quote`` in ``text``.

    The quote is matched after the same whitespace folding the canonical text had, so a quote
    copied with a line break or a non-breaking space still finds its words.
    """
    wanted = " ".join(quote.split())
    if not wanted:
        raise QuoteNotFoundError("the quote is empty")
    start = text.find(wanted)
    if start < 0:
        shown = wanted if len(wanted) <= 60 else wanted[:57] + "..."
        raise QuoteNotFoundError(f"quote not found in the story's text: {shown!r}")
    return selector_for_range(text, start, start + len(wanted))


def is_anchored(text: str, start: int, end: int, quote: str) -> bool:
    """Whether the stored position still holds the stored quote."""
    return 0 <= start < end <= len(text) and text[start:end] == quote
