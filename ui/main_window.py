"""The shell: builds the panes (sidebar, story list or search results or the notebook, reader
and highlights panel) in splitters and the status bar, gives each feature its services and the
widgets it drives, opens the archive and seeds it on first start, and keeps the window's layout.
Only ui.app builds it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QSettings, Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolButton, QWidget

from reader.archive import Archive
from reader.errors import ReaderError
from reader.model import ImportReport, StorySummary
from ui.core.change_bus import ChangeBus
from ui.core.colors import muted_text
from ui.core.services import Services
from ui.core.settings import Prefs, archive_settings
from ui.core.worker import Worker
from ui.dialogs.about import show_about
from ui.features.annotations import Annotations
from ui.features.backups import Backups
from ui.features.codebook import Codebook
from ui.features.commands import Commands
from ui.features.export import Export
from ui.features.facets import FacetChips
from ui.features.feeds import Feeds
from ui.features.importing import Importer
from ui.features.links import LinkAdder, web_address
from ui.features.list_preview import ListPreview
from ui.features.opening import StoryOpener
from ui.features.reading import Reading
from ui.features.saved_searches import SavedSearches
from ui.features.search import Search
from ui.features.story_list import StoryList
from ui.features.tags import Tags
from ui.features.triage import Triage
from ui.features.versions import Versions
from ui.menus import ActionTable, MenuParts
from ui.models.search_results import SearchResultsModel
from ui.models.story_model import StoryTableModel
from ui.panes.facets import FacetBar, facet_column
from ui.panes.help_overlay import HelpOverlay
from ui.panes.middle import MiddlePages
from ui.panes.notebook import Notebook
from ui.panes.notifications import NotificationsDock
from ui.panes.saved_searches import SavedSearchSection
from ui.panes.search_bar import SearchBar
from ui.panes.selection_bar import SelectionBar
from ui.panes.sidebar import Sidebar
from ui.panes.tables import restore_story_header, results_table, story_table
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView

NOTIFY_MS = 10000
"""How long a notification stays in the status bar (it stays in the Notifications list)."""
ASIDE_MS = 6000
"""How long news of background work stays there, when it is shown at all."""
UPGRADING_MESSAGE = (
    "Upgrading the archive for this version of the app (once; about a minute for 100,000 stories)…"
)


class MainWindow(QMainWindow):
    ready = Signal()
    """The archive is open (and seeded on first start) and the list shows its first load."""
    openFailed = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        settings: QSettings,
        parent: QWidget | None = None,
        archive_state: QSettings | None = None,
    ) -> None:
        """``settings`` are the user's; the archive's own state is kept in its data directory
        unless ``archive_state`` says where (--screenshot leaves the archive untouched)."""
        super().__init__(parent)
        self.setWindowTitle("Story Reader")
        self.setObjectName("main-window")
        self.setAcceptDrops(True)
        self.data_dir = Path(data_dir)
        self.prefs = Prefs(settings, archive_state or archive_settings(self.data_dir))
        self.worker = Worker(self.data_dir, self)
        self.changes = ChangeBus(self)
        self.read_archive: Archive | None = None
        self.undo_stack = QUndoStack(self)

        self._build_panes()
        self._adapt_palette()
        self._build_features()
        self.actions_ = self._build_actions()
        self._build_status_bar()
        self._restore_layout()
        self._connect()
        # Keyboard-first: j/k and / work from the first moment, before any click.
        self.table.setFocus()
        self.worker.start()

    # -- construction ---------------------------------------------------------------------

    def _build_panes(self) -> None:
        self.sidebar = Sidebar(self)
        self.saved_section = SavedSearchSection(self.sidebar)
        self.story_model = StoryTableModel(self._fetch_summaries)
        self.table = story_table(self, self.story_model)
        self.results_model = SearchResultsModel()
        self.results = results_table(self, self.results_model)
        self.notebook = Notebook(self.worker, self.changes, self)
        self.marked_bars = (
            SelectionBar("story-marks", self),
            SelectionBar("highlight-marks", self),
        )
        self.middle = MiddlePages(
            self.table, self.results, self.notebook, self, bars=self.marked_bars
        )
        self.facet_bar = FacetBar(self)

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
        self.splitter.addWidget(facet_column(self.facet_bar, self.middle, self))
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
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100,000 stories "))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _build_features(self) -> None:
        s = self.services = Services(
            worker=self.worker,
            undo_stack=self.undo_stack,
            prefs=self.prefs,
            changes=self.changes,
            notify=self.notify,
            status=self.show_status,
            notify_aside=self.notify_aside,
            notices=self.notifications,
            current_story=lambda: self.opener.story,
            parent=self,
        )
        self.opener = StoryOpener(s, self.reader, self.panel)
        self.reading = Reading(s, self.reader)
        self.story_list = StoryList(
            s,
            self.table,
            self.story_model,
            self.sidebar,
            self.middle,
            self.notebook,
            self.search,
            self.count_label,
            self.reader,
            self.opener,
        )
        self.searcher = Search(
            s,
            self.search,
            self.results,
            self.results_model,
            self.middle,
            self.reader,
            self.opener,
            show_list=self.story_list.show_list_again,
        )
        self.facet_chips = FacetChips(s, self.facet_bar, self.search, self.middle)
        self.saved_searches = SavedSearches(
            s, self.saved_section, self.search, self.searcher, self.reselect_list_filter
        )
        self.importer = Importer(s)
        self.links = LinkAdder(
            s, reveal_story=self.story_list.reveal_story, show_feed=self.story_list.show_feed
        )
        self.feeds = Feeds(s, self.sidebar, self.story_list.live_list)
        self.annotations = Annotations(s, self.reader, self.panel)
        self.tags = Tags(s, self.panel, self.sidebar)
        self.versions = Versions(
            s,
            self.reader,
            self.panel,
            reload_story=lambda story_id: self.opener.open_story(
                story_id, mark_read=False, reload=True
            ),
        )
        self.codebook = Codebook(s, [self.reader, self.panel, self.notebook])
        self.export = Export(s, self.results_model, lambda: self.middle.searching, self.notebook)
        self.backups = Backups(s, self.data_dir)
        self.list_preview = ListPreview(self.table, self.prefs)
        self.triage = Triage(
            s,
            self.middle,
            self.story_list,
            self.notebook,
            self.marked_bars,
            self.panel,
            self.annotations,
            self.export,
        )
        self.commands = Commands(
            s,
            self.middle,
            self.table,
            self.notebook,
            self.reader,
            self.panel,
            self.search,
            self.help,
            self.annotations,
            self.searcher,
        )

    def _build_actions(self) -> ActionTable:
        c, triage = self.commands, self.triage
        handlers: dict[str, Callable[[], object]] = {
            "next_story": lambda: triage.move(1, c.move_selection),
            "previous_story": lambda: triage.move(-1, c.move_selection),
            "extend_down": lambda: triage.extend(1),
            "extend_up": lambda: triage.extend(-1),
            "toggle_mark": triage.toggle_mark,
            "select_all": triage.select_all,
            "open_story": c.open_current,
            "highlight": c.highlight_selection,
            "note": c.note_selection,
            "star": lambda: triage.set_flag("starred"),
            "later": lambda: triage.set_flag("later"),
            "archive": lambda: triage.set_flag("archived"),
            "toggle_read": lambda: triage.set_flag("read"),
            "tag_marked": triage.ask_tag,
            "delete_story": triage.delete,
            "rename_tag": self.tags.rename_selected,
            "focus_search": c.focus_search,
            "focus_facets": self.facet_chips.focus,
            "save_search": self.saved_searches.ask_save,
            "back": lambda: triage.clear_marks(otherwise=c.back),
            "zoom_in": lambda: self.reading.change_size(1),
            "zoom_out": lambda: self.reading.change_size(-1),
            "zoom_reset": self.reading.reset_size,
            "reading_settings": self.reading.ask,
            "help": self.help.toggle,
            "import_files": lambda: self.import_paths(self.importer.ask_files()),
            "import_folder": lambda: self.import_paths(self.importer.ask_folder()),
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
            list_preview_action=self.list_preview.action,
            search=self.search,
            about=lambda: show_about(self, self.data_dir),
            status=self.show_status,
        )
        content = [self.sidebar, self.table, self.results, self.notebook.list, self.reader]
        self.triage.bind_color_keys(content)
        return ActionTable(self, handlers, content, self.undo_stack, self.prefs, parts)

    @Slot(int)
    def on_worker_indexing(self, left: int) -> None:
        """Show the search index's backlog (from the indexer's thread) while one is worked off."""
        self.indexing_label.setVisible(left > 0)
        self.indexing_label.setText(f"Indexing for search: {left:,} left")

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
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
            # Wide enough for a publication's name and its count (e.g. "Lakeshore Courier 99").
            side = self.fontMetrics().horizontalAdvance("Lakeshore Courier Weekly 9,999") + 48
            self.splitter.setSizes([side, 520, max(600, 1400 - side - 520)])
        if not self.right.restoreState(self.prefs.get("splitter/right")):
            self.right.setSizes([510, 230])
        restore_story_header(self.table.horizontalHeader(), self.prefs.get("list/header"))

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
        w.upgrading.connect(self.on_worker_upgrading)
        w.open_failed.connect(self.on_worker_open_failed)
        w.changed.connect(self.changes.on_worker_changed)
        w.operationEnded.connect(self.changes.on_worker_operationEnded)
        w.error.connect(self.on_worker_error)
        w.notice.connect(self.notify)
        w.indexing.connect(self.on_worker_indexing)
        self.story_list.firstLoaded.connect(self.on_story_list_firstLoaded)
        self.story_list.loaded.connect(self.facet_chips.on_list_loaded)
        self.searcher.finished.connect(self.facet_chips.on_search_finished)
        self.opener.storyOpened.connect(self.on_opener_storyOpened)
        self.opener.storyClosed.connect(self.on_opener_storyClosed)
        self.ready.connect(self.codebook.load_color_names)
        self.ready.connect(self.backups.backup_if_due)
        self.ready.connect(self.saved_searches.refresh)
        self.opener.storyOpened.connect(self.versions.on_story_opened)
        self.opener.storyOpened.connect(self.reading.on_opener_storyOpened)
        self.importer.finished.connect(self.versions.on_import_finished)
        self.feeds.finished.connect(self.versions.on_refresh_finished)
        self.backups.restoreStarting.connect(self.on_backups_restoreStarting)
        self.backups.restoreEnded.connect(self.on_backups_restoreEnded)
        self.sidebar.feedRefreshRequested.connect(lambda feed_id: self.feeds.refresh([feed_id]))
        self.sidebar.feedFullArticlesToggled.connect(self.feeds.set_full_articles)
        self.sidebar.feedUnsubscribeRequested.connect(self.feeds.unsubscribe)
        self.notebook.highlightActivated.connect(self.opener.on_notebook_highlightActivated)

    def reselect_list_filter(self) -> None:
        """Select the sidebar entry of what the story list shows, without reloading it."""
        self.sidebar.blockSignals(True)
        self.sidebar.select_key(self.story_list.filter.key)
        self.sidebar.blockSignals(False)

    def _fetch_summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        return self.read_archive.summaries(ids) if self.read_archive is not None else []

    # -- notifications --------------------------------------------------------------------

    @Slot(str)
    def notify(self, message: str, detail: str = "") -> None:
        """Tell the user without interrupting: the status bar and the Notifications list."""
        self.statusBar().showMessage(message, NOTIFY_MS)
        self.notifications.add(message, detail)

    def notify_aside(self, message: str, detail: str = "") -> None:
        """:meth:`notify` for background news: the status bar only when it is free."""
        if not self.statusBar().currentMessage():
            self.statusBar().showMessage(message, ASIDE_MS)
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
    def on_worker_upgrading(self) -> None:
        self.statusBar().showMessage(UPGRADING_MESSAGE)

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
        self.story_list.start()

    @Slot(object)
    def on_worker_open_failed(self, err: BaseException) -> None:
        message = f"Cannot open the archive in {self.data_dir}: {err}"
        self.notify(message)
        self.openFailed.emit(message)

    @Slot()
    def on_story_list_firstLoaded(self) -> None:
        self.statusBar().clearMessage()
        self.ready.emit()

    # -- the open story's title -----------------------------------------------------------

    @Slot(int)
    def on_opener_storyOpened(self, _story_id: int) -> None:
        story = self.opener.story
        if story is not None:
            self.setWindowTitle(f"{story.title} — Story Reader")

    @Slot()
    def on_opener_storyClosed(self) -> None:
        self.setWindowTitle("Story Reader")

    # -- import ---------------------------------------------------------------------------

    def import_paths(self, paths: list[str]) -> None:
        """Import files and folders, showing their stories as they arrive."""
        stories = self.story_list
        self.importer.start(paths, stories.ids_query(), stories.ids_arriving())

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

    # -- restoring a backup ---------------------------------------------------------------

    @Slot()
    def on_backups_restoreStarting(self) -> None:
        """The window's own read connection and the indexer's are closed: the file they read
        is moved aside."""
        self.panel.flush()
        self.worker.stop_indexing()
        self.worker.close_background()
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
        self.worker.start_indexing()
        self.undo_stack.clear()
        story_id = self.opener.story_id
        self.opener.forget()
        self.story_list.refresh_ids()
        self.story_list.refresh_counts()
        if story_id is not None:
            self.opener.open_story(story_id, mark_read=False, missing=self.opener.close_story)

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.importer.cancel()
        self.feeds.cancel()
        self.links.cancel()
        self.feeds.timer.stop()
        self.panel.flush()
        self.reading.flush()
        self.prefs.set("window/geometry", self.saveGeometry())
        self.prefs.set("window/state", self.saveState())
        self.prefs.set("splitter/main", self.splitter.saveState())
        self.prefs.set("splitter/right", self.right.saveState())
        self.prefs.set("list/header", self.table.horizontalHeader().saveState())
        self.prefs.sync()
        self.worker.stop()
        if self.read_archive is not None:
            self.read_archive.close()
            self.read_archive = None
        super().closeEvent(event)
