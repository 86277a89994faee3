"""Walking one term's postings: alongside a sorted list of documents, or a block at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


def positioned_at(matcher: Any, docnums: Iterable[int]) -> Iterator[int]:
    """Each of the ascending ``docnums`` that ``matcher`` (a term's postings) holds, with the
    matcher left on it, skipping ahead rather than reading every posting."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum


def blocks(leaf: Any, *, values: bool = False) -> Iterator[tuple[Any, Any, Any]]:
    """The rest of an on-disk posting list (Whoosh's W3LeafMatcher), a block at a time, from
    where the matcher stands: ``(ids, weights, values)`` of each block, ``values`` None unless
    asked for (decoding the positions is most of a block's cost). The matcher is consumed."""
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        if values and leaf._values is None:
            leaf._read_values()
        start = leaf._i
        yield (
            leaf._ids[start:],
            leaf._weights[start:],
            leaf._values[start:] if values else None,
        )
        leaf._next_block()
