"""What a feature gets instead of the window: the worker, the undo stack, the preferences, ways
to tell the user, the change bus, the open story and a parent for its dialogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from reader.archive import Archive
from reader.model import Story
from ui.core.change_bus import ChangeBus
from ui.core.settings import Prefs
from ui.core.worker import Worker

T = TypeVar("T")


class Notices(Protocol):
    """The Notifications list: messages that stay until the user clears them."""

    def add(self, message: str, detail: str = "") -> None: ...

    def reveal(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Services:
    worker: Worker
    undo_stack: QUndoStack
    prefs: Prefs
    changes: ChangeBus
    notify: Callable[[str, str], None]
    """Tell the user without interrupting: ``(message, detail)`` to the status bar and the
    Notifications list."""
    status: Callable[[str, int], None]
    """A passing status bar message, ``(message, milliseconds)``; 0 keeps it until the next."""
    notify_aside: Callable[[str, str], None]
    """Like ``notify``, for news of background work (an automatic backup saved): in the
    status bar only while it shows nothing else, so it never hides the answer to the
    analyst's own last action ("Archived … (Ctrl+Z to undo)")."""
    notices: Notices
    current_story: Callable[[], Story | None]
    """The story open in the reader, if any."""
    parent: QWidget
    """The widget dialogs and progress bars belong to."""


@dataclass(frozen=True, slots=True)
class LiveList(Generic[T]):
    """How a long operation shows new stories as they arrive: ``query`` (what the story list
    and the sidebar show now) runs on the worker between steps, and its answer goes to
    ``apply`` on the GUI thread."""

    query: Callable[[Archive], T]
    apply: Callable[[T], None]
