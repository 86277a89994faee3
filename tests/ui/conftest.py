"""Shared fixtures for the window tests: a small archive imported from our fixture files (built
once per session, copied for each test), a settings file in the temporary folder (never the
user's), and an open, loaded window."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reader.archive import DB_FILENAME, Archive
from reader.model import Story, StorySummary
from ui.core.settings import ini_settings
from ui.main_window import MainWindow

FIXTURES = Path(__file__).parent / "fixtures"
WAIT_MS = 60_000
"""A generous bound on waiting for a condition; a busy machine is slow, not wrong."""


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture stories imported and indexed once; tests get a copy (see ``data_dir``)."""
    folder = tmp_path_factory.mktemp("seeded") / "data"
    with Archive(folder) as archive:
        report = archive.import_paths([FIXTURES])
        assert len(report.imported) == 4 and not report.failed
        archive.sync_index()
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, seeded_data_dir: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(seeded_data_dir, folder)
    return folder


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


def generated_archive(folder: Path, count: int) -> Path:
    """An archive of ``count`` short stories, inserted directly (test-only) for speed."""
    with Archive(folder) as archive:
        archive.sync_index()
    with sqlite3.connect(folder / DB_FILENAME) as db:
        stamp = "2026-01-01T00:00:00.000000+00:00"
        db.executemany(
            "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (f"Story number {i}", stamp, f"Body of story {i}.", f"hash{i}", stamp, stamp)
                for i in range(count)
            ),
        )
    (folder / ".samples-imported").write_text("seeded\n")
    return folder


WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, data_dir: Path, settings_path: Path) -> Iterator[WindowFactory]:
    """Opens a window on ``data_dir`` and waits until its list is loaded."""

    yield lambda: open_window(qtbot, data_dir, settings_path)


def open_window(qtbot: QtBot, data_dir: Path, settings_path: Path) -> MainWindow:
    """A window on ``data_dir``, shown, once its list is loaded."""
    window = MainWindow(data_dir, ini_settings(settings_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


def story_id_titled(window: MainWindow, prefix: str) -> int:
    model = window.story_model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.title.startswith(prefix):
            return summary.id
    raise AssertionError(f"no story titled {prefix!r}")


Opener = Callable[[MainWindow, str], int]


@pytest.fixture
def open_story(qtbot: QtBot) -> Opener:
    """Selects the story whose title starts with a prefix and waits until the reader shows it."""

    def open_(window: MainWindow, prefix: str) -> int:
        story_id = story_id_titled(window, prefix)
        if window.opener.story_id != story_id:
            with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
                window.story_list.select_story(story_id)
        return story_id

    return open_


def summary_at(window: MainWindow, row: int) -> StorySummary:
    """The story list's row ``row``, which the test knows is there."""
    summary = window.story_model.summary(row)
    assert summary is not None, f"no story in row {row}"
    return summary


def shown_story(window: MainWindow) -> Story:
    """The story the reader shows, which the test has opened."""
    story = window.reader.story
    assert story is not None, "no story open in the reader"
    return story


def on_worker(qtbot: QtBot, window: MainWindow, fn: Callable[[Archive], Any]) -> Any:
    """Run ``fn`` on the window's worker (after what is queued) and return its result."""
    results: list[Any] = []
    window.worker.run(fn, write=True, done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    return results[0]


def read_archive(window: MainWindow) -> Archive:
    """The window's own read connection, open once the window is ready."""
    archive = window.read_archive
    assert archive is not None, "the window's archive is not open"
    return archive
