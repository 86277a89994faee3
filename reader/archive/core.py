"""The archive's shared state: the data directory, the database connection and the transactions
on it, the lazily opened search index and fetcher, and the change listeners. The facade's helper
mixins all build on :class:`ArchiveBase`; each of their calls opens the transaction and calls the
storage module that does the work, with nothing in between."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlite_utils import Database

from reader import _killpoints
from reader._protocols import Fetcher, SearchIndex
from reader._search import WhooshIndex, open_index
from reader._sources.imap import Connector, connect
from reader._storage import Connection, backup, changes, open_archive
from reader._storage import upgrade_pending as _upgrade_pending
from reader._storage.changes import ChangeQueue
from reader.errors import ReaderError
from reader.model import Changed

DB_FILENAME = "archive.sqlite3"
INDEX_DIRNAME = "index"

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, current_path)`` while a batch imports, and as
``progress(done, total, feed_title)`` while feeds refresh."""


Listener = Callable[[Changed], None]
"""Called with what changed, once per kind of data a call changed."""

# Two threads of one process (the window's worker and its indexer) must not both find the
# folder blank and both create an index in it: the second would wipe the first one's commits.
_OPENING = threading.Lock()


class _Waiting:
    """How many threads wait for :data:`_OPENING`: a refill holding it lets the analyst's
    writes go first between its steps, but not when the analyst's thread is itself waiting to
    open the index (it would only wait the longer)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    @contextmanager
    def counted(self) -> Iterator[None]:
        with self._lock:
            self.count += 1
        try:
            yield
        finally:
            with self._lock:
                self.count -= 1


_OPENING_WANTED = _Waiting()


def open_filled_index(
    data_dir: Path,
    db: Connection,
    *,
    expected: bool,
    fill: bool = True,
    lock_timeout: float | None = None,
    between_writes: Callable[[], None] = lambda: None,
) -> tuple[WhooshIndex, str | None]:
    """Open the index beside the archive; a new or lost one is owed every live item, which is
    recorded in the change queue (replacing it, see :func:`changes.refill`) before anyone
    drains it, so the fill is resumable and each item is indexed once. ``fill=False`` for a
    caller about to rebuild anyway. Returns the index and what is worth telling the user.
    ``expected``: the archive existed before, so a missing index is news. ``lock_timeout``:
    how long a write waits for the index's lock (by default the index's own bound).
    ``between_writes``: called before each step of a refill (:func:`changes.refill_in_steps`),
    except while another thread waits to open the index; it waits a bounded time only."""
    with _OPENING_WANTED.counted():
        _OPENING.acquire()
    try:
        directory = data_dir / INDEX_DIRNAME
        index = (
            open_index(directory)
            if lock_timeout is None
            else open_index(directory, lock_timeout=lock_timeout)
        )
        # An index with no documents is owed every live item whatever the queue says, also
        # when a crash came between creating it and recording the fill; refilling is then
        # idempotent, and cheap next to indexing.
        if not fill or not (index.needs_rebuild or index.document_count() == 0):
            return index, index.rebuilt_reason
        if not index.needs_rebuild and not changes.fill_owed(db.db):
            # An index another handle created and filled the queue for (the window's indexer,
            # before the analyst's first search): refilling would redo it on the analyst's
            # thread and throw away what the indexer's batch in progress took.
            return index, index.rebuilt_reason
        _killpoints.step("index.created")

        def between() -> None:
            if not _OPENING_WANTED.count:
                between_writes()

        count = changes.refill_in_steps(db, between=between)
        _killpoints.step("index.refilled")
    finally:
        _OPENING.release()
    if index.rebuilt_reason:
        return index, index.rebuilt_reason
    if count and expected and index.needs_rebuild:
        return (
            index,
            f"search index was missing; rebuilt from the archive in batches ({count} documents)",
        )
    return index, None


def upgrade_pending(data_dir: Path) -> bool:
    """Whether opening the archive in ``data_dir`` will first upgrade it to this version's
    schema (once; at 100,000 stories, most of a minute), so a face can say so before."""
    return _upgrade_pending(data_dir / DB_FILENAME)


class ArchiveBase:
    """What every part of :class:`~reader.archive.Archive` shares: opening and closing, change
    listeners, the fetcher and the search index."""

    def __init__(
        self,
        data_dir: Path,
        *,
        fetcher: Fetcher | None = None,
        imap_connect: Connector | None = None,
        index_lock_timeout: float | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        # How long an index write waits for another process's index lock (by default the
        # index's own bound); the command line waits less, its changes being saved already.
        self._index_lock_timeout = index_lock_timeout
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ReaderError(
                f"cannot create data directory {self.data_dir}: {err.strerror or err}"
            ) from err
        self.messages: list[str] = []
        """Things worth telling the user that were not errors (e.g. an index was rebuilt)."""
        # Before the database is opened: a restore a crash interrupted is finished first, so
        # no start ever finds the archive missing and makes an empty one in its place.
        finished = backup.recover_restore(self.data_dir / DB_FILENAME)
        if finished:
            self.messages.append(finished)
        backup.remove_stale_parts(self.data_dir)
        backup.remove_stale_parts(self.data_dir / backup.BACKUP_DIRNAME)
        # An index missing beside an archive that already existed is worth a message; the
        # index of a brand-new archive is simply not made yet.
        self._index_expected = (self.data_dir / DB_FILENAME).exists()
        self._db: Connection = open_archive(self.data_dir / DB_FILENAME)
        self._queue = ChangeQueue(self._db)
        self._opened_index: SearchIndex | None = None
        self._given_fetcher = fetcher
        self._own_fetcher: Callable[[], None] | None = None
        # Opens IMAP connections for mailbox sources (tests of error paths pass a fake).
        self._imap_connect: Connector = imap_connect or connect
        self._listeners: list[Listener] = []

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._close_index()
        if self._own_fetcher is not None:
            self._own_fetcher()
            self._own_fetcher = None
        self._db.close()

    def _close_index(self) -> None:
        if self._opened_index is not None:
            self._opened_index.close()
            self._opened_index = None

    def on_change(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, what: Changed) -> None:
        for listener in list(self._listeners):
            listener(what)

    # -- transactions -----------------------------------------------------------------------

    def _reading(self) -> AbstractContextManager[Database]:
        """One snapshot for a read made of several queries."""
        return self._db.transaction(write=False)

    def _writing(self) -> AbstractContextManager[Database]:
        """One write transaction (the write lock is taken up front); nested ones are
        savepoints, so a block that fails inside a larger write undoes only itself."""
        return self._db.transaction()

    # -- shared resources -------------------------------------------------------------------

    @property
    def _fetcher(self) -> Fetcher:
        """The URL fetcher: the one given to the constructor, else an HTTP client."""
        if self._given_fetcher is None:
            from reader._sources.http import HttpFetcher  # httpx loads only when needed

            client = HttpFetcher()
            self._given_fetcher, self._own_fetcher = client, client.close
        return self._given_fetcher

    @property
    def _index(self) -> SearchIndex:
        """The search index, opened (and refilled if it was missing or unreadable) on first use."""
        return self._open_index(fill=True)

    def _open_index(self, *, fill: bool) -> SearchIndex:
        if self._opened_index is None:
            index, message = open_filled_index(
                self.data_dir,
                self._db,
                expected=self._index_expected,
                fill=fill,
                lock_timeout=self._index_lock_timeout,
            )
            if message:
                self.messages.append(message)
            self._opened_index = index
        return self._opened_index
