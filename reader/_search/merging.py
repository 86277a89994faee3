"""Merging segments of the index, fast and beside the writers.

Whoosh merges a segment into another by feeding each of its postings through the new segment's
pool, which sorts them all again: about as slow as indexing the documents anew (127 s for
40,000 stories). The segments' terms are already sorted, so :func:`merge_segments` walks the
term lists of all of them at once and copies each term's postings block by block, renumbering
documents and leaving deleted ones out; the stored fields, lengths and columns are copied as
Whoosh copies them.

A merge of the large segments of a long backlog takes minutes, too long to hold the index's
write lock (a new highlight would wait that long to be searchable). :class:`MergePlan` is the
other half: the segments are chosen and their deletions noted without the lock, a worker
process writes the merged segment while the writers go on, and the commit, under the lock and
brief, swaps it in for the segments it replaces and deletes in it whatever was deleted from
them in the meantime. While a merge is under way a marker file names the process running it,
so no other commit deletes the new segment's files as leftovers; a marker whose process is gone
is ignored, and the files of a merge that never committed are deleted as leftovers then.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from reader._search.postings import blocks
from reader._search.segment_writer import IndexSegmentWriter, LengthTables

Posting = tuple[str, bytes, int, float, bytes | None]


def doc_map(segment: Any, base: int) -> array[int]:
    """Where each document of ``segment`` lands in a merged segment whose documents from it
    start at ``base``: -1 for a deleted document, else the next number in order."""
    deleted = set(segment.deleted_docs()) if segment.has_deletions() else set()
    numbers: array[int] = array("q", [-1]) * segment.doc_count_all()
    following = base
    for docnum in range(segment.doc_count_all()):
        if docnum not in deleted:
            numbers[docnum] = following
            following += 1
    return numbers


def doc_maps(segments: Sequence[Any]) -> list[array[int]]:
    """:func:`doc_map` of each of ``segments``, merged in this order."""
    maps = []
    base = 0
    for segment in segments:
        maps.append(doc_map(segment, base))
        base += segment.doc_count()
    return maps


def merge_segments(
    storage: Any, schema: Any, indexname: str, segments: Sequence[Any], options: dict[str, Any]
) -> Any:
    """Write one new segment holding the live documents of ``segments`` (with their deletions
    as the given segment objects record them), in their order; returns it, or None when none
    of their documents is live. Takes no lock and commits nothing: the caller does."""
    from whoosh.index import FileIndex
    from whoosh.reading import SegmentReader

    ix = FileIndex(storage, schema=schema, indexname=indexname)
    writer = IndexSegmentWriter(ix, _lk=False, **options)
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    try:
        maps = doc_maps(segments)
        names = set(schema.names())
        for reader, segment in zip(readers, segments, strict=True):
            start = writer.docnum
            indexed = {name for name in reader.indexed_field_names() if name in schema}
            writer.write_per_doc(names | indexed, reader)
            if writer.docnum - start != segment.doc_count():
                raise RuntimeError(f"segment {segment.segment_id()} changed while merging")
        if writer.docnum == 0:
            writer._close_segment()
            return None
        writer.perdocwriter.close()
        lengths = LengthTables(storage, writer.get_segment())
        postings = merged_postings(schema, readers, maps)
        writer.fieldwriter.add_postings(schema, lengths, postings)
        writer.fieldwriter.close()
        writer._close_segment()
        writer._added = True
        return writer.get_segment()
    except BaseException:
        if not writer.fieldwriter.is_closed or not writer.perdocwriter.is_closed:
            writer._close_segment()
        raise
    finally:
        # Never writer._finish(): it deletes the temporary folder the index's writer shares.
        writer.is_closed = True
        for reader in readers:
            reader.close()


def merged_postings(
    schema: Any, readers: Sequence[Any], maps: Sequence[array[int]]
) -> Iterator[Posting]:
    """Every live posting of ``readers`` in the order a segment writer takes them (by field
    name, term, then new document number), renumbered through ``maps``."""
    streams = [_keyed(reader.all_terms(), number) for number, reader in enumerate(readers)]
    for (fieldname, btext), holders in itertools.groupby(heapq.merge(*streams), key=itemgetter(0)):
        if fieldname not in schema:
            continue
        fmt = schema[fieldname].format
        for _key, number in holders:
            matcher = readers[number]._terms.matcher(fieldname, btext, fmt)
            yield from _renumbered(fieldname, btext, matcher, maps[number])


def _keyed(terms: Iterable[tuple[str, bytes]], number: int) -> Iterator[tuple[Any, int]]:
    last = None
    for term in terms:
        if last is not None and term <= last:
            raise RuntimeError(f"terms out of order in a segment: {last!r} then {term!r}")
        last = term
        yield term, number


def _renumbered(
    fieldname: str, btext: bytes, matcher: Any, numbers: array[int]
) -> Iterator[Posting]:
    """A term's postings in one segment, renumbered, deleted documents left out."""
    for ids, weights, values in blocks(matcher, values=True):
        for docnum, weight, value in zip(ids, weights, values, strict=True):
            new = numbers[docnum]
            if new >= 0:
                yield fieldname, btext, new, weight, value


# -- merging beside the writers --------------------------------------------------------------


@dataclass
class MergePlan:
    """Segments chosen for a merge beside the writers, as they stood when chosen."""

    segments: list[Any]
    pending: bool = True
    """Whether the merged segment is still to be received from the process writing it."""
    merged: Any = None
    """The merged segment once received (None also when no document of the plan was live)."""

    @property
    def ids(self) -> set[str]:
        return {segment.segment_id() for segment in self.segments}

    def replace(self, current: list[Any], merged: Any) -> list[Any] | None:
        """The segment list to commit: ``current`` (the latest table of contents) with the
        planned segments replaced by ``merged`` where the first of them was, and every
        document deleted from them since the plan deleted from ``merged`` too. None when a
        planned segment is no longer there (then the merge is thrown away)."""
        by_id = {segment.segment_id(): segment for segment in current}
        if any(segment.segment_id() not in by_id for segment in self.segments):
            return None
        if merged is not None:
            for before, number_map in zip(self.segments, doc_maps(self.segments), strict=True):
                now = by_id[before.segment_id()]
                gone = set(now.deleted_docs()) - set(before.deleted_docs())
                for docnum in gone:
                    if number_map[docnum] >= 0:
                        merged.delete_document(number_map[docnum])
        ids = self.ids
        result: list[Any] = []
        for segment in current:
            if segment.segment_id() not in ids:
                result.append(segment)
            elif merged is not None and segment.segment_id() == self.segments[0].segment_id():
                result.append(merged)
        if merged is not None and merged.doc_count() == 0:
            result.remove(merged)
        return result
