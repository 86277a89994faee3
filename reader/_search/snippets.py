"""Search-result snippets: a short excerpt of a hit's text around its densest run of matches, with
the matched words marked and everything else HTML-escaped.

The excerpt comes from the body (a story's text, a highlight's quote, a note's text), so it
never repeats the title shown above it; a hit whose words are only in its title gets the start
of its body. Only a hit without a body falls back to its title. A word is marked only where
the field it was asked of is shown: ``title:`` words in the title, ``source:`` words in the
source line, unqualified words everywhere."""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from reader._search.query import MatchTerms
from reader._search.schema import body_offset

MARK_OPEN = '<b class="match">'
MARK_CLOSE = "</b>"
SNIPPET_CHARS = 200
MAX_TERMS = 50

_SPACE = re.compile(r"\s+")
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Snippet:
    """``html`` is the marked excerpt; ``terms`` the matched words as written in the text;
    ``title_terms`` and ``source_terms`` those to mark in the title and in the source line."""

    html: str
    terms: tuple[str, ...]
    title_terms: tuple[str, ...] = ()
    source_terms: tuple[str, ...] = ()


def excerpt(title: str, body: str, title_spans: list[Span], body_spans: list[Span]) -> Snippet:
    """The snippet of a hit: its body around the matches (or its start), else its title.
    The spans are where the matched words are, from the index or from :func:`match_spans`."""
    html_text = render(body, body_spans) if body.strip() else render(title, title_spans)
    surface = surface_terms(title, title_spans) + surface_terms(body, body_spans)
    return Snippet(html_text, tuple(dict.fromkeys(surface))[:MAX_TERMS])


def hit_snippet(
    analyzer: Any, fields: tuple[str, str, str], terms: MatchTerms, spans: list[Span] | None
) -> Snippet:
    """The snippet of a hit whose (title, body, source) are ``fields``: the body marked with
    the words asked of the whole text only. ``spans`` are where those words are in the
    document's catch-all text, from the postings (None: find them in the text)."""
    title, body, source = fields
    if spans is None:
        title_spans = match_spans(analyzer, title, terms.text)
        body_spans = match_spans(analyzer, body, terms.text)
    else:
        title_spans, body_spans = split_spans(spans, len(title), body_offset(title), len(body))
    found = excerpt(title, body, title_spans, body_spans)
    html_text = found.html
    if terms.title:
        title_spans = _merged(title_spans + match_spans(analyzer, title, terms.title))
        if not body.strip():
            html_text = render(title, title_spans)
    source_spans = match_spans(analyzer, source, terms.text | terms.source)
    return Snippet(
        html_text,
        found.terms,
        title_terms=tuple(surface_terms(title, title_spans)),
        source_terms=tuple(surface_terms(source, source_spans)),
    )


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        _add(merged, start, end)
    return merged


def split_spans(
    spans: list[Span], title_length: int, body_start: int, body_length: int
) -> tuple[list[Span], list[Span]]:
    """Spans in a document's catch-all text (title, break, body, …) as spans in its title and
    in its body, sorted and merged as :func:`match_spans` gives them; the rest is dropped."""
    title: list[Span] = []
    body: list[Span] = []
    for start, end in sorted(spans):
        if end <= title_length:
            _add(title, start, end)
        elif start >= body_start and end <= body_start + body_length:
            _add(body, start - body_start, end - body_start)
    return title, body


def _add(spans: list[Span], start: int, end: int) -> None:
    if spans and start < spans[-1][1]:
        spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
    else:
        spans.append((start, end))


def match_spans(analyzer: Any, text: str, terms: Collection[str]) -> list[Span]:
    """Character spans of the words in ``text`` that analyze to one of ``terms``.

    Overlapping spans (neighbouring CJK bigrams) are merged, so "上海港口" is one span.
    """
    spans: list[Span] = []
    if not terms:
        return spans
    for token in analyzer(text, chars=True, mode="index"):
        if token.text not in terms:
            continue
        _add(spans, token.startchar, token.endchar)
    return spans


def surface_terms(text: str, spans: list[Span]) -> list[str]:
    """The distinct matched words as they appear in ``text``, in order of first appearance."""
    seen: dict[str, None] = {}
    for start, end in spans:
        seen.setdefault(text[start:end], None)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)


def render(text: str, spans: list[Span], size: int = SNIPPET_CHARS) -> str:
    """About ``size`` characters of ``text`` around the densest cluster of ``spans``, as HTML."""
    start, end = _window(text, spans, size)
    parts: list[str] = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(_escape(text[cursor:span_start]))
        parts.append(f"{MARK_OPEN}{_escape(text[span_start:span_end])}{MARK_CLOSE}")
        cursor = span_end
    parts.append(_escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _escape(text: str) -> str:
    # Paragraph breaks and runs of spaces mean nothing in a one-line excerpt.
    return html.escape(_SPACE.sub(" ", text))


def _window(text: str, spans: list[Span], size: int) -> Span:
    if len(text) <= size:
        return 0, len(text)
    if not spans:
        return 0, _snap_end(text, size, 0)
    # A fifth of the window is context before the first match; the rest holds as many whole
    # matches as fit. The earliest cluster wins a tie.
    lead = size // 5
    best, best_count, j = 0, 0, 0
    for i, (first, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= first + size - lead:
            j += 1
        if j - i > best_count:
            best, best_count = i, j - i
    first = spans[best][0]
    last_end = max(end for _, end in spans[best : best + max(best_count, 1)])
    start = max(0, min(first - lead, len(text) - size))
    end = max(min(len(text), start + size), last_end)
    if start > 0:
        start = _snap_start(text, start, first)
    return start, _snap_end(text, end, last_end)


def _snap_start(text: str, start: int, limit: int) -> int:
    # Begin at a word: skip the partial word the cut landed in, unless that reaches the match.
    space = _SPACE.search(text, start, limit)
    return space.end() if space else start


def _snap_end(text: str, end: int, floor: int) -> int:
    # End after a whole word, but keep every match the window was chosen for.
    if end >= len(text):
        return len(text)
    for i in range(end, max(floor, end - 30) - 1, -1):
        if text[i].isspace():
            return i
    return end
