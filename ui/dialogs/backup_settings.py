"""The Backup settings dialog: back up automatically at start or not, at most how often, and
how many backups to keep."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.model import BackupSettings


class BackupSettingsDialog(QDialog):
    def __init__(
        self, settings: BackupSettings, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backup-settings")
        self.setWindowTitle("Backup settings")
        self.current = settings
        self.enabled = QCheckBox("Back up the archive automatically when the app starts", self)
        self.enabled.setChecked(settings.enabled)
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 24 * 30)
        self.interval.setSuffix(" hours")
        self.interval.setValue(max(1, round(settings.interval_hours)))
        self.keep = QSpinBox(self)
        self.keep.setRange(1, 365)
        self.keep.setValue(settings.keep)
        self.enabled.toggled.connect(self.interval.setEnabled)
        self.enabled.toggled.connect(self.keep.setEnabled)
        self.interval.setEnabled(settings.enabled)
        self.keep.setEnabled(settings.enabled)
        where = QLabel(f"Backups are kept in {folder}", self)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow("At most every:", self.interval)
        form.addRow("Keep the newest:", self.keep)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(buttons)

    def settings(self) -> BackupSettings:
        return replace(
            self.current,
            enabled=self.enabled.isChecked(),
            keep=self.keep.value(),
            interval_hours=float(self.interval.value()),
        )
