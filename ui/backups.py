"""Backups from the window: the automatic backup at start, File ▸ Back up now…, File ▸ Restore
from backup… (the archive it replaces is kept, and the window reads the restored one afresh)
and the schedule (on or off, how often, how many to keep) in File ▸ Backup settings…."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.archive import Archive
from reader.errors import ReaderError

if TYPE_CHECKING:
    from reader.model import BackupSettings
    from ui.main_window import MainWindow

BACKUP_FILTER = "Archive backups (*.sqlite3);;All files (*)"


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


class Backups(QObject):
    backedUp = Signal(object)
    """The Path of a backup just written (by hand or on schedule)."""
    restored = Signal(object)
    """The Path where the archive that a restore replaced is kept."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.folder = window.data_dir
        """Where the archive keeps its backups (asked of it at start)."""
        self.settings_dialog: BackupSettingsDialog | None = None

    # -- backing up -----------------------------------------------------------------------

    def backup_if_due(self) -> None:
        """The automatic backup, when the schedule says one is due (run once at start)."""

        def done(path: Path | None) -> None:
            if path is not None:
                self.w.statusBar().showMessage(f"Automatic backup saved: {path.name}", 6000)
                self.backedUp.emit(path)

        def run(archive: Archive) -> Path | None:
            self.folder = archive.backups_dir
            return archive.backup_if_due()

        self.w.worker.run(
            run,
            done=done,
            failed=lambda err: self.w.notify(f"Automatic backup failed: {err}"),
        )

    def ask_backup(self) -> None:
        name = f"archive-{datetime.now(UTC):%Y%m%d-%H%M%S}.sqlite3"
        path, _ = QFileDialog.getSaveFileName(
            self.w, "Back up the archive", str(self.folder / name), BACKUP_FILTER
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        self.w.statusBar().showMessage("Backing up…")

        def done(written: Path) -> None:
            self.w.notify(f"Backup saved: {written}")
            self.backedUp.emit(written)

        self.w.worker.run(
            lambda a: a.backup(path),
            done=done,
            failed=lambda err: self.w.notify(f"Backup failed: {err}"),
        )

    # -- restoring ------------------------------------------------------------------------

    def ask_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.w, "Restore from a backup", str(self.folder), BACKUP_FILTER
        )
        if path and self.confirm_restore(Path(path)):
            self.restore_from(Path(path))

    def confirm_restore(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.w,
            "Restore from backup",
            f"Replace the archive with the backup {path.name}?\n\n"
            f"The current archive is kept in {self.folder} (as pre-restore-…), so you can "
            "go back to it by restoring that file. Undo history is cleared.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_from(self, path: Path) -> None:
        """Put the backup in place on the worker, then read everything afresh. The window's
        own read connection is closed first: the file it reads is moved aside."""
        w = self.w
        w.panel.flush()
        if w.read_archive is not None:
            w.read_archive.close()
            w.read_archive = None
        w.statusBar().showMessage(f"Restoring {path.name}…")

        def done(kept: Path) -> None:
            self._reopen()
            w.notify(f"Restored {path.name}; the archive it replaced is kept as {kept.name}.")
            self.restored.emit(kept)

        def failed(err: BaseException) -> None:
            self._reopen()
            w.notify(f"Restore failed: {err}")

        w.worker.run(lambda a: a.restore(path), write=True, done=done, failed=failed)

    def _reopen(self) -> None:
        w = self.w
        try:
            w.read_archive = Archive(w.data_dir)
        except ReaderError as err:
            w.notify(f"Cannot reopen the archive: {err}")
            return
        w.undo_stack.clear()
        story_id = w.story_id
        w.story = None
        w.refresh_ids()
        w.refresh_counts()
        if story_id is not None:
            w.open_story(story_id, mark_read=False, missing=self._clear_story)

    def _clear_story(self) -> None:
        """The story that was open is not in the restored archive."""
        w = self.w
        w.reader.story = None
        w.reader.highlights = []
        w.reader.clear()
        w.panel.set_story(None, [], [])
        w.panel.story_tags.set_tags(None, ())
        w.setWindowTitle("Story Reader")

    # -- schedule -------------------------------------------------------------------------

    def ask_settings(self) -> None:
        def show(settings: BackupSettings) -> None:
            dialog = BackupSettingsDialog(settings, self.folder, self.w)
            self.settings_dialog = dialog
            dialog.accepted.connect(lambda: self.save_settings(dialog.settings()))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        self.w.worker.run(lambda a: a.backup_settings(), done=show)

    def save_settings(self, settings: BackupSettings) -> None:
        self.w.worker.run(
            lambda a: a.set_backup_settings(settings),
            write=True,
            done=lambda _none: self.w.statusBar().showMessage("Backup settings saved", 4000),
        )
