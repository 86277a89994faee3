"""The index's segment writer: Whoosh's, but finishing a segment reads each field-length
column once instead of once per posting, and a block of few postings is written without
compressing it.

Writing a segment's postings asks for the document's field length on every posting (for the
block's length statistics): six Python calls and a one-byte read each, about a tenth of all
indexing time at 600-word stories. Here each ``_FIELD_len`` column, one byte per document, is
read whole when first asked for; the answers, and so the files written, are Whoosh's own.
"""

from __future__ import annotations

import zlib
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.system import pack_int
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from reader._search import leftovers

_LENGTHS: list[int | None] = [None, *(byte_to_length(byte) for byte in range(1, 256))]


class LengthTables:
    """``doc_field_length`` over one finished segment's length columns, as Whoosh's per-document
    reader answers it (None for a document without the field, ``default`` for a field with no
    column)."""

    def __init__(self, storage: Any, segment: Any) -> None:
        self._storage = storage
        self._segment = segment
        self._tables: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        table = self._tables.get(fieldname, b"")
        if table == b"":
            table = self._tables[fieldname] = self._read(fieldname)
        if table is None:
            return default
        return _LENGTHS[table[docnum]] if docnum < len(table) else None

    def _read(self, fieldname: str) -> bytes | None:
        return read_length_column(self._storage, self._segment, fieldname)


def read_length_column(storage: Any, segment: Any, fieldname: str) -> bytes | None:
    """A segment's ``_FIELD_len`` column whole (one byte per document, the last documents
    without the field left out), or None when the segment has none."""
    name = W3Codec.column_filename(segment, f"_{fieldname}_len")
    if not storage.file_exists(name):
        return None
    with storage.open_file(name) as column:
        return bytes(column.read())


class LeanPostingPool(PostingPool):  # type: ignore[misc]
    """Whoosh's pool of postings waiting to be sorted, without its per-posting type checks
    (the fields' own formats made every value): the same size estimate, runs and order."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, _docnum, _weight, vbytes = item
        self.fieldnames.add(fieldname)
        # Whoosh's estimate of the tuple's size in memory, which decides when a run is saved.
        self.currentsize += 129 + len(fieldname) + 2 * len(tbytes) + len(vbytes or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


SMALL_BLOCK = 16
"""Blocks of fewer postings are stored uncompressed. Whoosh compresses every block with zlib,
which for the many short posting lists of rare words (most blocks: 7 postings on average at
1,000 stories) costs more than it saves: leaving those out took 11 % off the time to index
1,000 stories for 7 % more index on disk. Each block says whether it is compressed, so any
Whoosh reader reads them."""


class SmallBlockPostings(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer, with blocks of fewer than :data:`SMALL_BLOCK` postings left
    uncompressed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._level: int = kwargs.get("compression", 3)

    def _write_block(self, last: bool = False) -> None:
        ids = self._ids
        count = len(ids)
        comp = self._compression = 0 if count < SMALL_BLOCK else self._level
        if self._byteids:
            super()._write_block(last)
            return
        # Whoosh's _write_block, byte for byte, with its per-posting Python loops (the ids'
        # deltas, the tests of the weights) done by C: most blocks are of rare words, and
        # writing them was two fifths of the time to finish a segment.
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        weights = self._weights
        mini_weights: Any
        if weights.count(1.0) == count:
            mini_weights = None
        elif weights.count(weights[0]) == count:
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        mini_ids = (ids[0], *map(sub, ids[1:], ids))
        databytes = dumps((mini_ids, mini_weights, self._mini_values()), 2)
        if comp:
            databytes = zlib.compress(databytes, comp)
        info = (
            count,
            ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = dumps(info, 2)
        length = len(infobytes) + len(databytes)
        postfile.write(pack_int(-length if last else length) + infobytes + databytes)
        self._blockcount += 1
        self._new_block()


class _SmallBlockCodec(W3Codec):  # type: ignore[misc]
    """Given to the field writer of a segment being written (not to the segment, whose
    pickled codec stays Whoosh's own, so any Whoosh opens the index)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return SmallBlockPostings(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class IndexSegmentWriter(SegmentWriter):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool.__class__ = LeanPostingPool
        fields = self.fieldwriter
        codec: Any = getattr(fields, "_codec", None)
        if type(fields) is W3FieldWriter and type(codec) is W3Codec:
            fields._codec = _SmallBlockCodec(
                blocklimit=codec._blocklimit,
                compression=codec._compression,
                inlinelimit=codec._inlinelimit,
            )

    def _flush_segment(self) -> None:
        if not self.codec.length_stats:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = LengthTables(self.storage, self.get_segment())
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()

    def _commit_toc(self, segments: list[Any]) -> None:
        from whoosh.index import TOC

        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        leftovers.clean(self.storage, self.indexname, self.generation, segments)
