"""The window's actions, menus and toolbar, bound to keys from ui.keymap.

Keys with a modifier are window-wide; plain keys are bound with Qt.WidgetWithChildrenShortcut on
the sidebar, story list, search results, notebook and reader only, so they never fire while
typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QToolBar, QWidget

from reader.model import Color
from ui.keymap import BY_ACTION, modified_keys, plain_keys
from ui.settings import REFRESH_INTERVALS

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class ActionTable:
    """Creates every action of ``window`` and keeps them by action id."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.actions: dict[str, QAction] = {}
        self.content = [
            window.sidebar,
            window.table,
            window.results,
            window.notebook.list,
            window.reader,
        ]
        w = window
        handlers: dict[str, Callable[[], object]] = {
            "next_story": lambda: w.move_selection(1),
            "previous_story": lambda: w.move_selection(-1),
            "open_story": self.open_story,
            "highlight": self.highlight,
            "note": self.note,
            "star": lambda: w.set_flag("starred"),
            "archive": lambda: w.set_flag("archived"),
            "toggle_read": lambda: w.set_flag("read"),
            "delete_story": w.delete_story,
            "focus_search": self.focus_search,
            "back": self.back,
            "zoom_in": lambda: w.set_zoom(1),
            "zoom_out": lambda: w.set_zoom(-1),
            "help": w.help.toggle,
            "import_files": w.ask_import_files,
            "import_folder": w.ask_import_folder,
            "add_link": w.add_link,
            "refresh_feeds": w.feeds.refresh_all,
            "quit": w.close,
        }
        for action_id, handler in handlers.items():
            self._bind(action_id, handler)
        undo = w.undo_stack.createUndoAction(w, "&Undo")
        redo = w.undo_stack.createRedoAction(w, "&Redo")
        for action_id, action in (("undo", undo), ("redo", redo)):
            action.setShortcuts(modified_keys(action_id))
            w.addAction(action)
            self.actions[action_id] = action
        self.mark_read = QAction("Mark stories read when opened", w)
        self.mark_read.setCheckable(True)
        self.mark_read.setChecked(bool(w.prefs.get("reader/mark_read_on_open")))
        self.mark_read.toggled.connect(lambda on: w.prefs.set("reader/mark_read_on_open", on))
        self.actions["add_link"].setText("Add link, feed or mailbox…")
        self.actions["refresh_feeds"].setToolTip("Refresh every feed (F5)")
        self.import_opml = QAction("Import subscriptions (OPML)…", w)
        self.import_opml.triggered.connect(w.feeds.ask_import_opml)
        self.export_opml = QAction("Export subscriptions (OPML)…", w)
        self.export_opml.triggered.connect(w.feeds.ask_export_opml)
        self.schedule = self._schedule_menu()
        self._menus()
        self._toolbar()

    def _bind(self, action_id: str, handler: Callable[[], object]) -> None:
        """A menu action with the modified keys, plus a focus-scoped one for the plain keys."""
        binding = BY_ACTION[action_id]
        action = QAction(binding.description, self.w)
        action.setShortcuts(modified_keys(action_id))
        plain = plain_keys(action_id)
        if plain and not action.shortcuts():
            native = plain[0].toString(QKeySequence.SequenceFormat.NativeText)
            action.setText(f"{binding.description}\t{native}")
        action.triggered.connect(handler)
        self.w.addAction(action)
        self.actions[action_id] = action
        if plain:
            scoped = QAction(self.w)
            scoped.setObjectName(f"key-{action_id}")
            scoped.setShortcuts(plain)
            scoped.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            scoped.triggered.connect(handler)
            for widget in self.content:
                widget.addAction(scoped)

    def _menus(self) -> None:
        bar = self.w.menuBar()
        a = self.actions
        file = bar.addMenu("&File")
        self._menu(file, ["add_link", "import_files", "import_folder", None, "refresh_feeds"])
        file.addAction(self.import_opml)
        file.addAction(self.export_opml)
        tools = self.w.annotation_tools
        file.addSeparator()
        file.addMenu(tools.export_menu)
        file.addSeparator()
        file.addActions([tools.backup_action, tools.restore_action, tools.backup_settings_action])
        self._menu(file, [None, "quit"])
        edit = bar.addMenu("&Edit")
        self._menu(edit, ["undo", "redo", None, "focus_search", None])
        edit.addAction(tools.codebook_action)
        self._menu(
            bar.addMenu("&Story"),
            [
                "open_story",
                "next_story",
                "previous_story",
                None,
                "highlight",
                "note",
                None,
                "star",
                "archive",
                "toggle_read",
                None,
                "delete_story",
            ],
        )
        view = bar.addMenu("&View")
        self._menu(view, ["zoom_in", "zoom_out", None])
        view.addAction(self.mark_read)
        view.addMenu(self.schedule)
        view.addAction(self.w.notifications.toggleViewAction())
        self._menu(bar.addMenu("&Help"), ["help"])
        a["quit"].setMenuRole(QAction.MenuRole.QuitRole)

    def _schedule_menu(self) -> QMenu:
        """View ▸ Refresh feeds automatically: Off, every 15 minutes … every 3 hours."""
        menu = QMenu("Refresh feeds automatically", self.w)
        group = QActionGroup(menu)
        current = self.w.prefs.get("feeds/refresh_minutes")
        for minutes, label in REFRESH_INTERVALS:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(minutes == current)
            action.setData(minutes)
            action.triggered.connect(lambda _=False, m=minutes: self.w.feeds.set_interval(m))
            group.addAction(action)
        return menu

    def _menu(self, menu: QMenu, ids: list[str | None]) -> None:
        for action_id in ids:
            if action_id is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[action_id])

    def _toolbar(self) -> None:
        toolbar = QToolBar("Main", self.w)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        importer = QAction("Import…", self.w)
        importer.setToolTip("Import files (Ctrl+O); folders can be dropped on the window")
        importer.triggered.connect(self.w.ask_import_files)
        toolbar.addAction(importer)
        add = QAction("Add link…", self.w)
        add.setToolTip(
            "Add a link, a feed or a mailbox folder (Ctrl+L); links can be dropped on the window"
        )
        add.triggered.connect(self.w.add_link)
        toolbar.addAction(add)
        toolbar.addAction(self.actions["refresh_feeds"])
        toolbar.widgetForAction(self.actions["refresh_feeds"]).setObjectName("refresh-button")
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.w.search)
        self.w.addToolBar(toolbar)

    # -- handlers that depend on focus ----------------------------------------------------

    def _focus_in(self, widget: QWidget) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is widget or widget.isAncestorOf(focus))

    def open_story(self) -> None:
        if self._focus_in(self.w.notebook.list):
            self.w.notebook.on_list_activated(self.w.notebook.list.currentIndex())
        self.w.reader.setFocus()

    def highlight(self) -> None:
        span = self.w.reader.selected_range()
        if span is None:
            self.w.statusBar().showMessage("Select some text in the story to highlight it.", 4000)
            return
        self.w.annotations.create(*span, Color.YELLOW)
        # Otherwise the selection colour hides the new highlight until the next click.
        self.w.reader.collapse_selection()

    def note(self) -> None:
        w = self.w
        span = w.reader.selected_range()
        if span is not None:
            w.annotations.create(*span, Color.YELLOW, edit_note=True)
            w.reader.collapse_selection()
            return
        under = w.reader.highlight_under_cursor() if self._focus_in(w.reader) else None
        if under is not None:
            w.panel.edit_note(under)
        elif w.panel.selected_highlight is not None:
            w.panel.note_edit.setFocus()
        elif w.story is not None:
            w.panel.story_note.setFocus()

    def focus_search(self) -> None:
        self.w.search.edit.setFocus()
        self.w.search.edit.selectAll()

    def back(self) -> None:
        w = self.w
        if w.help.isVisible():
            w.help.hide()
        elif self._focus_in(w.reader):
            target = w.current_list() or w.notebook.list
            target.setFocus()
        elif w.searching:
            w.clear_search()
            w.table.setFocus()
