"""The archive's shared state: the data directory, the store, the lazily opened search index and
fetcher, and the change listeners. The facade's helper mixins all build on :class:`ArchiveBase`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader._protocols import Fetcher, SearchIndex
from reader._search import open_index
from reader._sources.imap import Connector, connect
from reader._storage import Store
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
        self.store = Store(self.data_dir / DB_FILENAME)
        self._index: SearchIndex | None = None
        self._fetcher = fetcher
        self._own_fetcher: Callable[[], None] | None = None
        self.imap_connect: Connector = imap_connect or connect
        """Opens IMAP connections for mailbox sources (tests of error paths pass a fake)."""
        self._listeners: list[Listener] = []
        self.messages: list[str] = []
        """Things worth telling the user that were not errors (e.g. an index was rebuilt)."""

    # -- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._own_fetcher is not None:
            self._own_fetcher()
            self._own_fetcher = None
        self.store.close()

    def on_change(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, what: Changed) -> None:
        for listener in list(self._listeners):
            listener(what)

    # -- shared resources -------------------------------------------------------------------

    @property
    def fetcher(self) -> Fetcher:
        """The URL fetcher: the one given to the constructor, else an HTTP client."""
        if self._fetcher is None:
            from reader._sources.http import HttpFetcher  # httpx loads only when needed

            client = HttpFetcher()
            self._fetcher, self._own_fetcher = client, client.close
        return self._fetcher

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (and rebuilt if it was missing or unreadable) on first use."""
        if self._index is None:
            index = open_index(self.data_dir / INDEX_DIRNAME)
            if index.needs_rebuild:
                # Re-queue everything rather than rebuild here: the queue is drained in batches
                # (the window interleaves them with the analyst's work) and survives a crash.
                count = self.store.enqueue_everything()
                if index.rebuilt_reason:
                    self.messages.append(index.rebuilt_reason)
                elif count and self._index_expected:
                    self.messages.append(
                        f"search index was missing; rebuilt from the archive ({count} documents)"
                    )
            self._index = index
        return self._index
