"""The archive's shared state: the data directory, the database connection and the transactions
on it, the lazily opened search index and fetcher, and the change listeners. The facade's helper
mixins all build on :class:`ArchiveBase`; each of their calls opens the transaction and calls the
storage module that does the work, with nothing in between."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlite_utils import Database

from reader._protocols import Fetcher, SearchIndex
from reader._search import open_index
from reader._sources.imap import Connector, connect
from reader._storage import Connection, open_archive
from reader._storage.changes import ChangeQueue, enqueue_everything
from reader.errors import ReaderError
from reader.model import Changed

DB_FILENAME = "archive.sqlite3"
INDEX_DIRNAME = "index"

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, current_path)`` while a batch imports, and as
``progress(done, total, feed_title)`` while feeds refresh."""


Listener = Callable[[Changed], None]
"""Called with what changed, once per kind of data a call changed."""


class ArchiveBase:
    """What every part of :class:`~reader.archive.Archive` shares: opening and closing, change
    listeners, the fetcher and the search index."""

    def __init__(
        self,
        data_dir: Path,
        *,
        fetcher: Fetcher | None = None,
        imap_connect: Connector | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ReaderError(
                f"cannot create data directory {self.data_dir}: {err.strerror or err}"
            ) from err
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
        self.messages: list[str] = []
        """Things worth telling the user that were not errors (e.g. an index was rebuilt)."""

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
        """The search index, opened (and rebuilt if it was missing or unreadable) on first use."""
        if self._opened_index is None:
            index = open_index(self.data_dir / INDEX_DIRNAME)
            if index.needs_rebuild:
                # Re-queue everything rather than rebuild here: the queue is drained in batches
                # (the window interleaves them with the analyst's work) and survives a crash.
                with self._writing() as db:
                    count = enqueue_everything(db)
                if index.rebuilt_reason:
                    self.messages.append(index.rebuilt_reason)
                elif count and self._index_expected:
                    self.messages.append(
                        f"search index was missing; rebuilt from the archive ({count} documents)"
                    )
            self._opened_index = index
        return self._opened_index
