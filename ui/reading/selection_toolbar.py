"""The small floating toolbar shown below a text selection in the reader: one button per
highlight colour, and one to highlight with a note."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from reader.model import Color
from ui.core.colors import LABELS, color_label, swatch
from ui.core.keymap import key_hint


def color_icon(color: Color, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(swatch(color).lighter(100))
    painter = QPainter(pixmap)
    painter.setPen(swatch(color).darker(140))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    icon = QIcon(pixmap)
    # Disabled (no highlight selected), the colour shows faded rather than Qt's grey, so the
    # analyst still sees which button is which colour.
    faded = QPixmap(size, size)
    faded.fill(Qt.GlobalColor.transparent)
    painter = QPainter(faded)
    painter.setOpacity(0.45)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    icon.addPixmap(faded, QIcon.Mode.Disabled)
    return icon


class SelectionToolbar(QFrame):
    """Colour buttons floating over the reader's viewport near the selection."""

    colorChosen = Signal(object)
    noteRequested = Signal()
    GAP = 6
    """Pixels between the selection and the toolbar, and between it and the viewport's edge."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = parent
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.setSpacing(2)
        self.buttons: dict[Color, QToolButton] = {}
        for color in Color:
            button = QToolButton(self)
            button.setIcon(color_icon(color))
            button.setIconSize(QSize(16, 16))
            button.setAutoRaise(True)
            button.setToolTip(f"Highlight {LABELS[color].lower()}  ({key_hint('highlight')})")
            button.setObjectName(f"highlight-{color.value}")
            button.clicked.connect(lambda _=False, c=color: self.colorChosen.emit(c))
            self.buttons[color] = button
            layout.addWidget(button)
        note = QToolButton(self)
        note.setText("Note")
        note.setAutoRaise(True)
        note.setToolTip(f"Highlight and add a note  ({key_hint('note')})")
        note.clicked.connect(self.noteRequested)
        layout.addWidget(note)
        self.hide()

    def set_color_names(self, names: dict[Color, str]) -> None:
        """Tooltips with the codebook's names: "Highlight yellow — claim"."""
        for color, button in self.buttons.items():
            label = color_label(color, names)
            button.setToolTip(f"Highlight {label[0].lower()}{label[1:]}  ({key_hint('highlight')})")

    def show_below(self, selection: QRect) -> None:
        """Show just below ``selection`` (viewport coordinates), centred on it: above, it
        would hide the line the analyst reads before the selection."""
        self.adjustSize()
        parent = self.host
        x = min(
            max(self.GAP, selection.center().x() - self.width() // 2),
            parent.width() - self.width() - self.GAP,
        )
        self.move(QPoint(x, selection.bottom() + self.GAP))
        self.show()
        self.raise_()
