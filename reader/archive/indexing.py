"""Indexing in the background: a :class:`BackgroundIndexer` owns its own database connection and
its own index handle, works off the change queue in short slices and stops between any two of
them, so the analyst's own operations never queue behind the index. Qt-free: the window runs
one on a thread of its own; a script may call :meth:`BackgroundIndexer.step` itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from reader._protocols import SearchIndex
from reader._storage import Connection, open_archive
from reader._storage.changes import ChangeQueue
from reader.archive.core import DB_FILENAME, open_filled_index
from reader.errors import ReaderError

SLICE_SECONDS = 0.3
"""What one slice aims to take (measured slices adapt the batch size to it): a stop request
waits about this long, and the analyst's operation shares the processor for no longer. Much
shorter slices would spend most of their time in the index's per-commit overhead."""
FIRST_BATCH = 20
MIN_BATCH = 1
MAX_BATCH = 500
LOCK_TIMEOUT = 1.0
"""How long a slice waits for the index's write lock (another process may be writing) before it
gives up and tries again later; short, so a stop request is never held up by it."""
IDLE_SEGMENTS = 8
"""With the queue empty, the index is merged down to this many segments."""
BACKLOG_SEGMENTS = 32
"""While a backlog drains, past this many segments the smallest few are merged into one: many
small merges (in tiers, as a log-structured index does) rather than one long one."""
BACKLOG_MERGE = 8
REFILL_YIELD_SECONDS = 0.1
IDLE_POLL_SECONDS = 5.0
"""With nothing to do, look at the queue this often: another process may have written to it."""
MERGE_POLL_SECONDS = 0.5
"""While a merge runs beside the writers, look this often whether it is done."""
RETRY_SECONDS = 5.0
"""After a slice failed (index locked, disk full), wait this long before the next attempt."""


