"""The timeline strip over the results or the list: a small bar chart of matches per week, each
bar's week and count in its tooltip; clicking a week, or Enter on the week chosen with the arrow
keys, asks for that week's date range to be added to the query."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import QToolTip, QWidget

from reader.model import WeekCount
from ui.core.colors import muted_text

BAR_AREA = 26
"""Pixels of the bars' height; the dates of the first and last week go below."""
MAX_COLUMN = 18
"""The widest a week's column gets: a few weeks make a short strip, not a few wide blocks."""


class Timeline(QWidget):
    weekClicked = Signal(str)
    """The query text of the week clicked (``date:[2026-11-02 to 2026-11-08]``)."""
    leave = Signal()
    """Escape: back to the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facet-timeline")
        self.setAccessibleName("Matches per week")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setFixedHeight(BAR_AREA + self.fontMetrics().height() + 4)
        self.weeks: tuple[WeekCount, ...] = ()
        self.current = -1
        """The week the arrow keys chose (-1: none yet)."""
        self._active: frozenset[str] = frozenset()

    def set_weeks(self, weeks: tuple[WeekCount, ...], active: frozenset[str]) -> None:
        """Show ``weeks``; a week whose query (case folded) is in ``active`` is drawn chosen."""
        self.weeks = weeks
        self._active = active
        self.current = min(self.current, len(weeks) - 1)
        self.setVisible(bool(weeks))
        self.update()

    def strip_width(self) -> int:
        return min(self.width(), len(self.weeks) * MAX_COLUMN)

    def week_at(self, x: int) -> int:
        """The index of the week drawn at ``x``, or -1."""
        width = self.strip_width()
        if not self.weeks or not 0 <= x < width:
            return -1
        return min(len(self.weeks) - 1, x * len(self.weeks) // max(1, width))

    def bar_rect(self, index: int) -> QRect:
        """Where week ``index``'s column is (its bar rises from the bottom of the bar area)."""
        n, width = max(1, len(self.weeks)), self.strip_width()
        left = index * width // n
        right = (index + 1) * width // n
        return QRect(left, 0, max(1, right - left), BAR_AREA)

    @staticmethod
    def describe(week: WeekCount) -> str:
        noun = "match" if week.count == 1 else "matches"
        return f"Week of {week.start.day} {week.start:%b %Y}: {week.count:,} {noun}"

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        palette = self.palette()
        bar = palette.color(QPalette.ColorRole.Mid)
        chosen = palette.color(QPalette.ColorRole.Highlight)
        peak = max((week.count for week in self.weeks), default=0)
        for index, week in enumerate(self.weeks):
            column = self.bar_rect(index)
            if week.count and peak:
                height = max(2, round((BAR_AREA - 2) * week.count / peak))
                gap = 1 if column.width() > 3 else 0
                rect = QRect(column.left(), BAR_AREA - height, column.width() - gap, height)
                painter.fillRect(rect, chosen if week.query.casefold() in self._active else bar)
            if index == self.current and self.hasFocus():
                painter.setPen(chosen)
                painter.drawRect(column.adjusted(0, 0, -1, -1))
        if self.weeks:
            painter.setPen(muted_text(palette))
            # The last week's date under the strip's end, unless the strip is too short for both.
            both = self.fontMetrics().horizontalAdvance("00 Mmm 0000") * 2 + 24
            width = min(self.width(), max(self.strip_width(), both))
            text = QRect(0, BAR_AREA + 2, width, self.height() - BAR_AREA - 2)
            first, last = self.weeks[0].start, self.weeks[-1].start
            align = Qt.AlignmentFlag.AlignTop
            painter.drawText(text, align | Qt.AlignmentFlag.AlignLeft, f"{first:%d %b %Y}")
            if last != first:
                painter.drawText(text, align | Qt.AlignmentFlag.AlignRight, f"{last:%d %b %Y}")
        painter.setPen(QColor(bar))
        painter.drawLine(0, BAR_AREA, self.strip_width(), BAR_AREA)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.week_at(event.pos().x())
            if index >= 0:
                tip = f"{self.describe(self.weeks[index])}; click to search that week"
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.week_at(event.position().toPoint().x())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.current = index
            self.weekClicked.emit(self.weeks[index].query)
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.weeks:
            step = -1 if key == Qt.Key.Key_Left else 1
            start = self.current if self.current >= 0 else len(self.weeks)
            self._choose(max(0, min(len(self.weeks) - 1, start + step)))
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.weeks:
            self._choose(0 if key == Qt.Key.Key_Home else len(self.weeks) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.current >= 0:
            self.weekClicked.emit(self.weeks[self.current].query)
        elif key == Qt.Key.Key_Escape:
            self.leave.emit()
        else:
            super().keyPressEvent(event)

    def _choose(self, index: int) -> None:
        self.current = index
        self.update()
        column = self.bar_rect(index)
        where = self.mapToGlobal(QPoint(column.center().x(), 0))
        QToolTip.showText(where, self.describe(self.weeks[index]), self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.current < 0 and self.weeks:
            self.current = len(self.weeks) - 1
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)
