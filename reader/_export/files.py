"""Writing an export file safely: all of it, or (on failure) nothing, and never over another
writer's half-written copy."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from reader import _killpoints
from reader.errors import ExportError


def write_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """Call ``write`` on ``target.PID.part``, then rename it over ``target``; returns what
    ``write`` returned. A failed write leaves no half file, and the pid in the name lets the
    archive's start clean up after a killed writer without touching a live one's."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            count = write(fh)
            _killpoints.step("export.part_filled")
        _killpoints.step("export.part_closed")
        partial.replace(target)
        _killpoints.step("export.renamed")
    except OSError as err:
        with suppress(OSError):
            partial.unlink()
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    return count
