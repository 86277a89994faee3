"""Counting what saved searches match, for their badges: every matching document, and those
above the ids the search had seen, read from the postings alone (no scoring, no stored fields),
so a dozen saved searches over 100,000 stories stay cheap. Also the stories a query matches, for
an export scoped to a saved search.

It works on a :class:`WhooshIndex`'s own parser and kept-open searcher (under its lock), as its
searches do, without a method of the index itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from whoosh.query import And, NumericRange, Or, Term
from whoosh.query.qcore import QueryError

from reader._search.index import DAMAGE_ERRORS, WhooshIndex
from reader._search.query import check_expansion
from reader.errors import InvalidQueryError, SearchError
from reader.model import ItemKind

Marks = Mapping[ItemKind, int]
"""For each kind of document, the highest id already seen: a match above it is new."""


@dataclass(frozen=True, slots=True)
class Counted:
    """What one query matches: ``total`` documents, ``new`` of them above its marks; ``error``
    instead when the query cannot run (then both are 0)."""

    total: int
    new: int
    error: str | None = None


def count_matches(
    index: WhooshIndex,
    watches: Sequence[tuple[str, Marks]],
    *,
    color_names: Mapping[str, str] | None = None,
) -> list[Counted]:
    """For each ``(query, marks)``, in order, how many documents match and how many are new."""
    parsed: list[Any] = []
    for query, marks in watches:
        try:
            parsed.append((index._parser.parse(query, color_names), _above(marks)))
        except InvalidQueryError as err:
            parsed.append(Counted(0, 0, str(err)))
    with index._mutex, _reading():
        searcher = index._current_searcher()
        empty = searcher.doc_count() == 0
        return [
            item if isinstance(item, Counted) else _count(searcher, *item, empty=empty)
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


def _above(marks: Marks) -> Any:
    return Or(
        [
            And([Term("kind", kind.value), NumericRange("item_id", seen + 1, None)])
            for kind, seen in marks.items()
        ]
    )


def _count(searcher: Any, parsed: Any, newer: Any, *, empty: bool) -> Counted:
    if empty:
        return Counted(0, 0)
    try:
        _check(parsed, searcher)
        total = _length(_docs(searcher, parsed))
        new = _length(_docs(searcher, And([parsed, newer]))) if total else 0
    except InvalidQueryError as err:
        return Counted(0, 0, str(err))
    return Counted(total, new)


def _check(parsed: Any, searcher: Any) -> None:
    try:
        check_expansion(parsed, searcher.reader())
    except QueryError as err:
        raise InvalidQueryError(f"cannot run query: {err}") from None


def _docs(searcher: Any, query: Any) -> Iterable[int]:
    try:
        yield from searcher.docs_for_query(query)
    except QueryError as err:
        raise InvalidQueryError(f"cannot run query: {err}") from None


def _length(docs: Iterable[int]) -> int:
    return sum(1 for _ in docs)


@contextmanager
def _reading() -> Iterator[None]:
    """Reading failures as one-line SearchErrors; finding the damage and marking it is left to
    the searches and to ``check``, which read every segment."""
    failures: tuple[type[BaseException], ...] = (OSError, *DAMAGE_ERRORS)
    try:
        yield
    except failures as err:
        raise SearchError(f"search index could not be read: {err}") from None
