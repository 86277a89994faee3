"""Importing from the window (progress, failures listed without a dialog), the Notebook and the
Notifications dock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import Color
from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, shown_story
from ui.core.keymap import BINDINGS
from ui.main_window import MainWindow
from ui.panes.middle import NOTEBOOK_PAGE

ROOT = Path(__file__).resolve().parents[2]


def write_stories(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        (folder / f"note-{i:03}.md").write_text(
            f"# Field note {i}\n\nSurveyors counted {i} herons on the estuary flats this"
            f" morning, a number the warden called unremarkable (Estuary Log {i}).\n",
            encoding="utf-8",
        )


def test_failed_file_is_reported_and_the_window_stays_usable(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    write_stories(folder, 30)
    broken = tmp_path / "scan.html"
    broken.write_bytes(b"\x00\x01\x02\xff\xfe\x00binary\x00" * 64)
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS) as blocker:
        window.import_paths([str(folder), str(broken)])
        assert window.importer.progress.isVisible() and window.importer.cancel_button.isVisible()
    report = blocker.args[0]
    assert len(report.imported) == 30
    assert [Path(f.path).name for f in report.failed] == ["scan.html"]
    assert not window.importer.progress.isVisible()
    assert window.notifications.isVisible()
    assert any("scan.html" in m for m in window.notifications.messages())
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 34, timeout=WAIT_MS)
    # A story just imported: the seed's dated stories sort above these undated notes.
    first = report.imported[0]
    assert first != window.opener.story_id
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        window.story_list.select_story(first)


def test_import_can_be_cancelled(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    write_stories(folder, 200)
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS) as blocker:
        window.import_paths([str(folder)])
        window.importer.cancel_button.click()
    assert len(blocker.args[0].imported) < 200


def test_stories_open_and_search_runs_while_an_import_is_running(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    write_stories(folder, 120)
    target = window.story_model.story_id(2)
    assert target is not None
    window.import_paths([str(folder)])
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        window.story_list.select_story(target)
    assert window.importer.running, "the story opened only after the import"
    qtbot.waitUntil(lambda: not window.importer.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 124, timeout=WAIT_MS)
    assert window.opener.story_id == target


def test_notebook_lists_and_opens_highlights(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    text = shown_story(window).text
    start = text.index("storm surge")
    window.reader.highlightRequested.emit(start, start + len("storm surge"), Color.BLUE)
    qtbot.waitUntil(lambda: len(window.reader.highlights) == 1, timeout=WAIT_MS)
    open_story(window, "Saffron")
    window.sidebar.select_key("view:notebook")
    assert window.middle.currentIndex() == NOTEBOOK_PAGE
    notebook = window.notebook
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 1, timeout=WAIT_MS)
    assert notebook.model.titles[story_id].startswith("Quiet Harbour")
    # The status bar counts the notebook's rows, not the story list it came from.
    qtbot.waitUntil(lambda: window.count_label.text() == "1 highlight", timeout=WAIT_MS)
    with qtbot.waitSignal(notebook.loaded, timeout=WAIT_MS):
        notebook.color.setCurrentIndex(notebook.color.findData(Color.GREEN))
    assert notebook.model.rowCount() == 0
    with qtbot.waitSignal(notebook.loaded, timeout=WAIT_MS):
        notebook.color.setCurrentIndex(notebook.color.findData(Color.BLUE))
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        notebook.on_list_activated(notebook.model.index(0))
    assert window.opener.story_id == story_id
    assert window.reader.active_highlight == notebook.model.items[0].id
    window.sidebar.select_key("view:all")
    stories = window.story_model.rowCount()
    qtbot.waitUntil(lambda: window.count_label.text() == f"{stories} stories", timeout=WAIT_MS)


def add_highlights(data_dir: Path) -> int:
    with Archive(data_dir) as archive:
        story_id = next(s.id for s in archive.list_stories() if s.title.startswith("Quiet"))
        for quote in ("storm surge", "three moored boats"):
            archive.highlight_quote(story_id, quote)
    return 2


def assert_rows_shown(view: QAbstractItemView, count: int) -> None:
    """The view lays its rows out where a user sees them, not only in its model."""
    assert view.model().rowCount() == count
    viewport = view.viewport().rect()
    for row in range(count):
        rect = view.visualRect(view.model().index(row, 0))
        assert rect.isValid() and rect.height() > 10 and viewport.intersects(rect)
        assert view.indexAt(rect.center()).row() == row


def test_notebook_shows_its_rows(qtbot: QtBot, data_dir: Path, make_window: WindowFactory) -> None:
    count = add_highlights(data_dir)
    window = make_window()
    window.sidebar.select_key("view:notebook")
    qtbot.waitUntil(lambda: window.notebook.model.rowCount() == count, timeout=WAIT_MS)
    assert window.notebook.isVisible() and window.notebook.list.isVisible()
    assert_rows_shown(window.notebook.list, count)
    assert window.notebook.status.text() == "2 highlights"


def test_notebook_restored_at_start_shows_its_rows(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory
) -> None:
    count = add_highlights(data_dir)
    window = make_window()
    window.sidebar.select_key("view:notebook")
    qtbot.waitUntil(lambda: window.notebook.model.rowCount() == count, timeout=WAIT_MS)
    window.close()
    again = make_window()
    assert again.middle.currentIndex() == NOTEBOOK_PAGE
    qtbot.waitUntil(lambda: again.notebook.model.rowCount() == count, timeout=WAIT_MS)
    assert_rows_shown(again.notebook.list, count)


def test_notifications_dock_is_short_and_clears(qtbot: QtBot, window: MainWindow) -> None:
    reader_height = window.reader.height()
    window.notify("Feed unreachable", "timed out after 10 s")
    window.notify("Index updated")
    action = window.notifications.toggleViewAction()
    assert action.text() == "Notifications (2)"
    action.trigger()
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.notifications.height() <= window.height() // 5, timeout=WAIT_MS)
    assert window.reader.height() >= reader_height * 3 // 4
    window.notifications.clear_button.click()
    assert window.notifications.messages() == []
    assert action.text() == "Notifications"
    assert not window.notifications.clear_button.isEnabled()


def test_help_overlay_lists_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    assert window.help.isVisible()
    assert window.help.rows == len(BINDINGS)
    qtbot.keyClick(window.help, Qt.Key.Key_Escape)
    assert not window.help.isVisible()
    # The keyboard is back where it was, so the next "j" moves in the list, not into the search.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=WAIT_MS)
    qtbot.keyClick(window.table, "?")
    assert window.help.isVisible()
    qtbot.keyClick(window.help, Qt.Key.Key_Question)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=WAIT_MS)


def test_keys_read_as_they_are_typed(window: MainWindow) -> None:
    """A plain letter reads in lower case, as it is typed: "J" would read as Shift+J, which is
    another binding (or none). The help, the menus and the tooltips say the same."""
    texts = {label.text() for label in window.help.panel.findChildren(QLabel)}
    for shown in ("j", "Shift+J", "l", "f", "x", "/  or  Ctrl+F", "Return  or  o", "Ctrl+A"):
        assert f"<b>{shown}</b>" in texts, shown
    assert not {"<b>J</b>", "<b>L</b>", "<b>F</b>", "<b>S</b>", "<b>E</b>"} & texts
    actions = window.actions_.actions
    assert actions["star"].text().endswith("\ts")
    assert actions["next_story"].text().endswith("\tj")
    buttons = window.triage.story_bar.buttons
    assert buttons["archive"].toolTip() == "Archive or unarchive (e)"
    assert buttons["delete"].toolTip() == "Delete them (Del; Ctrl+Z undoes)"
    assert window.reader.toolbar.buttons[Color.YELLOW].toolTip().endswith("(h)")


def test_screenshot_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--data-dir",
            str(tmp_path / "d"),
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebook_pages_through_many_highlights(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory
) -> None:
    """1,200 highlights: the first page arrives, the rest only as the list is scrolled."""
    import sqlite3

    from ui.panes.notebook import PAGE

    with Archive(data_dir) as archive:
        story = archive.story(archive.story_ids()[0])
        quote = story.text[:12]
    stamps = [f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00" for n in range(1200)]
    with sqlite3.connect(data_dir / "archive.sqlite3") as db:
        db.executemany(
            "INSERT INTO highlights (story_id, start, end, quote, prefix, suffix, color, note,"
            " created, updated) VALUES (?, 0, 12, ?, '', '', 'yellow', '', ?, ?)",
            [(story.id, quote, stamp, stamp) for stamp in stamps],
        )
    window = make_window()
    window.sidebar.select_key("view:notebook")
    notebook = window.notebook
    qtbot.waitUntil(lambda: notebook.model.rowCount() == PAGE, timeout=WAIT_MS)
    assert "more as you scroll" in notebook.status.text()
    bar = notebook.list.verticalScrollBar()
    for expected in (2 * PAGE, 1200):

        def scrolled_to_the_end(expected: int = expected) -> bool:
            # Scrolled again while waiting: the list may still be laying out the last page.
            bar.setValue(bar.maximum())
            return notebook.model.rowCount() == expected

        qtbot.waitUntil(scrolled_to_the_end, timeout=WAIT_MS)
    assert notebook.status.text() == "1200 highlights"
    newest = notebook.model.items[0].created
    assert all(newest >= h.created for h in notebook.model.items)


def test_help_menu_has_about_with_the_version_and_the_archive(window: MainWindow) -> None:
    from reader import __version__
    from ui.dialogs.about import about_text

    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert isinstance(help_menu, QMenu)
    texts = [action.text() for action in help_menu.actions() if not action.isSeparator()]
    assert len(texts) == 2 and texts[1] == "About Story Reader"
    text = about_text(window.data_dir)
    assert f"Story Reader {__version__}" in text and str(window.data_dir) in text
