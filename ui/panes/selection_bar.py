"""The small bar above the story list or the notebook while rows are marked: how many ("37
selected") and buttons for what can be done to all of them at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class SelectionBar(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setObjectName(f"{name}-count")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.label)
        self._layout.addStretch(1)
        self.buttons: dict[str, QToolButton] = {}
        self.hide()

    def add_button(
        self,
        key: str,
        text: str,
        tip: str,
        clicked: Callable[[], object],
        icon: QIcon | None = None,
    ) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(f"{self.objectName()}-{key}")
        button.setAutoRaise(True)
        button.setToolTip(tip)
        if icon is not None:
            button.setIcon(icon)
        else:
            button.setText(text)
        button.setAccessibleName(text)
        button.clicked.connect(clicked)
        self._layout.addWidget(button)
        self.buttons[key] = button
        return button

    def set_count(self, n: int) -> None:
        """Show "n selected", or hide the bar when nothing is marked."""
        self.label.setText(f"<b>{n:,} selected</b>")
        self.setVisible(n > 0)
