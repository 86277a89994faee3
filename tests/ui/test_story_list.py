"""The story list: keyboard navigation, lazy row fetching over 100,000 stories, sorting,
story flags and the settings a restart restores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import (
    WAIT_MS,
    Opener,
    WindowFactory,
    generated_archive,
    open_window,
    summary_at,
)
from ui.features import story_list as story_list_module
from ui.main_window import MainWindow
from ui.models import story_model
from ui.models.story_model import DATE, PAGE_SIZE, SOURCE, TITLE

BIG = 100_000


def test_first_start_opens_the_first_story_without_marking_it_read(
    qtbot: QtBot, window: MainWindow
) -> None:
    model = window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    assert window.table.currentIndex().row() == 0
    assert window.reader.story is not None and window.reader.story.id == model.story_id(0)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert not summary_at(window, 0).is_read


def test_title_column_takes_the_room(qtbot: QtBot, window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    assert header.sectionSize(TITLE) > header.sectionSize(SOURCE) + header.sectionSize(DATE)
    used = sum(header.sectionSize(c) for c in range(window.story_model.columnCount()))
    assert used >= window.table.viewport().width() - 2, "the title stretches to the edge"


def test_j_and_k_move_through_the_list(qtbot: QtBot, window: MainWindow) -> None:
    table, model = window.table, window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    table.setFocus()
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.opener.story_id == model.story_id(1)
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.reader, Qt.Key.Key_J)
    assert window.opener.story_id == model.story_id(2)
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_K)
    assert window.opener.story_id == model.story_id(1)


def test_home_and_end_go_to_the_first_and_last_story(qtbot: QtBot, window: MainWindow) -> None:
    table, model = window.table, window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    table.setFocus()
    last = model.rowCount() - 1
    assert last > 1
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == last
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().row() == 0
    assert window.opener.story_id == model.story_id(0)


def test_keys_work_from_the_start_and_from_the_sidebar(qtbot: QtBot, window: MainWindow) -> None:
    model = window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    assert window.table.hasFocus() or window.focusWidget() is window.table
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.sidebar, Qt.Key.Key_J)
    assert window.opener.story_id == model.story_id(1)
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Slash)
    assert window.search.edit.hasFocus()


def test_plain_keys_do_not_fire_while_typing_in_search(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    window.search.edit.setFocus()
    qtbot.keyClicks(window.search.edit, "jjkse")
    assert window.opener.story_id == story_id
    assert window.search.edit.text() == "jjkse"


def test_star_and_delete_with_undo(qtbot: QtBot, window: MainWindow, open_story: Opener) -> None:
    story_id = open_story(window, "Quiet Harbour")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    row = window.story_model.row_of(story_id)
    qtbot.waitUntil(lambda: summary_at(window, row).is_starred, timeout=WAIT_MS)
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.story_model.row_of(story_id) == -1, timeout=WAIT_MS)
    undo = window.actions_.actions["undo"]
    assert undo.text() == "&Undo Delete “Quiet Harbour Gets a Tide Gauge”"
    undo.trigger()
    qtbot.waitUntil(lambda: window.story_model.row_of(story_id) >= 0, timeout=WAIT_MS)
    # The status says what was undone (not "Deleted …" any more); the star was a step of its
    # own, and then there is nothing left.
    assert window.statusBar().currentMessage() == "Undone: Delete “Quiet Harbour Gets a Tide Gauge”"
    undo.trigger()
    assert window.statusBar().currentMessage() == "Undone: Star “Quiet Harbour Gets a Tide Gauge”"
    qtbot.waitUntil(lambda: not summary_at(window, row).is_starred, timeout=WAIT_MS)
    undo.trigger()
    assert window.statusBar().currentMessage() == "Nothing to undo"


def test_sorting_by_title_requeries_ids(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        window.table.sortByColumn(story_model.TITLE, Qt.SortOrder.AscendingOrder)
    titles = [summary_at(window, r).title for r in range(window.story_model.rowCount())]
    assert titles == sorted(titles, key=str.lower)


def test_restart_restores_view_and_story(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener
) -> None:
    window = make_window()
    window.sidebar.select_key("view:unread")
    qtbot.waitUntil(lambda: window.story_list.filter.view == "unread", timeout=WAIT_MS)
    story_id = open_story(window, "Saffron")
    window.close()
    again = make_window()
    assert again.story_list.filter.view == "unread"
    qtbot.waitUntil(lambda: again.opener.story_id == story_id, timeout=WAIT_MS)
    assert again.sidebar.current_key == "view:unread"


@pytest.fixture
def big_archive(tmp_path: Path) -> Path:
    return generated_archive(tmp_path / "big", BIG)


def test_list_over_100k_stories_fetches_lazily(
    qtbot: QtBot, big_archive: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, big_archive, tmp_path / "big.ini")
    model, table = window.story_model, window.table
    qtbot.waitUntil(lambda: model.rowCount() == BIG, timeout=WAIT_MS)
    table.viewport().repaint()
    assert 0 < model.fetched_rows <= PAGE_SIZE
    table.scrollToBottom()
    table.viewport().repaint()
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() // 2)
    table.viewport().repaint()
    assert model.summary(BIG - 1) is not None
    assert model.fetched_rows <= 4 * PAGE_SIZE
    # Marking every row reads none: the marks are row ranges over the ids.
    fetched = model.fetched_rows
    window.triage.select_all()
    assert window.story_list.marks.count() == BIG
    assert len(window.story_list.marks.marked_keys()) == BIG
    table.viewport().repaint()
    assert model.fetched_rows - fetched <= PAGE_SIZE


def test_unread_view_keeps_the_story_just_read(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    window.sidebar.select_key("view:unread")
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        pass
    story_id = open_story(window, "Saffron")
    row = window.story_model.row_of(story_id)
    qtbot.waitUntil(lambda: summary_at(window, row).is_read, timeout=WAIT_MS)
    assert window.opener.story_id == story_id
    assert window.story_model.rowCount() == 4


def test_the_top_of_the_list_shows_before_the_whole_list(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start the first rows are shown (and the first story opened) before the whole list
    is read; the rest is appended without moving the selection."""
    monkeypatch.setattr(story_list_module, "FIRST_PAGE_ROWS", 2)
    shown: list[int] = []
    apply_ids = story_list_module.StoryList.apply_ids

    def recording(self: story_list_module.StoryList, ids: list[int], **kwargs: bool) -> None:
        shown.append(len(ids))
        apply_ids(self, ids, **kwargs)

    monkeypatch.setattr(story_list_module.StoryList, "apply_ids", recording)
    window = make_window()
    model = window.story_model
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    assert window.table.currentIndex().row() == 0
    assert shown[:2] == [2, 4], "the top first, then the whole list"
    assert resets == [], "the rest of the list was appended, not reset"
    assert window.count_label.text() == "4 stories"


