"""The Notifications dock: failures and messages collected without ever blocking the user
(failed imports, storage errors, internal errors with their log line). It opens at the bottom,
a few lines high, so the reader keeps its room."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

VISIBLE_LINES = 5


class NotificationsDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Notifications", parent)
        self.setObjectName("notifications")
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Remove every notification")
        self.clear_button.clicked.connect(self.on_clear_button_clicked)
        buttons = QVBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        content = QWidget(self)
        layout = QHBoxLayout(content)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setWidget(content)
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.visibilityChanged.connect(self.on_visibilityChanged)
        self._update_count()

    def add(self, message: str, detail: str = "") -> None:
        stamp = datetime.now().strftime("%H:%M")
        item = QListWidgetItem(f"{stamp}  {message}")
        if detail:
            item.setToolTip(detail)
        self.list.addItem(item)
        self.list.scrollToBottom()
        self._update_count()

    def _update_count(self) -> None:
        count = self.list.count()
        self.toggleViewAction().setText(f"Notifications ({count})" if count else "Notifications")
        self.clear_button.setEnabled(bool(count))

    def reveal(self) -> None:
        """Show the dock without taking the focus."""
        if not self.isVisible():
            self.show()

    def default_height(self) -> int:
        """A few lines of the list under the title bar."""
        lines = self.list.fontMetrics().lineSpacing() * VISIBLE_LINES
        return lines + self.fontMetrics().height() + 16

    @Slot(bool)
    def on_visibilityChanged(self, visible: bool) -> None:
        window = self.parentWidget()
        if (
            visible
            and isinstance(window, QMainWindow)
            and not self.isFloating()
            and window.dockWidgetArea(self) == Qt.DockWidgetArea.BottomDockWidgetArea
        ):
            window.resizeDocks([self], [self.default_height()], Qt.Orientation.Vertical)

    @Slot()
    def on_clear_button_clicked(self) -> None:
        self.list.clear()
        self._update_count()

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
