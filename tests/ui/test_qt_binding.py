"""The Qt binding itself: a known-bad release would abort the window after a few thousand
worker operations, so the suite refuses it loudly instead."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(int)


def test_emitting_signals_keeps_reference_counts() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.value.connect(received.append)
    before = sys.getrefcount(True)
    for n in range(500):
        emitter.value.emit(n)
    after = sys.getrefcount(True)
    assert received == list(range(500))
    # A bad binding loses one reference per emit; a few stray references are just noise.
    assert abs(after - before) < 20, "this PySide6 loses a reference per emit (6.12.0)"
