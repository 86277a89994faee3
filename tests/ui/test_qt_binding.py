"""The Qt binding itself: a known-bad release would abort the window after a few thousand
worker operations, so the suite refuses it loudly instead."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(object)


class _Payload:
    """A fresh object, so its reference count is its own (True and small ints are immortal
    from Python 3.12 on, and would count nothing)."""


def test_emitting_signals_keeps_reference_counts() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.value.connect(lambda payload: received.append(id(payload)))
    payload = _Payload()
    before = sys.getrefcount(payload)
    for _ in range(500):
        emitter.value.emit(payload)
    after = sys.getrefcount(payload)
    assert received == [id(payload)] * 500
    # A bad binding loses (or leaks) one reference per emit; a few stray ones are just noise.
    assert abs(after - before) < 20, "this PySide6 miscounts references on emit (6.12.0)"
