"""Archiving, starring and deleting the open story: the row leaves the list at once, the counts
and the status bar follow the write together (never the status before it), a write that fails
puts the row back, and each mark is one undo step named after what it did."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.archive import DB_FILENAME, Archive
from reader.model import View
from tests.ui.conftest import WAIT_MS, Opener, open_window, read_archive, summary_at
from ui.features.story_list import leaves_view
from ui.main_window import MainWindow

STORIES = 3000
WORDS = ("harbour", "council", "ferry", "budget", "orchard", "tide", "levy", "quarry")


@pytest.fixture
def generated_archive(tmp_path: Path) -> Path:
    """A few thousand stories of made-up words, inserted directly (test-only) for speed; the
    window indexes them in the background while the test runs, as after a large import."""
    folder = tmp_path / "generated"
    with Archive(folder) as archive:
        archive.sync_index()
    stamp = "2026-01-01T00:00:00.000000+00:00"
    with sqlite3.connect(folder / DB_FILENAME) as db:
        db.executemany(
            "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    f"Generated story {i}",
                    stamp,
                    " ".join(WORDS[(i + k) % len(WORDS)] for k in range(300)),
                    f"generated{i}",
                    stamp,
                    stamp,
                )
                for i in range(STORIES)
            ),
        )
    (folder / ".samples-imported").write_text("seeded\n")
    return folder


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def undo_text(window: MainWindow) -> str:
    """What the Edit menu's Undo says, without its mnemonic."""
    return window.actions_.actions["undo"].text().replace("&", "")


def sidebar_count(window: MainWindow, key: str) -> str:
    item = window.sidebar.item(key)
    assert item is not None, key
    return item.text(1)


def test_archived_story_has_left_the_list_when_the_status_says_so(
    qtbot: QtBot, generated_archive: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, generated_archive, tmp_path / "marks.ini")
    model = window.story_model
    qtbot.waitUntil(lambda: window.opener.story_id == model.story_id(0), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: sidebar_count(window, "view:all") == str(STORIES), timeout=WAIT_MS)
    story_id = window.opener.story_id
    assert story_id is not None and window.opener.story is not None
    title = window.opener.story.title
    seen: list[tuple[str, int, str, str]] = []

    def on_message(message: str) -> None:
        seen.append(
            (
                message,
                model.row_of(story_id),
                sidebar_count(window, "view:archived"),
                sidebar_count(window, "view:all"),
            )
        )

    window.statusBar().messageChanged.connect(on_message)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert model.row_of(story_id) == -1, "the row leaves as the key is pressed"
    assert not any(m.startswith("Archived") for m, *_ in seen), "not before the write"
    said = f"Archived “{title}” (Ctrl+Z to undo)"
    qtbot.waitUntil(lambda: any(m == said for m, *_ in seen), timeout=WAIT_MS)
    _message, row, archived, everything = next(s for s in seen if s[0] == said)
    assert (row, archived, everything) == (-1, "1", str(STORIES - 1))
    # The rest of the list (the window showed its top first) comes with the change's reload.
    qtbot.waitUntil(lambda: model.rowCount() == STORIES - 1, timeout=WAIT_MS)
    assert model.row_of(story_id) == -1
    window.close()


def test_unstarring_in_the_starred_view_takes_the_row_out(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: status(window).startswith("Starred “Quiet Harbour"), timeout=WAIT_MS)
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        window.sidebar.select_key("view:starred")
    assert window.story_model.ids == [story_id]
    qtbot.waitUntil(lambda: window.opener.story_id == story_id, timeout=WAIT_MS)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert window.story_model.rowCount() == 0
    assert window.opener.story is None and window.reader.story is None, "no row, no story"
    qtbot.waitUntil(lambda: status(window).startswith("Unstarred “Quiet"), timeout=WAIT_MS)
    assert sidebar_count(window, "view:starred") == "0"


def test_a_failed_archive_puts_the_row_back(
    qtbot: QtBot, window: MainWindow, open_story: Opener, data_dir: Path
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    row = window.story_model.row_of(story_id)
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        db.execute(
            "UPDATE stories SET deleted_at = '2026-01-02T00:00:00+00:00' WHERE id = ?", [story_id]
        )
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.story_model.row_of(story_id) == row, timeout=WAIT_MS)
    assert "no story" in window.statusBar().currentMessage()
    assert not window.statusBar().currentMessage().startswith("Archived")


