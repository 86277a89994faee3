"""The search results: what Archive.search found, shown in the story list's place, one row per
hit: the title, a line with the kind as a small tag, the source and the date, then a few lines of
snippet, with the matched words marked in both title and snippet."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.model import SearchHit, SearchResults
from ui.core.colors import mix
from ui.core.text import day_date
from ui.models.rich_delegate import draw_document, rich_document, row_colors
from ui.models.story_model import ID_ROLE, NO_PARENT, Index

HIT_ROLE = ID_ROLE + 1
SNIPPET_LINES = 3
PAD_X, PAD_Y, GAP = 8, 6, 3
MARK_OPEN, MARK_CLOSE = '<span class="match">', "</span>"


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


def count_text(query: str, count: int, capped: bool = False) -> str:
    """ "12 results for “harbour”", or "200+ results …" when the search's limit cut them off."""
    plural = "s" if count != 1 or capped else ""
    return f"{count}{'+' if capped else ''} result{plural} for “{query}”"


def meta_text(hit: SearchHit) -> str:
    return " · ".join(p for p in (hit.source or "", day_date(hit.published)) if p)


class SearchResultsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.hits: list[SearchHit] = []
        self.capped = False
        """More documents matched than the hits shown."""

    def set_results(self, query: str, results: SearchResults) -> None:
        self.beginResetModel()
        self.query = query
        self.hits = list(results.hits)
        self.capped = results.capped
        self.endResetModel()

    def count_text(self) -> str:
        return count_text(self.query, len(self.hits), self.capped)

    def hit(self, row: int) -> SearchHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.count_text()
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == ID_ROLE:
            return hit.story_id
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(p for p in (hit.title, hit.kind, meta_text(hit)) if p)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Results stay in relevance order; a header click does not reorder them."""


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
    return small


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


class SearchResultDelegate(QStyledItemDelegate):
    """Paints a hit: title, kind tag with source and date, and a snippet of whole lines."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.view = view

    @staticmethod
    def row_height(font: QFont) -> int:
        title = QFontMetrics(_bold(font)).lineSpacing()
        meta = QFontMetrics(_small(font)).lineSpacing() + 2
        return 2 * PAD_Y + title + meta + 2 * GAP + SNIPPET_LINES * QFontMetrics(font).lineSpacing()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: SearchHit | None = index.data(HIT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if hit is None:
            return
        text, background = row_colors(opt)
        painter.save()
        painter.setPen(mix(background, text, 0.12))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()
        rect = QRectF(option.rect).adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        width = rect.width()
        font = opt.font
        bold = _bold(font)

        title = QFontMetrics(bold).elidedText(hit.title, Qt.TextElideMode.ElideRight, int(width))
        title_doc = rich_document(mark_terms(title, hit.terms), bold, text, background)
        title_height = QFontMetrics(bold).lineSpacing()
        draw_document(painter, title_doc, rect.left(), rect.top(), title_height, text)

        top = rect.top() + title_height + GAP
        meta = QRectF(rect.left(), top, width, 0)
        top += self._draw_meta(painter, hit, meta, _small(font), (text, background))

        snippet = rich_document(hit.snippet, font, text, background)
        snippet.setTextWidth(width)
        draw_document(painter, snippet, rect.left(), top + GAP, rect.bottom() - top - GAP, text)

    @staticmethod
    def _draw_meta(
        painter: QPainter, hit: SearchHit, rect: QRectF, small: QFont, colors: tuple[QColor, QColor]
    ) -> float:
        """The kind as a small tag, then source and date; returns the height used."""
        text, background = colors
        metrics = QFontMetrics(small)
        height = metrics.lineSpacing() + 2
        painter.save()
        painter.setFont(small)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tag = QRectF(rect.left(), rect.top(), metrics.horizontalAdvance(hit.kind) + 10, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mix(background, text, 0.14))
        painter.drawRoundedRect(tag, 4, 4)
        painter.setPen(mix(text, background, 0.15))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, hit.kind)
        painter.setPen(mix(text, background, 0.4))
        meta = QRectF(tag.right() + 8, rect.top(), rect.right() - tag.right() - 8, height)
        elided = metrics.elidedText(meta_text(hit), Qt.TextElideMode.ElideRight, int(meta.width()))
        painter.drawText(meta, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), self.row_height(option.font))
