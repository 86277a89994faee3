"""The README's screenshot set (``--screenshots DIR``), made in-process into a temporary folder:
five PNGs of the window's size, each more than a blank grab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from main import main
from ui.showcase import SHOT_SIZE

NAMES = (
    "main.png",
    "list-with-facets.png",
    "saved-search.png",
    "bulk-selection.png",
    "reading-settings.png",
)


def test_screenshots_writes_the_set(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shots"
    assert main(["--screenshots", str(out)]) == 0
    assert capsys.readouterr().out.split() == [str(out / name) for name in NAMES]
    for name in NAMES:
        path = out / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = QImage(str(path))
        assert (image.width(), image.height()) == SHOT_SIZE, name
        # A window with text and colour in it, not one flat fill: many distinct colours.
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colours) > 50, name
