"""Bulk triage in the window: marking rows of the story list and the notebook (Shift+j/k, x,
Ctrl+A, Esc), and the single-story keys acting on every marked row in one operation, one change
event and one undo step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import Changed, Color
from tests.ui.conftest import (
    WAIT_MS,
    WindowFactory,
    generated_archive,
    open_window,
    read_archive,
    summary_at,
)
from ui.main_window import MainWindow
from ui.models.story_model import PAGE_SIZE

SHIFT = Qt.KeyboardModifier.ShiftModifier
GENERATED = 3_000


def ready(qtbot: QtBot, window: MainWindow) -> None:
    """The first story is open and the worker idle, the list has the keyboard."""
    qtbot.waitUntil(
        lambda: window.opener.story_id == window.story_model.story_id(0), timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    window.table.setFocus()


def marked(window: MainWindow) -> list[int]:
    return window.story_list.marks.marked_keys()


def ids(window: MainWindow, *rows: int) -> list[int]:
    return [window.story_model.ids[r] for r in rows]


def undo_text(window: MainWindow) -> str:
    return window.actions_.actions["undo"].text()


def count_changes(window: MainWindow) -> list[Changed]:
    """Every change event the worker's archive sends from now on."""
    seen: list[Changed] = []
    window.worker.changed.connect(seen.append)
    return seen


def test_shift_j_extends_x_toggles_and_esc_clears(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    table, bar = window.table, window.marked_bars[0]
    assert marked(window) == [] and not bar.isVisible()
    qtbot.keyClick(table, Qt.Key.Key_J, SHIFT)
    qtbot.keyClick(table, Qt.Key.Key_J, SHIFT)
    assert marked(window) == ids(window, 0, 1, 2)
    assert bar.isVisible() and bar.label.text() == "<b>3 selected</b>"
    assert window.count_label.text() == "3 of 4 stories selected"
    qtbot.keyClick(table, Qt.Key.Key_K, SHIFT)
    assert marked(window) == ids(window, 0, 1), "Shift+k takes back the row Shift+j added"
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert marked(window) == ids(window, 0)
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_J)
    assert table.currentIndex().row() == 2, "j moves while marking"
    assert marked(window) == ids(window, 0), "and leaves the marks alone"
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert marked(window) == ids(window, 0, 2)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert not summary_at(window, 1).is_read, "a story passed over while marking stays unread"
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    assert marked(window) == [] and not bar.isVisible()
    assert [i.row() for i in table.selectionModel().selectedRows()] == [2]
    assert window.count_label.text() == "4 stories"


def test_first_x_marks_the_current_row(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_X)
    assert marked(window) == ids(window, 0)
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_J)
    qtbot.keyClick(window.table, Qt.Key.Key_X)
    assert marked(window) == ids(window, 0, 1)


def test_ctrl_click_toggles_and_a_plain_click_ends_marking(
    qtbot: QtBot, window: MainWindow
) -> None:
    ready(qtbot, window)
    table = window.table
    center = table.visualRect(table.model().index(2, 1)).center()
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, center
    )
    assert marked(window) == ids(window, 0, 2)
    center = table.visualRect(table.model().index(3, 1)).center()
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
    )
    assert marked(window) == []


def test_ctrl_a_marks_a_generated_list_and_archives_it_in_one_undo_step(
    qtbot: QtBot, tmp_path: Path
) -> None:
    generated = generated_archive(tmp_path / "generated", GENERATED)
    window = open_window(qtbot, generated, tmp_path / "generated.ini")
    ready(qtbot, window)
    model = window.story_model
    fetched = model.fetched_rows
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(marked(window)) == GENERATED
    assert window.marked_bars[0].label.text() == f"<b>{GENERATED:,} selected</b>"
    assert model.fetched_rows - fetched <= PAGE_SIZE, "marking reads no rows it does not show"
    changes = count_changes(window)
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert changes == [Changed.STORIES], "one operation, one change event"
    assert undo_text(window) == f"&Undo Archive {GENERATED:,} stories"
    assert window.statusBar().currentMessage() == f"Archived {GENERATED:,} stories (Ctrl+Z to undo)"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: model.rowCount() == GENERATED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert changes == [Changed.STORIES, Changed.STORIES]
    assert read_archive(window).count_flagged(model.ids, "archived") == 0


