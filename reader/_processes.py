"""Whether another process is still there: for files that name the process writing them (a
backup's ``.part``, a restore's journal, the index's merge marker), so that a later start can
tell a dead writer's leftovers from a live one's work. Dependency-free, for any layer."""

from __future__ import annotations

import os


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
