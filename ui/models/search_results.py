"""The search results: what Archive.search found, shown in the story list's place, one row per
hit: the title, a line with the kind as a small tag, the source and the date, then a few lines of
the hit's text (see hit_text), a highlight with a bar of its colour on the left. A word is marked
where the field it was asked of is shown: the title, the source line, the text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.model import SearchHit, SearchResults
from ui.core.colors import LABELS, mix, swatch
from ui.core.text import day_date
from ui.models.hit_text import HitRow, body_parts, mark_terms
from ui.models.hit_text import term_pattern as term_pattern
from ui.models.rich_delegate import (
    BAR_WIDTH,
    SWATCH_ROLE,
    draw_document,
    fitting_height,
    rich_document,
    row_colors,
)
from ui.models.story_model import ID_ROLE, NO_PARENT, Index

HIT_ROLE = ID_ROLE + 1
ROW_ROLE = ID_ROLE + 2
"""The hit with what its row shows of the item (a HitRow)."""
SNIPPET_LINES = 3
PAD_X, PAD_Y, GAP = 8, 6, 3


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
        self.rows: list[HitRow] = []
        self.capped = False
        """More documents matched than the hits shown."""
        self.error = ""
        """Why the last query could not be run ("" when it could)."""

    def set_results(
        self, query: str, results: SearchResults, rows: Sequence[HitRow] | None = None
    ) -> None:
        """``rows``, one per hit, hold what each row shows of its item; without them a row
        shows the hit's snippet."""
        self.beginResetModel()
        self.query = query
        self.hits = list(results.hits)
        self.rows = list(rows) if rows is not None else [HitRow(hit) for hit in self.hits]
        self.capped = results.capped
        self.error = ""
        self.endResetModel()

    def set_error(self, query: str, error: str) -> None:
        """``query`` could not be run: no results, not the previous query's."""
        self.beginResetModel()
        self.query = query
        self.hits, self.rows, self.capped = [], [], False
        self.error = error
        self.endResetModel()

    def count_text(self) -> str:
        if self.error:
            return "No results: the query has a mistake"
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
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == SWATCH_ROLE:
            return swatch(row.color) if row.color is not None else None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = f"{LABELS[row.color].lower()} {hit.kind}" if row.color else hit.kind
            return " · ".join(p for p in (hit.title, kind, meta_text(hit)) if p)
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
    """Paints a hit: a highlight's colour bar, the title, the kind tag with source and date,
    then the hit's text in whole lines."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.view = view

    @staticmethod
    def row_height(font: QFont) -> int:
        title = QFontMetrics(_bold(font)).lineSpacing()
        meta = QFontMetrics(_small(font)).lineSpacing() + 2
        return 2 * PAD_Y + title + meta + 2 * GAP + SNIPPET_LINES * QFontMetrics(font).lineSpacing()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: HitRow | None = index.data(ROW_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if row is None:
            return
        hit = row.hit
        text, background = row_colors(opt)
        painter.save()
        painter.setPen(mix(background, text, 0.12))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()
        rect = QRectF(option.rect).adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        swatch_color = index.data(SWATCH_ROLE)
        if isinstance(swatch_color, QColor):
            painter.fillRect(
                QRectF(rect.left(), rect.top(), BAR_WIDTH, rect.height()), swatch_color
            )
            rect.setLeft(rect.left() + BAR_WIDTH + PAD_X)
        width = rect.width()
        font = opt.font
        bold = _bold(font)

        title = QFontMetrics(bold).elidedText(hit.title, Qt.TextElideMode.ElideRight, int(width))
        marked = mark_terms(title, hit.terms + hit.title_terms)
        title_doc = rich_document(marked, bold, text, background)
        title_height = QFontMetrics(bold).lineSpacing()
        draw_document(painter, title_doc, rect.left(), rect.top(), title_height, text)

        top = rect.top() + title_height + GAP
        meta = QRectF(rect.left(), top, width, 0)
        top += self._draw_meta(painter, hit, meta, _small(font), (text, background)) + GAP

        line = QFontMetrics(font).lineSpacing()
        for part in body_parts(row, font, (text, background), SNIPPET_LINES):
            room = rect.bottom() - top
            if part.lines is not None:
                room = min(room, part.lines * line)
            if room < line - 1:
                break
            part.doc.setTextWidth(width - part.indent)
            draw_document(painter, part.doc, rect.left() + part.indent, top, room, text)
            top += fitting_height(part.doc, room)

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
        meta = QRectF(tag.right() + 8, rect.top(), rect.right() - tag.right() - 8, height)
        painter.restore()
        elided = metrics.elidedText(meta_text(hit), Qt.TextElideMode.ElideRight, int(meta.width()))
        doc = rich_document(mark_terms(elided, hit.source_terms), small, text, background)
        top = meta.top() + (height - metrics.lineSpacing()) / 2
        draw_document(painter, doc, meta.left(), top, height, mix(text, background, 0.4))
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), self.row_height(option.font))
