"""Walking one term's postings alongside a sorted list of documents."""

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
