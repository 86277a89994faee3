"""One saved tag in the tag editor: a small rounded label with the tag's name (elided when long,
the whole name in its tooltip) and a × that removes it. Painted from the palette, so it reads in
light and dark themes; shown selected while it has the focus."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui.core.colors import MIN_CONTRAST, contrast, mix, muted_text

MAX_CHARS = 24
"""A chip is at most this many average characters wide, however wide the editor."""
SHORTEST = 3
"""The fewest characters a chip shows before its "…", however narrow the editor."""
TINT = 0.16
"""How far a chip's background moves from the base colour towards the highlight colour."""


@dataclass(frozen=True)
class ChipColors:
    background: QColor
    border: QColor
    text: QColor


def chip_colors(palette: QPalette, *, selected: bool, enabled: bool = True) -> ChipColors:
    """A chip's colours in ``palette``: a tint of the highlight colour on the base, with text
    kept readable; selected, the palette's own highlight and highlighted text."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if not enabled:
        return ChipColors(mix(base, text, 0.06), mix(base, text, 0.25), muted_text(palette))
    if selected:
        return ChipColors(highlight, highlight, palette.color(QPalette.ColorRole.HighlightedText))
    tint = TINT
    while tint > 0 and contrast(text, mix(base, highlight, tint)) < MIN_CONTRAST:
        tint -= 0.02
    return ChipColors(mix(base, highlight, max(tint, 0)), mix(base, highlight, 0.5), text)


def chip_height(metrics: QFontMetrics) -> int:
    """The height of a chip, and of the line edit on its row."""
    return metrics.height() + 6


class TagChip(QWidget):
    removeRequested = Signal()
    """The × was clicked."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.shown = name
        self._limit = 0
        self._hover = False
        self.setObjectName("tag-chip")
        # Tab or a click selects a chip; a click on its × leaves the focus where it is.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(f"Tag {name}")
        self.setAccessibleDescription("Delete or Backspace removes it")
        self.set_limit(self._widest())

    # -- geometry -------------------------------------------------------------------------

    def _padding(self) -> int:
        return self.fontMetrics().height() // 2

    def _cross_size(self) -> int:
        return self.fontMetrics().height() - 2

    def _overhead(self) -> int:
        """Everything but the name: the padding, the × and the gap before it."""
        return self._padding() + 2 + self._cross_size() + 3

    def _widest(self) -> int:
        return self.fontMetrics().averageCharWidth() * MAX_CHARS + self._overhead()

    def set_limit(self, width: int) -> None:
        """Be at most ``width`` wide (and never wider than ``MAX_CHARS``): the name is elided
        to fit."""
        width = min(width, self._widest())
        if width == self._limit:
            return
        self._limit = width
        metrics = self.fontMetrics()
        room = max(width - self._overhead(), metrics.horizontalAdvance("M" * SHORTEST + "…"))
        self.shown = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, room)
        self.setToolTip(self.name if self.elided else "")
        self.updateGeometry()
        self.update()

    @property
    def elided(self) -> bool:
        return self.shown != self.name

    def sizeHint(self) -> QSize:
        text = self.fontMetrics().horizontalAdvance(self.shown)
        return QSize(text + self._overhead(), chip_height(self.fontMetrics()))

    def minimumSizeHint(self) -> QSize:
        # Small, so that the editor can narrow: the chip is elided to the width it gets. Never
        # wider than the hint, which a layout would widen to it.
        shortest = self.fontMetrics().horizontalAdvance("M" * SHORTEST + "…") + self._overhead()
        hint = self.sizeHint()
        return QSize(min(shortest, hint.width()), hint.height())

    def cross_rect(self) -> QRect:
        size = self._cross_size()
        return QRect(self.width() - size - 3, (self.height() - size) // 2, size, size)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        colors = chip_colors(self.palette(), selected=self.hasFocus(), enabled=self.isEnabled())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = outline.height() / 2
        painter.setPen(QPen(colors.border, 1))
        painter.setBrush(colors.background)
        painter.drawRoundedRect(outline, radius, radius)
        painter.setPen(colors.text)
        text = QRect(self._padding(), 0, self.width() - self._overhead(), self.height())
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(text, int(align), self.shown)
        cross = QRectF(self.cross_rect())
        if self._hover:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(mix(colors.background, colors.text, 0.2))
            painter.drawEllipse(cross)
        arm = cross.width() * 0.22
        centre = cross.center()
        pen = QPen(colors.text, 1.4)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(centre + QPointF(-arm, -arm), centre + QPointF(arm, arm))
        painter.drawLine(centre + QPointF(-arm, arm), centre + QPointF(arm, -arm))

    # -- mouse ----------------------------------------------------------------------------

    def _on_cross(self, pos: QPoint) -> bool:
        # A little beyond the drawn circle: it is a small target.
        return self.cross_rect().adjusted(-3, -3, 3, 3).contains(pos)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
        elif self._on_cross(event.position().toPoint()):
            self.removeRequested.emit()
        else:
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self._on_cross(event.position().toPoint())
        if hover != self._hover:
            self._hover = hover
            shape = Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor
            self.setCursor(shape)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover:
            self._hover = False
            self.setCursor(Qt.CursorShape.ArrowCursor)
            self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        # The × says what it does; the rest of the chip shows the whole name when elided.
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            if self._on_cross(event.pos()):
                QToolTip.showText(event.globalPos(), f"Remove “{self.name}”", self)
                return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
