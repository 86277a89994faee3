"""How the reader sets a story: font family, size, line height and the column's measure, with
their limits, read from and written to the user's settings."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ui.core.settings import DEFAULTS, Prefs

ZOOM_RANGE = (-6, 16)
"""Points below and above the default reading size."""
LINE_HEIGHT_RANGE = (100, 220)
"""Percent of the font's own line height."""
COLUMN_RANGE = (40, 120)
"""Characters of an average width per line at most; the column is centred."""


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


@dataclass(frozen=True, slots=True)
class ReadingStyle:
    family: str = str(DEFAULTS["reader/font_family"])
    """The font family; empty for the reader's own list of serif faces."""
    zoom: int = int(DEFAULTS["reader/zoom"])
    line_height: int = int(DEFAULTS["reader/line_height"])
    column_chars: int = int(DEFAULTS["reader/column_chars"])

    def clamped(self) -> ReadingStyle:
        return replace(
            self,
            zoom=_clamp(self.zoom, ZOOM_RANGE),
            line_height=_clamp(self.line_height, LINE_HEIGHT_RANGE),
            column_chars=_clamp(self.column_chars, COLUMN_RANGE),
        )

    @classmethod
    def from_prefs(cls, prefs: Prefs) -> ReadingStyle:
        return cls(
            family=prefs.get("reader/font_family"),
            zoom=prefs.get("reader/zoom"),
            line_height=prefs.get("reader/line_height"),
            column_chars=prefs.get("reader/column_chars"),
        ).clamped()

    def save(self, prefs: Prefs) -> None:
        prefs.set("reader/font_family", self.family)
        prefs.set("reader/zoom", self.zoom)
        prefs.set("reader/line_height", self.line_height)
        prefs.set("reader/column_chars", self.column_chars)
