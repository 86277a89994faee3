"""The window's state is the archive's: two data directories each reopen their own story, view
and layout, while the user's own settings (reading comfort) follow the user to both; the state
that once served every archive is dropped, not given to the wrong one."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS, Opener
from ui.core.settings import ARCHIVE_STATE_FILE, ini_settings
from ui.main_window import MainWindow
from ui.models import story_model


def open_window(qtbot: QtBot, data_dir: Path, settings_path: Path) -> MainWindow:
    window = MainWindow(data_dir, ini_settings(settings_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.show()
    qtbot.waitExposed(window)
    return window


def test_each_archive_reopens_its_own_story_and_view(
    qtbot: QtBot, data_dir: Path, settings_path: Path, tmp_path: Path, open_story: Opener
) -> None:
    other_dir = tmp_path / "other"
    shutil.copytree(data_dir, other_dir)

    first = open_window(qtbot, data_dir, settings_path)
    first_story = open_story(first, "Lock Gates")
    first.close()

    second = open_window(qtbot, other_dir, settings_path)
    assert second.story_list.filter.view == "all"
    second.sidebar.select_key("view:unread")
    qtbot.waitUntil(lambda: second.story_list.filter.view == "unread", timeout=WAIT_MS)
    second_story = open_story(second, "Saffron")
    assert second_story != first_story
    second.close()

    again = open_window(qtbot, data_dir, settings_path)
    qtbot.waitUntil(lambda: again.opener.story_id == first_story, timeout=WAIT_MS)
    assert again.story_list.filter.view == "all", "not the other archive's filter"
    again.close()

    other_again = open_window(qtbot, other_dir, settings_path)
    qtbot.waitUntil(lambda: other_again.opener.story_id == second_story, timeout=WAIT_MS)
    assert other_again.sidebar.current_key == "view:unread"
    assert (data_dir / ARCHIVE_STATE_FILE).is_file() and (other_dir / ARCHIVE_STATE_FILE).is_file()


def test_layout_is_kept_per_archive(
    qtbot: QtBot, data_dir: Path, settings_path: Path, tmp_path: Path
) -> None:
    other_dir = tmp_path / "other"
    shutil.copytree(data_dir, other_dir)
    first = open_window(qtbot, data_dir, settings_path)
    sizes = first.splitter.sizes()
    first.splitter.setSizes([sizes[0] + 60, sizes[1] - 60, sizes[2]])
    first.table.horizontalHeader().resizeSection(story_model.SOURCE, 151)
    layout = (first.splitter.saveState(), first.table.horizontalHeader().saveState())
    first.close()

    fresh = open_window(qtbot, other_dir, settings_path)
    assert fresh.prefs.get("splitter/main").isEmpty(), "a new archive starts with the default"
    assert fresh.prefs.get("list/header").isEmpty()
    fresh.close()
    again = open_window(qtbot, data_dir, settings_path)
    assert (again.prefs.get("splitter/main"), again.prefs.get("list/header")) == layout
    assert again.table.horizontalHeader().sectionSize(story_model.SOURCE) == 151


def test_the_old_shared_state_is_dropped_once(
    qtbot: QtBot, data_dir: Path, settings_path: Path, open_story: Opener
) -> None:
    old = QSettings(str(settings_path), QSettings.Format.IniFormat)
    old.setValue("list/filter", "view:starred")
    old.setValue("list/story", 999_999)
    old.setValue("reader/zoom", 2)
    old.sync()

    window = open_window(qtbot, data_dir, settings_path)
    assert window.story_list.filter.view == "all", "the shared filter is not this archive's"
    assert window.reader.zoom_steps == 2, "the user's own settings are kept"
    window.close()

    kept = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert not kept.contains("list/filter") and not kept.contains("list/story")
    assert kept.value("reader/zoom") in (2, "2")
