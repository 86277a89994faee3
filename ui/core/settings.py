"""The window's settings, declared as data (key, default, scope), stored with QSettings.

Two scopes: the user's own (theme, reading comfort, the window's place on screen) in the user's
QSettings, and the archive's (the open story, the list's view and order, the splitters) in an
ini file inside the archive's data directory, so opening another archive restores its own state
and never the other's. The application passes the user's QSettings; tests pass one backed by an
ini file in a temporary folder, so they never touch the real user settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "story-reader"
APPLICATION = "story-reader"
ARCHIVE_STATE_FILE = "window-state.ini"
"""The archive's own window state, beside its database in the data directory."""


class Scope(StrEnum):
    USER = "user"
    ARCHIVE = "archive"


@dataclass(frozen=True, slots=True)
class Setting:
    default: Any
    scope: Scope


SETTINGS: dict[str, Setting] = {
    "window/geometry": Setting(QByteArray(), Scope.USER),
    "window/state": Setting(QByteArray(), Scope.ARCHIVE),
    "splitter/main": Setting(QByteArray(), Scope.ARCHIVE),
    "splitter/right": Setting(QByteArray(), Scope.ARCHIVE),
    "list/filter": Setting("view:all", Scope.ARCHIVE),
    "list/story": Setting(0, Scope.ARCHIVE),
    "list/sort_column": Setting(3, Scope.ARCHIVE),
    "list/sort_descending": Setting(True, Scope.ARCHIVE),
    "list/header": Setting(QByteArray(), Scope.ARCHIVE),
    "list/preview": Setting(False, Scope.USER),
    "reader/zoom": Setting(0, Scope.USER),
    "reader/font_family": Setting("", Scope.USER),
    "reader/line_height": Setting(140, Scope.USER),
    "reader/column_chars": Setting(70, Scope.USER),
    "reader/mark_read_on_open": Setting(True, Scope.USER),
    "export/folder": Setting("", Scope.USER),
    "export/format": Setting("json", Scope.USER),
    "feeds/refresh_minutes": Setting(60, Scope.USER),
}
"""Every setting: its default and where it is kept."""

DEFAULTS: dict[str, Any] = {key: setting.default for key, setting in SETTINGS.items()}

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


def archive_settings(data_dir: Path) -> QSettings:
    """The window state of the archive in ``data_dir``."""
    return ini_settings(Path(data_dir) / ARCHIVE_STATE_FILE)


def forget_shared_state(user: QSettings) -> None:
    """Drop the archive's keys from the user's settings, where one state served every archive
    before. It never said which archive it was for, so it cannot be given to one: each archive
    starts clean once, rather than reopening another archive's story and filter."""
    for key, setting in SETTINGS.items():
        if setting.scope == Scope.ARCHIVE and user.contains(key):
            user.remove(key)


class Prefs:
    """Typed access to the declared settings, each in its scope's store; an undeclared key is a
    programming error."""

    def __init__(self, user: QSettings, archive: QSettings) -> None:
        forget_shared_state(user)
        self.stores = {Scope.USER: user, Scope.ARCHIVE: archive}

    def _store(self, key: str) -> QSettings:
        return self.stores[SETTINGS[key].scope]

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value = self._store(key).value(key, default)
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
        if key not in SETTINGS:
            raise KeyError(key)
        self._store(key).setValue(key, value)

    def sync(self) -> None:
        for store in self.stores.values():
            store.sync()
