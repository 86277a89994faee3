"""What the search index stores about each story, highlight and note, built from the database
for queued changes or, batch by batch, for a full rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from sqlite_utils import Database

from reader._protocols import Change, FingerprintBatch, IndexDocument, fingerprint
from reader._storage import tags
from reader._storage.db import Connection, decode_optional_time
from reader.model import ItemKind


def _story(row: dict[str, Any]) -> IndexDocument:
    labels = [section["label"] for section in json.loads(row["sections"]) if section["label"]]
    return IndexDocument(
        kind=ItemKind.STORY,
        item_id=row["id"],
        story_id=row["id"],
        title=row["title"],
        body=row["text"],
        source=row["source"] or "",
        labels=" ".join(labels),
        tags=tags.decode(row["tags"]),
        published=decode_optional_time(row["published"]),
        fetched=decode_optional_time(row["fetched"]),
    )


def _highlight(row: dict[str, Any]) -> IndexDocument:
    body = f"{row['quote']}\n{row['note']}" if row["note"] else row["quote"]
    return IndexDocument(
        kind=ItemKind.HIGHLIGHT,
        item_id=row["id"],
        story_id=row["story_id"],
        title=row["title"],
        body=body,
        source=row["source"] or "",
        tags=tags.decode(row["tags"]),
        color=row["color"],
        published=decode_optional_time(row["published"]),
        fetched=decode_optional_time(row["fetched"]),
    )


def _note(row: dict[str, Any]) -> IndexDocument:
    return IndexDocument(
        kind=ItemKind.NOTE,
        item_id=row["id"],
        story_id=row["story_id"],
        title=row["title"],
        body=row["body"],
        source=row["source"] or "",
        published=decode_optional_time(row["published"]),
        fetched=decode_optional_time(row["fetched"]),
    )


@dataclass(frozen=True)
class _Kind:
    columns: str
    live_rows: str  # FROM and WHERE for the live items of this kind; conditions are ANDed on
    id_column: str
    build: Callable[[dict[str, Any]], IndexDocument]

    def select(self, condition: str) -> str:
        return f"SELECT {self.columns} {self.live_rows} AND {condition} ORDER BY {self.id_column}"


_KINDS: dict[ItemKind, _Kind] = {
    ItemKind.STORY: _Kind(
        columns=f"""s.id, s.title, s.text, s.sections, s.published, s.fetched,
            src.name AS source, {tags.STORY_TAGS_SQL} AS tags""",
        live_rows="""FROM stories s LEFT JOIN sources src ON src.id = s.source_id
            WHERE s.deleted_at IS NULL""",
        id_column="s.id",
        build=_story,
    ),
    ItemKind.HIGHLIGHT: _Kind(
        columns=f"""h.id, h.story_id, h.quote, h.note, h.color, {tags.HIGHLIGHT_TAGS_SQL} AS tags,
            s.title, s.published, s.fetched, src.name AS source""",
        live_rows="""FROM highlights h JOIN stories s ON s.id = h.story_id
            LEFT JOIN sources src ON src.id = s.source_id
            WHERE s.deleted_at IS NULL""",
        id_column="h.id",
        build=_highlight,
    ),
    ItemKind.NOTE: _Kind(
        columns="n.id, n.story_id, n.body, s.title, s.published, s.fetched, src.name AS source",
        live_rows="""FROM notes n JOIN stories s ON s.id = n.story_id
            LEFT JOIN sources src ON src.id = s.source_id
            WHERE s.deleted_at IS NULL""",
        id_column="n.id",
        build=_note,
    ),
}


def documents_for(
    db: Database, changes: Sequence[Change]
) -> dict[tuple[ItemKind, int], IndexDocument]:
    result: dict[tuple[ItemKind, int], IndexDocument] = {}
    for name, kind in _KINDS.items():
        ids = sorted({change.item_id for change in changes if change.kind == name})
        if not ids:
            continue
        condition = f"{kind.id_column} IN (SELECT value FROM json_each(?))"
        for row in db.query(kind.select(condition), [json.dumps(ids)]):
            document = kind.build(row)
            result[(name, document.item_id)] = document
    return result


WORKER_LOADER = f"{__name__}:WorkerDocuments"
"""The loader of the archive's :class:`~reader._protocols.DocumentSource`."""


