"""The database worker: one thread that owns its own Archive and runs operations one at a time.

A QObject moved to a dedicated QThread rather than a QThreadPool(max 1): an Archive holds a
SQLite connection that must stay on the thread that opened it, and a QThread of our own makes
that identity explicit for the app's whole life; its event loop also runs operations strictly in
submission order, so a write is always seen by the reads submitted after it. Results, errors,
progress and the archive's change events come back to the GUI thread through queued signals;
an operation never touches a widget.

A long operation (an import of 1,000 files) calls ``ctx.let_others_run()`` between files, where
no transaction is open: the worker then runs what was queued meanwhile (opening a story, a
search, a highlight), so the window stays usable while it imports. Stopping waits for it.

The search index is not this thread's business: an :class:`~ui.core.indexing.IndexingThread`
with its own connection works off the change queue beside it, starting no slice while one of
the analyst's operations runs, and woken after every write.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, SignalInstance, Slot

from reader.archive import Archive, Turns, lower_priority, upgrade_pending
from reader.errors import ReaderError
from ui.core.indexing import IndexingThread

INDEXER_QUIT_S = 1.0
"""Quitting waits this long for the indexer's slice in progress (quit must take under 2 s)."""


@dataclass(slots=True)
class OpContext:
    """Handed to long operations: report progress, send partial results, check for cancel."""

    ticket: int
    engine: _Engine
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int, text: str) -> None:
        self.engine.progress.emit(self.ticket, done, total, text)

    def partial(self, value: object) -> None:
        self.engine.partial.emit(self.ticket, value)

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def let_others_run(self) -> None:
        """Run the operations queued behind this one; call only between transactions."""
        QCoreApplication.processEvents()


class _Engine(QObject):
    """Lives in the worker thread; owns the worker's Archive."""

    opened = Signal()
    upgrading = Signal()
    open_failed = Signal(object)
    finished = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int, str)
    partial = Signal(int, object)
    changed = Signal(object)

    def __init__(self, data_dir: Path, turns: Turns) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.turns = turns
        self.archive: Archive | None = None
        self._depth = 0
        self._stop_pending = False

    @Slot()
    def on_started(self) -> None:
        if upgrade_pending(self.data_dir):
            self.upgrading.emit()
        try:
            self.archive = Archive(self.data_dir)
        except ReaderError as err:
            self.open_failed.emit(err)
            return
        self.archive.on_change(self.changed.emit)
        self.opened.emit()

    @Slot(int, object, bool, object)
    def on_submit(self, ticket: int, fn: Callable[..., Any], write: bool, ctx: object) -> None:
        if self.archive is None:
            self.failed.emit(ticket, ReaderError("the archive is not open"))
            return
        self._depth += 1
        self.turns.analyst_started()
        try:
            result = fn(self.archive) if ctx is None else fn(self.archive, ctx)
        except Exception as err:  # forwarded: ReaderError to the status bar, others to excepthook
            self.failed.emit(ticket, err)
        else:
            self.finished.emit(ticket, result)
        finally:
            self._depth -= 1
            if write:
                self.turns.changes_written()
            self.turns.analyst_finished()
        if self._stop_pending and not self._depth:
            self.on_stop()

    @Slot()
    def on_stop(self) -> None:
        if self._depth:
            self._stop_pending = True
            return
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        thread = QThread.currentThread()
        thread.quit()


class _Aside(QObject):
    """The signals of :meth:`Worker.run_aside`'s and :meth:`Worker.run_background`'s
    threads."""

    finished = Signal(int, object)
    failed = Signal(int, object)


BACKGROUND_CLOSE_S = 10.0
"""How long closing the background reader's connection waits for the read in progress."""


_STOP = threading.Event()
"""Queued to end the background reader's thread."""


