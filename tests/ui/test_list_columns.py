"""The Later view and key, the story list's reading time, the columns an analyst shows or hides
(kept per archive) and the one-line summary preview (kept per user)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMenu, QTableView
from pytestqt.qtbot import QtBot

from reader.model import View
from tests.ui.conftest import (
    WAIT_MS,
    Opener,
    WindowFactory,
    read_archive,
    summary_at,
)
from tests.ui.test_triage import marked, ready, undo_text
from ui.core.keymap import BY_ACTION
from ui.main_window import MainWindow
from ui.models import story_model
from ui.models.story_model import READING, reading_time
from ui.models.story_preview import preview_line
from ui.panes.help_overlay import HelpOverlay
from ui.panes.tables import restore_story_header


def later_count(window: MainWindow) -> str:
    item = window.sidebar.item("view:later")
    assert item is not None, "no Later entry in the sidebar"
    return item.text(1)


def test_l_keeps_the_open_story_for_later_and_undo_takes_it_off(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    archive = read_archive(window)
    qtbot.waitUntil(lambda: later_count(window) == "0", timeout=WAIT_MS)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: archive.story(story_id).is_later, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: later_count(window) == "1", timeout=WAIT_MS)
    row = window.story_model.row_of(story_id)
    qtbot.waitUntil(lambda: "◷" in str(window.story_model.index(row, 0).data()), timeout=WAIT_MS)
    # Later is not Starred.
    assert not archive.story(story_id).is_starred
    assert archive.story_ids(view=View.LATER) == [story_id]
    undo = window.actions_.actions["undo"]
    assert undo.text() == "&Undo Keep “Quiet Harbour Gets a Tide Gauge” for later"
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        window.sidebar.select_key("view:later")
    assert window.story_model.ids == [story_id]
    undo.trigger()
    qtbot.waitUntil(lambda: not archive.story(story_id).is_later, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: later_count(window) == "0", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.story_model.ids == [], timeout=WAIT_MS)


def test_the_key_is_declared_and_the_help_lists_it(window: MainWindow) -> None:
    assert BY_ACTION["later"].keys == ("L",)
    help_overlay = window.findChild(HelpOverlay)
    assert help_overlay is not None
    texts = [label.text() for label in help_overlay.panel.findChildren(type(window.count_label))]
    assert BY_ACTION["later"].description in texts and "<b>l</b>" in texts


def test_reading_time_is_words_over_230_never_under_a_minute(window: MainWindow) -> None:
    assert [reading_time(n) for n in (0, 1, 230, 344, 345, 920)] == [
        "",
        "1 min",
        "1 min",
        "1 min",
        "2 min",
        "4 min",
    ]
    model = window.story_model
    for row in range(model.rowCount()):
        summary = summary_at(window, row)
        assert summary.word_count > 0
        assert model.index(row, READING).data() == reading_time(summary.word_count)
    assert model.headerData(READING, Qt.Orientation.Horizontal) == "Time"


def test_columns_hidden_and_shown_from_the_header_stay_so_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    header = window.table.horizontalHeader()
    assert [window.table.isColumnHidden(c) for c in story_model.HIDDEN_AT_FIRST] == [True] * 4
    # Highlights stays last, reading time before it.
    assert header.visualIndex(story_model.HIGHLIGHTS) == header.count() - 1
    assert header.visualIndex(READING) == header.count() - 2
    header.customContextMenuRequested.emit(QPoint(10, 5))
    menu = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "list-columns-menu")
    assert isinstance(menu, QMenu)
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == [
        "Source",
        "Author",
        "Tags",
        "Published",
        "Added",
        "Reading time",
        "Highlights",
    ]
    assert not actions["Author"].isChecked() and actions["Source"].isChecked()
    actions["Author"].trigger()
    actions["Added"].trigger()
    actions["Reading time"].trigger()
    actions["Source"].trigger()
    menu.close()
    assert not window.table.isColumnHidden(story_model.AUTHOR)
    assert window.table.isColumnHidden(story_model.SOURCE)
    model = window.story_model
    row = next(r for r in range(model.rowCount()) if summary_at(window, r).published is None)
    added = model.index(row, story_model.ADDED).data()
    assert added and model.index(row, story_model.DATE).data().startswith("added ")
    window.close()

    again = make_window()
    table = again.table
    assert not table.isColumnHidden(story_model.AUTHOR)
    assert not table.isColumnHidden(story_model.ADDED) and not table.isColumnHidden(READING)
    assert table.isColumnHidden(story_model.SOURCE) and table.isColumnHidden(story_model.TAGS)


def test_the_preview_line_is_a_view_option_kept_per_user(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    one_line = window.table.verticalHeader().defaultSectionSize()
    action = window.list_preview.action
    view_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&View")
    assert action in view_menu.actions()
    assert not action.isChecked() and not window.list_preview.delegate.preview
    action.trigger()
    assert window.list_preview.delegate.preview
    line = window.table.fontMetrics().height()
    assert window.table.verticalHeader().defaultSectionSize() == one_line + line
    title = window.story_model.index(0, story_model.TITLE)
    preview = title.data(story_model.PREVIEW_ROLE)
    assert preview and len(preview) <= 141 and "\n" not in preview
    minutes = reading_time(summary_at(window, 0).word_count)
    assert preview_line(title) == f"{minutes} · {preview}"
    window.close()
    again = make_window()
    assert again.list_preview.action.isChecked() and again.list_preview.delegate.preview


def test_a_header_saved_before_the_new_columns_keeps_its_choices(window: MainWindow) -> None:
    older = QTableView()
    older.setModel(QStandardItemModel(0, 5, older))
    older.horizontalHeader().setSectionHidden(story_model.SOURCE, True)
    header = window.table.horizontalHeader()
    restore_story_header(header, older.horizontalHeader().saveState())
    hidden = [c for c in range(header.count()) if header.isSectionHidden(c)]
    assert hidden == sorted((story_model.SOURCE, *story_model.HIDDEN_AT_FIRST))
    assert [header.logicalIndex(v) for v in range(header.count())] == list(story_model.SHOWN_ORDER)


def test_l_on_marked_stories_keeps_them_all_for_later_in_one_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    ready(qtbot, window)
    archive = read_archive(window)
    qtbot.keyClick(window.table, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    chosen = marked(window)
    assert len(chosen) == 2
    qtbot.keyClick(window.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "later") == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: later_count(window) == "2", timeout=WAIT_MS)
    assert undo_text(window) == "&Undo Keep 2 stories for later"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "later") == 0, timeout=WAIT_MS)
