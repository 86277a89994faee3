"""Lays a Story out as a QTextDocument in which every block of its canonical text (as
reader.archive.text_layout gives them) is exactly one QTextBlock, and maps offsets both ways
between the story's canonical text and document positions. A story the layout says reads right
to left is laid out right to left: only the block formats change, so the blocks and offsets
stay the same."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)

from reader.archive import text_layout
from reader.model import BlockKind, Story
from ui.core.colors import muted_text
from ui.core.text import day_date

LINE_HEIGHT_PERCENT = 140
PARAGRAPH_GAP_EM = 0.7
CHANGES_HREF = "story-reader:changes"
"""The header's "Show changes" link, shown when a story has earlier versions."""


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16_to_index(text: str, units: int) -> int:
    """The str index in ``text`` at ``units`` UTF-16 code units (Qt positions count those)."""
    if text.isascii():
        return min(units, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


@dataclass(slots=True)
class BlockMap:
    """Canonical block index -> document position, and offset conversion both ways."""

    texts: list[str] = field(default_factory=list)
    canon_starts: list[int] = field(default_factory=list)
    doc_positions: list[int] = field(default_factory=list)
    first_block_number: int = 0

    @property
    def text_length(self) -> int:
        if not self.texts:
            return 0
        return self.canon_starts[-1] + len(self.texts[-1])

    def to_document(self, offset: int) -> int:
        """The document position of a canonical offset (a block's end maps to its end)."""
        if not self.texts:
            return 0
        offset = max(0, min(offset, self.text_length))
        i = max(0, bisect.bisect_right(self.canon_starts, offset) - 1)
        within = min(offset - self.canon_starts[i], len(self.texts[i]))
        return self.doc_positions[i] + _utf16_len(self.texts[i][:within])

    def to_canonical(self, position: int, block_number: int) -> int | None:
        """The canonical offset of a document position in block ``block_number``; None in the
        header above the body. A position past the body clamps to its end."""
        i = block_number - self.first_block_number
        if not self.texts or i < 0:
            return None
        if i >= len(self.texts):
            return self.text_length
        within = _utf16_to_index(self.texts[i], position - self.doc_positions[i])
        return self.canon_starts[i] + within


def _header_format(bottom_margin: float) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(bottom_margin)
    fmt.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    return fmt


def header_line(story: Story) -> str:
    """The digest section it sat under, source, byline and date (the date it was added when
    it has no published date), and how long a link digest said it takes to read."""
    source = " · ".join(p for p in (story.source, story.source_qualifier) if p)
    if story.published is not None:
        date = day_date(story.published)
    else:
        date = f"Added {day_date(story.fetched)}" if story.fetched is not None else ""
    parts = (story.category, source, story.byline, date, story.reading_time)
    return "   ".join(p for p in parts if p)


def _directed(fmt: QTextBlockFormat, rtl: bool) -> QTextBlockFormat:
    """``fmt`` laid out right to left and aligned right, for a right-to-left story."""
    if rtl:
        fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        # Absolute: without it Qt mirrors AlignRight to the left edge in a right-to-left block.
        fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    return fmt


def build_document(
    doc: QTextDocument,
    story: Story,
    font: QFont,
    palette: QPalette,
    line_height: int = LINE_HEIGHT_PERCENT,
    finish: Callable[[], None] = lambda: None,
) -> BlockMap:
    """Clear ``doc`` and lay ``story`` out in it: headline, source line, link, then the body
    with ``line_height`` percent between its lines. All in one edit, ended after
    ``finish()`` (which may set the root frame's margins), so the view lays it out once."""
    doc.clear()
    doc.setDefaultFont(font)
    layout = text_layout(story)
    rtl = layout.rtl
    option = doc.defaultTextOption()
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LayoutDirectionAuto
    )
    doc.setDefaultTextOption(option)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 11.0
    cursor = QTextCursor(doc)
    # One edit: the view lays the story out once at the end, not after every block (each
    # insertion re-laid the document and moved the scroll bar's range: a Python call per block).
    cursor.beginEditBlock()

    def header_format(bottom_margin: float) -> QTextBlockFormat:
        return _directed(_header_format(bottom_margin), rtl)

    headline = QTextCharFormat()
    headline.setFontPointSize(size * 1.75)
    headline.setFontWeight(QFont.Weight.Bold)
    cursor.setBlockFormat(header_format(size * 0.5))
    cursor.setBlockCharFormat(headline)
    cursor.insertText(story.title or "Untitled", headline)

    muted = QTextCharFormat()
    muted.setForeground(muted_text(palette))
    muted.setFontPointSize(size * 0.92)
    meta = header_line(story)
    if meta:
        cursor.insertBlock(header_format(size * 0.3), muted)
        cursor.insertText(meta, muted)
    if story.revisions:
        changes = QTextCharFormat(muted)
        changes.setAnchor(True)
        changes.setAnchorHref(CHANGES_HREF)
        changes.setForeground(palette.color(QPalette.ColorRole.Link))
        changes.setFontUnderline(True)
        changes.setToolTip("Compare this text with an earlier version")
        cursor.insertBlock(header_format(size * 0.3), muted)
        cursor.insertText(f"Updated · version {story.version}   ", muted)
        cursor.insertText("Show changes", changes)
    if story.url:
        link = QTextCharFormat(muted)
        link.setAnchor(True)
        link.setAnchorHref(story.url)
        link.setForeground(palette.color(QPalette.ColorRole.Link))
        link.setFontUnderline(True)
        link.setToolTip(story.url)
        cursor.insertBlock(header_format(size * 1.4), muted)
        cursor.insertText("Open original ↗", link)
    else:
        cursor.setBlockFormat(header_format(size * 1.4))

    body_fmt = QTextBlockFormat()
    body_fmt.setLineHeight(line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    body_fmt.setBottomMargin(size * PARAGRAPH_GAP_EM * 1.33)
    _directed(body_fmt, rtl)
    bullet_fmt = QTextBlockFormat(body_fmt)
    bullet_fmt.setBottomMargin(size * 0.35)
    plain = QTextCharFormat()
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    list_fmt = QTextListFormat()
    list_fmt.setStyle(QTextListFormat.Style.ListDisc)
    list_fmt.setIndent(1)

    mapping = BlockMap()
    current_list = None
    after_list = QTextBlockFormat(body_fmt)
    after_list.setTopMargin(size * PARAGRAPH_GAP_EM)
    for block in layout.blocks:
        bullet = block.kind == BlockKind.BULLET
        after_bullets = current_list is not None and not bullet
        cursor.insertBlock(
            bullet_fmt if bullet else after_list if after_bullets else body_fmt, plain
        )
        if bullet:
            if current_list is None:
                current_list = cursor.createList(list_fmt)
            else:
                current_list.add(cursor.block())
        else:
            current_list = None
        if block.label:
            cursor.insertText(block.text[: len(block.label)], bold)
            cursor.insertText(block.text[len(block.label) :], plain)
        elif block.text:
            cursor.insertText(block.text, plain)
        if not mapping.texts:
            mapping.first_block_number = cursor.block().blockNumber()
        mapping.texts.append(block.text)
        mapping.canon_starts.append(block.start)
        mapping.doc_positions.append(cursor.block().position())
    doc.setDocumentMargin(0)
    finish()
    cursor.endEditBlock()
    doc.setModified(False)
    return mapping
