"""The story list: what it shows (the sidebar's view, feed, publication or tag, in the order its
header asks for), loading its ids and the sidebar's counts on the worker when the change bus says
stories, tags, highlights or subscriptions changed, which story it selects, and the read, star
and archive marks and deletion of the open story."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QTableView

from reader.archive import Archive
from reader.model import Changed, Order, View
from ui.core.change_bus import Changes
from ui.core.services import LiveList, Services
from ui.core.undo import DeleteStory
from ui.features.opening import StoryOpener
from ui.models import story_model
from ui.models.story_model import ID_ROLE, StoryTableModel
from ui.panes.middle import LIST_PAGE, NOTEBOOK_PAGE, MiddlePages
from ui.panes.notebook import Notebook
from ui.panes.search_bar import SearchBar
from ui.panes.sidebar import NOTEBOOK, VIEWS, Counts, ListFilter, Sidebar
from ui.panes.tables import select_row
from ui.reading.reader_view import ReaderView

IdsQuery = Callable[[Archive], list[int]]

FLAG_WORDS = {
    "read": ("Marked unread", "Marked read"),
    "starred": ("Unstarred", "Starred"),
    "archived": ("Moved out of the archive", "Archived"),
}
"""What the status bar says after a mark is taken off, and after it is set."""


def counts_query(archive: Archive) -> Counts:
    """The sidebar's numbers and entries (run on the worker)."""
    counts = archive.view_counts()
    views = {v: counts[v] for v, _label in VIEWS if isinstance(v, View)}
    sources = [(s, n) for s, n in archive.sources(publications=True) if n]
    return Counts(views, sources, archive.tags(), archive.subscriptions())


