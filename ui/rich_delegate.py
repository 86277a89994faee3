"""An item delegate that paints a row's HTML (matched words bold, quote and note on their own
lines) with an optional colour bar on the left, in the palette's colours."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
SWATCH_ROLE = Qt.ItemDataRole.UserRole + 11

Index = QModelIndex | QPersistentModelIndex
BAR_WIDTH = 5
PADDING = 6


class RichTextDelegate(QStyledItemDelegate):
    """Paints ``HTML_ROLE`` (falls back to the plain display text) and ``SWATCH_ROLE``."""

    def __init__(self, view: QWidget, wrap: bool = True) -> None:
        super().__init__(view)
        self.view = view
        self.wrap = wrap

    def _document(self, option: QStyleOptionViewItem, index: Index, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        html = index.data(HTML_ROLE)
        if html is None:
            doc.setPlainText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        else:
            doc.setHtml(html)
        doc.setTextWidth(width if self.wrap else -1)
        return doc

    def _text_left(self, index: Index) -> int:
        return PADDING + (BAR_WIDTH + PADDING if index.data(SWATCH_ROLE) is not None else 0)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else self.view.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = option.rect
        swatch = index.data(SWATCH_ROLE)
        if isinstance(swatch, QColor):
            painter.fillRect(
                rect.left() + PADDING, rect.top() + 4, BAR_WIDTH, rect.height() - 8, swatch
            )
        left = self._text_left(index)
        doc = self._document(opt, index, rect.width() - left - PADDING)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        top = rect.top() + max(2, (rect.height() - doc.size().height()) / 2 if not self.wrap else 4)
        painter.translate(rect.left() + left, top)
        # Clip at a whole line, so a row too short for its text never shows half a line.
        line = option.fontMetrics.lineSpacing()
        lines = max(1, int((rect.bottom() - top) // line))
        clip = QRectF(0, 0, rect.width() - left - PADDING, lines * line + 1)
        painter.setClipRect(clip)
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if not self.wrap:
            return super().sizeHint(option, index)
        width = self.view.viewport().width() if hasattr(self.view, "viewport") else 300
        left = self._text_left(index)
        doc = self._document(option, index, max(80, width - left - PADDING))
        return QSize(width, int(doc.size().height()) + 10)
