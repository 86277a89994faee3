"""The reading progress marker: a thin bar along the top of the reader, as long as the part of
the story already scrolled past, with the percentage in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

HEIGHT = 3


class ProgressMarker(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("reading-progress")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.fraction: float | None = None
        self.hide()

    @property
    def percent(self) -> int | None:
        return None if self.fraction is None else round(self.fraction * 100)

    def text(self) -> str:
        return "" if self.percent is None else f"{self.percent} % read"

    def place(self, viewport: QRect) -> None:
        """Along the top edge of the reader's viewport (in the reader's coordinates)."""
        self.setGeometry(viewport.left(), viewport.top(), viewport.width(), HEIGHT)

    def show_progress(self, fraction: float | None) -> None:
        """``fraction`` of the story scrolled past; None hides the marker (it all fits)."""
        self.fraction = fraction
        self.setToolTip(self.text())
        self.setAccessibleName(self.text())
        self.setVisible(fraction is not None)
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.fraction is None:
            return
        painter = QPainter(self)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        painter.fillRect(0, 0, round(self.width() * self.fraction), self.height(), color)
        painter.end()
