"""Highlight colours: one hue per reader.model.Color, drawn translucent so the text keeps the
palette's own colour (readable in light and dark mode) and overlapping highlights blend."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from reader.model import Color

HUES: dict[Color, tuple[int, int, int]] = {
    Color.YELLOW: (255, 210, 0),
    Color.GREEN: (60, 200, 100),
    Color.BLUE: (60, 150, 255),
    Color.PINK: (255, 90, 170),
    Color.PURPLE: (160, 100, 255),
}

LABELS: dict[Color, str] = {c: c.value.capitalize() for c in Color}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def swatch(color: Color) -> QColor:
    """The opaque colour of a swatch or a colour button."""
    return QColor(*HUES[color])


def highlight_background(color: Color, palette: QPalette | None = None) -> QColor:
    """The translucent background a highlight is drawn with in the reader."""
    alpha = 125 if is_dark(palette) else 110
    return QColor(*HUES[color], alpha)


def search_mark(palette: QPalette | None = None) -> QColor:
    """The background of words matched by a search (orange, distinct from every highlight)."""
    return QColor(255, 140, 0, 150 if is_dark(palette) else 120)


def error_text(palette: QPalette | None = None) -> QColor:
    return QColor(255, 120, 120) if is_dark(palette) else QColor(190, 30, 30)