class StoryList(QObject):
    loaded = Signal()
    """The list shows the ids just loaded."""
    firstLoaded = Signal()
    """The list shows its first load (after ``loaded``), and the initial story is being opened."""

    def __init__(
        self,
        services: Services,
        table: QTableView,
        model: StoryTableModel,
        sidebar: Sidebar,
        pages: MiddlePages,
        notebook: Notebook,
        search_bar: SearchBar,
        count_label: QLabel,
        reader: ReaderView,
        opener: StoryOpener,
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.table = table
        self.model = model
        self.sidebar = sidebar
        self.pages = pages
        self.notebook = notebook
        self.search_bar = search_bar
        self.count_label = count_label
        self.reader = reader
        self.opener = opener
        prefs = services.prefs
        self.filter = ListFilter.from_key(prefs.get("list/filter"))
        self.order = story_model.ORDER_KEYS.get(prefs.get("list/sort_column"), Order.PUBLISHED)
        self.descending = bool(prefs.get("list/sort_descending"))
        self.is_loaded = False
        self._restore_story: int = prefs.get("list/story")
        self._request = 0
        self._sticky: int | None = None
        """A story marked read on opening stays in the Unread list until the view changes."""
        self._window_choice = False
        """The list's selection is being set by the window, not the user."""
        sort_column = next(
            (c for c, k in story_model.ORDER_KEYS.items() if k == self.order), story_model.DATE
        )
        table.horizontalHeader().setSortIndicator(
            sort_column,
            Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder,
        )
        # Before sortRequested is connected: enabling sorting asks for the order just shown.
        table.setSortingEnabled(True)
        self.s.changes.changed.connect(self.on_changes_changed)
        self.opener.markedRead.connect(self.on_opener_markedRead)
        self.sidebar.filterChanged.connect(self.on_sidebar_filterChanged)
        self.notebook.loaded.connect(self.on_notebook_loaded)
        self.model.sortRequested.connect(self.on_model_sortRequested)
        self.model.fetchFailed.connect(lambda message: self.s.notify(message, ""))
        self.table.selectionModel().currentChanged.connect(self.on_table_currentChanged)
        self.table.doubleClicked.connect(lambda _i: self.reader.setFocus())

    # -- loading --------------------------------------------------------------------------

    def start(self) -> None:
        """The first load: select the saved view in the sidebar and show it."""
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(self.filter.key)
        self.sidebar.blockSignals(False)
        self.show_filter_page()
        self.refresh_ids()
        self.refresh_counts()

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        listed = (Changed.STORIES, Changed.TAGS, Changed.HIGHLIGHTS)
        if changes.any(*listed):
            self.refresh_ids()
        if changes.any(*listed, Changed.SUBSCRIPTIONS):
            self.refresh_counts()

    def ids_query(self) -> IdsQuery:
        """What the list shows now, as a query to run on the worker."""
        f, order, descending = self.filter, self.order, self.descending

        def load(archive: Archive) -> list[int]:
            return archive.story_ids(
                view=f.view if isinstance(f.view, View) else View.ALL,
                source_id=f.source_id,
                tag=f.tag,
                feed_id=f.feed_id,
                order=order,
                descending=descending,
            )

        return load

    def _run_ids(self, done: Callable[[bool, list[int]], None]) -> None:
        """Load the ids; ``done`` learns whether no newer load was asked for meanwhile."""
        self._request += 1
        request = self._request
        self.s.worker.run(self.ids_query(), done=lambda ids: done(request == self._request, ids))

    def refresh_ids(self) -> None:
        self._run_ids(lambda latest, ids: self.apply_ids(ids) if latest else None)

    def ids_arriving(self) -> Callable[[list[int]], None]:
        """Where a long operation's new ids go: the list, while it still shows the same filter,
        and the sidebar's counts."""
        f = self.filter

        def on_ids(ids: list[int]) -> None:
            if self.filter == f:
                self.apply_ids(ids)
            self.refresh_counts()

        return on_ids

    def apply_ids(self, ids: list[int]) -> None:
        selected = self.table.currentIndex()
        selected_id = selected.data(ID_ROLE) if selected.isValid() else None
        sticky = self._sticky
        sticky_row = self.model.row_of(sticky) if sticky is not None else -1
        unread = self.filter.view == View.UNREAD
        if unread and sticky is not None and sticky_row >= 0 and sticky not in set(ids):
            ids = [*ids[:sticky_row], sticky, *ids[sticky_row:]]
        self.model.set_ids(ids)
        if self.filter.view != NOTEBOOK:
            self._show_story_count()
        if not self.is_loaded:
            self.is_loaded = True
            self._open_initial_story()
            self.loaded.emit()
            self.firstLoaded.emit()
            return
        row = self.model.row_of(selected_id) if selected_id is not None else -1
        if row < 0 and selected.isValid() and ids:
            row = min(selected.row(), len(ids) - 1)
        if row >= 0 and row != self.table.currentIndex().row():
            select_row(self.table, row)
        self.loaded.emit()

    def _open_initial_story(self) -> None:
        """The story open when the window last closed, else the list's first one."""
        restore = self._restore_story
        if restore and self.model.row_of(restore) >= 0:
            select_row(self.table, self.model.row_of(restore))
        elif restore:
            self.opener.open_story(restore, missing=self._open_first_story)
        else:
            self._open_first_story()

    def _open_first_story(self) -> None:
        """Select the list's first story; it is not marked read, as the window chose it."""
        if self.model.rowCount():
            self._window_choice = True
            select_row(self.table, 0)
            self._window_choice = False

    def live_list(self) -> LiveList[tuple[list[int], Counts]]:
        """The list and the sidebar as they are now, for a long operation to show its new
        stories in as they arrive (while the list still shows the same filter)."""
        ids_query = self.ids_query()
        list_filter = self.filter

        def query(archive: Archive) -> tuple[list[int], Counts]:
            return ids_query(archive), counts_query(archive)

        def apply(value: tuple[list[int], Counts]) -> None:
            ids, counts = value
            if self.filter == list_filter:
                self.apply_ids(ids)
            self.apply_counts(counts)

        return LiveList(query, apply)

    def refresh_counts(self) -> None:
        self.s.worker.run(counts_query, done=self.apply_counts)

    def apply_counts(self, counts: Counts) -> None:
        self.sidebar.set_counts(counts)
        feed = self.filter.feed_id
        if feed is not None and feed not in self.sidebar.feeds:
            # The feed shown was unsubscribed: back to every story.
            self.sidebar.select_key(ListFilter().key)
        elif self.sidebar.current_key != self.filter.key and not self._not_a_filter_chosen():
            self.sidebar.blockSignals(True)
            self.sidebar.select_key(self.filter.key)
            self.sidebar.blockSignals(False)
        self.notebook.set_choices(counts)

    def _not_a_filter_chosen(self) -> bool:
        """The sidebar's choice is an entry without a filter key (a saved search, whose
        results the search pane shows): it keeps the selection."""
        return self.sidebar.currentItem() is not None and self.sidebar.current_key is None

    # -- what the list shows --------------------------------------------------------------

    @Slot(object)
    def on_sidebar_filterChanged(self, list_filter: ListFilter) -> None:
        self._set_filter(list_filter)
        if list_filter.view != NOTEBOOK:
            self.refresh_ids()

    def _set_filter(self, list_filter: ListFilter) -> None:
        self.filter = list_filter
        self._sticky = None
        self.s.prefs.set("list/filter", list_filter.key)
        if self.pages.searching:
            self.search_bar.clear()
        self.show_filter_page()

    def show_filter_page(self) -> None:
        """The story list, or the notebook (read afresh: it is not kept up to date while hidden)."""
        page = NOTEBOOK_PAGE if self.filter.view == NOTEBOOK else LIST_PAGE
        self.pages.setCurrentIndex(page)
        if page == NOTEBOOK_PAGE:
            # The status bar counts what is shown: highlights here, once they are read.
            self.count_label.setText("")
            self.notebook.reload()
        else:
            self._show_story_count()
            self.reader.mark_terms(())

    def _show_story_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(f"{n:,} stor{'y' if n == 1 else 'ies'}")

    @Slot()
    def on_notebook_loaded(self) -> None:
        if self.filter.view == NOTEBOOK:
            self.count_label.setText(self.notebook.count_text())

    @Slot(object, bool)
    def on_model_sortRequested(self, order: Order, descending: bool) -> None:
        if (order, descending) == (self.order, self.descending):
            return
        self.order, self.descending = order, descending
        column = next(c for c, k in story_model.ORDER_KEYS.items() if k == order)
        self.s.prefs.set("list/sort_column", column)
        self.s.prefs.set("list/sort_descending", descending)
        self.refresh_ids()

    # -- which story ----------------------------------------------------------------------

    def show_feed(self, feed_id: int) -> None:
        """List one feed's stories and show the first, not marked read: the window chose it.
        (Its sidebar entry is selected once the counts know it.)"""
        list_filter = ListFilter(feed_id=feed_id)
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(list_filter.key)
        self.sidebar.blockSignals(False)
        self._set_filter(list_filter)
        self.table.setCurrentIndex(QModelIndex())

        def on_ids(latest: bool, ids: list[int]) -> None:
            if latest:
                self.apply_ids(ids)
                self._open_first_story()

        self._run_ids(on_ids)

    def reveal_story(self, story_id: int) -> None:
        """Open a story just added, selected in the list once the list has it."""

        def on_ids(latest: bool, ids: list[int]) -> None:
            if latest:
                self.apply_ids(ids)
            self.select_story(story_id)

        self._run_ids(on_ids)

    def select_story(self, story_id: int) -> None:
        """Select a story in the list (which opens it), or just open it if it is not listed."""
        row = self.model.row_of(story_id)
        if row >= 0 and self.pages.currentIndex() == LIST_PAGE:
            select_row(self.table, row)
        else:
            self.opener.open_story(story_id)

    @Slot(QModelIndex, QModelIndex)
    def on_table_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        story_id = current.data(ID_ROLE) if current.isValid() else None
        if story_id is not None:
            self.s.prefs.set("list/story", story_id)
            self.opener.open_story(story_id, mark_read=not self._window_choice)

    @Slot(int)
    def on_opener_markedRead(self, story_id: int) -> None:
        self._sticky = story_id

    # -- marks and deletion of the open story ---------------------------------------------

    def set_flag(self, flag: str) -> None:
        """Toggle ``flag`` ("read", "starred", "archived") on the open story."""
        story = self.s.current_story()
        if story is None:
            return
        if flag == "archived" and self._sticky == story.id:
            self._sticky = None
        summary = self.model.summary(self.model.row_of(story.id))
        current = {
            "read": summary.is_read if summary else story.is_read,
            "starred": summary.is_starred if summary else story.is_starred,
            "archived": summary.is_archived if summary else story.is_archived,
        }[flag]
        self.s.worker.run(lambda a: a.set_flags(story.id, **{flag: not current}), write=True)
        self.s.status(FLAG_WORDS[flag][not current], 4000)

    def delete_story(self) -> None:
        story = self.s.current_story()
        if story is not None:
            if self._sticky == story.id:
                self._sticky = None
            self.s.undo_stack.push(DeleteStory(self.s.worker, story.id, story.title))
            self.s.status(f"Deleted “{story.title}” (Ctrl+Z to undo)", 8000)
