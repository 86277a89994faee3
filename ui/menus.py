"""The window's actions, menus and toolbar, bound to keys from ui.core.keymap.

Keys with a modifier are window-wide; plain keys are bound with Qt.WidgetWithChildrenShortcut on
the content widgets (sidebar, story list, search results, notebook and reader) only, so they
never fire while typing. The shell hands in what each action does; this module only places them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QUndoStack
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget

from ui.core.keymap import BY_ACTION, key_hint, modified_keys, plain_keys
from ui.core.settings import REFRESH_INTERVALS, Prefs


def focus_in(widget: QWidget) -> bool:
    """Whether the keyboard focus is on ``widget`` or inside it."""
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


@dataclass(frozen=True, slots=True)
class MenuParts:
    """What the features bring to the menus besides the keymap's actions."""

    import_opml: Callable[[], None]
    export_opml: Callable[[], None]
    set_refresh_interval: Callable[[int], None]
    export_menu: QMenu
    backup_actions: Sequence[QAction]
    codebook_action: QAction
    notifications_action: QAction
    list_preview_action: QAction
    search: QWidget
    about: Callable[[], None]
    status: Callable[[str, int], None]


class ActionTable:
    """Creates every action of ``window`` and keeps them by action id."""

    def __init__(
        self,
        window: QMainWindow,
        handlers: Mapping[str, Callable[[], object]],
        content: Sequence[QWidget],
        undo_stack: QUndoStack,
        prefs: Prefs,
        parts: MenuParts,
    ) -> None:
        self.w = window
        self.prefs = prefs
        self.parts = parts
        self.actions: dict[str, QAction] = {}
        self.content = list(content)
        for action_id, handler in handlers.items():
            self._bind(action_id, handler)
        w = window
        for action_id in ("undo", "redo"):
            action = self._undo_action(undo_stack, redo=action_id == "redo")
            action.setShortcuts(modified_keys(action_id))
            w.addAction(action)
            self.actions[action_id] = action
        self.mark_read = QAction("Mark stories read when opened", w)
        self.mark_read.setCheckable(True)
        self.mark_read.setChecked(bool(prefs.get("reader/mark_read_on_open")))
        self.mark_read.toggled.connect(lambda on: prefs.set("reader/mark_read_on_open", on))
        self.actions["add_link"].setText("Add link, feed or mailbox…")
        self.actions["reading_settings"].setText("Reading settings…")
        self.actions["refresh_feeds"].setToolTip(
            f"Refresh every feed ({key_hint('refresh_feeds')})"
        )
        self.actions["save_search"].setText("Save search…")
        self.actions["save_search"].setToolTip(
            f"Keep this search in the sidebar, counting its new matches ({key_hint('save_search')})"
        )
        self.import_opml = QAction("Import subscriptions (OPML)…", w)
        self.import_opml.triggered.connect(parts.import_opml)
        self.export_opml = QAction("Export subscriptions (OPML)…", w)
        self.export_opml.triggered.connect(parts.export_opml)
        self.about = QAction("About Story Reader", w)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.about.triggered.connect(parts.about)
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
            action.setText(f"{binding.description}\t{key_hint(action_id)}")
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

    def _undo_action(self, stack: QUndoStack, *, redo: bool) -> QAction:
        """Undo or Redo, named after the step it would take ("Undo Delete story"), and always
        answering: what it undid ("Undone: Delete story"), or that there is nothing to undo
        (QUndoStack's own action is disabled then, so its key does nothing at all)."""
        verb, done = ("Redo", "Redone") if redo else ("Undo", "Undone")
        action = QAction(f"&{verb}", self.w)

        def rename(text: str) -> None:
            action.setText(f"&{verb} {text}" if text else f"&{verb}")

        def trigger() -> None:
            can, text = (
                (stack.canRedo(), stack.redoText()) if redo else (stack.canUndo(), stack.undoText())
            )
            if not can:
                self.parts.status(f"Nothing to {verb.lower()}", 3000)
                return
            if redo:
                stack.redo()
            else:
                stack.undo()
            self.parts.status(f"{done}: {text}" if text else done, 5000)

        (stack.redoTextChanged if redo else stack.undoTextChanged).connect(rename)
        action.triggered.connect(trigger)
        return action

    def _menus(self) -> None:
        bar = self.w.menuBar()
        a = self.actions
        file = bar.addMenu("&File")
        self._menu(file, ["add_link", "import_files", "import_folder", None, "refresh_feeds"])
        file.addAction(self.import_opml)
        file.addAction(self.export_opml)
        parts = self.parts
        file.addSeparator()
        file.addMenu(parts.export_menu)
        file.addSeparator()
        file.addActions(list(parts.backup_actions))
        self._menu(file, [None, "quit"])
        edit = bar.addMenu("&Edit")
        self._menu(edit, ["undo", "redo", None, "focus_search", "save_search", None])
        edit.addAction(parts.codebook_action)
        edit.addAction(a["rename_tag"])
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
                "later",
                "archive",
                "toggle_read",
                "tag_marked",
                None,
                "toggle_mark",
                "select_all",
                None,
                "delete_story",
            ],
        )
        view = bar.addMenu("&View")
        reading = view.addMenu("&Reading")
        self._menu(reading, ["zoom_in", "zoom_out", "zoom_reset", None, "reading_settings"])
        view.addSeparator()
        view.addAction(parts.list_preview_action)
        view.addAction(self.mark_read)
        view.addMenu(self.schedule)
        view.addAction(parts.notifications_action)
        help_menu = bar.addMenu("&Help")
        self._menu(help_menu, ["help", None])
        help_menu.addAction(self.about)
        a["quit"].setMenuRole(QAction.MenuRole.QuitRole)

    def _schedule_menu(self) -> QMenu:
        """View ▸ Refresh feeds automatically: Off, every 15 minutes … every 3 hours."""
        menu = QMenu("Refresh feeds automatically", self.w)
        group = QActionGroup(menu)
        current = self.prefs.get("feeds/refresh_minutes")
        for minutes, label in REFRESH_INTERVALS:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(minutes == current)
            action.setData(minutes)
            action.triggered.connect(lambda _=False, m=minutes: self.parts.set_refresh_interval(m))
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
        importer.triggered.connect(self.actions["import_files"].trigger)
        toolbar.addAction(importer)
        add = QAction("Add link…", self.w)
        add.setToolTip(
            "Add a link, a feed or a mailbox folder (Ctrl+L); links can be dropped on the window"
        )
        add.triggered.connect(self.actions["add_link"].trigger)
        toolbar.addAction(add)
        toolbar.addAction(self.actions["refresh_feeds"])
        toolbar.widgetForAction(self.actions["refresh_feeds"]).setObjectName("refresh-button")
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.parts.search)
        toolbar.addAction(self.actions["save_search"])
        toolbar.widgetForAction(self.actions["save_search"]).setObjectName("save-search-button")
        self.w.addToolBar(toolbar)
