"""The window's settings, declared as data (key, default), stored with QSettings.

The application passes the user's QSettings; tests pass one backed by an ini file in a temporary
folder, so they never touch the real user settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "story-reader"
APPLICATION = "story-reader"

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "splitter/main": QByteArray(),
    "splitter/right": QByteArray(),
    "list/filter": "view:all",
    "list/story": 0,
    "list/sort_column": 3,
    "list/sort_descending": True,
    "reader/zoom": 0,
    "reader/mark_read_on_open": True,
    "export/folder": "",
    "export/format": "json",
    "feeds/refresh_minutes": 60,
}

REFRESH_INTERVALS: tuple[tuple[int, str], ...] = (
    (0, "Off"),
    (15, "Every 15 minutes"),
    (30, "Every 30 minutes"),
    (60, "Every hour"),
    (180, "Every 3 hours"),
)
"""The choices of "feeds/refresh_minutes" (0: no scheduled refresh)."""


def user_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def ini_settings(path: Path) -> QSettings:
    """Settings kept in one ini file (tests, --screenshot)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class Prefs:
    """Typed access to the declared settings; an undeclared key is a programming error."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value = self.settings.value(key, default)
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, int):
            try:
                return int(str(value))
            except (TypeError, ValueError):
                return default
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else default
        return str(value)

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        self.settings.setValue(key, value)

    def sync(self) -> None:
        self.settings.sync()
