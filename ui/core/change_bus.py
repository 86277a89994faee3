"""The one change bus: the archive's change events, as the worker forwards them, broadcast once
per batch as one typed :class:`Changes`; every view decides for itself whether what changed is
what it shows (like Anki's OpChanges and operation_did_execute).

A batch is what one operation of the analyst changed, broadcast as soon as the operation has
ended (a new highlight is drawn without waiting for a timer); while operations follow each
other closely (an undo of five edits, a refresh of many feeds), at most one batch goes out per
:data:`COALESCE_MS`, the rest gathered into the next."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from reader.model import Changed

COALESCE_MS = 40
"""The shortest time between two broadcasts; changes arriving sooner wait for the next one."""


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

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._pending: set[Changed] = set()
        self._clock = clock
        self._last = -float("inf")
        """When the last batch went out, by ``clock`` (seconds)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.on_timer_timeout)

    @Slot(object)
    def on_worker_changed(self, what: Changed) -> None:
        """A change, reported while an operation runs: it goes out when the operation ends
        (:meth:`on_worker_operationEnded`), or after :data:`COALESCE_MS` at the latest (a
        change that no operation's end follows)."""
        self._pending.add(what)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def on_worker_operationEnded(self) -> None:
        """An operation's results were delivered: what it changed goes out now, unless a
        batch went out less than :data:`COALESCE_MS` ago (then the timer sends it)."""
        if not self._pending:
            return
        wait_ms = COALESCE_MS - (self._clock() - self._last) * 1000
        if wait_ms <= 0:
            self._timer.stop()
            self._broadcast()
        elif not self._timer.isActive() or self._timer.remainingTime() > wait_ms:
            self._timer.start(max(1, int(wait_ms)))

    @Slot()
    def on_timer_timeout(self) -> None:
        self._broadcast()

    def _broadcast(self) -> None:
        pending, self._pending = self._pending, set()
        if pending:
            self._last = self._clock()
            self.changed.emit(Changes(frozenset(pending)))
