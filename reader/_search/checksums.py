"""Checksums of the index's segment files. Whoosh keeps none, and some damage decodes into
plausible values (a field-length file is one byte per document: any byte is a length), so
reading every segment cannot find it. A segment's files never change once committed (deletions
live in the table of contents), so each is hashed once, after the commit that added it, and
compared by :func:`verify`.

The record is only ever a help: a segment committed by a process that died before recording
it has no checksum and is simply not compared; a file is never reported for a checksum it
did not have.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

CHECKSUM_FILE = "reader-checksums.json"
_CHUNK = 1 << 20


def _digest(path: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _load(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / CHECKSUM_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def segment_files(directory: Path, segment_ids: Iterable[str]) -> list[str]:
    """The files of the given (committed) segments: ``SEGMENTID.ext``."""
    prefixes = tuple(f"{segment_id}." for segment_id in segment_ids)
    if not prefixes:
        return []
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(name for name in names if name.startswith(prefixes))


def record(directory: Path, segment_ids: Iterable[str]) -> None:
    """Hash the files of the committed segments that have no checksum yet and forget the
    files of segments that are gone. Best effort: a failure leaves the record as it was."""
    files = segment_files(directory, segment_ids)
    known = _load(directory)
    updated: dict[str, str] = {}
    try:
        for name in files:
            updated[name] = known.get(name) or _digest(directory / name)
        temp = directory / f"{CHECKSUM_FILE}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(updated, sort_keys=True), encoding="utf-8")
        os.replace(temp, directory / CHECKSUM_FILE)
    except OSError:
        with suppress(OSError):
            (directory / f"{CHECKSUM_FILE}.{os.getpid()}.tmp").unlink()


def verify(directory: Path, segment_ids: Iterable[str]) -> str | None:
    """The first file of the given segments whose content differs from its checksum (one
    line), or None."""
    known = _load(directory)
    for name in segment_files(directory, segment_ids):
        wanted = known.get(name)
        if wanted is None:
            continue
        try:
            found = _digest(directory / name)
        except OSError as err:
            return f"cannot read {name}: {err.strerror or err}"
        if found != wanted:
            return f"{name} does not match its checksum"
    return None
