"""The Colour meanings dialog: what each highlight colour stands for ("yellow = claim"), five
rows of swatch, name and description. ui.features.codebook saves it on the worker; a name the
archive refuses (taken, or another colour's own name) is shown in the dialog, which stays
open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.model import CodebookEntry, Color
from ui.core.colors import LABELS, error_text, muted_text
from ui.reading.selection_toolbar import color_icon

Change = tuple[Color, str, str]
"""A colour with its new name and description; an empty name clears the colour's meaning."""


class CodebookDialog(QDialog):
    saveRequested = Signal(list)
    """The list of :data:`Change` to save; the dialog closes once :meth:`saved` is called."""

    def __init__(self, entries: list[CodebookEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codebook-dialog")
        self.setWindowTitle("Colour meanings")
        self.entries = {entry.color: entry for entry in entries}
        intro = QLabel(
            "Say what each highlight colour stands for. The names show in menus, tooltips and "
            "the notebook, work in search (color:claim) and travel with exports.",
            self,
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 2)
        for column, text in ((2, "Name"), (3, "Description")):
            label = QLabel(text, self)
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, muted_text(self.palette()))
            label.setPalette(palette)
            grid.addWidget(label, 0, column)
        self.names: dict[Color, QLineEdit] = {}
        self.descriptions: dict[Color, QLineEdit] = {}
        for row, color in enumerate(Color, start=1):
            entry = self.entries.get(color)
            swatch = QLabel(self)
            swatch.setPixmap(color_icon(color, 18).pixmap(18, 18))
            grid.addWidget(swatch, row, 0)
            grid.addWidget(QLabel(LABELS[color], self), row, 1)
            name = QLineEdit(entry.name if entry else "", self)
            name.setObjectName(f"codebook-name-{color.value}")
            name.setPlaceholderText("e.g. claim" if color == Color.YELLOW else "")
            name.setMaxLength(40)
            description = QLineEdit(entry.description if entry else "", self)
            description.setObjectName(f"codebook-description-{color.value}")
            description.setPlaceholderText("What this colour marks")
            grid.addWidget(name, row, 2)
            grid.addWidget(description, row, 3)
            self.names[color] = name
            self.descriptions[color] = description
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        palette = self.error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_text(self.palette()))
        self.error.setPalette(palette)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

    def changes(self) -> list[Change]:
        """The rows that differ from the codebook as it was."""
        result: list[Change] = []
        for color in Color:
            name = " ".join(self.names[color].text().split())
            description = self.descriptions[color].text().strip()
            entry = self.entries.get(color)
            old = (entry.name, entry.description) if entry else ("", "")
            if (name, description if name else "") != old:
                result.append((color, name, description))
        return result

    def accept(self) -> None:
        changes = self.changes()
        folded = [name.casefold() for _c, name, _d in self._all_rows() if name]
        if len(folded) != len(set(folded)):
            self.show_error("Two colours have the same name; give each its own.")
            return
        if not changes:
            super().accept()
            return
        self.buttons.setEnabled(False)
        self.saveRequested.emit(changes)

    def _all_rows(self) -> list[Change]:
        return [
            (c, " ".join(self.names[c].text().split()), self.descriptions[c].text()) for c in Color
        ]

    def saved(self) -> None:
        super().accept()

    def show_error(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(message)
        self.error.show()
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft)
