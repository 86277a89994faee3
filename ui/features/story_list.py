"""The story list: what it shows (the sidebar's view, feed, publication or tag, in the order its
header asks for), loading its ids and the sidebar's counts on the worker when the change bus says
stories, tags, highlights or subscriptions changed, which story it selects (the reader shows the
list's current row while the list is on show), and the read, star, later and archive marks and
deletion of the open story."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from reader.archive import Archive, StoryFlag
from reader.model import Changed, Order, View
from ui.core.bulk_edits import SetStoriesFlag, flag_texts
from ui.core.change_bus import Changes
from ui.core.services import LiveList, Services
from ui.core.undo import DeleteStory
from ui.features.opening import StoryOpener
from ui.models import story_model
from ui.models.story_model import ID_ROLE, StoryTableModel
from ui.panes.marks import Marks
from ui.panes.middle import LIST_PAGE, NOTEBOOK_PAGE, MiddlePages
from ui.panes.notebook import Notebook
from ui.panes.search_bar import SearchBar
from ui.panes.sidebar import NOTEBOOK, VIEWS, Counts, ListFilter, Sidebar
from ui.panes.tables import select_row
from ui.reading.reader_view import ReaderView

IdsQuery = Callable[[Archive], list[int]]

FIRST_PAGE_ROWS = 200
"""Stories shown at start before the whole list is read (a screenful and more)."""
COUNTS_DELAY_MS = 250
"""How long the sidebar's counts wait to be read again after a change, gathering changes."""