class Turns:
    """Shared between the analyst's worker and the indexer (any thread may call any method):
    the indexer starts no slice while an operation of the analyst runs, and hears when new
    changes were written."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = 0
        self._written = False

    def analyst_started(self) -> None:
        with self._cond:
            self._busy += 1

    def analyst_finished(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()

    def changes_written(self) -> None:
        with self._cond:
            self._written = True
            self._cond.notify_all()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def wait(self, stopping: Callable[[], bool], *, for_write: bool, timeout: float | None) -> bool:
        """Return when ``stopping()``, or when no analyst operation runs (and, with
        ``for_write``, once new changes were written), or after ``timeout`` seconds; True
        unless it was the timeout."""

        def ready() -> bool:
            return stopping() or (not self._busy and (self._written or not for_write))

        with self._cond:
            ready_now = self._cond.wait_for(ready, timeout)
            if self._written and not self._busy:
                self._written = False
            return ready_now


class BackgroundIndexer:
    """Drains the change queue of the archive in ``data_dir`` in slices.

    The connection and the index are opened by the first call that needs them and must be used
    on that thread only; :meth:`stop` may be called from any thread. ``batch_size`` fixes the
    number of changes per slice; by default it adapts so a slice takes about
    :data:`SLICE_SECONDS`. Nothing is lost by stopping: what is not applied stays queued in
    the database.
    """

    def __init__(
        self,
        data_dir: Path,
        turns: Turns | None = None,
        *,
        batch_size: int | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.turns = turns or Turns()
        self.batch_size = batch_size or FIRST_BATCH
        self._adaptive = batch_size is None
        self._cost: float | None = None  # seconds per change, smoothed over slices
        self._lock_timeout = lock_timeout
        self._stop = threading.Event()
        self._db: Connection | None = None
        self._queue: ChangeQueue | None = None
        self._index: SearchIndex | None = None
        self.messages: list[str] = []
        """Things worth telling the user (e.g. that a lost index is being refilled)."""
        self.applied = 0
        """Changes applied since this indexer was made."""
        self.slices = 0
        """Slices that applied at least one change."""
        self._tidy_due = True
        self._merge_due = True

    # -- control (any thread) ---------------------------------------------------------------

    def stop(self) -> None:
        """Ask :meth:`run` to return before its next slice."""
        self._stop.set()
        self.turns.wake()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- work (the indexer's own thread) ----------------------------------------------------

    def _open(self) -> tuple[ChangeQueue, SearchIndex]:
        if self._queue is None or self._index is None:
            db = self._db = open_archive(self.data_dir / DB_FILENAME)
            self._queue = ChangeQueue(db)
            index, message = open_filled_index(
                self.data_dir,
                db,
                expected=True,
                lock_timeout=self._lock_timeout,
                between_writes=self._analyst_first,
            )
            self._index = index
            if message:
                self.messages.append(message)
        return self._queue, self._index

    def _analyst_first(self) -> None:
        """Before each write of a refill: let an operation of the analyst that runs finish
        first, up to :data:`REFILL_YIELD_SECONDS` (bounded: the operation may itself be
        waiting to open the index, which this refill is doing)."""
        self.turns.wait(lambda: self.stopping, for_write=False, timeout=REFILL_YIELD_SECONDS)

    def backlog(self) -> int:
        """How many changes are not yet searchable. Asked once per turn of :meth:`run`, so this
        is where a handle kept open learns that a search (in the window or another process)
        found the index damaged: reopening puts it aside and refills an empty one, instead of
        writing on into the old (one small file read a turn, not one per call)."""
        if self._index is not None and self._index.damage_recorded() is not None:
            self.close()
        queue, _index = self._open()
        return queue.pending_count()

    def step(self) -> int:
        """Apply one slice of at most ``batch_size`` changes and commit it; returns how many
        were applied (0: nothing was pending)."""
        queue, index = self._open()
        started = time.perf_counter()
        # A long backlog goes to worker processes in larger batches; a stop request drops the
        # batch in progress (it stays queued) rather than waiting for it.
        applied = index.drain(
            queue, batch_size=self.batch_size, max_batches=1, stop=self._stop.is_set
        )
        if applied:
            self.applied += applied
            self.slices += 1
            self._tidy_due = True
            if self._adaptive and applied == self.batch_size:
                self._adapt(time.perf_counter() - started, applied)
        return applied

    def tidy(self, max_segments: int) -> bool:
        """Merge the index's smallest segments so at most ``max_segments`` remain; whether it
        merged. The indexer calls this when the queue is empty, and between slices when a long
        backlog has left many segments."""
        _queue, index = self._open()
        return index.optimize(max_segments)

    def merge(self) -> bool:
        """Move the merge beside the writers on (:meth:`SearchIndex.start_merge`): commit it
        when it is done, else start one when it is due. Whether there is anything to wait for
        (a merge under way)."""
        _queue, index = self._open()
        if index.merging:
            if index.merge_done():
                self.turns.wait(lambda: self.stopping, for_write=False, timeout=None)
                if self.stopping:
                    return False
                index.finish_merge()
                self._merge_due = True
            return index.merging
        if self._merge_due:
            self._merge_due = False
            return index.start_merge()
        return False

    def _segments(self) -> int:
        _queue, index = self._open()
        return index.segment_count()

    def _adapt(self, elapsed: float, applied: int) -> None:
        sample = max(elapsed, 1e-4) / applied
        if self._cost is None:
            self._cost = sample
        else:
            # Now and then a commit merges segments and takes ten times as long; that says
            # nothing about the next slice, so one outlier moves the estimate only a little.
            self._cost = 0.8 * self._cost + 0.2 * min(sample, 3 * self._cost)
        wanted = int(SLICE_SECONDS / self._cost)
        # At most double at a time: one fast slice of short stories says little about the next.
        self.batch_size = max(MIN_BATCH, min(MAX_BATCH, 2 * self.batch_size, wanted))

    def run(
        self,
        progress: Callable[[int], None],
        notice: Callable[[str], None] = lambda _message: None,
    ) -> None:
        """Index until :meth:`stop`: slices while there is a backlog (none while the analyst's
        operation runs), then wait for new changes. ``progress(left)`` after every slice and
        whenever the backlog changed; ``notice`` for messages and for a slice that failed
        (then tried again later). Closes the connection and the index before returning."""
        try:
            self._run(progress, notice)
        finally:
            self.close()

    def _run(self, progress: Callable[[int], None], notice: Callable[[str], None]) -> None:
        reported: int | None = None
        while not self.stopping:
            failed = merging = False
            try:
                left = self.backlog()
                for message in self.messages:
                    notice(message)
                self.messages.clear()
                if left != reported:
                    progress(left)
                    reported = left
                if left:
                    self.turns.wait(lambda: self.stopping, for_write=False, timeout=None)
                    if self.stopping:
                        return
                    self.step()
                    self._merge_due = True
                    if self._index is not None and self._index.merge_done():
                        self.merge()
                    # Slices never merge, so each adds a segment; past a bound searches would
                    # slow down, so the smallest are merged between slices.
                    if self._segments() > BACKLOG_SEGMENTS:
                        self.tidy(BACKLOG_SEGMENTS - BACKLOG_MERGE)
                    continue
                # Once more after every slice: when only large segments are left, tidy()
                # merges nothing, and asking again would spin.
                if self._tidy_due and self._segments() > IDLE_SEGMENTS:
                    self.turns.wait(lambda: self.stopping, for_write=False, timeout=None)
                    if self.stopping:
                        return
                    self._tidy_due = self.tidy(IDLE_SEGMENTS)
                    continue
                merging = self.merge()
            except ReaderError as err:
                notice(f"Search index not updated: {err}")
                failed = True
            timeout = RETRY_SECONDS if failed else IDLE_POLL_SECONDS
            if not failed and merging:
                timeout = MERGE_POLL_SECONDS
            self.turns.wait(lambda: self.stopping, for_write=True, timeout=timeout)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._db is not None:
            self._db.close()
            self._db = None
        self._queue = None
