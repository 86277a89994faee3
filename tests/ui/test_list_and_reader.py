"""The reader and the story list agree: while the list is on show, the reader shows its current
row (or nothing when no row is current), after an archive or a deletion (which go on to the row
that takes the story's place), after a search is left or cleared, and after a tag merge; and the
single-story keys act on that story."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from tests.ui.conftest import WAIT_MS, on_worker, read_archive
from ui.main_window import MainWindow
from ui.panes.middle import LIST_PAGE, RESULTS_PAGE


def settled(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)


def open_row(qtbot: QtBot, window: MainWindow, row: int) -> int:
    """Select ``row`` of the list and wait until the reader shows its story."""
    story_id = window.story_model.ids[row]
    if window.opener.story_id != story_id:
        with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
            window.story_list.select_story(story_id)
    settled(qtbot, window)
    window.table.setFocus()
    return story_id


def current_id(window: MainWindow) -> int | None:
    index = window.table.currentIndex()
    return window.story_model.story_id(index.row()) if index.isValid() else None


def assert_reader_on_current_row(window: MainWindow) -> None:
    """The invariant: the list's current row is selected, and it is the reader's story."""
    index = window.table.currentIndex()
    assert index.isValid(), "a row is current"
    assert window.table.selectionModel().isRowSelected(index.row()), "and selected"
    assert window.opener.story_id == current_id(window)


@pytest.mark.parametrize("key", [Qt.Key.Key_E, Qt.Key.Key_Delete])
def test_archive_and_delete_go_on_to_the_next_row(
    qtbot: QtBot, window: MainWindow, key: Qt.Key
) -> None:
    ids = list(window.story_model.ids)
    assert len(ids) == 4
    open_row(qtbot, window, 1)
    qtbot.keyClick(window.table, key)
    assert window.table.currentIndex().row() == 1, "the row that took its place"
    assert current_id(window) == ids[2]
    qtbot.waitUntil(lambda: window.opener.story_id == ids[2], timeout=WAIT_MS)
    settled(qtbot, window)
    assert_reader_on_current_row(window)


def test_at_the_last_row_archive_goes_to_the_row_above(qtbot: QtBot, window: MainWindow) -> None:
    ids = list(window.story_model.ids)
    open_row(qtbot, window, 3)
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert current_id(window) == ids[2]
    qtbot.waitUntil(lambda: window.opener.story_id == ids[2], timeout=WAIT_MS)
    settled(qtbot, window)
    assert_reader_on_current_row(window)


def test_esc_from_the_chips_opens_no_hit_and_clearing_the_search_brings_the_row_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    chosen = open_row(qtbot, window, 2)
    qtbot.waitUntil(lambda: bool(window.facet_bar.chips), timeout=WAIT_MS)
    qtbot.keyClick(window.table, Qt.Key.Key_F)
    chip = window.facet_bar.chips[0]
    assert chip.hasFocus() and chip.property("query") == "kind:story"
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        qtbot.keyClick(chip, Qt.Key.Key_Return)
    assert window.middle.currentIndex() == RESULTS_PAGE
    hits = [h.story_id for h in window.results_model.hits]
    assert hits[0] != chosen, "the first hit is another story"
    qtbot.keyClick(window.facet_bar.chips[0], Qt.Key.Key_Escape)
    assert window.results.hasFocus()
    assert not window.results.currentIndex().isValid(), "Esc chooses no hit"
    settled(qtbot, window)
    assert window.opener.story_id == chosen
    # j takes the first hit; Esc twice (the reader has not the focus) clears the search.
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.results, Qt.Key.Key_J)
    assert window.opener.story_id == hits[0]
    qtbot.keyClick(window.results, Qt.Key.Key_Escape)
    assert window.middle.currentIndex() == LIST_PAGE
    assert current_id(window) == chosen
    qtbot.waitUntil(lambda: window.opener.story_id == chosen, timeout=WAIT_MS)
    settled(qtbot, window)
    assert_reader_on_current_row(window)
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    qtbot.waitUntil(
        lambda: "(Ctrl+Z to undo)" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
    assert read_archive(window).story(chosen).is_starred, "s stars the highlighted row"
    assert not read_archive(window).story(hits[0]).is_starred


def test_after_a_tag_merge_the_story_is_still_the_current_row(
    qtbot: QtBot, window: MainWindow
) -> None:
    ids = list(window.story_model.ids)

    def tag(archive: Archive) -> None:
        archive.tag_story(ids[0], ["ports"])
        archive.tag_story(ids[1], ["docks"])

    on_worker(qtbot, window, tag)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.item("tag:docks") is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        sidebar.select_key("tag:docks")
    qtbot.waitUntil(lambda: window.opener.story_id == ids[1], timeout=WAIT_MS)
    assert_reader_on_current_row(window)
    sidebar.setFocus()
    qtbot.keyClick(sidebar, Qt.Key.Key_F2)
    dialog = window.tags.rename_dialog
    assert isinstance(dialog, QInputDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.setTextValue("ports")
    dialog.accept()
    qtbot.waitUntil(lambda: sidebar.current_key == "tag:ports", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: current_id(window) == ids[1], timeout=WAIT_MS)
    settled(qtbot, window)
    assert_reader_on_current_row(window)