def test_delete_says_so_once_the_story_is_deleted(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    all_before = int(sidebar_count(window, "view:all"))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.story_model.row_of(story_id) == -1
    assert not window.statusBar().currentMessage().startswith("Deleted")
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Deleted"), timeout=WAIT_MS
    )
    assert sidebar_count(window, "view:all") == str(all_before - 1)


def test_each_mark_on_the_open_story_is_its_own_undo_step(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    """Later then archive on one story, star on another: Ctrl+Z takes back the star, then
    the archive, then Later, each named in the Edit menu and hinted in the status bar."""
    harbour = open_story(window, "Quiet Harbour")
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: status(window).startswith("Kept “Quiet Harbour"), timeout=WAIT_MS)
    assert undo_text(window) == "Undo Keep “Quiet Harbour Gets a Tide Gauge” for later"
    qtbot.keyClick(table, Qt.Key.Key_E)
    qtbot.waitUntil(
        lambda: status(window) == "Archived “Quiet Harbour Gets a Tide Gauge” (Ctrl+Z to undo)",
        timeout=WAIT_MS,
    )
    assert undo_text(window) == "Undo Archive “Quiet Harbour Gets a Tide Gauge”"
    saffron = open_story(window, "Saffron")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: status(window).startswith("Starred “Saffron"), timeout=WAIT_MS)
    assert status(window).endswith("(Ctrl+Z to undo)")
    assert undo_text(window).startswith("Undo Star “Saffron")
    archive = read_archive(window)
    assert archive.story(saffron).is_starred
    window.activateWindow()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # QTest never lets go of Ctrl: the application would take it as held from now on (and
    # the next story opened as passed over while marking rows, not read).
    qtbot.keyRelease(table, Qt.Key.Key_Control)
    qtbot.waitUntil(lambda: not archive.story(saffron).is_starred, timeout=WAIT_MS)
    after_undo = archive.story(harbour)
    assert after_undo.is_archived and after_undo.is_later, "the earlier marks stay"
    assert undo_text(window) == "Undo Archive “Quiet Harbour Gets a Tide Gauge”"
    window.actions_.actions["undo"].trigger()
    qtbot.waitUntil(lambda: not archive.story(harbour).is_archived, timeout=WAIT_MS)
    assert archive.story(harbour).is_later
    qtbot.waitUntil(lambda: window.story_model.row_of(harbour) >= 0, timeout=WAIT_MS)


def test_u_is_an_undo_step_and_opening_a_story_is_not(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    archive = read_archive(window)
    row = window.story_model.row_of(story_id)
    qtbot.waitUntil(lambda: summary_at(window, row).is_read, timeout=WAIT_MS)
    assert window.undo_stack.count() == 0, "marking read by opening is no undo step"
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: status(window).startswith("Marked “Quiet"), timeout=WAIT_MS)
    assert status(window).endswith("unread (Ctrl+Z to undo)")
    assert not archive.story(story_id).is_read
    assert window.undo_stack.count() == 1
    assert undo_text(window) == "Undo Mark “Quiet Harbour Gets a Tide Gauge” unread"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: archive.story(story_id).is_read, timeout=WAIT_MS)


@pytest.mark.parametrize(
    ("view", "flag", "value", "leaves"),
    [
        (View.ALL, "archived", True, True),
        (View.ARCHIVED, "archived", True, False),
        (View.ARCHIVED, "archived", False, True),
        (View.STARRED, "archived", True, False),
        (View.STARRED, "starred", False, True),
        (View.ALL, "starred", False, False),
        (View.UNREAD, "read", True, True),
        (View.UNREAD, "read", False, False),
        (View.ALL, "read", True, False),
        (View.LATER, "later", False, True),
        (View.ALL, "later", False, False),
        (View.LATER, "archived", True, True),
    ],
)
def test_which_marks_take_a_story_out_of_a_view(
    view: View, flag: str, value: bool, leaves: bool
) -> None:
    assert leaves_view(view, flag, value) is leaves
