"""Writing command output to a file safely: all of it, or (on failure) nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from reader.archive import kill_point
from reader.errors import ExportError


def write_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write to ``target.PID.part``, then rename, so a failed write leaves no half file; the
    pid in the name lets the archive's start clean up after a killed writer (in the data and
    backups folders) without touching a live one's."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            count = write(fh)
            kill_point("export.part_filled")
        kill_point("export.part_closed")
        partial.replace(target)
        kill_point("export.renamed")
    except OSError as err:
        with suppress(OSError):
            partial.unlink()
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    return count
