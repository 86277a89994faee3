"""Importing files and folders: runs Archive.import_paths on the worker with a progress bar and a
cancel button in the status bar, shows new stories as batches arrive, and lists failed files in
the Notifications dock without ever blocking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressBar, QToolButton

from reader.archive import Archive
from reader.model import ImportReport
from ui.core.services import Services
from ui.core.worker import OpContext

REFRESH_EVERY = 25
"""While importing, the list shows the new stories every this many files."""
FILE_FILTER = (
    "Stories, e-mail, exports and annotations"
    " (*.html *.htm *.md *.markdown *.txt *.eml *.mbox *.json *.jsonld);;"
    "E-mail (*.eml *.mbox);;"
    "All files (*)"
)

IdsQuery = Callable[[Archive], list[int]]


class Importer(QObject):
    finished = Signal(object)
    """The ImportReport, or None if the import failed as a whole."""

    def __init__(self, services: Services) -> None:
        super().__init__(services.parent)
        self.s = services
        self.ticket: int | None = None
        self.progress = QProgressBar(services.parent)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QToolButton(services.parent)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setObjectName("cancel-import")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)

    @property
    def running(self) -> bool:
        return self.ticket is not None

    def start(
        self, paths: list[str], ids_query: IdsQuery, on_ids: Callable[[list[int]], None]
    ) -> None:
        """Import ``paths``; every few files ``on_ids`` gets the list's ids from ``ids_query``."""
        if not paths:
            return
        if self.running:
            self.s.status("An import is already running.", 5000)
            return

        def run(archive: Archive, ctx: OpContext) -> ImportReport:
            shown = 0

            def progress(done: int, total: int, path: str) -> None:
                nonlocal shown
                ctx.progress(done, total, path)
                ctx.let_others_run()
                if done - shown >= REFRESH_EVERY:
                    shown = done
                    ctx.partial(ids_query(archive))

            return archive.import_paths(paths, progress=progress, cancelled=ctx.cancelled)

        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.ticket = self.s.worker.run_long(
            run,
            write=True,
            done=self._on_done,
            failed=self._on_failed,
            progress=self._on_progress,
            partial=on_ids,
        )

    def cancel(self) -> None:
        if self.ticket is not None:
            self.s.worker.cancel(self.ticket)
            self.cancel_button.setEnabled(False)
            self.s.status("Cancelling the import…", 0)

    @Slot()
    def on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat("Importing %v/%m")
        if path:
            self.s.status(f"Importing {Path(path).name}", 0)

    def _end(self) -> None:
        self.ticket = None
        self.progress.hide()
        self.cancel_button.hide()

    def _on_done(self, report: ImportReport) -> None:
        self._end()
        n = len(report.imported)
        parts = [f"Imported {n} stor{'y' if n == 1 else 'ies'}"]
        if report.duplicates:
            parts.append(f"{report.duplicates} already in the archive")
        if report.failed:
            parts.append(f"{len(report.failed)} failed (see Notifications)")
        if report.warnings:
            parts.append(f"{len(report.warnings)} with a warning (see Notifications)")
        self.s.notify(", ".join(parts) + ".", "")
        for failure in report.failed:
            self.s.notices.add(
                f"Not imported: {Path(failure.path).name}: {failure.error}", failure.path
            )
        for warning in report.warnings:
            self.s.notices.add(
                f"Imported {Path(warning.path).name}, but {warning.message}", warning.path
            )
        if report.failed or report.warnings:
            self.s.notices.reveal()
        self.finished.emit(report)

    def _on_failed(self, err: BaseException) -> None:
        self._end()
        self.s.notify(f"Import failed: {err}", "")
        self.finished.emit(None)

    def ask_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self.s.parent, "Import stories", "", FILE_FILTER)
        return list(paths)

    def ask_folder(self) -> list[str]:
        folder = QFileDialog.getExistingDirectory(self.s.parent, "Import a folder of stories")
        return [folder] if folder else []
