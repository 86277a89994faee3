"""Which files of the index a commit may delete as leftovers.

Whoosh deletes, at every commit, each segment file the new table of contents does not name:
what a failed or interrupted writer left behind. A merge beside the writers
(:mod:`reader._search.merging`) writes such files for minutes before its own commit names
them, so while it is under way a marker file names the process running it, and commits keep
unnamed segment files until it is done. A marker whose process is gone (it crashed) is
ignored, and the next commit deletes what it left.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from reader._processes import pid_alive

MARKER_FILE = "merging.json"
"""In the index folder while a merge is under way: ``{"pid": …}`` of the process running it."""


def mark_merging(directory: Path) -> None:
    """Say that this process is merging (before the merged segment's first file exists)."""
    path = Path(directory) / MARKER_FILE
    temporary = path.with_name(f"{MARKER_FILE}.tmp")
    temporary.write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")
    os.replace(temporary, path)


def unmark_merging(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (Path(directory) / MARKER_FILE).unlink()


def merge_under_way(directory: Path) -> bool:
    """Whether a live process says it is merging."""
    try:
        text = (Path(directory) / MARKER_FILE).read_text(encoding="utf-8")
        pid = int(json.loads(text)["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return pid_alive(pid)


def clean(storage: Any, indexname: str, generation: int, segments: list[Any]) -> None:
    """Whoosh's ``clean_files`` after a commit of ``generation``, keeping every segment file
    while a merge is under way (only older tables of contents are deleted then)."""
    from whoosh.index import TOC, clean_files

    folder = getattr(storage, "folder", None)
    if folder is None or not merge_under_way(Path(folder)):
        clean_files(storage, indexname, generation, segments)
        return
    pattern = TOC._pattern(indexname)
    for filename in storage:
        match = pattern.match(filename)
        if match and int(match.group(1)) != generation:
            with contextlib.suppress(OSError):
                storage.delete_file(filename)
