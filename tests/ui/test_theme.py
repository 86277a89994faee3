"""Colours follow the palette: placeholders, the reader's header line, highlights and search
marks stay readable in a dark theme as in a light one."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from reader.model import Color
from tests.ui.conftest import WAIT_MS, Opener
from ui.core.colors import contrast, highlight_background, mix, muted_text, search_mark
from ui.main_window import MainWindow

READABLE = 4.5
RGB = tuple[int, int, int]


def themed(text: RGB, base: RGB) -> QPalette:
    """A palette as a theme sets it: text and backgrounds, no placeholder colour of its own."""
    palette = QPalette()
    for role, rgb in (
        (QPalette.ColorRole.Window, base),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, base),
        (QPalette.ColorRole.Button, base),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.ButtonText, text),
    ):
        palette.setColor(role, QColor(*rgb))
    return palette


DARK: tuple[RGB, RGB] = ((220, 220, 220), (30, 30, 32))
LIGHT: tuple[RGB, RGB] = ((0, 0, 0), (255, 255, 255))


def on(background: QColor, color: QColor) -> QColor:
    """``color`` as it shows on ``background`` (alpha blended)."""
    return mix(background, QColor(color.red(), color.green(), color.blue()), color.alphaF())


def readable(color: QColor, palette: QPalette) -> float:
    base = palette.color(QPalette.ColorRole.Base)
    return contrast(on(base, color), base)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=["dark", "light"])
def test_marks_and_muted_text_are_readable(theme: tuple[RGB, RGB]) -> None:
    palette = themed(*theme)
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    assert contrast(muted_text(palette), base) >= READABLE
    for background in [highlight_background(c, palette) for c in Color] + [search_mark(palette)]:
        assert contrast(text, on(base, background)) >= READABLE
        assert background.alpha() >= 40, "still visibly coloured"


def test_placeholders_and_header_read_on_a_dark_palette(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    qtbot.waitUntil(lambda: window.reader.story is not None, timeout=WAIT_MS)
    open_story(window, "Quiet Harbour")  # a story without a date of its own
    dark = themed(*DARK)
    window.setPalette(dark)
    placeholder = QPalette.ColorRole.PlaceholderText
    for widget in (window.reader, window.search.edit, window.panel.story_note):
        assert readable(widget.palette().color(placeholder), widget.palette()) >= READABLE
    doc = window.reader.document()
    header = doc.firstBlock().next()
    assert "   Added " in header.text(), "a story without a published date says when it came"
    colour = header.begin().fragment().charFormat().foreground().color()
    assert readable(colour, window.reader.palette()) >= READABLE
