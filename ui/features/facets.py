"""Facet chips and the timeline (issue 12): after each search, and each load of the story list,
counts its matches by kind, source, tag, colour, month and week on the worker (queued behind the
results, so they never wait for it), and turns a chip or a week clicked into query text added to
the search box, or taken out of it when it is already there, so the analyst sees the language."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from reader.archive import Archive
from reader.errors import ReaderError
from reader.model import Facets
from ui.core.services import Services
from ui.panes.facets import FacetBar
from ui.panes.middle import LIST_PAGE, RESULTS_PAGE, MiddlePages
from ui.panes.search_bar import SearchBar
from ui.panes.tables import focus_keeping_row

FacetsQuery = Callable[[Archive], Facets]
LIST_THROTTLE_MS = 2000
"""The list's chips are counted again at most this often: an import or a refresh reloads the
list after every few stories, and at 100,000 stories a count takes the worker 0.6 s."""

# A term of a query as the chips write them: a field with a phrase, a range or a word; a phrase;
# a word.
_TERM = re.compile(r'[A-Za-z_]\w*:(?:"[^"]*"?|[\[{][^\]}]*[\]}]?|\S+)|"[^"]*"?|\S+')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def query_terms(query: str) -> list[str]:
    """``query`` split into terms, keeping a phrase or a date range whole."""
    return _TERM.findall(query)


def active_terms(query: str) -> frozenset[str]:
    """The terms of ``query``, compared without case."""
    return frozenset(term.casefold() for term in query_terms(query))


def toggled(query: str, term: str) -> str:
    """``query`` with ``term`` added at the end (in parentheses when it has an OR of its own,
    which would otherwise take the term into its last alternative), or, if it is there, taken
    out (with an operator that joined it to the rest, so what is left still parses)."""
    terms = query_terms(query)
    wanted = term.casefold()
    if wanted not in {t.casefold() for t in terms}:
        query = query.strip()
        if _has_top_level_or(terms):
            query = f"({query})"
        return f"{query} {term}".strip()
    while wanted in (folded := [t.casefold() for t in terms]):
        at = folded.index(wanted)
        start, end = at, at + 1
        if at > 0 and terms[at - 1] in _OPERATORS:
            start -= 1
        elif end < len(terms) and terms[end] in _OPERATORS - {"NOT"}:
            end += 1
        del terms[start:end]
    return " ".join(terms)


def _has_top_level_or(terms: list[str]) -> bool:
    depth = 0
    for term in terms:
        if term == "OR" and depth == 0:
            return True
        if not term.startswith('"'):
            depth += term.count("(") - term.count(")")
    return False


class FacetChips(QObject):
    shown = Signal(str)
    """The chips and the timeline show the facets of this query ("": of the story list)."""

    def __init__(
        self,
        services: Services,
        bar: FacetBar,
        search_bar: SearchBar,
        pages: MiddlePages,
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.bar = bar
        self.search_bar = search_bar
        self.pages = pages
        self._request = 0
        self._running = False
        self._waiting: tuple[int, str, FacetsQuery] | None = None
        """The newest request asked for while one was running: only it runs next."""
        self._list_counted = False
        """The chips show the list's count (the same above every list)."""
        self._list_again = False
        self.throttle = QTimer(self)
        self.throttle.setSingleShot(True)
        self.throttle.setInterval(LIST_THROTTLE_MS)
        self.throttle.timeout.connect(self.on_throttle_timeout)
        bar.chipClicked.connect(self.on_bar_chipClicked)
        bar.leave.connect(self.on_bar_leave)
        pages.currentChanged.connect(self.on_pages_currentChanged)

    # -- what to count --------------------------------------------------------------------

    @Slot(str)
    def on_search_finished(self, query: str) -> None:
        """A search was answered (or cleared: "" shows the list's facets again)."""
        if query:
            self._list_counted = False
            self._count(query, lambda archive: archive.facets(query))
        elif self.pages.currentIndex() == LIST_PAGE:
            self._list_counted = False
            self.on_list_loaded()

    @Slot()
    def on_list_loaded(self) -> None:
        """Above any list the chips count everything a search can find, not the list's own
        stories: a chip clicked there starts a search of the whole archive (archived stories
        included), and the count it shows must be what that search returns."""
        if self.pages.currentIndex() != LIST_PAGE:
            return
        if self._list_counted and self.throttle.isActive():
            self._list_again = True
            return
        self._list_counted = True
        self._list_again = False
        self.throttle.start()
        self._count("", lambda archive: archive.list_facets())

    @Slot()
    def on_throttle_timeout(self) -> None:
        if self._list_again:
            self.on_list_loaded()

    @Slot(int)
    def on_pages_currentChanged(self, page: int) -> None:
        if page not in (LIST_PAGE, RESULTS_PAGE):
            # The notebook: its highlights have no chips (yet); drop what is on its way.
            self._list_counted = False
            self._request += 1
            self._waiting = None
            self.bar.clear()

    def _count(self, query: str, fn: FacetsQuery) -> None:
        self._request += 1
        if self._running:
            # A list loading while an import runs asks again and again: count the last only.
            self._waiting = (self._request, query, fn)
            return
        self._start(self._request, query, fn)

    def _start(self, request: int, query: str, fn: FacetsQuery) -> None:
        self._running = True
        # On the background reader: counting 100,000 stories must not delay the story the
        # analyst opens next.
        self.s.worker.run_background(
            fn,
            done=lambda facets: self._on_counted(request, query, facets),
            failed=lambda err: self._on_failed(request, err),
        )

    def _next(self) -> None:
        self._running = False
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(*waiting)

    def _on_counted(self, request: int, query: str, facets: Facets) -> None:
        if request == self._request:
            self.bar.set_facets(facets, active_terms(query))
            self.shown.emit(query)
        self._next()

    def _on_failed(self, request: int, err: BaseException) -> None:
        if request == self._request:
            # The query's own error is under the search box already.
            self.bar.clear()
        self._next()
        if not isinstance(err, ReaderError):
            sys.excepthook(type(err), err, err.__traceback__)

    # -- chips ----------------------------------------------------------------------------

    @Slot(str)
    def on_bar_chipClicked(self, term: str) -> None:
        """Add the chip's query text to the search box (the search runs as if typed), or take
        it out when it is there already."""
        edit = self.search_bar.edit
        query = edit.text() if self.pages.searching else ""
        edit.setText(toggled(query, term))

    @Slot()
    def on_bar_leave(self) -> None:
        """Esc on the chips: back to the list on show, on the row it had; no hit is opened
        for it (j or Down then takes the first)."""
        table = self.pages.current_list()
        if table is not None:
            focus_keeping_row(table)

    def focus(self) -> None:
        """The key that puts the focus on the chips (then arrows, Enter, Escape)."""
        if not self.bar.focus_chips():
            self.s.status("No facets to choose from here", 3000)
