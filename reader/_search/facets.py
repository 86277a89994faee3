"""Every story, highlight and note a query matches, as ids, for the facet counts: matched in the
index segment by segment and named from the ``doc_id`` terms, never from stored fields (each
holds its document's whole text), so 100,000 matches cost tens of milliseconds.

The index has no column for a document's id, kind, source or date (its schema is not
sortable), so Whoosh's own ``groupedby`` facets would re-read a field's postings on every query;
this module reads each segment's ``doc_id`` lexicon once, keeps the docnum -> item map while the
segment lives (segments never change, they are only dropped), and leaves the counting by
source, tag, colour and date to SQLite."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.query.qcore import QueryError

from reader._search.index import DAMAGE_ERRORS, INDEX_NAME
from reader._search.query import QueryParser, check_expansion
from reader._search.schema import KINDS, build_schema
from reader.errors import InvalidQueryError, SearchError

_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, *DAMAGE_ERRORS)

_KIND_CODES = {kind.encode(): code for code, kind in enumerate(KINDS, start=1)}
_UNKNOWN = 0


@dataclass(frozen=True, slots=True)
class Matches:
    """The ids of the live documents a query matched, by kind."""

    stories: tuple[int, ...] = ()
    highlights: tuple[int, ...] = ()
    notes: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return len(self.stories) + len(self.highlights) + len(self.notes)


@dataclass(frozen=True, slots=True)
class _SegmentMap:
    """A segment's docnum -> (kind code, item id); kind 0 for a docnum no term names."""

    kinds: bytearray
    ids: array[int]


class MatchReader:
    """Answers :meth:`matches` from the index in ``directory``, opened read-only on first use;
    one per archive connection (the maps it keeps are shared by its calls)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._schema = build_schema()
        self._parser = QueryParser(self._schema)
        self._ix: Any = None
        self._maps: dict[str, _SegmentMap] = {}
        self._mutex = threading.Lock()

    def matches(self, query: str, color_names: Mapping[str, str] | None = None) -> Matches:
        """What ``query`` matches (InvalidQueryError if it cannot be parsed or expands too
        far, SearchError if the index cannot be read)."""
        parsed = self._parser.parse(query, color_names)
        with self._mutex:
            try:
                return self._matches(parsed)
            except QueryError as err:
                raise InvalidQueryError(f"cannot run query: {err}") from None
            except _READ_ERRORS as err:
                raise SearchError(f"search index could not be read: {err}") from err

    def _matches(self, parsed: Any) -> Matches:
        if self._ix is None:
            self._ix = FileIndex(FileStorage(str(self._directory)), self._schema, INDEX_NAME)
        found: tuple[list[int], list[int], list[int]] = ([], [], [])
        live: set[str] = set()
        with self._ix.searcher() as searcher:
            if searcher.doc_count() == 0:
                return Matches()
            check_expansion(parsed, searcher.reader())
            for leaf, _offset in searcher.leaf_searchers():
                segment = leaf.reader().segment()
                if segment is None:
                    continue
                key = segment.segment_id()
                live.add(key)
                mapping = self._maps.get(key)
                if mapping is None:
                    mapping = self._maps[key] = _segment_map(leaf.reader())
                kinds, ids = mapping.kinds, mapping.ids
                for docnum in parsed.docs(leaf):
                    code = kinds[docnum]
                    if code != _UNKNOWN:
                        found[code - 1].append(ids[docnum])
        for gone in self._maps.keys() - live:
            del self._maps[gone]
        stories, highlights, notes = found
        return Matches(tuple(stories), tuple(highlights), tuple(notes))


def _segment_map(reader: Any) -> _SegmentMap:
    """Read the segment's ``doc_id`` lexicon: the term info of a term in one document names
    that document (its lowest id), so no posting list is opened but for the rare term in
    several documents (one updated twice in one commit; all but one are deleted)."""
    count = reader.doc_count_all()
    kinds = bytearray(count)
    ids = array("q", bytes(8 * count))
    for text, info in reader.iter_field("doc_id"):
        kind, _, item = bytes(text).partition(b":")
        code = _KIND_CODES.get(kind, _UNKNOWN)
        if code == _UNKNOWN or not item.isdigit():
            continue
        if info.doc_frequency() == 1:
            docnums: Any = (info.min_id(),)
        else:
            docnums = reader.postings("doc_id", text).all_ids()
        for docnum in docnums:
            kinds[docnum] = code
            ids[docnum] = int(item)
    return _SegmentMap(kinds, ids)
