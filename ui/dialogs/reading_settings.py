"""The Reading settings dialog: font family and size, line height and the column's width,
applied to the reader as they change (the dialog stays open beside it)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.reading.reading_style import COLUMN_RANGE, LINE_HEIGHT_RANGE, ZOOM_RANGE, ReadingStyle


class ReadingSettingsDialog(QDialog):
    styleChosen = Signal(object)
    """A :class:`ReadingStyle` to apply now."""

    def __init__(
        self, style: ReadingStyle, base_size: int, default_family: str, parent: QWidget | None
    ) -> None:
        """``base_size`` is the reading size in points at zoom 0; ``default_family`` the face
        the reader uses when none is chosen."""
        super().__init__(parent)
        self.setObjectName("reading-settings")
        self.setWindowTitle("Reading settings")
        self.base_size = base_size
        self.default_family = default_family
        self.style_ = style
        self.family = QFontComboBox(self)
        self.family.setObjectName("reading-font")
        self.point_size = QSpinBox(self)
        self.point_size.setObjectName("reading-size")
        self.point_size.setRange(base_size + ZOOM_RANGE[0], base_size + ZOOM_RANGE[1])
        self.point_size.setSuffix(" pt")
        self.line_height = QSpinBox(self)
        self.line_height.setObjectName("reading-line-height")
        self.line_height.setRange(*LINE_HEIGHT_RANGE)
        self.line_height.setSingleStep(10)
        self.line_height.setSuffix(" %")
        self.column = QSpinBox(self)
        self.column.setObjectName("reading-column")
        self.column.setRange(*COLUMN_RANGE)
        self.column.setSingleStep(5)
        self.column.setSuffix(" characters")
        self.show_style(style)
        self.family.currentFontChanged.connect(self.on_changed)
        for spin in (self.point_size, self.line_height, self.column):
            spin.valueChanged.connect(self.on_changed)

        form = QFormLayout()
        form.addRow("&Font:", self.family)
        form.addRow("&Size:", self.point_size)
        form.addRow("&Line height:", self.line_height)
        form.addRow("Column &width at most:", self.column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.reset = QPushButton("&Defaults", self)
        self.reset.setToolTip("The reader's own font, size, line height and column width")
        buttons.addButton(self.reset, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset.clicked.connect(lambda: self.styleChosen.emit(ReadingStyle()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def show_style(self, style: ReadingStyle) -> None:
        """Show ``style`` (also when the zoom keys change it) without sending it back."""
        self.style_ = style
        widgets = (self.family, self.point_size, self.line_height, self.column)
        for widget in widgets:
            widget.blockSignals(True)
        self.family.setCurrentFont(QFont(style.family or self.default_family))
        self.point_size.setValue(self.base_size + style.zoom)
        self.line_height.setValue(style.line_height)
        self.column.setValue(style.column_chars)
        for widget in widgets:
            widget.blockSignals(False)

    @Slot()
    def on_changed(self) -> None:
        family = self.family.currentFont().family()
        style = replace(
            self.style_,
            family="" if family == self.default_family and not self.style_.family else family,
            zoom=self.point_size.value() - self.base_size,
            line_height=self.line_height.value(),
            column_chars=self.column.value(),
        )
        self.styleChosen.emit(style)
