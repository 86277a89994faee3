"""The story list's title cell with a second line under the title, the time to read and the
story's first words (the View menu's preview option), drawn from what is stored with the story,
never from its text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.core.colors import muted_text
from ui.models.story_model import PREVIEW_ROLE, READING

Index = QModelIndex | QPersistentModelIndex


def row_height(font: QFont, *, preview: bool) -> int:
    """A list row: one line of text, or two with the preview, and a margin."""
    return QFontMetrics(font).height() * (2 if preview else 1) + 10


def preview_line(index: Index) -> str:
    """The line under a title: "4 min · The first words of the story…"."""
    minutes = str(index.model().index(index.row(), READING).data() or "")
    words = str(index.data(PREVIEW_ROLE) or "")
    return f"{minutes} · {words}" if minutes and words else minutes or words


class TitlePreviewDelegate(QStyledItemDelegate):
    """Draws the title as the list does, with the preview under it while ``preview`` is on."""

    preview = False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not self.preview:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        # Background, selection and focus frame as any cell; the two lines on top.
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        half = area.height() // 2
        top = QRect(area.left(), area.top(), area.width(), half)
        bottom = QRect(area.left(), area.top() + half, area.width(), area.height() - half)
        title_font: QFont = opt.font
        plain = QFont(option.font)
        plain.setBold(False)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        second = preview_line(index)
        painter.save()
        for rect, font, text, color in (
            (top, title_font, title, palette.color(text_role)),
            (bottom, plain, second, muted_text(palette)),
        ):
            painter.setFont(font)
            painter.setPen(palette.color(text_role) if selected else color)
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, align, elided)
        painter.restore()