def test_reading_and_highlighting_do_not_reload_the_list(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    """Opening a story marks it read and a highlight changes its count: the rows shown are
    read again, the sidebar's counts too, but the list's ids (100,000 of them in a large
    archive, ahead of the analyst's next operation on the worker) are not reloaded."""
    model = window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    unread_item = window.sidebar._items["view:unread"]
    unread_before = int(unread_item.text(1))
    reloads: list[int] = []
    window.story_list.loaded.connect(lambda: reloads.append(1))
    story_id = open_story(window, "Saffron")
    row = model.row_of(story_id)
    qtbot.waitUntil(lambda: summary_at(window, row).is_read, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: unread_item.text(1) == str(unread_before - 1), timeout=WAIT_MS)
    window.reader.setTextCursor(window.reader.cursor_for(0, 12))
    qtbot.keyClick(window.reader, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: summary_at(window, row).highlight_count == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert reloads == []


def test_publication_names_fit_the_sidebar_at_its_first_width(
    qtbot: QtBot, window: MainWindow
) -> None:
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.sources.childCount() > 0, timeout=WAIT_MS)
    sidebar.expandAll()
    column = sidebar.header().sectionSize(0)
    for n in range(sidebar.sources.childCount()):
        item = sidebar.sources.child(n)
        assert item is not None
        rect = sidebar.visualItemRect(item)
        needed = sidebar.fontMetrics().horizontalAdvance(item.text(0))
        assert rect.left() + needed <= column, item.text(0)
        assert item.toolTip(0) == item.text(0)
