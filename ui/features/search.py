"""Search: runs the search box's queries on the worker (with the highlights and notes the hits
show), shows the hits in the results page, or for a query that cannot be run no results and its
error in full, opens the story of the hit the user moves to (at the highlight or the first
matching term), and goes back to the list when the search is cleared."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtWidgets import QTableView

from reader.archive import Archive
from reader.errors import InvalidQueryError, NotFoundError
from reader.model import Changed, ItemKind, Note, SearchHit, SearchResults
from ui.core.change_bus import Changes
from ui.core.services import Services
from ui.features.opening import StoryOpener
from ui.models.hit_text import HitRow
from ui.models.search_results import HIT_ROLE, SearchResultsModel
from ui.panes.middle import RESULTS_PAGE, MiddlePages
from ui.panes.search_bar import QueryErrorNotice, SearchBar
from ui.panes.tables import select_row
from ui.reading.reader_view import ReaderView

SEARCH_LIMIT = 200
"""The most hits one query shows."""
REFRESHED_AFTER = (
    Changed.STORIES,
    Changed.HIGHLIGHTS,
    Changed.NOTES,
    Changed.TAGS,
    Changed.CODEBOOK,
)
"""Changes that can add, take away or alter the hits of the query shown."""

Answer = tuple[SearchResults, list[HitRow]]


def answer(archive: Archive, query: str) -> Answer:
    """The hits for ``query`` with what each row shows of its highlight or note (on the
    worker: a highlight is one read, the notes one read per story)."""
    results = archive.search_results(query, limit=SEARCH_LIMIT, sync=False)
    notes: dict[int, dict[int, Note]] = {}
    rows = []
    for hit in results.hits:
        if hit.kind == ItemKind.HIGHLIGHT:
            try:
                found = archive.highlight(hit.item_id)
            except NotFoundError:  # deleted since it was indexed
                rows.append(HitRow(hit))
                continue
            rows.append(HitRow(hit, quote=found.quote, note=found.note, color=found.color))
        elif hit.kind == ItemKind.NOTE:
            if hit.story_id not in notes:
                notes[hit.story_id] = {n.id: n for n in archive.notes(hit.story_id)}
            note = notes[hit.story_id].get(hit.item_id)
            rows.append(HitRow(hit, note=note.body if note else ""))
        else:
            rows.append(HitRow(hit))
    return results, rows


class Search(QObject):
    finished = Signal(str)
    """The query was answered (hits or an error), or "" when the search was cleared."""

    def __init__(
        self,
        services: Services,
        bar: SearchBar,
        results: QTableView,
        model: SearchResultsModel,
        pages: MiddlePages,
        reader: ReaderView,
        opener: StoryOpener,
        show_list: Callable[[], None],
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.bar = bar
        self.results = results
        self.model = model
        self.pages = pages
        self.opener = opener
        self.notice = QueryErrorNotice(results)
        self.show_list = show_list
        """Go back to what the sidebar chose (the story list or the notebook)."""
        self._request = 0
        self._stale = False
        """A change may have altered the shown query's hits since it was answered."""
        self._restoring = False
        bar.queryChanged.connect(self.on_bar_queryChanged)
        services.changes.changed.connect(self.on_changes_changed)
        services.worker.indexing.connect(self.on_worker_indexing)
        bar.leave.connect(self.on_bar_leave)
        results.selectionModel().currentChanged.connect(self.on_results_currentChanged)
        results.doubleClicked.connect(lambda _i: reader.setFocus())

    @Slot(str)
    def on_bar_queryChanged(self, query: str) -> None:
        self._request += 1
        request = self._request
        if not query:
            self.bar.clear_error()
            self.notice.hide()
            self.s.status("", 0)
            self.show_list()
            self.finished.emit("")
            return
        self.s.worker.run(
            lambda a: answer(a, query),
            done=lambda found: self._on_results(request, query, found),
            failed=lambda err: self._on_failed(request, query, err),
        )

    def _on_results(self, request: int, query: str, found: Answer) -> None:
        if request != self._request:
            return
        self.bar.clear_error()
        self.notice.hide()
        self.model.set_results(query, *found)
        self.pages.setCurrentIndex(RESULTS_PAGE)
        self.s.status(self.model.count_text(), 5000)
        self.finished.emit(query)

    def _on_failed(self, request: int, query: str, err: BaseException) -> None:
        if request != self._request:
            return
        if isinstance(err, InvalidQueryError):
            # The previous query's hits are not this query's: none are shown.
            message = str(err).splitlines()[0] if str(err) else "invalid query"
            self.bar.show_error(message)
            self.model.set_error(query, message)
            self.pages.setCurrentIndex(RESULTS_PAGE)
            self.notice.show_error(query, message)
            self.s.status("", 0)
        else:
            self.s.notify(f"Search failed: {err}", "")
        self.finished.emit(query)

    # -- keeping the results current ------------------------------------------------------

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        if self.model.query and not self.model.error and changes.any(*REFRESHED_AFTER):
            self._stale = True
            # The indexer may have taken the change in already (changes reach the window
            # gathered, after a moment): then no "caught up" follows, so ask.
            self.s.worker.run_background(lambda a: a.index_backlog(), done=self.on_worker_indexing)

    @Slot(int)
    def on_worker_indexing(self, left: int) -> None:
        """The index has caught up: a query whose hits a change may have altered runs again,
        so a highlight just made, or a story imported, shows among its hits."""
        if left == 0 and self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Answer the shown query again, keeping the hit the analyst is on and the scroll."""
        self._stale = False
        query = self.model.query
        if not query or self.pages.currentIndex() != RESULTS_PAGE:
            return
        self._request += 1
        request = self._request
        self.s.worker.run(
            lambda a: answer(a, query),
            done=lambda found: self._on_refreshed(request, query, found),
            failed=lambda err: self._on_failed(request, query, err),
        )

    def _on_refreshed(self, request: int, query: str, found: Answer) -> None:
        if request != self._request or query != self.model.query:
            return
        current = self.results.currentIndex()
        hit: SearchHit | None = current.data(HIT_ROLE) if current.isValid() else None
        scroll = self.results.verticalScrollBar().value()
        self._restoring = True
        try:
            self.model.set_results(query, *found)
            if hit is not None:
                key = (hit.kind, hit.item_id)
                rows = (n for n, h in enumerate(self.model.hits) if (h.kind, h.item_id) == key)
                row = next(rows, None)
                if row is not None:
                    # The story is open already: it is not opened again (nor focused).
                    select_row(self.results, row)
        finally:
            self._restoring = False
        self.results.verticalScrollBar().setValue(scroll)
        self.finished.emit(query)

    @Slot()
    def on_bar_leave(self) -> None:
        table = self.pages.current_list()
        if table is None:
            return
        table.setFocus()
        if not table.currentIndex().isValid() and table.model().rowCount():
            select_row(table, 0)

    @Slot(QModelIndex, QModelIndex)
    def on_results_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        hit: SearchHit | None = current.data(HIT_ROLE) if current.isValid() else None
        if hit is not None:
            highlight = hit.item_id if hit.kind == ItemKind.HIGHLIGHT else None
            self.opener.open_story(
                hit.story_id, highlight_id=highlight, terms=hit.terms, force_focus=True
            )

    def clear(self) -> None:
        """Empty the search box and go back to the list."""
        self.bar.clear()
        self.on_bar_queryChanged("")
