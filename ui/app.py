"""Starts the window: the QApplication, the error hook, the --screenshot mode that renders the
window offscreen to a PNG and exits, and the --screenshots mode that writes the README's set."""

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

from reader.archive import REFERENCE_ENV_VAR, resolve_data_dir
from ui.core.settings import APPLICATION, ORGANIZATION, ini_settings, user_settings
from ui.main_window import MainWindow
from ui.showcase import SHOT_SIZE, Showcase, Stage, showcase_story

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
        self.window.resize(*SHOT_SIZE)
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


def stage(window: MainWindow) -> Stage:
    """The window's features, for the showcase to drive."""
    return Stage(
        window=window,
        worker=window.worker,
        search_bar=window.search,
        search=window.searcher,
        results=window.results,
        facets=window.facet_chips,
        saved=window.saved_searches,
        story_list=window.story_list,
        opener=window.opener,
        panel=window.panel,
        triage=window.triage,
        reading=window.reading,
    )


def run_showcase(app: QApplication, folder: Path) -> int:
    """Write the screenshot set into ``folder`` from a window on a fresh sample archive (only
    the bundled samples: the team's reference page is not ours to show)."""
    hook = sys.excepthook
    reference = os.environ.pop(REFERENCE_ENV_VAR, None)
    try:
        with tempfile.TemporaryDirectory(prefix="story-reader-shots-") as tmp:
            scratch = Path(tmp)
            window = MainWindow(
                scratch / "data",
                ini_settings(scratch / "settings.ini"),
                archive_state=ini_settings(scratch / "archive-state.ini"),
            )
            install_excepthook(window)
            show = Showcase(app, stage(window), folder, scratch)
            window.ready.connect(show.on_window_ready)
            window.openFailed.connect(show.fail)
            show.start()
            app.exec()
            window.close()
            window.deleteLater()
            return show.status
    finally:
        sys.excepthook = hook
        if reference is not None:
            os.environ[REFERENCE_ENV_VAR] = reference


def run_gui(args: argparse.Namespace) -> int:
    """Open the window (or render it to ``args.screenshot``, or the screenshot set into
    ``args.screenshots``); returns the exit status."""
    screenshot = getattr(args, "screenshot", None)
    screenshots = getattr(args, "screenshots", None)
    if (screenshot or screenshots) and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Story Reader")
    if screenshots:
        return run_showcase(app, Path(screenshots).expanduser().resolve())
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
