"""BM25F as Whoosh scores it, with each segment's field lengths read once.

Whoosh's scorer asks the reader for a document's field length on every match: six Python calls
and a one-byte file read each, about a fifth of a search that scores thousands of matches.
Here a segment's length column (one byte per document) is read whole the first time a query
scores that field in that segment and kept with the segment's reader, which the index keeps
open between searches; the scores are exactly Whoosh's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.scoring import BM25F, BM25FScorer
from whoosh.util.numeric import byte_to_length

from reader._search.segment_writer import read_length_column

# Length byte -> length; 0 (no such field in the document) as Whoosh's default of 1.
_LENGTHS = [byte_to_length(byte) or 1 for byte in range(256)]
_CACHE = "_reader_field_lengths"


class CachedLengthBM25F(BM25F):  # type: ignore[misc]
    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, BM25FScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths
        return scorer


def _field_lengths(reader: Any, fieldname: str) -> Callable[[int], int] | None:
    """``docnum -> length`` for one segment's field, or None (not a plain segment reader:
    Whoosh's own lookup is used)."""
    cache = getattr(reader, _CACHE, None)
    if cache is None:
        try:
            setattr(reader, _CACHE, cache := {})
        except AttributeError:
            return None
    if fieldname in cache:
        return cache[fieldname]  # type: ignore[no-any-return]
    lookup = None
    try:
        segment = reader.segment()
        data = read_length_column(reader.storage(), segment, fieldname)
        if data is not None:
            # Documents at the end without the field are not written (their length is 0).
            data += bytes(max(0, segment.doc_count_all() - len(data)))
            table = _LENGTHS
            lookup = lambda docnum: table[data[docnum]]  # noqa: E731
    except (AttributeError, OSError):
        lookup = None
    cache[fieldname] = lookup
    return lookup
