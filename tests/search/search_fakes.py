"""An in-memory change queue and document factory for the search tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reader._protocols import Change, ChangeQueue, IndexDocument
from reader.model import ItemKind


def make_doc(
    item_id: int,
    title: str = "A title",
    body: str = "",
    *,
    kind: str = "story",
    story_id: int | None = None,
    source: str = "",
    labels: str = "",
    tags: Sequence[str] = (),
    color: str = "",
    published: datetime | None = None,
) -> IndexDocument:
    return IndexDocument(
        kind=ItemKind(kind),
        item_id=item_id,
        story_id=item_id if story_id is None else story_id,
        title=title,
        body=body,
        source=source,
        labels=labels,
        tags=tuple(tags),
        color=color,
        published=published,
    )


class FakeQueue:
    """A ChangeQueue over a dict: ``put`` and ``remove`` change a document and enqueue it.
    ``_checked`` below makes mypy hold it to the Protocol."""

    def __init__(self) -> None:
        self.documents: dict[tuple[ItemKind, int], IndexDocument] = {}
        self.changes: list[Change] = []
        self.acknowledged: list[int] = []
        self._seq = 0

    def put(self, *docs: IndexDocument) -> None:
        for doc in docs:
            self.documents[(doc.kind, doc.item_id)] = doc
            self.enqueue(doc.kind, doc.item_id)

    def remove(self, kind: str, item_id: int) -> None:
        del self.documents[(ItemKind(kind), item_id)]
        self.enqueue(kind, item_id)

    def enqueue(self, kind: str, item_id: int) -> None:
        self._seq += 1
        self.changes.append(Change(self._seq, ItemKind(kind), item_id))

    def pending_changes(self, limit: int) -> list[Change]:
        return self.changes[:limit]

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[ItemKind, int], IndexDocument]:
        keys = {(change.kind, change.item_id) for change in changes}
        return {key: doc for key, doc in self.documents.items() if key in keys}

    def acknowledge(self, up_to_seq: int) -> None:
        self.acknowledged.append(up_to_seq)
        self.changes = [change for change in self.changes if change.seq > up_to_seq]

    def all_documents(self, batch_size: int) -> list[list[IndexDocument]]:
        docs = list(self.documents.values())
        return [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)]

    def pending_count(self) -> int:
        return len(self.changes)

    def document_source(self) -> None:
        return None


def _checked(queue: FakeQueue) -> ChangeQueue:
    return queue


def flip_middle(path: Path, count: int = 40) -> None:
    """Damage ``count`` bytes in the middle of an index file, as a bad disk block would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for n in range(max(0, middle - count // 2), min(len(data), middle + count // 2)):
        data[n] ^= 0xFF
    path.write_bytes(bytes(data))
