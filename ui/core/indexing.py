"""The search indexer's thread: a :class:`reader.archive.BackgroundIndexer` (its own database
connection, its own index handle) working off the change queue in short slices, so the
analyst's operations on the worker never queue behind an index batch. The backlog comes back
to the GUI thread as a signal; stopping waits for the slice in progress only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from reader.archive import BackgroundIndexer, Turns


class IndexingThread(QThread):
    """Runs one BackgroundIndexer until :meth:`stop`. Not restartable: make a new one."""

    progress = Signal(int)
    """How many changes are not yet searchable (0: the index is up to date)."""
    notice = Signal(str)
    crashed = Signal(object)
    """A programming error in the indexer, for the GUI thread to report (it is not lost)."""

    def __init__(
        self,
        data_dir: Path,
        turns: Turns,
        parent: QObject | None = None,
        *,
        batch_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("search-indexer")
        self.indexer = BackgroundIndexer(data_dir, turns, batch_size=batch_size)

    def run(self) -> None:
        try:
            self.indexer.run(self.progress.emit, self.notice.emit)
        except Exception as err:  # forwarded to the GUI thread's excepthook, not swallowed
            self.crashed.emit(err)

    def stop(self, timeout_ms: int = 30000) -> None:
        """Stop between two slices and wait for the thread (the rest stays queued)."""
        self.indexer.stop()
        if self.isRunning():
            self.wait(timeout_ms)
