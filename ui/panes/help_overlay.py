"""The help overlay: a frameless panel over the window listing every shortcut, built from the
same keymap data the actions are bound from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.core.keymap import BINDINGS, shown_keys


class HelpOverlay(QWidget):
    """Covers its parent with a dimmed backdrop and a centred list of shortcuts."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = parent
        self.setObjectName("help-overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        panel = QFrame(self)
        panel.setObjectName("help-panel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setAutoFillBackground(True)
        panel.setBackgroundRole(QPalette.ColorRole.Base)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        for row, binding in enumerate(BINDINGS):
            keys = QLabel(f"<b>{shown_keys(binding)}</b>", panel)
            keys.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(keys, row, 0)
            grid.addWidget(QLabel(binding.description, panel), row, 1)
        title = QLabel("<h3>Keyboard shortcuts</h3>", panel)
        hint = QLabel("Press Esc or ? to close.", panel)
        hint.setEnabled(False)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(hint)
        self.panel = panel
        self.rows = len(BINDINGS)
        self._return_focus: QWidget | None = None
        parent.installEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        # Where the keyboard was, to give it back on closing: otherwise Qt hands focus to the
        # next widget in the chain (the search box), and the next "j" is typed into it.
        focused = QApplication.focusWidget()
        self._return_focus = focused if focused is not None and focused is not self else None
        self.setGeometry(self.host.rect())
        self._center()
        self.show()
        self.raise_()
        self.setFocus()

    def _center(self) -> None:
        self.panel.adjustSize()
        size = self.panel.sizeHint()
        self.panel.setGeometry(
            (self.width() - size.width()) // 2,
            (self.height() - size.height()) // 2,
            size.width(),
            size.height(),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.host.rect())
            self._center()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110))

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        target = self._return_focus
        self._return_focus = None
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Question, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.hide()
