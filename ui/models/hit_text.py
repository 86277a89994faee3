"""The text of a search hit's row below its title: a story's snippet; a highlight's quote, then
its note apart; a note's Markdown as formatted text (nothing loaded); the matched words marked;
and, for a highlight or note found only through its story's title or source, that reason."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from reader.model import Color, ItemKind, SearchHit
from ui.core.colors import mix, opaque_search_mark
from ui.models.rich_delegate import rich_document

MARK_OPEN, MARK_CLOSE = '<span class="match">', "</span>"
CORE_MARK = '<b class="match">'
"""How the archive marks a matched word in a hit's snippet (see SearchHit)."""
NOTE_LABEL = "Note"
LEAD_CHARS = 40
"""How much of a quote is kept before its first matched word when the start is cut."""
MARKDOWN = QTextDocument.MarkdownFeature.MarkdownNoHTML
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def term_pattern(terms: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """Matches every word starting with one of ``terms`` (the words a search matched)."""
    words = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True) if t)
    return re.compile(rf"(?<!\w)(?:{words})\w*", re.IGNORECASE) if words else None


def mark_terms(text: str, terms: tuple[str, ...]) -> str:
    """``text`` escaped, with the words the search matched marked."""
    pattern = term_pattern(terms)
    if pattern is None:
        return html.escape(text)
    parts, cursor = [], 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[cursor : match.start()]))
        parts.append(f"{MARK_OPEN}{html.escape(match.group())}{MARK_CLOSE}")
        cursor = match.end()
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class HitRow:
    """A hit with what its row shows of the item itself: a highlight's quote, note and colour,
    a note's Markdown (None and "" for a story, or an item deleted since it was indexed)."""

    hit: SearchHit
    quote: str | None = None
    note: str = ""
    color: Color | None = None


def match_reason(row: HitRow) -> str | None:
    """Why a highlight or note whose own text has no matched word is a hit, else None."""
    hit = row.hit
    if hit.kind == ItemKind.STORY or CORE_MARK in hit.snippet:
        return None
    if hit.title_terms:
        return "matched in the story's title"
    if hit.source_terms:
        return "matched in the story's source"
    return None


def from_first_match(text: str, terms: tuple[str, ...]) -> str:
    """``text`` on one line, its start cut (at a word) when the first matched word is far in,
    so the words that matched are on the row."""
    text = " ".join(text.split())
    pattern = term_pattern(terms)
    found = pattern.search(text) if pattern else None
    if found is None or found.start() <= LEAD_CHARS:
        return text
    start = found.start() - LEAD_CHARS
    space = text.find(" ", start, found.start())
    return "…" + text[space + 1 if space >= 0 else start :]


def from_matching_paragraph(note: str, terms: tuple[str, ...]) -> str:
    """A note's Markdown from the paragraph of its first matched word on, so a long note's
    match is on the row; "… " marks a cut before plain words."""
    pattern = term_pattern(terms)
    paragraphs = _PARAGRAPHS.split(note.strip())
    first = next((n for n, p in enumerate(paragraphs) if pattern and pattern.search(p)), 0)
    if first == 0:
        return note
    rest = "\n\n".join(paragraphs[first:])
    return f"… {rest}" if rest[:1].isalnum() else rest


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a row's text: its document, how far in it is drawn, and the most lines it
    may take (the rest of the row when None)."""

    doc: QTextDocument
    indent: float = 0.0
    lines: int | None = None


def body_parts(row: HitRow, font: QFont, colors: tuple[QColor, QColor], lines: int) -> list[Part]:
    """The documents of a hit's text, in order, for the ``lines`` of its row below the title:
    a highlight's note keeps a line of its own however long the quote."""
    hit = row.hit
    text, background = colors
    parts: list[Part] = []
    reason = match_reason(row)
    if reason:
        small = f"<small><i>{html.escape(reason)}</i></small>"
        parts.append(Part(rich_document(small, font, text, background), lines=1))
    if row.quote is not None:
        quote = mark_terms(from_first_match(row.quote, hit.terms), hit.terms)
        doc = rich_document(f"“{quote}”", font, text, background)
        room = max(1, lines - len(parts) - 1)
        parts.append(Part(doc, lines=room if row.note else None))
        if row.note:
            shown = from_matching_paragraph(row.note, hit.terms)
            note = note_document(shown, hit.terms, font, colors, label=NOTE_LABEL)
            parts.append(Part(note, indent=QFontMetricsF(font).horizontalAdvance("M")))
    elif hit.kind == ItemKind.NOTE and row.note:
        shown = from_matching_paragraph(row.note, hit.terms)
        parts.append(Part(note_document(shown, hit.terms, font, colors)))
    else:
        parts.append(Part(rich_document(hit.snippet, font, text, background)))
    return parts


class _Offline(QTextDocument):
    """A document that loads nothing: a note's images and links stay words on the row."""

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return None


def note_document(
    note: str,
    terms: tuple[str, ...],
    font: QFont,
    colors: tuple[QColor, QColor],
    label: str | None = None,
) -> QTextDocument:
    """A note's Markdown as formatted text (raw HTML stays text, images become their alt text,
    headings body-sized, no space between paragraphs), the matched words marked, after a
    muted ``label`` if one is given."""
    text, background = colors
    doc = _Offline()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(font)
    doc.setMarkdown(note, MARKDOWN)
    _drop_images(doc)
    _flatten(doc, font)
    pattern = term_pattern(terms)
    if pattern is not None:
        mark = QTextCharFormat()
        mark.setFontWeight(QFont.Weight.Bold)
        mark.setBackground(opaque_search_mark(text, background))
        for found in pattern.finditer(doc.toRawText()):
            _cursor(doc, found.start(), found.end()).mergeCharFormat(mark)
    if label:
        muted = QTextCharFormat()
        muted.setForeground(mix(text, background, 0.4))
        muted.setFontPointSize(max(6.0, font.pointSizeF() * 0.85))
        QTextCursor(doc).insertText(f"{label}: ", muted)
    return doc


def _cursor(doc: QTextDocument, start: int, end: int) -> QTextCursor:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _drop_images(doc: QTextDocument) -> None:
    images: list[tuple[int, int, str]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                alt = str(fmt.property(QTextFormat.Property.ImageAltText) or "")
                images.append((fragment.position(), fragment.length(), alt))
            it += 1
        block = block.next()
    for position, length, alt in reversed(images):
        _cursor(doc, position, position + length).insertText(alt, QTextCharFormat())


def _flatten(doc: QTextDocument, font: QFont) -> None:
    block = doc.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        fmt = block.blockFormat()
        fmt.setTopMargin(0)
        fmt.setBottomMargin(0)
        cursor.setBlockFormat(fmt)
        if fmt.headingLevel():
            size = QTextCharFormat()
            size.setFontPointSize(font.pointSizeF())
            size.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
            size.setFontWeight(QFont.Weight.Bold)
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
            cursor.mergeCharFormat(size)
        block = block.next()
