"""Highlight colours: one hue per reader.model.Color, drawn translucent so the text keeps the
palette's own colour and overlapping highlights blend. Every colour is derived from the palette
and kept readable (WCAG contrast of at least 4.5 with the text) in light and dark themes."""

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
SEARCH_HUE = (255, 140, 0)
"""Words matched by a search: orange, distinct from every highlight."""

LABELS: dict[Color, str] = {c: c.value.capitalize() for c in Color}


def color_label(color: Color, names: dict[Color, str] | None = None) -> str:
    """A colour as menus and tooltips show it: "Yellow", or "Yellow — claim" once the codebook
    names it."""
    name = (names or {}).get(color)
    return f"{LABELS[color]} — {name}" if name else LABELS[color]


MIN_CONTRAST = 4.5
MIN_ALPHA = 40


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``, opaque."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def muted_text(palette: QPalette | None = None) -> QColor:
    """Secondary text (bylines, dates, placeholders): between the text and the background, so it
    reads in any theme, unlike a fixed grey."""
    palette = palette or QApplication.palette()
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)


def _readable(hue: tuple[int, int, int], alpha: int, text: QColor, base: QColor) -> QColor:
    # The most opaque version of ``hue`` (up to ``alpha``) that ``text`` stays readable on.
    while alpha > MIN_ALPHA and contrast(text, mix(base, QColor(*hue), alpha / 255)) < MIN_CONTRAST:
        alpha -= 5
    return QColor(*hue, alpha)


def _text_and_base(palette: QPalette | None) -> tuple[QColor, QColor]:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)


def swatch(color: Color) -> QColor:
    """The opaque colour of a swatch or a colour button."""
    return QColor(*HUES[color])


def highlight_background(color: Color, palette: QPalette | None = None) -> QColor:
    """The translucent background a highlight is drawn with in the reader."""
    return _readable(HUES[color], 125 if is_dark(palette) else 110, *_text_and_base(palette))


def search_mark(palette: QPalette | None = None) -> QColor:
    """The background of words matched by a search."""
    return _readable(SEARCH_HUE, 150 if is_dark(palette) else 120, *_text_and_base(palette))


def opaque_search_mark(text: QColor, background: QColor) -> QColor:
    """The search mark laid on ``background`` (for rich text, which cannot blend colours)."""
    mark = _readable(SEARCH_HUE, 150 if background.lightness() < 128 else 120, text, background)
    return mix(background, QColor(*SEARCH_HUE), mark.alphaF())


def error_text(palette: QPalette | None = None) -> QColor:
    return QColor(255, 120, 120) if is_dark(palette) else QColor(190, 30, 30)
