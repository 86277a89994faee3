"""An item delegate that paints a row's HTML (matched words marked, quote and note on their own
lines, small print muted) with an optional colour bar on the left, in the palette's colours."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.core.colors import mix, opaque_search_mark

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
SWATCH_ROLE = Qt.ItemDataRole.UserRole + 11

Index = QModelIndex | QPersistentModelIndex
BAR_WIDTH = 5
PADDING = 6


def row_colors(option: QStyleOptionViewItem) -> tuple[QColor, QColor]:
    """The text and background colours of a row as the style paints it (selected or not)."""
    palette = option.palette
    if option.state & QStyle.StateFlag.State_Selected:
        return (
            palette.color(QPalette.ColorRole.HighlightedText),
            palette.color(QPalette.ColorRole.Highlight),
        )
    return palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)


def rich_document(html: str, font: QFont, text: QColor, background: QColor) -> QTextDocument:
    """A document for ``html`` whose small print is muted and whose ``.match`` words are bold
    on the search-mark colour, all readable on ``background``."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(
        f"small {{ color: {mix(text, background, 0.4).name()}; }}"
        f" .match {{ font-weight: bold;"
        f" background-color: {opaque_search_mark(text, background).name()}; }}"
    )
    doc.setHtml(html)
    return doc


def fitting_height(doc: QTextDocument, height: float) -> float:
    """The height of the whole lines of ``doc`` that fit in ``height``, so a row too short for
    its text never shows half a line."""
    doc.documentLayout().documentSize()
    fit = 0.0
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        top = layout.position().y()
        for i in range(layout.lineCount()):
            bottom = top + layout.lineAt(i).rect().bottom()
            if bottom > height + 1:  # a pixel of slack for rounding
                return fit
            fit = bottom
        block = block.next()
    return fit


def draw_document(
    painter: QPainter, doc: QTextDocument, left: float, top: float, height: float, text: QColor
) -> None:
    """Draw the whole lines of ``doc`` that fit in ``height`` at (left, top) in ``text``."""
    painter.save()
    painter.translate(left, top)
    clip = QRectF(0, 0, doc.textWidth() if doc.textWidth() > 0 else doc.idealWidth(), 0)
    clip.setHeight(fitting_height(doc, height) + 1)
    painter.setClipRect(clip)
    ctx = QAbstractTextDocumentLayout.PaintContext()
    ctx.palette.setColor(QPalette.ColorRole.Text, text)
    ctx.clip = clip
    doc.documentLayout().draw(painter, ctx)
    painter.restore()


class RichTextDelegate(QStyledItemDelegate):
    """Paints ``HTML_ROLE`` (falls back to the plain display text) and ``SWATCH_ROLE``."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.view = view

    def _document(self, option: QStyleOptionViewItem, index: Index, width: float) -> QTextDocument:
        text, background = row_colors(option)
        html = index.data(HTML_ROLE)
        if html is None:
            doc = rich_document("", option.font, text, background)
            doc.setPlainText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        else:
            doc = rich_document(html, option.font, text, background)
        doc.setTextWidth(width)
        return doc

    def _text_left(self, index: Index) -> int:
        return PADDING + (BAR_WIDTH + PADDING if index.data(SWATCH_ROLE) is not None else 0)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else self.view.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect
        swatch = index.data(SWATCH_ROLE)
        if isinstance(swatch, QColor):
            painter.fillRect(
                rect.left() + PADDING, rect.top() + 4, BAR_WIDTH, rect.height() - 8, swatch
            )
        left = self._text_left(index)
        doc = self._document(opt, index, rect.width() - left - PADDING)
        top = rect.top() + 4
        draw_document(
            painter, doc, rect.left() + left, top, rect.bottom() - top, row_colors(opt)[0]
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self.view.viewport().width() if hasattr(self.view, "viewport") else 300
        left = self._text_left(index)
        doc = self._document(option, index, max(80, width - left - PADDING))
        return QSize(width, int(doc.size().height()) + 10)