class _BackgroundReads:
    """One thread, with an Archive of its own opened on first use and kept (with what it
    caches, such as the facets' maps of the index), that runs reads in submission order."""

    def __init__(self, data_dir: Path, signals: _Aside) -> None:
        self._data_dir = data_dir
        self._signals = signals
        self._queue: queue.SimpleQueue[tuple[int, Callable[[Archive], Any]] | threading.Event] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._archive: Archive | None = None
        """Opened by the thread's first read, used on that thread only."""

    def submit(self, ticket: int, fn: Callable[[Archive], Any]) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="background-reads", daemon=True)
            self._thread.start()
        self._queue.put((ticket, fn))

    def close_archive(self, timeout: float = BACKGROUND_CLOSE_S) -> None:
        """Close the connection after the reads queued so far (a restore moves the file
        aside); the next read opens it again. Waits at most ``timeout`` seconds."""
        if self._thread is None:
            return
        closed = threading.Event()
        self._queue.put(closed)
        closed.wait(timeout)

    def stop(self, timeout: float) -> None:
        """End the thread after the reads queued so far, closing its connection; waits at
        most ``timeout`` seconds (a daemon thread: a long read does not hold up quitting)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if isinstance(item, threading.Event):
                if self._archive is not None:
                    self._archive.close()
                    self._archive = None
                if item is _STOP:
                    return
                item.set()
                continue
            ticket, fn = item
            _deliver(self._signals, ticket, partial(self._read, fn))

    def _read(self, fn: Callable[[Archive], Any]) -> Any:
        if self._archive is None:
            self._archive = Archive(self._data_dir)
        return fn(self._archive)


def _deliver(signals: _Aside, ticket: int, work: Callable[[], object]) -> None:
    """Do ``work`` on this thread and send its result, or its failure, to the GUI thread."""
    try:
        outcome: tuple[SignalInstance, object] = (signals.finished, work())
    except Exception as err:  # forwarded as for the worker's own operations
        outcome = (signals.failed, err)
    with suppress(RuntimeError):  # the window is gone: nobody is left to tell
        outcome[0].emit(ticket, outcome[1])


def _with_own_archive(data_dir: Path, fn: Callable[[Archive], Any]) -> Any:
    # An aside thread's long read (a backup copying the whole archive) leaves the processor
    # to the analyst's threads first.
    lower_priority()
    with Archive(data_dir) as archive:
        return fn(archive)


Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass(slots=True)
class _Pending:
    done: Done | None
    failed: Failed | None
    progress: Callable[[int, int, str], None] | None
    partial: Done | None
    ctx: OpContext | None


class Worker(QObject):
    """The GUI side of the worker: submit operations, get callbacks on the GUI thread."""

    opened = Signal()
    upgrading = Signal()
    """The archive is being upgraded to this version's schema before it opens (once)."""
    open_failed = Signal(object)
    changed = Signal(object)
    """A reader.model.Changed, as the archive reports it (the ChangeBus coalesces them)."""
    error = Signal(object)
    """An operation failed and had no ``failed`` callback (a ReaderError or a programming error)."""
    notice = Signal(str)
    operationEnded = Signal()
    """An operation's ``done`` or ``failed`` has run: what it changed may be broadcast."""
    indexing = Signal(int)
    """How many changes the search index still has to take in (0: up to date)."""

    _submit = Signal(int, object, bool, object)
    _stop = Signal()

    def __init__(
        self,
        data_dir: Path,
        parent: QObject | None = None,
        *,
        index_batch_size: int | None = None,
    ) -> None:
        """``index_batch_size`` fixes the indexer's slices (tests); by default they adapt."""
        super().__init__(parent)
        self._index_batch_size = index_batch_size
        self._tickets = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._data_dir = data_dir
        self._turns = Turns()
        self._indexer: IndexingThread | None = None
        self._thread = QThread()
        self._thread.setObjectName("db-worker")
        self._engine = _Engine(data_dir, self._turns)
        self._engine.moveToThread(self._thread)
        self._thread.started.connect(self._engine.on_started)
        self._submit.connect(self._engine.on_submit)
        self._stop.connect(self._engine.on_stop)
        self._engine.opened.connect(self.on_engine_opened)
        self._engine.upgrading.connect(self.upgrading)
        self._engine.open_failed.connect(self.open_failed)
        self._engine.changed.connect(self.changed)
        self._engine.finished.connect(self.on_engine_finished)
        self._engine.failed.connect(self.on_engine_failed)
        self._engine.progress.connect(self.on_engine_progress)
        self._engine.partial.connect(self.on_engine_partial)
        self._thread.finished.connect(self._engine.deleteLater)
        # Lives on the GUI thread, so what an aside thread emits is delivered here, queued.
        self._aside = _Aside(self)
        self._aside.finished.connect(self.on_engine_finished)
        self._aside.failed.connect(self.on_engine_failed)
        self._background = _BackgroundReads(data_dir, self._aside)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_ms: int = 30000) -> None:
        """Stop indexing after the slice in progress (the rest stays queued for next time;
        a slice's commit that is still merging after :data:`INDEXER_QUIT_S` is left to
        finish or die with the process), run what is queued, close the archive and end the
        thread."""
        self.stop_indexing(timeout=INDEXER_QUIT_S)
        self._background.stop(timeout=INDEXER_QUIT_S)
        if not self._thread.isRunning():
            return
        self._stop.emit()
        self._thread.wait(timeout_ms)

    @Slot()
    def on_engine_opened(self) -> None:
        # A backlog left by a crash, or a new or lost index, is worked off from the start.
        self.start_indexing()
        self.opened.emit()

    def start_indexing(self) -> None:
        """Index in the background (again, after :meth:`stop_indexing`)."""
        if self._indexer is not None:
            return
        indexer = self._indexer = IndexingThread(
            self._data_dir, self._turns, batch_size=self._index_batch_size
        )
        indexer.progress.connect(self.indexing)
        indexer.notice.connect(self.notice)
        indexer.crashed.connect(self.error)
        indexer.start()

    def stop_indexing(self, timeout: float | None = None) -> None:
        """Stop indexing between two slices and wait until its connection is closed (a
        restore moves the archive file aside), or at most ``timeout`` seconds; what is left
        stays queued."""
        indexer, self._indexer = self._indexer, None
        if indexer is not None:
            indexer.stop(timeout)

    @property
    def indexer(self) -> IndexingThread | None:
        """The background indexer while it runs (tests watch it)."""
        return self._indexer

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        fn: Callable[[Archive], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
        write: bool = False,
    ) -> int:
        """Run ``fn(archive)`` on the worker thread; ``done(result)`` runs on the GUI thread."""
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(done, failed, None, None, None)
        self._submit.emit(ticket, fn, write, None)
        return ticket

    def run_long(
        self,
        fn: Callable[[Archive, OpContext], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        partial: Done | None = None,
        write: bool = False,
    ) -> int:
        """Like :meth:`run`, for operations that report progress and can be cancelled."""
        ticket = next(self._tickets)
        ctx = OpContext(ticket, self._engine)
        self._pending[ticket] = _Pending(done, failed, progress, partial, ctx)
        self._submit.emit(ticket, fn, write, ctx)
        return ticket

    def run_aside(
        self,
        fn: Callable[[Archive], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Run ``fn(archive)`` on a thread of its own with an Archive (a connection) of its
        own: for a long read that must not hold up the analyst's operations queued on the
        worker, such as copying a 100,000-story archive for a backup. It is not ordered with
        the worker's operations, and quitting does not wait for it (a backup cut short leaves
        a ``.part`` file, which the next start removes)."""
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(done, failed, None, None, None)
        work = partial(_with_own_archive, self._data_dir, fn)
        threading.Thread(
            target=_deliver, args=(self._aside, ticket, work), name="aside", daemon=True
        ).start()
        return ticket

    def run_background(
        self,
        fn: Callable[[Archive], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Run the read ``fn(archive)`` on the background reader: a thread with an Archive of
        its own, for what the window reads for itself (facets, saved searches' counts), so
        that it never queues ahead of the analyst's operations on the worker. Reads run in
        submission order and see what the worker has committed; quitting does not wait."""
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(done, failed, None, None, None)
        self._background.submit(ticket, fn)
        return ticket

    def close_background(self) -> None:
        """Close the background reader's connection (before a restore moves the file)."""
        self._background.close_archive()

    def cancel(self, ticket: int) -> None:
        pending = self._pending.get(ticket)
        if pending is not None and pending.ctx is not None:
            pending.ctx.cancel_event.set()

    @Slot(int, object)
    def on_engine_finished(self, ticket: int, result: object) -> None:
        pending = self._pending.pop(ticket, None)
        try:
            if pending is not None and pending.done is not None:
                pending.done(result)
        finally:
            self.operationEnded.emit()

    @Slot(int, object)
    def on_engine_failed(self, ticket: int, err: BaseException) -> None:
        pending = self._pending.pop(ticket, None)
        try:
            if pending is not None and pending.failed is not None and isinstance(err, ReaderError):
                pending.failed(err)
            else:
                self.error.emit(err)
        finally:
            self.operationEnded.emit()

    @Slot(int, int, int, str)
    def on_engine_progress(self, ticket: int, done: int, total: int, text: str) -> None:
        pending = self._pending.get(ticket)
        if pending is not None and pending.progress is not None:
            pending.progress(done, total, text)

    @Slot(int, object)
    def on_engine_partial(self, ticket: int, value: object) -> None:
        pending = self._pending.get(ticket)
        if pending is not None and pending.partial is not None:
            pending.partial(value)
