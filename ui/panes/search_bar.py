"""The search box in the toolbar: debounces typing into queries, shows a red one-line message
beside the box for a query that cannot be run (elided to the room there, whole in its tooltip,
the box keeping its size), the same message in full over the emptied results, and clears on
Esc."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from ui.core.colors import error_text

DEBOUNCE_MS = 250
BOX_CHARS = 60
"""The search box's width, in average characters (within 280 to 420 pixels)."""


def _error_palette(widget: QWidget) -> QPalette:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, error_text(palette))
    return palette


class ElidedLabel(QLabel):
    """A one-line label that takes only the room its layout leaves it (asking for none) and
    paints its text elided to that room; the whole text is in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def shown_text(self) -> str:
        """The text as painted: all of it, or its start and "…"."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())


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
        # A fixed width: a message beside the box takes the toolbar's spare room, never the box's.
        chars = self.edit.fontMetrics().averageCharWidth() * BOX_CHARS
        self.edit.setFixedWidth(min(420, max(280, chars)))
        self.edit.textChanged.connect(self.on_edit_textChanged)
        self.edit.installEventFilter(self)
        self.message = ElidedLabel(self)
        self.message.setObjectName("search-error")
        self.message.setPalette(_error_palette(self.message))
        self.message.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        # The bar shares the toolbar's spare room with the spacer before it; the message sits
        # left of the box, so the box stays where it is when a message comes or goes.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.edit)

    @property
    def text(self) -> str:
        return self.edit.text().strip()

    def show_error(self, message: str) -> None:
        """``message`` (one line) beside the box, as much as fits; all of it in the tooltip."""
        self.message.setText(message)
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


class QueryErrorNotice(QLabel):
    """Why a query could not be run, word-wrapped across the top of the (emptied) results view,
    so the whole message shows however narrow the toolbar is."""

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.area = view.viewport()
        self.setObjectName("search-error-notice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(12, 12, 12, 12)
        self.setPalette(_error_palette(self))
        self.area.installEventFilter(self)
        self.hide()

    def show_error(self, query: str, message: str) -> None:
        self.setText(f"Cannot search for “{query}”: {message}")
        self._fit()
        self.show()

    def _fit(self) -> None:
        width = self.area.width()
        self.setGeometry(0, 0, width, self.heightForWidth(width))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.area and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)
