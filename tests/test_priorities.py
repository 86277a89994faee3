"""Background work lowers the priority of its own thread only (Linux keeps a nice value per
thread), never of the window's threads."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from reader._processes import BACKGROUND_NICENESS, lower_priority

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a nice value per thread is Linux's"
)


def _niceness_in_a_thread(before: int | None = None) -> tuple[int, bool]:
    seen: list[tuple[int, bool]] = []

    def run() -> None:
        me = threading.get_native_id()
        if before is not None:
            os.setpriority(os.PRIO_PROCESS, me, before)
        lowered = lower_priority()
        seen.append((os.getpriority(os.PRIO_PROCESS, me), lowered))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return seen[0]


def test_a_background_thread_is_lowered_and_the_calling_thread_is_not() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    niceness, lowered = _niceness_in_a_thread()
    assert lowered
    assert niceness == max(mine, BACKGROUND_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


def test_a_thread_already_nicer_stays_as_nice() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    nicer = max(mine, BACKGROUND_NICENESS) + 2
    niceness, _lowered = _niceness_in_a_thread(before=nicer)
    assert niceness == nicer
