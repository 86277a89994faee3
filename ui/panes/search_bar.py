"""The search box in the toolbar: debounces typing into queries, shows a short red message for
a query that cannot be parsed, and clears on Esc."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ui.core.colors import error_text

DEBOUNCE_MS = 250


class SearchBar(QWidget):
    queryChanged = Signal(str)
    """A query to run (debounced); an empty string means the search was cleared."""
    leave = Signal()
    """Esc, Enter or Down: the user wants to go to the results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("search")
        self.edit.setPlaceholderText("Search  (/)")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(280)
        self.edit.setMaximumWidth(420)
        self.edit.textChanged.connect(self.on_edit_textChanged)
        self.edit.installEventFilter(self)
        self.message = QLabel(self)
        self.message.setObjectName("search-error")
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_text(palette))
        self.message.setPalette(palette)
        self.message.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)

    @property
    def text(self) -> str:
        return self.edit.text().strip()

    def show_error(self, message: str) -> None:
        first_line = message.splitlines()[0] if message else "invalid query"
        self.message.setText(first_line if len(first_line) <= 80 else first_line[:79] + "…")
        self.message.setToolTip(message)
        self.message.show()

    def clear_error(self) -> None:
        self.message.hide()
        self.message.clear()

    def clear(self) -> None:
        self.edit.clear()
        self._timer.stop()
        self.clear_error()

    @Slot(str)
    def on_edit_textChanged(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        if not self.text:
            self.clear_error()
        self.queryChanged.emit(self.text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.clear()
                self.queryChanged.emit("")
                self.leave.emit()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                if self._timer.isActive():
                    self._timer.stop()
                    self.queryChanged.emit(self.text)
                self.leave.emit()
                return True
        return super().eventFilter(watched, event)
