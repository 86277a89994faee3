"""Archiving, starring and deleting the open story: the row leaves the list at once, the counts
and the status bar follow the write together (never the status before it), and a write that
fails puts the row back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.archive import DB_FILENAME, Archive
from reader.model import View
from tests.ui.conftest import WAIT_MS, Opener, open_window
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
    assert story_id is not None
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
    assert not any(message == "Archived" for message, *_ in seen), "not before the write"
    qtbot.waitUntil(lambda: any(m == "Archived" for m, *_ in seen), timeout=WAIT_MS)
    _message, row, archived, everything = next(s for s in seen if s[0] == "Archived")
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
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Starred", timeout=WAIT_MS)
    with qtbot.waitSignal(window.story_list.loaded, timeout=WAIT_MS):
        window.sidebar.select_key("view:starred")
    assert window.story_model.ids == [story_id]
    qtbot.waitUntil(lambda: window.opener.story_id == story_id, timeout=WAIT_MS)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert window.story_model.rowCount() == 0
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Unstarred", timeout=WAIT_MS)
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
    assert window.statusBar().currentMessage() != "Archived"


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
    ],
)
def test_which_marks_take_a_story_out_of_a_view(
    view: View, flag: str, value: bool, leaves: bool
) -> None:
    assert leaves_view(view, flag, value) is leaves