def test_bulk_star_read_and_tag_with_undo(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    table, archive = window.table, read_archive(window)
    qtbot.keyClick(table, Qt.Key.Key_J, SHIFT)
    chosen = marked(window)
    assert len(chosen) == 2
    changes = count_changes(window)
    qtbot.keyClick(table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "starred") == 2, timeout=WAIT_MS)
    qtbot.keyClick(table, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "read") == 2, timeout=WAIT_MS)
    assert marked(window) == chosen, "the marks stay while the list shows the same stories"
    qtbot.keyClick(table, Qt.Key.Key_T)
    dialog = window.triage._tag_dialog
    assert isinstance(dialog, QInputDialog)
    assert dialog.labelText() == "Tags for 2 stories, separated by commas:"
    dialog.setTextValue("energy, Watch list")
    dialog.accept()
    qtbot.waitUntil(
        lambda: all(archive.story(i).tags == ("energy", "Watch list") for i in chosen),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: len(changes) == 3, timeout=WAIT_MS)
    assert changes == [Changed.STORIES, Changed.READ, Changed.TAGS]
    assert undo_text(window) == "&Undo Tag 2 stories “energy, Watch list”"
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage()
            == "Tagged 2 stories “energy, Watch list” (Ctrl+Z to undo)"
        ),
        timeout=WAIT_MS,
    )
    undo = window.actions_.actions["undo"]
    undo.trigger()
    qtbot.waitUntil(lambda: all(archive.story(i).tags == () for i in chosen), timeout=WAIT_MS)
    undo.trigger()
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "read") == 0, timeout=WAIT_MS)
    assert archive.count_flagged(chosen, "starred") == 2
    # Starred already: the toggle now takes the star off both, in one step.
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=WAIT_MS)
    qtbot.keyClick(table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: archive.count_flagged(chosen, "starred") == 0, timeout=WAIT_MS)
    assert undo_text(window) == "&Undo Unstar 2 stories"


def test_bulk_delete_of_stories_undoes_in_one_step(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    table = window.table
    qtbot.keyClick(table, Qt.Key.Key_J, SHIFT)
    qtbot.keyClick(table, Qt.Key.Key_J, SHIFT)
    chosen = marked(window)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 1, timeout=WAIT_MS)
    assert undo_text(window) == "&Undo Delete 3 stories"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 4, timeout=WAIT_MS)
    assert set(chosen) <= set(window.story_model.ids)


def add_highlights(data_dir: Path, quotes: tuple[str, ...]) -> list[int]:
    with Archive(data_dir) as archive:
        story_id = next(s.id for s in archive.list_stories() if s.title.startswith("Quiet"))
        return [archive.highlight_quote(story_id, q).id for q in quotes]


def test_notebook_bulk_recolour_and_delete_with_undo(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory
) -> None:
    made = add_highlights(data_dir, ("storm surge", "three moored boats", "tide gauge"))
    window = make_window()
    window.sidebar.select_key("view:notebook")
    notebook, bar = window.notebook, window.marked_bars[1]
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 3, timeout=WAIT_MS)
    notebook.list.setFocus()
    notebook.list.setCurrentIndex(notebook.model.index(0))
    qtbot.keyClick(notebook.list, Qt.Key.Key_J, SHIFT)
    marks = window.triage.note_marks
    chosen = marks.marked_keys()
    assert len(chosen) == 2 and bar.isVisible()
    changes = count_changes(window)
    qtbot.keyClick(notebook.list, Qt.Key.Key_4)
    archive = read_archive(window)
    qtbot.waitUntil(
        lambda: [archive.highlight(i).color for i in chosen] == [Color.PINK] * 2, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: bool(changes), timeout=WAIT_MS)
    assert changes == [Changed.HIGHLIGHTS]
    qtbot.waitUntil(lambda: marks.marked_keys() == chosen, timeout=WAIT_MS)
    assert undo_text(window) == "&Undo Recolour 2 highlights pink"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(
        lambda: [archive.highlight(i).color for i in chosen] == [Color.YELLOW] * 2,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: marks.marked_keys() == chosen, timeout=WAIT_MS)
    bar.buttons["delete"].click()
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 1, timeout=WAIT_MS)
    assert undo_text(window) == "&Undo Delete 2 highlights"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 3, timeout=WAIT_MS)
    assert sorted(h.id for h in notebook.model.items) == sorted(made)


def test_ctrl_a_in_the_search_box_selects_its_text(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    edit = window.search.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "harbour")
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert edit.selectedText() == "harbour"
    assert marked(window) == []
    assert QApplication.focusWidget() is edit


def test_ctrl_a_in_the_reader_selects_the_story_text(qtbot: QtBot, window: MainWindow) -> None:
    ready(qtbot, window)
    window.reader.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader, timeout=WAIT_MS)
    qtbot.keyClick(window.reader, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.textCursor().hasSelection()
    assert marked(window) == []
