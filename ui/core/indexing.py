"""The search indexer's thread: a :class:`reader.archive.BackgroundIndexer` (its own database
connection, its own index handle) working off the change queue in short slices, so the
analyst's operations on the worker never queue behind an index batch. The backlog comes back
to the GUI thread as a signal.

A Python daemon thread rather than a QThread: a slice is short, but the commit that ends one may
merge segments for much longer, and quitting must not wait for that. What a slice was doing when
the process ends is lost harmlessly: changes are acknowledged only after the index committed
them, so the next start applies them again.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.archive import BackgroundIndexer, Turns, lower_priority


class IndexingThread(QObject):
    """Runs one BackgroundIndexer until :meth:`stop`. Not restartable: make a new one.

    Give it no parent: its thread keeps it alive, so a slice that outlives the window still
    has a live object to report to (and the report goes nowhere).
    """

    progress = Signal(int)
    """How many changes are not yet searchable (0: the index is up to date)."""
    notice = Signal(str)
    crashed = Signal(object)
    """A programming error in the indexer, for the GUI thread to report (it is not lost)."""

    def __init__(
        self,
        data_dir: Path,
        turns: Turns,
        *,
        batch_size: int | None = None,
    ) -> None:
        super().__init__()
        self.indexer = BackgroundIndexer(data_dir, turns, batch_size=batch_size)
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        # Its refill and its slices yield the processor to the GUI and worker threads (the
        # indexing processes it starts inherit this).
        lower_priority()
        try:
            self.indexer.run(self.progress.emit, self.notice.emit)
        except Exception as err:  # forwarded to the GUI thread's excepthook, not swallowed
            self.crashed.emit(err)

    def stop(self, timeout: float | None = None) -> bool:
        """Stop between two slices; wait for that at most ``timeout`` seconds (None: until it
        has stopped). Returns whether the thread has ended."""
        self.indexer.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()
