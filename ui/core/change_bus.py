"""The one change bus: the archive's change events, as the worker forwards them, coalesced over
a few milliseconds and broadcast once per batch as one typed :class:`Changes`; every view
decides for itself whether what changed is what it shows (like Anki's OpChanges and
operation_did_execute)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from reader.model import Changed

COALESCE_MS = 40
"""A burst of writes (an undo of five edits, a refresh) is broadcast as one batch."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What one batch of archive writes changed."""

    kinds: frozenset[Changed]

    def __contains__(self, kind: object) -> bool:
        return kind in self.kinds

    def any(self, *kinds: Changed) -> bool:
        """Whether any of ``kinds`` changed."""
        return not self.kinds.isdisjoint(kinds)


class ChangeBus(QObject):
    changed = Signal(object)
    """A :class:`Changes`, once per batch."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[Changed] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.on_timer_timeout)

    @Slot(object)
    def on_worker_changed(self, what: Changed) -> None:
        self._pending.add(what)
        self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        pending, self._pending = self._pending, set()
        if pending:
            self.changed.emit(Changes(frozenset(pending)))