def counts_query(archive: Archive) -> Counts:
    """The sidebar's numbers and entries (run on the background reader)."""
    counts = archive.view_counts()
    views = {v: counts[v] for v, _label in VIEWS if isinstance(v, View)}
    sources = [(s, n) for s, n in archive.sources(publications=True) if n]
    return Counts(views, sources, archive.tag_uses(), archive.subscriptions())


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
        self.marks = Marks(table, lambda first, last: model.ids[first : last + 1])
        """The stories marked for a bulk action."""
        prefs = services.prefs
        self.filter = ListFilter.from_key(prefs.get("list/filter"))
        self.order = story_model.ORDER_KEYS.get(prefs.get("list/sort_column"), Order.PUBLISHED)
        self.descending = bool(prefs.get("list/sort_descending"))
        self.is_loaded = False
        self._restore_story: int = prefs.get("list/story")
        self._request = 0
        self._sticky: int | None = None
        self._last_current: int | None = None
        """The story last current in the list, to select again when a reload lost the row (a
        tag's list emptied by its merge, then the merged tag's)."""
        """A story marked read on opening stays in the Unread list until the view changes."""
        self._window_choice = False
        """The list's selection is being set by the window, not the user."""
        self._counts_running = False
        self._counts_again = False
        self._status_after_counts: tuple[str, int] | None = None
        """What the status bar says once the counts after a mark are shown."""
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self._read_counts)
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
        self.marks.changed.connect(self.on_marks_changed)

    # -- loading --------------------------------------------------------------------------

    def start(self) -> None:
        """The first load: select the saved view in the sidebar and show it."""
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(self.filter.key)
        self.sidebar.blockSignals(False)
        self.show_filter_page()
        if self.filter.view == NOTEBOOK:
            self.refresh_ids()
        else:
            self._run_first_page()
        self._read_counts()

    def _run_first_page(self) -> None:
        """The top of the list, then the rest if there is more: 100,000 ids take a while to
        read and to hand over, and the analyst can see, and open, the first stories
        meanwhile."""
        self._request += 1
        request = self._request

        def done(ids: list[int]) -> None:
            if request != self._request:
                return  # another list was asked for meanwhile, and loads in full
            complete = len(ids) < FIRST_PAGE_ROWS
            restore = self._restore_story
            # The story to reopen may lie further down: then the whole list is awaited.
            if complete or not restore or restore in ids:
                self.apply_ids(ids, complete=complete)
            if not complete:
                self.refresh_ids()

        self.s.worker.run(self.ids_query(limit=FIRST_PAGE_ROWS), done=done)

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        counted = (Changed.STORIES, Changed.READ, Changed.TAGS, Changed.HIGHLIGHTS)
        if self._changes_rows(changes):
            self.refresh_ids()
        elif changes.any(*counted):
            # The same rows in the same order: only what they show (read, highlight count,
            # tags) is read again, for the rows on screen; 100,000 ids are not reloaded.
            self.model.invalidate()
        if changes.any(*counted, Changed.SUBSCRIPTIONS):
            self.refresh_counts()

    def _changes_rows(self, changes: Changes) -> bool:
        """Whether ``changes`` can change which stories the list shows, or their order. A
        story marked read stays listed (in Unread too, until the view changes, as in a mail
        client), so reading never does."""
        if changes.any(Changed.STORIES):
            return True
        f = self.filter
        if changes.any(Changed.HIGHLIGHTS):
            return f.view == View.HIGHLIGHTED or self.order == Order.HIGHLIGHTS
        if changes.any(Changed.TAGS):
            return f.tag is not None
        return False

    def ids_query(self, limit: int | None = None) -> IdsQuery:
        """What the list shows now (its first ``limit`` stories), as a query to run on the
        worker."""
        f, order, descending = self.filter, self.order, self.descending

        def load(archive: Archive) -> list[int]:
            return archive.story_ids(
                view=f.view if isinstance(f.view, View) else View.ALL,
                source_id=f.source_id,
                tag=f.tag,
                feed_id=f.feed_id,
                order=order,
                descending=descending,
                limit=limit,
            )

        return load

    def _run_ids(self, done: Callable[[bool, list[int]], None]) -> None:
        """Load the ids; ``done`` learns whether no newer load was asked for meanwhile."""
        self._request += 1
        request = self._request
        # On the background reader: at 100,000 stories the whole list takes 0.2-0.3 s to read
        # and order, and the story the analyst opens meanwhile must not wait behind it.
        self.s.worker.run_background(
            self.ids_query(),
            done=lambda ids: done(request == self._request, ids),
        )

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

    def apply_ids(self, ids: list[int], *, complete: bool = True) -> None:
        """Show ``ids``; not ``complete``: only the top of the list, the rest on its way (the
        count waits for it)."""
        selected = self.table.currentIndex()
        selected_id = selected.data(ID_ROLE) if selected.isValid() else self._last_current
        sticky = self._sticky
        sticky_row = self.model.row_of(sticky) if sticky is not None else -1
        unread = self.filter.view == View.UNREAD
        if unread and sticky is not None and sticky_row >= 0 and sticky not in set(ids):
            ids = [*ids[:sticky_row], sticky, *ids[sticky_row:]]
        self.model.set_ids(ids)
        if self.filter.view != NOTEBOOK:
            if complete:
                self._show_story_count()
            else:
                self.count_label.setText("Counting stories…")
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
            # The window keeps the list's place: a story it selects so is not taken as read.
            self._window_choice = True
            select_row(self.table, row)
            self._window_choice = False
        self.show_current()
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
        """Read the sidebar's counts again, soon. Each read is a pass over 100,000 index
        entries, so requests are gathered: one read per :data:`COUNTS_DELAY_MS` at most,
        never two on their way at once. They run on the background reader, never on the
        analyst's worker, where the next story opened would wait behind them."""
        if self._counts_running:
            self._counts_again = True
        elif not self._counts_timer.isActive():
            self._counts_timer.start()

    def _read_counts(self) -> None:
        self._counts_running = True
        # A status waiting for counts read after its write: this read is one.
        status, self._status_after_counts = self._status_after_counts, None

        def settle() -> None:
            self._counts_running = False
            if status is not None:
                self.s.status(*status)
            if self._counts_again:
                self._counts_again = False
                self.refresh_counts()

        def done(counts: Counts) -> None:
            self.apply_counts(counts)
            settle()

        def failed(err: BaseException) -> None:
            self.s.notify(f"Cannot count the stories: {err}", "")
            settle()

        self.s.worker.run_background(counts_query, done=done, failed=failed)

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

    def show_list_again(self) -> None:
        """Back from the search results: the list as it was, and in the reader its current
        row's story again (a hit's story was shown meanwhile)."""
        self.show_filter_page()
        self.show_current()

    def show_current(self) -> None:
        """While the list is on show, the reader shows its current row, or no story when the
        list is empty. (A story reopened at start that the list no longer has stays open
        without a row until another is chosen.) A story shown again is not marked read: the
        analyst opened it before."""
        if self.pages.currentIndex() != LIST_PAGE:
            return
        index = self.table.currentIndex()
        story_id = index.data(ID_ROLE) if index.isValid() else None
        if story_id is None:
            if self.opener.requested is not None and not self.model.rowCount():
                self.opener.close_story()
        elif story_id != self.opener.requested:
            self.opener.open_story(story_id, mark_read=False)

    def show_filter_page(self) -> None:
        """The story list, or the notebook (read afresh: it is not kept up to date while hidden)."""
        page = NOTEBOOK_PAGE if self.filter.view == NOTEBOOK else LIST_PAGE
        self.pages.setCurrentIndex(page)
        if page == NOTEBOOK_PAGE:
            # The status bar counts what is shown: highlights here, once they are read.
            self.count_label.setText("")
            if self.filter.highlight_tag is not None:
                self.notebook.choose_tag(self.filter.highlight_tag)
            self.notebook.reload()
        else:
            self._show_story_count()
            self.reader.mark_terms(())

    def _show_story_count(self) -> None:
        n, marked = self.model.rowCount(), self.marks.count()
        shown = f"{n:,} stor{'y' if n == 1 else 'ies'}"
        self.count_label.setText(f"{marked:,} of {shown} selected" if marked else shown)

    @Slot(int)
    def on_marks_changed(self, _count: int) -> None:
        if self.filter.view != NOTEBOOK:
            self._show_story_count()

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
            self._last_current = story_id
            self.s.prefs.set("list/story", story_id)
            # A story passed over while marking rows is shown, not taken as read.
            marking = self.marks.marking or bool(
                QApplication.keyboardModifiers()
                & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
            )
            self.opener.open_story(story_id, mark_read=not (self._window_choice or marking))

    @Slot(int)
    def on_opener_markedRead(self, story_id: int) -> None:
        self._sticky = story_id

    # -- marks and deletion of the open story ---------------------------------------------

    def set_flag(self, flag: StoryFlag) -> None:
        """Toggle ``flag`` on the open story, as one undo step. A story the new mark takes out
        of the view leaves the list at once (put back if the write fails); the status bar says
        it once the write is done, and the counts follow its change event."""
        story = self.s.current_story()
        if story is None:
            return
        if flag == "archived" and self._sticky == story.id:
            self._sticky = None
        summary = self.model.summary(self.model.row_of(story.id))
        shown = summary if summary is not None else story
        current = {
            "read": shown.is_read,
            "starred": shown.is_starred,
            "archived": shown.is_archived,
            "later": shown.is_later,
        }[flag]
        value = not current
        view = self.filter.view
        leaves = leaves_view(view if isinstance(view, View) else View.ALL, flag, value)
        if flag == "read" and self._sticky == story.id:
            leaves = False
        row = self._take_out(story.id) if leaves else -1
        command, done = flag_texts(flag, value, f"“{story.title}”")
        self.s.undo_stack.push(
            SetStoriesFlag(
                self.s.worker,
                [story.id],
                flag,
                value,
                command,
                done=lambda _result: self._confirm(f"{done} (Ctrl+Z to undo)", 8000),
                failed=lambda err: self._put_back(row, story.id, err),
            )
        )

    def _confirm(self, message: str, timeout_ms: int) -> None:
        """After a mark or a deletion is written: the counts it changed, then the status
        that says so. The counts are read now (or right after a read already on its way,
        which began before the write), and that one read also serves the change event."""
        self._status_after_counts = (message, timeout_ms)
        if self._counts_running:
            self._counts_again = True
            return
        self._counts_timer.stop()
        self._read_counts()

    def _take_out(self, story_id: int) -> int:
        """Take a story's row out of the list at once; returns where it was. The current row
        moves first to the one that takes its place (the one above at the end), as a mail
        client goes on to the next message, and the reader follows. A list load on its way
        was read before the change and would put the row back: it is dropped, and the
        change's own reload brings the list (all of it, after a first page) afresh."""
        self._request += 1
        row = self.model.row_of(story_id)
        if row >= 0 and row == self.table.currentIndex().row():
            after = row + 1 if row + 1 < self.model.rowCount() else row - 1
            if after >= 0:
                select_row(self.table, after)
        removed = self.model.remove_id(story_id)
        self.show_current()
        return removed

    def _put_back(self, row: int, story_id: int, err: BaseException) -> None:
        if row >= 0:
            self.model.insert_id(row, story_id)
        self.s.notify(str(err), "")

    def delete_story(self) -> None:
        story = self.s.current_story()
        if story is None:
            return
        if self._sticky == story.id:
            self._sticky = None
        title = story.title
        row = self._take_out(story.id)
        self.s.undo_stack.push(
            DeleteStory(
                self.s.worker,
                story.id,
                title,
                done=lambda _none: self._confirm(f"Deleted “{title}” (Ctrl+Z to undo)", 8000),
                failed=lambda err: self._put_back(row, story.id, err),
            )
        )


def leaves_view(view: View, flag: str, value: bool) -> bool:
    """Whether setting ``flag`` to ``value`` takes a story out of ``view`` (as the views'
    conditions in storage say: every view but Archived and Starred hides archived stories)."""
    if flag == "archived":
        return value != (view == View.ARCHIVED) and view != View.STARRED
    if flag == "starred":
        return view == View.STARRED and not value
    if flag == "later":
        return view == View.LATER and not value
    return view == View.UNREAD and value
