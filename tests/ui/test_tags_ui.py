"""Tags in the window: story tags and highlight tags apart in the sidebar with their counts, a
highlight tag opening the notebook on it, and renaming or merging a tag (F2 or the context
menu) as one undoable step that the sidebar follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from tests.ui.conftest import WAIT_MS, Opener, on_worker
from ui.core.keymap import BINDINGS
from ui.main_window import MainWindow
from ui.panes.middle import NOTEBOOK_PAGE


def entries(group: QTreeWidgetItem) -> list[tuple[str, str]]:
    children = [group.child(i) for i in range(group.childCount())]
    return [(c.text(0), c.text(1)) for c in children if c is not None]


@pytest.fixture
def tagged(qtbot: QtBot, window: MainWindow, open_story: Opener) -> MainWindow:
    """Two stories tagged "ports" (one also "Tariffs"), and a highlight tagged "ports" and
    "evidence"."""
    harbour = open_story(window, "Quiet Harbour")
    saffron = open_story(window, "Saffron")

    def tag(archive: Archive) -> None:
        archive.tag_story(harbour, ["ports"])
        archive.tag_story(saffron, ["Ports", "Tariffs"])
        words = archive.story(harbour).text.split()
        made = archive.highlight_quote(harbour, " ".join(words[1:4]))
        archive.tag_highlight(made.id, ["ports", "evidence"])

    on_worker(qtbot, window, tag)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.highlight_tags.childCount() == 2, timeout=WAIT_MS)
    return window


def rename_with_dialog(qtbot: QtBot, window: MainWindow, new: str) -> None:
    dialog = window.tags.rename_dialog
    assert isinstance(dialog, QInputDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.setTextValue(new)
    dialog.accept()


def test_story_tags_and_highlight_tags_are_listed_apart(qtbot: QtBot, tagged: MainWindow) -> None:
    sidebar = tagged.sidebar
    assert sidebar.story_tags.text(0) == "Story tags"
    assert entries(sidebar.story_tags) == [("ports", "2"), ("Tariffs", "1")]
    assert sidebar.highlight_tags.text(0) == "Highlight tags"
    assert entries(sidebar.highlight_tags) == [("evidence", "1"), ("ports", "1")]
    assert tagged.notebook.tag.findText("Tariffs") < 0, "the notebook offers highlight tags"


def test_a_highlight_tag_opens_the_notebook_on_it(qtbot: QtBot, tagged: MainWindow) -> None:
    with qtbot.waitSignal(tagged.notebook.loaded, timeout=WAIT_MS):
        tagged.sidebar.select_key("highlight-tag:evidence")
    assert tagged.middle.currentIndex() == NOTEBOOK_PAGE
    assert tagged.notebook.tag.currentData() == "evidence"
    assert tagged.notebook.model.rowCount() == 1


def test_f2_renames_the_selected_tag_and_undo_puts_it_back(
    qtbot: QtBot, tagged: MainWindow
) -> None:
    sidebar = tagged.sidebar
    with qtbot.waitSignal(tagged.story_list.loaded, timeout=WAIT_MS):
        sidebar.select_key("tag:ports")
    sidebar.setFocus()
    qtbot.keyClick(sidebar, Qt.Key.Key_F2)
    rename_with_dialog(qtbot, tagged, "harbours")
    qtbot.waitUntil(lambda: sidebar.current_key == "tag:harbours", timeout=WAIT_MS)
    assert entries(sidebar.story_tags) == [("harbours", "2"), ("Tariffs", "1")]
    assert ("harbours", "1") in entries(sidebar.highlight_tags)
    assert tagged.statusBar().currentMessage().startswith("Renamed tag “ports” to “harbours”")
    assert tagged.story_list.filter.tag == "harbours"
    qtbot.waitUntil(lambda: tagged.story_model.rowCount() == 2, timeout=WAIT_MS)
    tagged.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: sidebar.current_key == "tag:ports", timeout=WAIT_MS)
    assert entries(sidebar.story_tags) == [("ports", "2"), ("Tariffs", "1")]


def test_renaming_to_a_tag_in_use_merges_them(qtbot: QtBot, tagged: MainWindow) -> None:
    sidebar = tagged.sidebar
    menu = sidebar.tag_menu("Tariffs")
    [rename] = menu.actions()
    rename.trigger()
    rename_with_dialog(qtbot, tagged, "PORTS")
    qtbot.waitUntil(lambda: sidebar.story_tags.childCount() == 1, timeout=WAIT_MS)
    assert entries(sidebar.story_tags) == [("ports", "2")], "one story carried both"
    assert tagged.statusBar().currentMessage().startswith("Merged tag “Tariffs” into “ports”")
    tagged.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: sidebar.story_tags.childCount() == 2, timeout=WAIT_MS)
    assert entries(sidebar.story_tags) == [("ports", "2"), ("Tariffs", "1")]


def test_f2_without_a_tag_selected_says_what_it_needs(qtbot: QtBot, tagged: MainWindow) -> None:
    tagged.sidebar.select_key("view:all")
    tagged.actions_.actions["rename_tag"].trigger()
    assert tagged.tags.rename_dialog is None
    assert tagged.statusBar().currentMessage() == "Select a tag in the sidebar to rename it"
    assert any(b.action == "rename_tag" and b.keys == ("F2",) for b in BINDINGS)
