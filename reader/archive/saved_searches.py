"""Saved searches on the facade: keep a query under a name, list them with how many documents
match and how many of those are new since each was last opened, mark one seen, rename, delete,
and the stories one matches (an export's scope)."""

from __future__ import annotations

from collections.abc import Mapping

from reader._search import WhooshIndex, counting
from reader._storage import codebook
from reader._storage import saved_searches as saved
from reader.archive.maintenance import MaintenanceMixin
from reader.model import Changed, ItemKind, SavedSearch, SavedSearchCount


class SavedSearchesMixin(MaintenanceMixin):
    """Saved-search methods of :class:`~reader.archive.Archive`."""

    def save_search(
        self, name: str, query: str, filters: Mapping[str, object] | None = None
    ) -> SavedSearch:
        """Keep ``query`` (and the window's ``filters``, if any) under ``name``, unique without
        regard to case; InvalidQueryError if the query cannot be parsed, SavedSearchError if
        the name is empty or taken. What matches already is not new."""
        counting.check_query(self._whoosh_index(), query, self._color_names())
        with self._writing() as db:
            search = saved.save(db, name, query, filters)
        self._emit(Changed.SAVED_SEARCHES)
        return search

    def saved_search(self, name: str) -> SavedSearch:
        """The saved search called ``name`` (any case); SavedSearchNotFoundError if none."""
        with self._reading() as db:
            return saved.get(db, name)

    def saved_searches(self, *, sync: bool = True) -> list[SavedSearchCount]:
        """Every saved search by name, with its total and new matches, counted in the index
        (with ``sync``, after indexing what is pending; the window passes False, as for
        :meth:`search`)."""
        if sync:
            self.sync_index()
        with self._reading() as db:
            searches = saved.all_searches(db)
            now = saved.current_marks(db)
        if not searches:
            return []
        counted = counting.count_matches(
            self._whoosh_index(),
            [(search.query, _by_kind(marks)) for search, marks in searches],
            _by_kind(now),
            color_names=self._color_names(),
        )
        return [
            SavedSearchCount(search, c.total, c.new, c.error, new_capped=c.capped)
            for (search, _marks), c in zip(searches, counted, strict=True)
        ]

    def mark_search_seen(self, name: str) -> SavedSearch:
        """The saved search was opened: what matches it now is no longer new."""
        with self._writing() as db:
            search = saved.mark_seen(db, name)
        self._emit(Changed.SAVED_SEARCHES)
        return search

    def rename_saved_search(self, name: str, new_name: str) -> SavedSearch:
        with self._writing() as db:
            search = saved.rename(db, name, new_name)
        self._emit(Changed.SAVED_SEARCHES)
        return search

    def delete_saved_search(self, name: str) -> SavedSearch:
        """Forget a saved search; returns what it was."""
        with self._writing() as db:
            search = saved.delete(db, name)
        self._emit(Changed.SAVED_SEARCHES)
        return search

    def saved_search_story_ids(self, name: str, *, sync: bool = True) -> list[int]:
        """The stories whose text, highlights or notes match the saved search, in id order."""
        search = self.saved_search(name)
        if sync:
            self.sync_index()
        return counting.matching_story_ids(
            self._whoosh_index(), search.query, color_names=self._color_names()
        )

    def _color_names(self) -> dict[str, str]:
        with self._reading() as db:
            return {entry.name: entry.color.value for entry in codebook.entries(db)}

    def _whoosh_index(self) -> WhooshIndex:
        # Counting reads the postings of the index itself, which the SearchIndex contract
        # (implemented only by WhooshIndex) has no call for.
        index = self._index
        assert isinstance(index, WhooshIndex)
        return index


def _by_kind(marks: saved.SeenMarks) -> dict[ItemKind, int]:
    return {
        ItemKind.STORY: marks.story,
        ItemKind.HIGHLIGHT: marks.highlight,
        ItemKind.NOTE: marks.note,
    }
