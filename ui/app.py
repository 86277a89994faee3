"""Starts the window: the QApplication, the error hook, and the --screenshot mode that renders
the window offscreen to a PNG and exits."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from reader.archive import Archive, resolve_data_dir
from reader.model import View
from ui.core.settings import APPLICATION, ORGANIZATION, ini_settings, user_settings
from ui.main_window import MainWindow

SCREENSHOT_SIZE = (1400, 900)
SCREENSHOT_TIMEOUT_MS = 120_000

log = logging.getLogger("ui")


class _ErrorRelay(QObject):
    """Carries an error from whichever thread raised it to the window on the GUI thread."""

    raised = Signal(object)


def install_excepthook(window: MainWindow) -> None:
    """Log programming errors and tell the user without a dialog, instead of quitting."""
    relay = _ErrorRelay(window)
    relay.raised.connect(window.report_internal_error)

    def hook(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, err, tb)
            return
        log.error("internal error", exc_info=(kind, err, tb))
        relay.raised.emit(err)

    sys.excepthook = hook


def showcase_story(archive: Archive) -> int | None:
    """The first story with highlights in two colours and a note, else with highlights."""
    ids = archive.story_ids(view=View.ALL)[:500]
    with_highlights = None
    for story_id in ids:
        highlights = archive.highlights(story_id)
        if not highlights:
            continue
        with_highlights = with_highlights or story_id
        if len({h.color for h in highlights}) >= 2 and archive.notes(story_id):
            return story_id
    return with_highlights or (ids[0] if ids else None)


class Screenshot(QObject):
    """Drives the window to a showcase story, grabs it to ``path`` and ends the event loop."""

    def __init__(self, app: QApplication, window: MainWindow, path: Path) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.path = path
        self.status = 1
        window.ready.connect(self.on_window_ready)
        window.openFailed.connect(self.fail)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(lambda: self.fail("timed out waiting for the window"))

    def start(self) -> None:
        self.window.resize(*SCREENSHOT_SIZE)
        self.window.show()
        self._timeout.start(SCREENSHOT_TIMEOUT_MS)

    @Slot()
    def on_window_ready(self) -> None:
        self.window.worker.run(showcase_story, done=self.on_story_picked)

    def on_story_picked(self, story_id: int | None) -> None:
        if story_id is None:
            self.shoot()
            return
        self.window.opener.storyOpened.connect(self.on_opener_storyOpened)
        if self.window.opener.story_id == story_id:
            self.on_opener_storyOpened(story_id)
        else:
            self.window.story_list.select_story(story_id)

    @Slot(int)
    def on_opener_storyOpened(self, _story_id: int) -> None:
        self.window.opener.storyOpened.disconnect(self.on_opener_storyOpened)
        panel = self.window.panel
        if panel.model.items:
            panel.select_highlight(panel.model.items[0].id)
        self.shoot()

    def shoot(self) -> None:
        self.app.processEvents()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.path)):
            self.fail(f"cannot write {self.path}")
            return
        print(self.path)
        self.status = 0
        self.app.exit(0)

    @Slot(str)
    def fail(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        self.status = 1
        self.app.exit(1)


def run_gui(args: argparse.Namespace) -> int:
    """Open the window (or render it to ``args.screenshot``); returns the exit status."""
    screenshot = getattr(args, "screenshot", None)
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Story Reader")
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    if not screenshot:
        window = MainWindow(data_dir, user_settings())
        install_excepthook(window)
        window.show()
        # Ask for keyboard focus so j/k and / work before the first click, also where no
        # window manager activates new windows.
        window.raise_()
        window.activateWindow()
        return app.exec()
    with tempfile.TemporaryDirectory(prefix="story-reader-shot-") as tmp:
        window = MainWindow(
            data_dir,
            ini_settings(Path(tmp) / "settings.ini"),
            archive_state=ini_settings(Path(tmp) / "archive-state.ini"),
        )
        install_excepthook(window)
        shot = Screenshot(app, window, Path(screenshot).expanduser().resolve())
        shot.start()
        app.exec()
        status = shot.status
        window.close()
    return status
