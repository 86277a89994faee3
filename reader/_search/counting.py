"""Counting what saved searches match, for their badges: every matching document, and those
above the ids each search had seen, read from the postings alone (no scoring, no stored
fields). Also the stories a query matches, for an export scoped to a saved search.

"New" is not a range query on ``item_id``: Whoosh expands a range into one term per id in it
(ids are indexed in 16-bit tiers, so every id below 65,536 is its own term), which took a
minute for a dozen searches over 20,000 stories. Instead the documents of the newest ids are
looked up once, term by term, for all the searches, and each search's matches are checked
against them.

It works on a :class:`WhooshIndex`'s own parser and kept-open searcher (under its lock), as its
searches do, without a method of the index itself."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from whoosh.query.qcore import QueryError
from whoosh.reading import TermNotFound

from reader._search.index import DAMAGE_ERRORS, WhooshIndex
from reader._search.postings import positioned_at
from reader._search.query import check_expansion
from reader.errors import InvalidQueryError, SearchError
from reader.model import ItemKind

Marks = Mapping[ItemKind, int]
"""For each kind of document, the highest id already seen: a match above it is new."""

NEW_SCAN_LIMIT = 2000
"""Of each kind, how many of the newest ids are looked up for new matches (a postings lookup
each, about 0.1 ms). A saved search not opened while more arrived counts its new matches
among these only, and says so (``Counted.capped``)."""


@dataclass(frozen=True, slots=True)
class Counted:
    """What one query matches: ``total`` documents, ``new`` of them above its marks (at least
    ``new`` when ``capped``: more arrived than were looked at); ``error`` instead when the
    query cannot run (then both are 0)."""

    total: int
    new: int
    error: str | None = None
    capped: bool = False


def count_matches(
    index: WhooshIndex,
    watches: Sequence[tuple[str, Marks]],
    newest: Marks,
    *,
    color_names: Mapping[str, str] | None = None,
) -> list[Counted]:
    """For each ``(query, marks)``, in order, how many documents match and how many are new;
    ``newest`` is the highest id of each kind now."""
    parsed: list[tuple[Any, Marks] | Counted] = []
    for query, marks in watches:
        try:
            parsed.append((index._parser.parse(query, color_names), marks))
        except InvalidQueryError as err:
            parsed.append(Counted(0, 0, str(err)))
    lowest = {
        kind: max(min(m.get(kind, 0) for _q, m in watches), top - NEW_SCAN_LIMIT)
        for kind, top in newest.items()
    }
    with index._mutex, _reading():
        searcher = index._current_searcher()
        if searcher.doc_count() == 0:
            return [item if isinstance(item, Counted) else Counted(0, 0) for item in parsed]
        recent = _recent_documents(searcher.reader(), index._schema, lowest, newest)
        return [
            item if isinstance(item, Counted) else _count(searcher, *item, recent, lowest)
            for item in parsed
        ]


def matching_story_ids(
    index: WhooshIndex, query: str, *, color_names: Mapping[str, str] | None = None
) -> list[int]:
    """The stories whose text, highlights or notes match ``query``, in id order."""
    parsed = index._parser.parse(query, color_names)
    with index._mutex, _reading():
        searcher = index._current_searcher()
        if searcher.doc_count() == 0:
            return []
        _check(parsed, searcher)
        found = {int(searcher.stored_fields(n)["story_id"]) for n in _docs(searcher, parsed)}
    return sorted(found)


def check_query(index: WhooshIndex, query: str, color_names: Mapping[str, str]) -> None:
    """Raise InvalidQueryError if ``query`` cannot be parsed."""
    index._parser.parse(query, color_names)


def _recent_documents(
    reader: Any, schema: Any, lowest: Marks, newest: Marks
) -> dict[int, tuple[ItemKind, int]]:
    """The documents whose id of their kind lies above ``lowest`` (up to ``newest``), by
    document number, with that kind and id."""
    field = schema["item_id"]
    ids: dict[int, int] = {}
    values: set[int] = set()
    for kind, top in newest.items():
        values.update(range(lowest[kind] + 1, top + 1))
    for value in sorted(values):
        try:
            postings = reader.postings("item_id", field.to_bytes(value))
        except TermNotFound:
            continue
        for docnum in postings.all_ids():
            ids[docnum] = value
    found: dict[int, tuple[ItemKind, int]] = {}
    ordered = sorted(ids)
    for kind in newest:
        try:
            postings = reader.postings("kind", kind.value.encode())
        except TermNotFound:
            continue
        for docnum in positioned_at(postings, ordered):
            value = ids[docnum]
            if value > lowest[kind]:
                found[docnum] = (kind, value)
    return found


def _count(
    searcher: Any,
    parsed: Any,
    marks: Marks,
    recent: Mapping[int, tuple[ItemKind, int]],
    lowest: Marks,
) -> Counted:
    try:
        _check(parsed, searcher)
        total = new = 0
        for docnum in _docs(searcher, parsed):
            total += 1
            kind_id = recent.get(docnum)
            if kind_id is not None and kind_id[1] > marks.get(kind_id[0], 0):
                new += 1
    except InvalidQueryError as err:
        return Counted(0, 0, str(err))
    capped = any(marks.get(kind, 0) < low for kind, low in lowest.items())
    return Counted(total, new, capped=capped and total > 0)


def _check(parsed: Any, searcher: Any) -> None:
    try:
        check_expansion(parsed, searcher.reader())
    except QueryError as err:
        raise InvalidQueryError(f"cannot run query: {err}") from None


def _docs(searcher: Any, query: Any) -> Iterator[int]:
    try:
        yield from searcher.docs_for_query(query)
    except QueryError as err:
        raise InvalidQueryError(f"cannot run query: {err}") from None


@contextmanager
def _reading() -> Iterator[None]:
    """Reading failures as one-line SearchErrors; finding the damage and marking it is left to
    the searches and to ``check``, which read every segment."""
    failures: tuple[type[BaseException], ...] = (OSError, *DAMAGE_ERRORS)
    try:
        yield
    except failures as err:
        raise SearchError(f"search index could not be read: {err}") from None
