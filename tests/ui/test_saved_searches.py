"""Saved searches in the window: saved from the search box with Ctrl+Shift+S, shown in the
sidebar with a badge of new matches once an import is indexed, run and marked seen when chosen,
renamed and deleted from their menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from reader.model import View
from tests.ui.conftest import WAIT_MS, read_archive
from ui.core.keymap import BY_ACTION
from ui.main_window import MainWindow
from ui.panes.middle import RESULTS_PAGE


def _search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search.edit.setFocus()
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        qtbot.keyClicks(window.search.edit, text)


def _entry(window: MainWindow, name: str) -> QTreeWidgetItem | None:
    return window.saved_section.item(name)


def _badge(window: MainWindow, name: str) -> str | None:
    item = _entry(window, name)
    return None if item is None else item.text(1)


def _save_from_search_box(qtbot: QtBot, window: MainWindow, query: str, name: str) -> None:
    _search(qtbot, window, query)
    qtbot.keyClick(
        window.search.edit,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(QInputDialog, "save-search-dialog")
    assert dialog is not None and dialog.isVisible()
    assert query in dialog.labelText()
    dialog.setTextValue(name)
    dialog.accept()
    qtbot.waitUntil(lambda: _badge(window, name) == "", timeout=WAIT_MS)


def test_save_then_an_import_shows_new_and_opening_clears_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.saved_section.group.isHidden(), "no saved searches, no section"
    _save_from_search_box(qtbot, window, "cardamom", "Spices")
    assert not window.saved_section.group.isHidden()
    assert "1 match, 0 new" in (_entry(window, "Spices") or QTreeWidgetItem()).toolTip(0)

    arrival = tmp_path / "saffron.md"
    arrival.write_text(
        "# Saffron growers hold back stock\n\n"
        "Traders said cardamom and saffron lots were thin at the spring auction.\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS):
        window.import_paths([str(arrival)])
    qtbot.waitUntil(lambda: _badge(window, "Spices") == "1 new", timeout=WAIT_MS)

    window.searcher.clear()
    item = _entry(window, "Spices")
    assert item is not None
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.sidebar.setCurrentItem(item)
    assert window.search.text == "cardamom"
    assert window.middle.currentIndex() == RESULTS_PAGE
    assert window.results_model.rowCount() == 2
    qtbot.waitUntil(lambda: _badge(window, "Spices") == "", timeout=WAIT_MS)
    archive = read_archive(window)
    [counted] = archive.saved_searches(sync=False)
    assert (counted.total, counted.new) == (2, 0)

    # Marking a story read refreshes the sidebar's counts: the saved search stays the
    # sidebar's choice while its results show.
    unread = window.sidebar.item("view:unread")
    assert unread is not None
    qtbot.waitUntil(
        lambda: unread.text(1) == str(archive.view_counts()[View.UNREAD]), timeout=WAIT_MS
    )
    left = archive.view_counts()[View.UNREAD] - 1
    story = archive.list_stories(view=View.UNREAD)[0].id
    window.worker.run(lambda a: a.set_flags(story, read=True), write=True)
    qtbot.waitUntil(lambda: unread.text(1) == str(left), timeout=WAIT_MS)
    assert window.saved_section.current_name == "Spices"


def test_save_search_without_a_query_asks_for_one(qtbot: QtBot, window: MainWindow) -> None:
    window.actions_.actions["save_search"].trigger()

    assert window.findChild(QInputDialog, "save-search-dialog") is None
    assert "Type a search first" in window.statusBar().currentMessage()


def test_rename_and_delete_from_the_menu(qtbot: QtBot, window: MainWindow) -> None:
    _save_from_search_box(qtbot, window, "cardamom", "Spices")

    window.saved_section.renameRequested.emit("Spices")
    rename = window.findChild(QInputDialog, "rename-search-dialog")
    assert rename is not None
    rename.setTextValue("Spice markets")
    rename.accept()
    qtbot.waitUntil(lambda: _badge(window, "Spice markets") == "", timeout=WAIT_MS)
    assert _entry(window, "Spices") is None

    window.saved_section.deleteRequested.emit("Spice markets")
    box = window.findChild(QMessageBox, "delete-search-dialog")
    assert box is not None
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: window.saved_section.group.isHidden(), timeout=WAIT_MS)
    assert read_archive(window).saved_searches(sync=False) == []


def test_the_menu_offers_open_rename_and_delete(window: MainWindow) -> None:
    menu = window.saved_section.menu("Spices")
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Open",
        "Rename…",
        "Delete",
    ]


def test_the_help_lists_the_key(window: MainWindow) -> None:
    assert BY_ACTION["save_search"].keys == ("Ctrl+Shift+S",)
    texts = [label.text() for label in window.help.panel.findChildren(QLabel)]
    assert BY_ACTION["save_search"].description in texts
