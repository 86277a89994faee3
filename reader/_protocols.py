"""Contracts between the layers: what the indexer needs from storage, what search offers, and
what fetching a URL returns.

Storage implements :class:`ChangeQueue`; the search package implements :class:`SearchIndex`;
``reader._sources.http`` implements :class:`Fetcher`. Tests use small doubles of each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reader.model import ItemKind, SearchHit, SearchResults


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the change queue: which item the index must re-read."""

    seq: int
    kind: ItemKind
    item_id: int


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """Everything the index stores about one searchable item.

    ``doc_id`` is ``f"{kind}:{item_id}"``. For a highlight, ``body`` is the quote plus its note;
    for a note, the note's text. ``title``/``source``/``published`` are always the story's, so
    a hit on a note can show which story it belongs to.
    """

    kind: ItemKind
    item_id: int
    story_id: int
    title: str
    body: str
    source: str = ""
    labels: str = ""
    tags: Sequence[str] = ()
    color: str = ""
    published: datetime | None = None
    fetched: datetime | None = None

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.item_id}"


class ChangeQueue(Protocol):
    """The database side of indexing. Every write the index must see queues a change in the
    same transaction as the write itself (in the archive, SQLite triggers do it)."""

    def pending_changes(self, limit: int) -> list[Change]:
        """The oldest ``limit`` changes, in ``seq`` order."""

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[ItemKind, int], IndexDocument]:
        """Current documents for the changed items; an item that no longer exists is absent
        (so the indexer deletes it)."""

    def acknowledge(self, up_to_seq: int) -> None:
        """Forget every change with ``seq <= up_to_seq`` (called after the index committed)."""

    def all_documents(self, batch_size: int) -> Sequence[Sequence[IndexDocument]]:
        """Every current document, in batches, for a full rebuild. May be a lazy iterable."""

    def pending_count(self) -> int: ...


class SearchIndex(Protocol):
    def search(
        self, query: str, limit: int = 20, *, color_names: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        """Hits best first; ``color_names`` maps codebook names to colours for ``color:``."""

    def search_results(
        self, query: str, limit: int = 20, *, color_names: Mapping[str, str] | None = None
    ) -> SearchResults:
        """The same hits, and whether more documents matched than ``limit``."""

    def drain(
        self, queue: ChangeQueue, batch_size: int = 500, max_batches: int | None = None
    ) -> int:
        """Apply pending changes in batches (at most ``max_batches`` of them, so a caller can
        interleave other work); returns how many changes were applied."""

    def rebuild(self, queue: ChangeQueue) -> int:
        """Recreate the index from scratch from ``queue.all_documents``; returns documents."""

    def optimize(self, max_segments: int = ...) -> bool:
        """Merge the smallest segments when there are more than ``max_segments``; returns
        whether it merged. Draining never merges, so the background indexer calls this when
        the queue is empty. Holds the write lock while it merges."""

    def refresh(self) -> None:
        """Move the kept-open searcher to the latest commit (each search does so itself)."""

    def segment_count(self) -> int: ...

    def document_count(self) -> int: ...

    def doc_ids(self) -> set[str]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One HTTP response, fully read and decompressed.

    ``url_final`` is the address after redirects; ``not_modified`` is True for a 304 answer to a
    conditional request, and then ``body`` is empty.
    """

    url_final: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class Fetcher(Protocol):
    """Fetches URLs; must be safe to call from several threads at once."""

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """The response for ``url``; raises FetchError with a one-line reason."""
