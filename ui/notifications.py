"""The Notifications dock: failures and messages collected without ever blocking the user
(failed imports, storage errors, internal errors with their log line)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QMainWindow, QWidget


class NotificationsDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Notifications", parent)
        self.setObjectName("notifications")
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.setWidget(self.list)
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )

    def add(self, message: str, detail: str = "") -> None:
        stamp = datetime.now().strftime("%H:%M")
        item = QListWidgetItem(f"{stamp}  {message}")
        if detail:
            item.setToolTip(detail)
        self.list.addItem(item)
        self.list.scrollToBottom()
        self.toggleViewAction().setText(f"Notifications ({self.list.count()})")

    def reveal(self) -> None:
        """Show the dock at a modest height without taking the focus."""
        if self.isVisible():
            return
        self.show()
        window = self.parentWidget()
        if isinstance(window, QMainWindow):
            window.resizeDocks([self], [150], Qt.Orientation.Vertical)

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
