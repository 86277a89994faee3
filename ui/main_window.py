"""The shell: builds the panes (sidebar, story list or search results or the notebook, reader
and highlights panel) in splitters, gives each feature its services and the widgets it drives,
keeps the story list, search and the open story, and refreshes the list and the sidebar when
the change bus says stories, highlights, tags or subscriptions changed. Only ui.app builds it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QWidget,
)

from reader.archive import Archive, StoryBundle
from reader.errors import InvalidQueryError, ReaderError
from reader.model import (
    Changed,
    Color,
    ImportReport,
    ItemKind,
    Order,
    SearchHit,
    Story,
    StorySummary,
    View,
)
from ui.core.change_bus import ChangeBus, Changes
from ui.core.colors import muted_text
from ui.core.services import LiveList, Services
from ui.core.settings import Prefs
from ui.core.undo import DeleteStory
from ui.core.worker import Worker
from ui.features.annotations import Annotations
from ui.features.backups import Backups
from ui.features.codebook import Codebook
from ui.features.export import Export
from ui.features.feeds import Feeds
from ui.features.importing import Importer
from ui.features.links import LinkAdder, web_address
from ui.features.tags import Tags
from ui.features.versions import Versions
from ui.menus import ActionTable, MenuParts, focus_in
from ui.models import story_model
from ui.models.search_results import HIT_ROLE, SearchResultDelegate, SearchResultsModel
from ui.models.story_model import ID_ROLE, StoryTableModel
from ui.panes.help_overlay import HelpOverlay
from ui.panes.notebook import Notebook
from ui.panes.notifications import NotificationsDock
from ui.panes.search_bar import SearchBar
from ui.panes.sidebar import NOTEBOOK, VIEWS, Counts, ListFilter, Sidebar
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView

SEARCH_LIMIT = 200
LIST_PAGE, RESULTS_PAGE, NOTEBOOK_PAGE = range(3)


def _table(parent: QWidget, name: str, row_height: int) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.hide()
    # Fixed row heights: the view never asks the model for rows it does not show.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(False)
    return table


class MainWindow(QMainWindow):
    ready = Signal()
    """The archive is open (and seeded on first start) and the list shows its first load."""
    openFailed = Signal(str)
    listLoaded = Signal()
    storyOpened = Signal(int)
    searchFinished = Signal(str)

    def __init__(self, data_dir: Path, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Story Reader")
        self.setObjectName("main-window")
        self.setAcceptDrops(True)
        self.data_dir = Path(data_dir)
        self.prefs = Prefs(settings)
        self.worker = Worker(self.data_dir, self)
        self.changes = ChangeBus(self)
        self.read_archive: Archive | None = None
        self.undo_stack = QUndoStack(self)
        self.filter = ListFilter.from_key(self.prefs.get("list/filter"))
        self.order = story_model.ORDER_KEYS.get(self.prefs.get("list/sort_column"), Order.PUBLISHED)
        self.descending = bool(self.prefs.get("list/sort_descending"))
        self.story: Story | None = None
        self.is_ready = False
        self._restore_story: int = self.prefs.get("list/story")
        self._requests = {"ids": 0, "open": 0, "search": 0}
        self._sticky: int | None = None
        """A story marked read on opening stays in the Unread list until the view changes."""
        self._window_choice = False
        """The list's selection is being set by the window, not the user."""

        self._build_widgets()
        self._adapt_palette()
        self.actions_ = self._build_actions()
        self._build_status_bar()
        self._restore_layout()
        self._connect()
        # Keyboard-first: j/k and / work from the first moment, before any click.
        self.table.setFocus()
        self.worker.start()

    # -- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.sidebar = Sidebar(self)
        self.story_model = StoryTableModel(self._fetch_summaries)
        self.table = _table(self, "story-list", self.fontMetrics().height() + 10)
        self.table.setModel(self.story_model)
        header = self.table.horizontalHeader()
        for column, mode in (
            (story_model.MARK, QHeaderView.ResizeMode.Fixed),
            (story_model.TITLE, QHeaderView.ResizeMode.Stretch),
            (story_model.SOURCE, QHeaderView.ResizeMode.Interactive),
            (story_model.DATE, QHeaderView.ResizeMode.Interactive),
            (story_model.HIGHLIGHTS, QHeaderView.ResizeMode.Fixed),
        ):
            header.setSectionResizeMode(column, mode)
        # Narrow fixed columns around the title; the title takes whatever width is left.
        width = self.table.fontMetrics().horizontalAdvance
        header.setMinimumSectionSize(width("99") + 12)
        header.resizeSection(story_model.MARK, width("★●") + 12)
        header.resizeSection(story_model.SOURCE, width("Northwind Wire") + 12)
        header.resizeSection(story_model.DATE, width("2026-10-14") + 20)
        header.resizeSection(story_model.HIGHLIGHTS, width("99") + 12)
        sort_column = next(
            (c for c, k in story_model.ORDER_KEYS.items() if k == self.order), story_model.DATE
        )
        header.setSortIndicator(
            sort_column,
            Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)

        self.results_model = SearchResultsModel()
        self.results = _table(self, "search-results", SearchResultDelegate.row_height(self.font()))
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(SearchResultDelegate(self.results))
        self.results.setAlternatingRowColors(False)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )

        self.notebook = Notebook(self.worker, self.changes, self)
        self.middle = QStackedWidget(self)
        self.middle.addWidget(self.table)
        self.middle.addWidget(self.results)
        self.middle.addWidget(self.notebook)

        self.reader = ReaderView(self)
        self.panel = HighlightsPanel(self)
        self.right = QSplitter(Qt.Orientation.Horizontal, self)
        self.right.setObjectName("reader-splitter")
        self.right.addWidget(self.reader)
        self.right.addWidget(self.panel)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 1)
        self.right.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.middle)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 4)
        self.setCentralWidget(self.splitter)

        self.search = SearchBar(self)
        self.notifications = NotificationsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.notifications)
        self.notifications.hide()
        self.help = HelpOverlay(self)
        self._build_features()

    def _build_features(self) -> None:
        s = self.services = Services(
            worker=self.worker,
            undo_stack=self.undo_stack,
            prefs=self.prefs,
            changes=self.changes,
            notify=self.notify,
            status=self.show_status,
            notices=self.notifications,
            current_story=lambda: self.story,
            parent=self,
        )
        self.importer = Importer(s)
        self.links = LinkAdder(s, reveal_story=self.reveal_story, show_feed=self.show_feed)
        self.feeds = Feeds(s, self.sidebar, self.live_list)
        self.annotations = Annotations(s, self.reader, self.panel)
        self.tags = Tags(s, self.panel)
        self.versions = Versions(
            s,
            self.reader,
            self.panel,
            reload_story=lambda story_id: self.open_story(story_id, mark_read=False, reload=True),
        )
        self.codebook = Codebook(s, [self.reader, self.panel, self.notebook])
        self.export = Export(s, self.results_model, lambda: self.searching, self.notebook)
        self.backups = Backups(s, self.data_dir)

    def _build_actions(self) -> ActionTable:
        handlers: dict[str, Callable[[], object]] = {
            "next_story": lambda: self.move_selection(1),
            "previous_story": lambda: self.move_selection(-1),
            "open_story": self.open_current,
            "highlight": self.highlight_selection,
            "note": self.note_selection,
            "star": lambda: self.set_flag("starred"),
            "archive": lambda: self.set_flag("archived"),
            "toggle_read": lambda: self.set_flag("read"),
            "delete_story": self.delete_story,
            "focus_search": self.focus_search,
            "back": self.back,
            "zoom_in": lambda: self.set_zoom(1),
            "zoom_out": lambda: self.set_zoom(-1),
            "help": self.help.toggle,
            "import_files": self.ask_import_files,
            "import_folder": self.ask_import_folder,
            "add_link": self.add_link,
            "refresh_feeds": self.feeds.refresh_all,
            "quit": self.close,
        }
        parts = MenuParts(
            import_opml=self.feeds.ask_import_opml,
            export_opml=self.feeds.ask_export_opml,
            set_refresh_interval=self.feeds.set_interval,
            export_menu=self.export.export_menu,
            backup_actions=(
                self.backups.backup_action,
                self.backups.restore_action,
                self.backups.backup_settings_action,
            ),
            codebook_action=self.codebook.codebook_action,
            notifications_action=self.notifications.toggleViewAction(),
            search=self.search,
        )
        content = [self.sidebar, self.table, self.results, self.notebook.list, self.reader]
        return ActionTable(self, handlers, content, self.undo_stack, self.prefs, parts)

    @Slot(int)
    def on_worker_indexing(self, left: int) -> None:
        """Show the search index's backlog while a large one is worked off."""
        # A batch is 500 changes; smaller backlogs finish before anyone could read the label.
        self.indexing_label.setVisible(left > 0)
        self.indexing_label.setText(f"Indexing for search: {left:,} left")

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100,000 stories "))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.notify_button = QToolButton(self)
        self.notify_button.setDefaultAction(self.notifications.toggleViewAction())
        self.notify_button.setAutoRaise(True)
        self.indexing_label = QLabel(self)
        self.indexing_label.setObjectName("indexing")
        self.indexing_label.setToolTip(
            "New or changed stories are being added to the search index; until it is done,"
            " search may miss them"
        )
        self.indexing_label.hide()
        bar.addPermanentWidget(self.indexing_label)
        bar.addPermanentWidget(self.importer.progress)
        bar.addPermanentWidget(self.importer.cancel_button)
        bar.addPermanentWidget(self.feeds.progress)
        bar.addPermanentWidget(self.feeds.cancel_button)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.notify_button)

    def _restore_layout(self) -> None:
        if not self.restoreGeometry(self.prefs.get("window/geometry")):
            self.resize(1400, 900)
        self.restoreState(self.prefs.get("window/state"))
        self.notifications.hide()
        if not self.splitter.restoreState(self.prefs.get("splitter/main")):
            self.splitter.setSizes([170, 490, 740])
        if not self.right.restoreState(self.prefs.get("splitter/right")):
            self.right.setSizes([510, 230])
        self.reader.set_zoom(self.prefs.get("reader/zoom"))

    def _adapt_palette(self) -> None:
        """Placeholders in a colour derived from the text and the background: a theme's own
        placeholder colour is often a fixed grey that vanishes on a dark background."""
        palette = self.palette()
        muted = muted_text(palette)
        if palette.color(QPalette.ColorRole.PlaceholderText) != muted:
            palette.setColor(QPalette.ColorRole.PlaceholderText, muted)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._adapt_palette()

    def _connect(self) -> None:
        w = self.worker
        w.opened.connect(self.on_worker_opened)
        w.open_failed.connect(self.on_worker_open_failed)
        w.changed.connect(self.changes.on_worker_changed)
        w.error.connect(self.on_worker_error)
        w.notice.connect(self.notify)
        w.indexing.connect(self.on_worker_indexing)
        self.changes.changed.connect(self.on_changes_changed)
        self.ready.connect(self.codebook.load_color_names)
        self.ready.connect(self.backups.backup_if_due)
        self.storyOpened.connect(self.versions.on_story_opened)
        self.importer.finished.connect(self.versions.on_import_finished)
        self.feeds.finished.connect(self.versions.on_refresh_finished)
        self.backups.restoreStarting.connect(self.on_backups_restoreStarting)
        self.backups.restoreEnded.connect(self.on_backups_restoreEnded)
        self.sidebar.filterChanged.connect(self.on_sidebar_filterChanged)
        self.sidebar.feedRefreshRequested.connect(lambda feed_id: self.feeds.refresh([feed_id]))
        self.sidebar.feedFullArticlesToggled.connect(self.feeds.set_full_articles)
        self.sidebar.feedUnsubscribeRequested.connect(self.feeds.unsubscribe)
        self.story_model.sortRequested.connect(self.on_story_model_sortRequested)
        self.story_model.fetchFailed.connect(self.notify)
        self.table.selectionModel().currentChanged.connect(self.on_table_currentChanged)
        self.table.doubleClicked.connect(lambda _i: self.reader.setFocus())
        self.results.selectionModel().currentChanged.connect(self.on_results_currentChanged)
        self.results.doubleClicked.connect(lambda _i: self.reader.setFocus())
        self.notebook.highlightActivated.connect(self.on_notebook_highlightActivated)
        self.search.queryChanged.connect(self.on_search_queryChanged)
        self.search.leave.connect(self.on_search_leave)

    # -- state ----------------------------------------------------------------------------

    @property
    def story_id(self) -> int | None:
        return self.story.id if self.story is not None else None

    @property
    def searching(self) -> bool:
        return self.middle.currentIndex() == RESULTS_PAGE

    def _fetch_summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        return self.read_archive.summaries(ids) if self.read_archive is not None else []

    def current_list(self) -> QTableView | None:
        page = self.middle.currentIndex()
        return {LIST_PAGE: self.table, RESULTS_PAGE: self.results}.get(page)

    # -- notifications --------------------------------------------------------------------

    @Slot(str)
    def notify(self, message: str, detail: str = "") -> None:
        """Tell the user without interrupting: the status bar and the Notifications list."""
        self.statusBar().showMessage(message, 10000)
        self.notifications.add(message, detail)

    def show_status(self, message: str, timeout_ms: int = 0) -> None:
        """A passing message in the status bar (0: until the next one)."""
        self.statusBar().showMessage(message, timeout_ms)

    def report_internal_error(self, err: BaseException) -> None:
        self.notify(f"Internal error: {type(err).__name__}: {err} (details in the log)")

    @Slot(object)
    def on_worker_error(self, err: BaseException) -> None:
        if isinstance(err, ReaderError):
            self.notify(str(err))
        else:
            sys.excepthook(type(err), err, err.__traceback__)

    # -- start ----------------------------------------------------------------------------

    @Slot()
    def on_worker_opened(self) -> None:
        try:
            self.read_archive = Archive(self.data_dir)
        except ReaderError as err:
            self.on_worker_open_failed(err)
            return
        self.statusBar().showMessage("Opening the archive…")
        self.worker.run(lambda a: a.seed_samples(), write=True, done=self._on_seeded)

    def _on_seeded(self, report: ImportReport | None) -> None:
        if report is not None:
            self.notify(f"Welcome: {len(report.imported)} sample stories were added.")
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(self.filter.key)
        self.sidebar.blockSignals(False)
        self._show_filter_page()
        self.refresh_ids()
        self.refresh_counts()

    @Slot(object)
    def on_worker_open_failed(self, err: BaseException) -> None:
        message = f"Cannot open the archive in {self.data_dir}: {err}"
        self.notify(message)
        self.openFailed.emit(message)

    # -- change events --------------------------------------------------------------------

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        listed = (Changed.STORIES, Changed.TAGS, Changed.HIGHLIGHTS)
        if changes.any(*listed):
            self.refresh_ids()
        if changes.any(*listed, Changed.SUBSCRIPTIONS):
            self.refresh_counts()

    def ids_query(self) -> Callable[[Archive], list[int]]:
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

    def refresh_ids(self) -> None:
        self._requests["ids"] += 1
        request = self._requests["ids"]
        self.worker.run(self.ids_query(), done=lambda ids: self._on_ids(request, ids))

    def _on_ids(self, request: int, ids: list[int]) -> None:
        if request == self._requests["ids"]:
            self.apply_ids(ids)

    def apply_ids(self, ids: list[int]) -> None:
        selected = self.table.currentIndex()
        selected_id = selected.data(ID_ROLE) if selected.isValid() else None
        sticky = self._sticky
        sticky_row = self.story_model.row_of(sticky) if sticky is not None else -1
        unread = self.filter.view == View.UNREAD
        if unread and sticky is not None and sticky_row >= 0 and sticky not in set(ids):
            ids = [*ids[:sticky_row], sticky, *ids[sticky_row:]]
        self.story_model.set_ids(ids)
        n = len(ids)
        self.count_label.setText(f"{n:,} stor{'y' if n == 1 else 'ies'}")
        if not self.is_ready:
            self.is_ready = True
            self.statusBar().clearMessage()
            self._open_initial_story()
            self.listLoaded.emit()
            self.ready.emit()
            return
        row = self.story_model.row_of(selected_id) if selected_id is not None else -1
        if row < 0 and selected.isValid() and ids:
            row = min(selected.row(), len(ids) - 1)
        if row >= 0 and row != self.table.currentIndex().row():
            self._select_row(self.table, row)
        self.listLoaded.emit()

    def _open_initial_story(self) -> None:
        """The story open when the window last closed, else the list's first one."""
        restore = self._restore_story
        if restore and self.story_model.row_of(restore) >= 0:
            self._select_row(self.table, self.story_model.row_of(restore))
        elif restore:
            self.open_story(restore, missing=self._open_first_story)
        else:
            self._open_first_story()

    def _open_first_story(self) -> None:
        """Select the list's first story; it is not marked read, as the window chose it."""
        if self.story_model.rowCount():
            self._window_choice = True
            self._select_row(self.table, 0)
            self._window_choice = False

    @staticmethod
    def counts_query() -> Callable[[Archive], Counts]:
        """The sidebar's numbers and entries, as a query to run on the worker."""

        def load(archive: Archive) -> Counts:
            views = {v: archive.count_stories(v) for v, _label in VIEWS if isinstance(v, View)}
            sources = [(s, n) for s, n in archive.sources() if n]
            return Counts(views, sources, archive.tags(), archive.subscriptions())

        return load

    def live_list(self) -> LiveList[tuple[list[int], Counts]]:
        """The list and the sidebar as they are now, for a long operation to show its new
        stories in as they arrive (while the list still shows the same filter)."""
        ids_query, counts_query = self.ids_query(), self.counts_query()
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
        self.worker.run(self.counts_query(), done=self.apply_counts)

    def apply_counts(self, counts: Counts) -> None:
        self.sidebar.set_counts(counts)
        feed = self.filter.feed_id
        if feed is not None and feed not in self.sidebar.feeds:
            # The feed shown was unsubscribed: back to every story.
            self.sidebar.select_key(ListFilter().key)
        elif self.sidebar.current_key != self.filter.key:
            self.sidebar.blockSignals(True)
            self.sidebar.select_key(self.filter.key)
            self.sidebar.blockSignals(False)
        self.notebook.set_choices(counts)

    @Slot(object)
    def on_sidebar_filterChanged(self, list_filter: ListFilter) -> None:
        self._set_filter(list_filter)
        if list_filter.view != NOTEBOOK:
            self.refresh_ids()

    def _set_filter(self, list_filter: ListFilter) -> None:
        self.filter = list_filter
        self._sticky = None
        self.prefs.set("list/filter", list_filter.key)
        if self.searching:
            self.search.clear()
        self._show_filter_page()

    def _show_filter_page(self) -> None:
        """The story list, or the notebook (read afresh: it is not kept up to date while hidden)."""
        page = NOTEBOOK_PAGE if self.filter.view == NOTEBOOK else LIST_PAGE
        self.middle.setCurrentIndex(page)
        if page == NOTEBOOK_PAGE:
            self.notebook.reload()
        else:
            self.reader.mark_terms(())

    @Slot(object, bool)
    def on_story_model_sortRequested(self, order: Order, descending: bool) -> None:
        if (order, descending) == (self.order, self.descending):
            return
        self.order, self.descending = order, descending
        column = next(c for c, k in story_model.ORDER_KEYS.items() if k == order)
        self.prefs.set("list/sort_column", column)
        self.prefs.set("list/sort_descending", descending)
        self.refresh_ids()

    @staticmethod
    def _select_row(table: QTableView, row: int) -> None:
        # The title's cell in the story list (where the focus frame belongs), else the first.
        index = table.model().index(row, min(story_model.TITLE, table.model().columnCount() - 1))
        table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        table.scrollTo(index)

    def show_feed(self, feed_id: int) -> None:
        """List one feed's stories and show the first, not marked read: the window chose it.
        (Its sidebar entry is selected once the counts know it.)"""
        list_filter = ListFilter(feed_id=feed_id)
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(list_filter.key)
        self.sidebar.blockSignals(False)
        self._set_filter(list_filter)
        self.table.setCurrentIndex(QModelIndex())
        self._requests["ids"] += 1
        request = self._requests["ids"]

        def on_ids(ids: list[int]) -> None:
            if request == self._requests["ids"]:
                self.apply_ids(ids)
                self._open_first_story()

        self.worker.run(self.ids_query(), done=on_ids)

    def reveal_story(self, story_id: int) -> None:
        """Open a story just added, selected in the list once the list has it."""
        self._requests["ids"] += 1
        request = self._requests["ids"]

        def on_ids(ids: list[int]) -> None:
            if request == self._requests["ids"]:
                self.apply_ids(ids)
            self.select_story(story_id)

        self.worker.run(self.ids_query(), done=on_ids)

    def select_story(self, story_id: int) -> None:
        """Select a story in the list (which opens it), or just open it if it is not listed."""
        row = self.story_model.row_of(story_id)
        if row >= 0 and self.middle.currentIndex() == LIST_PAGE:
            self._select_row(self.table, row)
        else:
            self.open_story(story_id)

    @Slot(QModelIndex, QModelIndex)
    def on_table_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        story_id = current.data(ID_ROLE) if current.isValid() else None
        if story_id is not None:
            self.prefs.set("list/story", story_id)
            self.open_story(story_id, mark_read=not self._window_choice)

    @Slot(QModelIndex, QModelIndex)
    def on_results_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit: SearchHit | None = current.data(HIT_ROLE) if current.isValid() else None
        if hit is not None:
            highlight = hit.item_id if hit.kind == ItemKind.HIGHLIGHT else None
            self.open_story(hit.story_id, highlight_id=highlight, terms=hit.terms, force_focus=True)

    @Slot(int, int)
    def on_notebook_highlightActivated(self, story_id: int, highlight_id: int) -> None:
        self.open_story(story_id, highlight_id=highlight_id, force_focus=True)

    def move_selection(self, step: int) -> None:
        if self.middle.currentIndex() == NOTEBOOK_PAGE:
            view = self.notebook.list
            row = max(0, min(view.currentIndex().row() + step, view.model().rowCount() - 1))
            index = view.model().index(row, 0)
            view.setCurrentIndex(index)
            self.notebook.on_list_activated(index)
            return
        table = self.current_list()
        if table is None or table.model().rowCount() == 0:
            return
        current = table.currentIndex().row()
        row = 0 if current < 0 else max(0, min(current + step, table.model().rowCount() - 1))
        self._select_row(table, row)

    # -- opening a story ------------------------------------------------------------------

    def open_story(
        self,
        story_id: int,
        *,
        highlight_id: int | None = None,
        terms: tuple[str, ...] = (),
        force_focus: bool = False,
        mark_read: bool = True,
        missing: Callable[[], None] | None = None,
        reload: bool = False,
    ) -> None:
        """Show a story in the reader; ``missing`` runs instead of a report if it is gone.
        ``reload`` reads the open story again (its text changed)."""
        if not reload and story_id == self.story_id and self.reader.story is not None:
            if force_focus or highlight_id is not None or terms:
                self._apply_focus(highlight_id, terms)
            return
        self.panel.flush()
        self._requests["open"] += 1
        request = self._requests["open"]
        self.worker.run(
            lambda a: a.bundle(story_id),
            done=lambda bundle: self._on_bundle(request, bundle, highlight_id, terms, mark_read),
            failed=(lambda _err: missing()) if missing is not None else None,
        )

    def _on_bundle(
        self,
        request: int,
        bundle: StoryBundle,
        highlight_id: int | None,
        terms: tuple[str, ...],
        mark_read: bool,
    ) -> None:
        if request != self._requests["open"]:
            return
        story = bundle.story
        self.story = story
        self.reader.show_story(story, bundle.highlights)
        self.panel.set_story(story.id, bundle.highlights, bundle.notes)
        self._apply_focus(highlight_id, terms)
        self.setWindowTitle(f"{story.title} — Story Reader")
        if mark_read and self.prefs.get("reader/mark_read_on_open") and not story.is_read:
            self._sticky = story.id
            self.worker.run(lambda a: a.set_flags(story.id, read=True), write=True)
        self.storyOpened.emit(story.id)

    def _apply_focus(self, highlight_id: int | None, terms: tuple[str, ...]) -> None:
        first = self.reader.mark_terms(terms)
        if highlight_id is not None and self.panel.select_highlight(highlight_id):
            self.reader.scroll_to_highlight(highlight_id)
        elif first is not None:
            self.reader.scroll_to_offset(first)

    # -- story actions --------------------------------------------------------------------

    def set_flag(self, flag: str) -> None:
        """Toggle ``flag`` ("read", "starred", "archived") on the open story."""
        story = self.story
        if story is None:
            return
        if flag == "archived" and self._sticky == story.id:
            self._sticky = None
        summary = self.story_model.summary(self.story_model.row_of(story.id))
        current = {
            "read": summary.is_read if summary else story.is_read,
            "starred": summary.is_starred if summary else story.is_starred,
            "archived": summary.is_archived if summary else story.is_archived,
        }[flag]
        self.worker.run(lambda a: a.set_flags(story.id, **{flag: not current}), write=True)
        words = {
            "read": ("Marked unread", "Marked read"),
            "starred": ("Unstarred", "Starred"),
            "archived": ("Moved out of the archive", "Archived"),
        }[flag]
        self.statusBar().showMessage(words[not current], 4000)

    def delete_story(self) -> None:
        story = self.story
        if story is not None:
            if self._sticky == story.id:
                self._sticky = None
            self.undo_stack.push(DeleteStory(self.worker, story.id, story.title))
            self.statusBar().showMessage(f"Deleted “{story.title}” (Ctrl+Z to undo)", 8000)

    def set_zoom(self, step: int) -> None:
        self.reader.set_zoom(self.reader.zoom_steps + step)
        self.prefs.set("reader/zoom", self.reader.zoom_steps)

    # -- search ---------------------------------------------------------------------------

    @Slot(str)
    def on_search_queryChanged(self, query: str) -> None:
        self._requests["search"] += 1
        request = self._requests["search"]
        if not query:
            self.search.clear_error()
            self.statusBar().clearMessage()
            self._show_filter_page()
            self.searchFinished.emit("")
            return
        self.worker.run(
            lambda a: a.search(query, limit=SEARCH_LIMIT, sync=False),
            done=lambda hits: self._on_hits(request, query, hits),
            failed=lambda err: self._on_search_failed(request, query, err),
        )

    def _on_hits(self, request: int, query: str, hits: list[SearchHit]) -> None:
        if request != self._requests["search"]:
            return
        self.search.clear_error()
        self.results_model.set_hits(query, hits)
        self.middle.setCurrentIndex(RESULTS_PAGE)
        n = len(hits)
        self.statusBar().showMessage(f"{n} result{'s' if n != 1 else ''} for “{query}”", 5000)
        self.searchFinished.emit(query)

    def _on_search_failed(self, request: int, query: str, err: BaseException) -> None:
        if request != self._requests["search"]:
            return
        if isinstance(err, InvalidQueryError):
            self.search.show_error(str(err))
        else:
            self.notify(f"Search failed: {err}")
        self.searchFinished.emit(query)

    @Slot()
    def on_search_leave(self) -> None:
        table = self.current_list()
        if table is None:
            return
        table.setFocus()
        if not table.currentIndex().isValid() and table.model().rowCount():
            self._select_row(table, 0)

    def clear_search(self) -> None:
        self.search.clear()
        self.on_search_queryChanged("")

    # -- import ---------------------------------------------------------------------------

    def import_paths(self, paths: list[str]) -> None:
        f = self.filter

        def on_ids(ids: list[int]) -> None:
            if self.filter == f:
                self.apply_ids(ids)
            self.refresh_counts()

        self.importer.start(paths, self.ids_query(), on_ids)

    def ask_import_files(self) -> None:
        self.import_paths(self.importer.ask_files())

    def ask_import_folder(self) -> None:
        self.import_paths(self.importer.ask_folder())

    @staticmethod
    def dropped(mime: QMimeData) -> tuple[list[str], list[str]]:
        """The local files and the web addresses in a drag: a URI list, or text that is one
        http or https address."""
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        links = [url.toString() for url in mime.urls() if url.scheme() in ("http", "https")]
        if not mime.hasUrls() and mime.hasText() and (link := web_address(mime.text())):
            links.append(link)
        return paths, links

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(self.dropped(event.mimeData())):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths, links = self.dropped(event.mimeData())
        if not (paths or links):
            return
        event.acceptProposedAction()
        if paths:
            self.import_paths(paths)
        if len(links) == 1:
            self.links.ask(links[0])
        elif links:
            self.links.import_many(links)

    def add_link(self) -> None:
        """Open the "Add link, feed or mailbox" dialog, with the clipboard's address if it holds
        one."""
        self.links.ask(prefill=web_address(QGuiApplication.clipboard().text()) or "")

    # -- keyboard commands that depend on the focus --------------------------------------

    def open_current(self) -> None:
        if focus_in(self.notebook.list):
            self.notebook.on_list_activated(self.notebook.list.currentIndex())
        self.reader.setFocus()

    def highlight_selection(self) -> None:
        span = self.reader.selected_range()
        if span is None:
            self.show_status("Select some text in the story to highlight it.", 4000)
            return
        self.annotations.create(*span, Color.YELLOW)
        # Otherwise the selection colour hides the new highlight until the next click.
        self.reader.collapse_selection()

    def note_selection(self) -> None:
        span = self.reader.selected_range()
        if span is not None:
            self.annotations.create(*span, Color.YELLOW, edit_note=True)
            self.reader.collapse_selection()
            return
        under = self.reader.highlight_under_cursor() if focus_in(self.reader) else None
        if under is not None:
            self.panel.edit_note(under)
        elif self.panel.selected_highlight is not None:
            self.panel.note_edit.setFocus()
        elif self.story is not None:
            self.panel.story_note.setFocus()

    def focus_search(self) -> None:
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    def back(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        elif focus_in(self.reader):
            target = self.current_list() or self.notebook.list
            target.setFocus()
        elif self.searching:
            self.clear_search()
            self.table.setFocus()

    # -- restoring a backup ---------------------------------------------------------------

    @Slot()
    def on_backups_restoreStarting(self) -> None:
        """The window's own read connection is closed: the file it reads is moved aside."""
        self.panel.flush()
        if self.read_archive is not None:
            self.read_archive.close()
            self.read_archive = None

    @Slot()
    def on_backups_restoreEnded(self) -> None:
        """Read the restored archive afresh, with the story that was open if it is there."""
        try:
            self.read_archive = Archive(self.data_dir)
        except ReaderError as err:
            self.notify(f"Cannot reopen the archive: {err}")
            return
        self.undo_stack.clear()
        story_id = self.story_id
        self.story = None
        self.refresh_ids()
        self.refresh_counts()
        if story_id is not None:
            self.open_story(story_id, mark_read=False, missing=self._clear_story)

    def _clear_story(self) -> None:
        """The story that was open is not in the restored archive."""
        self.reader.story = None
        self.reader.highlights = []
        self.reader.clear()
        self.panel.set_story(None, [], [])
        self.panel.story_tags.set_tags(None, ())
        self.setWindowTitle("Story Reader")

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.importer.cancel()
        self.feeds.cancel()
        self.links.cancel()
        self.feeds.timer.stop()
        self.panel.flush()
        self.prefs.set("window/geometry", self.saveGeometry())
        self.prefs.set("window/state", self.saveState())
        self.prefs.set("splitter/main", self.splitter.saveState())
        self.prefs.set("splitter/right", self.right.saveState())
        self.prefs.sync()
        self.worker.stop()
        if self.read_archive is not None:
            self.read_archive.close()
            self.read_archive = None
        super().closeEvent(event)
