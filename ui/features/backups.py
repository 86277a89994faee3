"""Backups: the automatic backup at start, File ▸ Back up now…, File ▸ Restore
from backup… (the archive it replaces is kept, and the shell reads the restored one afresh)
and the schedule (on or off, how often, how many to keep) in File ▸ Backup settings…."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.archive import Archive
from reader.model import BackupSettings
from ui.core.services import Services
from ui.dialogs.backup_settings import BackupSettingsDialog

BACKUP_FILTER = "Archive backups (*.sqlite3);;All files (*)"


class Backups(QObject):
    backedUp = Signal(object)
    """The Path of a backup just written (by hand or on schedule)."""
    restored = Signal(object)
    """The Path where the archive that a restore replaced is kept."""

    restoreStarting = Signal()
    """A restore is about to move the archive file aside: whoever reads it closes it now."""
    restoreEnded = Signal()
    """The restore is over (done or failed): read the archive afresh."""

    def __init__(self, services: Services, data_dir: Path) -> None:
        super().__init__(services.parent)
        self.s = services
        self.folder = data_dir
        """Where the archive keeps its backups (asked of it at start)."""
        self.settings_dialog: BackupSettingsDialog | None = None
        self.backup_action = QAction("Back up now…", services.parent)
        self.backup_action.triggered.connect(self.ask_backup)
        self.restore_action = QAction("Restore from backup…", services.parent)
        self.restore_action.triggered.connect(self.ask_restore)
        self.backup_settings_action = QAction("Backup settings…", services.parent)
        self.backup_settings_action.triggered.connect(self.ask_settings)

    # -- backing up -----------------------------------------------------------------------

    def backup_if_due(self) -> None:
        """The automatic backup, when the schedule says one is due (run once at start)."""

        def done(path: Path | None) -> None:
            if path is not None:
                self.s.notify_aside(f"Automatic backup saved: {path.name}", str(path))
                self.backedUp.emit(path)

        def run(archive: Archive) -> Path | None:
            self.folder = archive.backups_dir
            return archive.backup_if_due()

        # Beside the worker: copying a large archive takes seconds, and the analyst's first
        # operations (opening a story) must not wait for it.
        self.s.worker.run_aside(
            run,
            done=done,
            failed=lambda err: self.s.notify(f"Automatic backup failed: {err}", ""),
        )

    def ask_backup(self) -> None:
        name = f"archive-{datetime.now(UTC):%Y%m%d-%H%M%S}.sqlite3"
        path, _ = QFileDialog.getSaveFileName(
            self.s.parent, "Back up the archive", str(self.folder / name), BACKUP_FILTER
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        self.s.status("Backing up…", 0)

        def done(written: Path) -> None:
            self.s.notify(f"Backup saved: {written}", "")
            self.backedUp.emit(written)

        self.s.worker.run_aside(
            lambda a: a.backup(path),
            done=done,
            failed=lambda err: self.s.notify(f"Backup failed: {err}", ""),
        )

    # -- restoring ------------------------------------------------------------------------

    def ask_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.s.parent, "Restore from a backup", str(self.folder), BACKUP_FILTER
        )
        if path and self.confirm_restore(Path(path)):
            self.restore_from(Path(path))

    def confirm_restore(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.s.parent,
            "Restore from backup",
            f"Replace the archive with the backup {path.name}?\n\n"
            f"The current archive is kept in {self.folder} (as pre-restore-…), so you can "
            "go back to it by restoring that file. Undo history is cleared.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_from(self, path: Path) -> None:
        """Put the backup in place on the worker, then have everything read afresh. Readers
        of the file close it first (:attr:`restoreStarting`): it is moved aside."""
        self.restoreStarting.emit()
        self.s.status(f"Restoring {path.name}…", 0)

        def done(kept: Path) -> None:
            self.restoreEnded.emit()
            self.s.notify(
                f"Restored {path.name}; the archive it replaced is kept as {kept.name}.", ""
            )
            self.restored.emit(kept)

        def failed(err: BaseException) -> None:
            self.restoreEnded.emit()
            self.s.notify(f"Restore failed: {err}", "")

        self.s.worker.run(lambda a: a.restore(path), write=True, done=done, failed=failed)

    # -- schedule -------------------------------------------------------------------------

    def ask_settings(self) -> None:
        def show(settings: BackupSettings) -> None:
            dialog = BackupSettingsDialog(settings, self.folder, self.s.parent)
            self.settings_dialog = dialog
            dialog.accepted.connect(lambda: self.save_settings(dialog.settings()))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        self.s.worker.run(lambda a: a.backup_settings(), done=show)

    def save_settings(self, settings: BackupSettings) -> None:
        self.s.worker.run(
            lambda a: a.set_backup_settings(settings),
            write=True,
            done=lambda _none: self.s.status("Backup settings saved", 4000),
        )
