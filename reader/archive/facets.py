"""Facets (issue 12): what a search matched, or everything a search can find (above a list),
counted by kind, source, tag, colour, month and week, the most frequent values of each, every
one with the query text that narrows a search to it, so the analyst sees the query language at
work."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from reader._search.facets import MatchReader
from reader._storage import codebook
from reader._storage import facets as counting
from reader.archive.core import INDEX_DIRNAME, ArchiveBase
from reader.model import (
    Color,
    FacetField,
    FacetOthers,
    Facets,
    FacetValue,
    ItemKind,
    WeekCount,
)

TOP_SOURCES = 8
TOP_TAGS = 8
TOP_MONTHS = 6
"""How many values of each facet are listed; the rest are counted together."""

# A value the query language reads as one bare word; anything else is quoted.
_BARE = re.compile(r"[\w.-]+")
_KIND_ORDER = tuple(ItemKind)
_COLOR_ORDER = tuple(Color)


def facet_query(field: FacetField, value: str) -> str:
    """The query text that narrows a search to ``value`` of ``field``: ``kind:highlight``,
    ``source:"Harbor Ledger"``, ``tag:tariffs``, ``color:yellow``, ``date:2026-11``."""
    name = "date" if field == FacetField.MONTH else str(field)
    if field == FacetField.SOURCE or not _BARE.fullmatch(value):
        # A phrase cannot hold a double quote; the words around it still match.
        value = '"' + " ".join(value.replace('"', " ").split()) + '"'
    return f"{name}:{value}"


def week_query(start: date) -> str:
    """``date:[2026-11-02 to 2026-11-08]``: the seven days from Monday ``start``."""
    return f"date:[{start.isoformat()} to {(start + timedelta(days=6)).isoformat()}]"


class FacetsMixin(ArchiveBase):
    _match_reader: MatchReader | None = None

    def facets(self, query: str) -> Facets:
        """Facets of what ``query`` matches (InvalidQueryError as :meth:`search`), from the
        index as it stands (the window's search does not wait for a backlog either); a
        match the database no longer holds is not counted."""
        self._open_index(fill=True)  # made (and refilled if lost) before it is read
        if self._match_reader is None:
            self._match_reader = MatchReader(self.data_dir / INDEX_DIRNAME)
        with self._reading() as db:
            names = {entry.name: entry.color.value for entry in codebook.entries(db)}
        matches = self._match_reader.matches(query, names)
        with self._reading() as db:
            found = counting.counts(db, matches.stories, matches.highlights, matches.notes)
        return _facets(found)

    def list_facets(self) -> Facets:
        """Facets above a story list: everything a search can find, counted as
        :meth:`facets` counts a query's matches. Not the list's own stories: a chip clicked
        there searches the whole archive (the search has no view scope, and the query
        language no term for a view), so its count is what that search returns."""
        with self._reading() as db:
            found = counting.archive_counts(db)
        return _facets(found)


def _facets(found: counting.Counts) -> Facets:
    values: list[FacetValue] = []
    others: list[FacetOthers] = []

    def add(field: FacetField, chosen: Iterable[tuple[str, int]]) -> None:
        values.extend(FacetValue(field, v, n, facet_query(field, v)) for v, n in chosen if n)

    def top(field: FacetField, counts: Counter[str], limit: int) -> list[tuple[str, int]]:
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        rest = ranked[limit:]
        if rest:
            others.append(FacetOthers(field, len(rest), sum(n for _v, n in rest)))
        return ranked[:limit]

    add(FacetField.KIND, ((str(k), found.kinds.get(str(k), 0)) for k in _KIND_ORDER))
    add(FacetField.SOURCE, top(FacetField.SOURCE, found.sources, TOP_SOURCES))
    add(FacetField.TAG, top(FacetField.TAG, found.tags, TOP_TAGS))
    add(FacetField.COLOR, ((str(c), found.colors.get(str(c), 0)) for c in _COLOR_ORDER))
    months: Counter[str] = Counter()
    weeks: Counter[date] = Counter()
    for day, count in found.days.items():
        months[day[:7]] += count
        when = date.fromisoformat(day)
        weeks[when - timedelta(days=when.weekday())] += count
    add(FacetField.MONTH, sorted(top(FacetField.MONTH, months, TOP_MONTHS)))
    return Facets(
        total=sum(found.kinds.values()),
        values=tuple(values),
        others=tuple(others),
        weeks=_every_week(weeks),
    )


def _every_week(counts: Counter[date]) -> tuple[WeekCount, ...]:
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    spans = (first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1))
    return tuple(WeekCount(start, counts.get(start, 0), week_query(start)) for start in spans)
