"""Help ▸ About: the version, where this archive lives, and what the window runs on."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from reader import __version__


def about_text(data_dir: Path) -> str:
    return (
        f"<h3>Story Reader {html.escape(__version__)}</h3>"
        "<p>Collect, read, highlight and search the day's stories, offline.</p>"
        f"<p>Archive: <code>{html.escape(str(data_dir))}</code></p>"
        f"<p>Python {html.escape(platform.python_version())}, Qt {html.escape(qVersion())}"
        f" (PySide6 {html.escape(pyside_version)})</p>"
        "<p>MIT licence. Press ? for every keyboard shortcut.</p>"
    )


def show_about(parent: QWidget, data_dir: Path) -> None:
    QMessageBox.about(parent, "About Story Reader", about_text(data_dir))