class WorkerDocuments:
    """An indexing worker's own read-only view of the archive at ``location`` (a database
    path): documents are built in the worker, not in the process that owns the queue."""

    def __init__(self, location: str) -> None:
        self._conn = Connection(Path(location))

    def documents_for(self, changes: Sequence[Change]) -> dict[tuple[ItemKind, int], IndexDocument]:
        with self._conn.transaction(write=False) as db:
            return documents_for(db, changes)

    def close(self) -> None:
        self._conn.close(optimize=False)


def document_ids(db: Database) -> set[str]:
    """The ``doc_id`` of every live document: what a complete index holds."""
    return {
        f"{name}:{item_id}"
        for name, kind in _KINDS.items()
        for (item_id,) in db.execute(f"SELECT {kind.id_column} {kind.live_rows}").fetchall()
    }


class DocumentBatches(Sequence[list[IndexDocument]]):
    """Every live document in batches of about ``batch_size``, each read when it is accessed,
    so a rebuild never holds 100,000 bodies in memory nor keeps a snapshot open.

    Batches are id ranges fixed on creation: no two batches share an item, however rows change
    in between, and an item added meanwhile lands in the range its id falls in.
    """

    def __init__(self, conn: Connection, batch_size: int) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, not {batch_size}")
        self._conn = conn
        with conn.transaction(write=False) as db:
            self._ranges = _id_ranges(db, batch_size)

    def __len__(self) -> int:
        return len(self._ranges)

    @overload
    def __getitem__(self, index: int) -> list[IndexDocument]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[IndexDocument]]: ...

    def __getitem__(self, index: int | slice) -> list[IndexDocument] | list[list[IndexDocument]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        name, start, end = self._ranges[index]
        with self._conn.transaction(write=False) as db:
            return _documents_in(db, name, start, end)


def _id_ranges(db: Database, batch_size: int) -> list[tuple[ItemKind, int, int | None]]:
    """Per kind, ``[start, end)`` id ranges of about ``batch_size`` live items each."""
    ranges: list[tuple[ItemKind, int, int | None]] = []
    for name, kind in _KINDS.items():
        # The id of every batch_size-th live item starts a batch.
        rows = db.execute(
            f"SELECT id FROM (SELECT {kind.id_column} AS id,"
            f" ROW_NUMBER() OVER (ORDER BY {kind.id_column}) - 1 AS n {kind.live_rows})"
            " WHERE n % ? = 0",
            [batch_size],
        ).fetchall()
        starts = [row[0] for row in rows]
        ends: list[int | None] = [*starts[1:], None]
        # Not strict: with no items there are no starts, and the lone None is dropped.
        ranges.extend((name, start, end) for start, end in zip(starts, ends, strict=False))
    return ranges


def _documents_in(
    db: Database, name: ItemKind, start: int | None, end: int | None
) -> list[IndexDocument]:
    kind = _KINDS[name]
    conditions, params = ["1"], []
    if start is not None:
        conditions.append(f"{kind.id_column} >= ?")
        params.append(start)
    if end is not None:
        conditions.append(f"{kind.id_column} < ?")
        params.append(end)
    return [kind.build(row) for row in db.query(kind.select(" AND ".join(conditions)), params)]


def fingerprint_batches(conn: Connection, batch_size: int) -> Iterator[FingerprintBatch]:
    """The :func:`~reader._protocols.fingerprint` of every live document, kind by kind in id
    ranges of about ``batch_size`` that together cover every id (the first range of a kind has
    no lower bound, the last no upper one, and a kind without items one unbounded range), so an
    index document is compared in exactly one batch whatever its id. Each batch is read in a
    transaction of its own when it is reached: the bodies of one batch are in memory at once."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, not {batch_size}")
    with conn.transaction(write=False) as db:
        ranges = _id_ranges(db, batch_size)
    for name in _KINDS:
        bounds = [(start, end) for kind, start, end in ranges if kind == name]
        covering: list[tuple[int | None, int | None]] = [
            (None if n == 0 else start, end) for n, (start, end) in enumerate(bounds)
        ] or [(None, None)]
        for start, end in covering:
            with conn.transaction(write=False) as db:
                docs = _documents_in(db, name, start, end)
            yield FingerprintBatch(name, start, end, {doc.doc_id: fingerprint(doc) for doc in docs})
