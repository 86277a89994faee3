"""Processes and priorities, dependency-free for any layer: whether another process is still
there (for files that name the process writing them: a backup's ``.part``, a restore's
journal, the index's merge marker, so that a later start can tell a dead writer's leftovers
from a live one's work), and lowering the priority of background work."""

from __future__ import annotations

import os
import sys
import threading
from contextlib import suppress

BACKGROUND_NICENESS = 10
"""The niceness of background work (indexing, backups): the window's own threads go first."""


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user's counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lower_priority(niceness: int = BACKGROUND_NICENESS, *, whole_process: bool = False) -> bool:
    """Make the calling thread at least ``niceness`` nice, so that the processor goes to the
    window's threads first; returns whether it could.

    On Linux the nice value belongs to each thread (setpriority(2)), and threads and
    processes started from this thread inherit it. Elsewhere it belongs to the process, so
    only ``whole_process`` (a process of its own, such as an indexing worker) lowers it.
    Never raises: a priority is a preference."""
    with suppress(OSError, AttributeError):
        if sys.platform.startswith("linux"):
            thread = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, thread)
            if current < niceness:
                os.setpriority(os.PRIO_PROCESS, thread, niceness)
            return True
        if whole_process:
            current = os.getpriority(os.PRIO_PROCESS, 0)
            if current < niceness:
                os.nice(niceness - current)
            return True
    return False
