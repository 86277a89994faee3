"""Contracts between the layers: what the indexer needs from storage, what search offers, and
what fetching a URL returns.

Storage implements :class:`ChangeQueue`; the search package implements :class:`SearchIndex`;
``reader._sources.http`` implements :class:`Fetcher`. Tests use small doubles of each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
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


def fingerprint(doc: IndexDocument) -> str:
    """A hash of everything the index is given about ``doc``: stored with each indexed document
    and computed afresh from the database, so ``check`` sees a document whose content differs,
    not only one that is missing. Dates keep their offsets (``published_iso`` is stored as is)."""
    fields = [
        str(doc.kind),
        doc.item_id,
        doc.story_id,
        doc.title,
        doc.body,
        doc.source,
        doc.labels,
        list(doc.tags),
        doc.color,
        None if doc.published is None else doc.published.isoformat(),
        None if doc.fetched is None else doc.fetched.isoformat(),
    ]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class FingerprintBatch:
    """The documents of one ``kind`` whose ``item_id`` is in ``[start, end)`` (``None``: no
    bound), as ``doc_id`` -> :func:`fingerprint`: one step of ``check``'s comparison."""

    kind: ItemKind
    start: int | None
    end: int | None
    fingerprints: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class IndexDifferences:
    """Where the index and the database disagree, by ``doc_id``: ``missing`` from the index,
    ``extra`` in it, or ``stale`` (indexed with other content, or more than once)."""

    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale)


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """Where another process can read the queue's documents itself: ``loader`` names a
    callable (``"package.module:name"``) that takes ``location`` and returns a
    :class:`DocumentReader`. Indexing workers use it so that the process that owns the queue
    (the window, say) does not build every document under its interpreter lock."""

    loader: str
    location: str


class DocumentReader(Protocol):
    """A process's own reader of current documents, made from a :class:`DocumentSource`."""

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[ItemKind, int], IndexDocument]:
        """As :meth:`ChangeQueue.documents_for`."""

    def close(self) -> None: ...


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

    def document_source(self) -> DocumentSource | None:
        """Where worker processes can read the documents themselves; None when they can only
        be handed documents (a queue that lives in this process's memory)."""


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
        self,
        queue: ChangeQueue,
        batch_size: int = 500,
        max_batches: int | None = None,
        *,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Apply pending changes in batches (at most ``max_batches`` of them, so a caller can
        interleave other work); returns how many changes were applied. ``stop``, asked during
        a long batch, abandons it (its changes stay queued)."""

    def rebuild(self, queue: ChangeQueue) -> int:
        """Recreate the index from scratch from ``queue.all_documents``; returns documents."""

    def optimize(self, max_segments: int = ...) -> bool:
        """Merge the smallest segments when there are more than ``max_segments``; returns
        whether it merged. Draining never merges, so the background indexer calls this when
        the queue is empty. Holds the write lock while it merges."""

    @property
    def merging(self) -> bool:
        """Whether a merge started by :meth:`start_merge` is not yet committed."""

    def start_merge(self, when: int | None = None) -> bool:
        """Start merging segments beside the writers (no lock held meanwhile) once there are
        ``when`` of them; returns whether one started."""

    def merge_done(self) -> bool:
        """Whether the merge under way is written and waits for :meth:`finish_merge`."""

    def finish_merge(self, stop: Callable[[], bool] | None = None) -> bool:
        """Commit the merge under way (waiting for it first); whether it committed."""

    def cancel_merge(self) -> None: ...

    def refresh(self) -> None:
        """Move the kept-open searcher to the latest commit (each search does so itself)."""

    def segment_count(self) -> int: ...

    def document_count(self) -> int: ...

    def doc_ids(self) -> set[str]: ...

    damaged: str | None
    """Why the index was found unreadable (then marked so that the next open rebuilds it), or
    None."""

    def verify(self) -> str | None:
        """Read every segment's stored fields, terms and postings; the damage found (one line),
        or None."""

    def mark_damaged(self, reason: str) -> None:
        """Record that the index is damaged: the next open (in any process) replaces it with an
        empty one, to be refilled. A search that meets damage calls this itself."""

    def damage_recorded(self) -> str | None:
        """The damage this handle or any other (in any process) recorded, or None: a handle
        kept open, as the background indexer's, reopens when another found damage."""

    def compare(self, expected: Iterable[FingerprintBatch]) -> IndexDifferences:
        """The documents that differ from ``expected``, read one batch at a time."""

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
