"""Files and folders to import: expands folders recursively, keeps only the kinds we read, and
turns every unreadable path into a one-line failure instead of an exception."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.errors import SourceError

IMPORTABLE_SUFFIXES = frozenset({".html", ".htm", ".md", ".markdown", ".txt"})
MAX_FILE_BYTES = 50 * 1024 * 1024
FOLDER_FURNITURE = frozenset({"readme", "license", "licence", "changelog", "contributing"})
"""Stems of files that describe a folder rather than hold a story; skipped inside folders."""


@dataclass(frozen=True, slots=True)
class FileItem:
    """One file found for import, or (``error`` set) a path that could not be used."""

    path: Path
    error: str | None = None


def collect_files(paths: Iterable[str | Path]) -> list[FileItem]:
    """Every importable file under ``paths`` in a stable order; missing paths become errors.

    A file named explicitly is taken whatever its suffix (the parser decides); inside folders
    only the importable suffixes are taken, and a folder's README or LICENSE is left out, so a
    folder of mixed files imports cleanly.
    """
    items: list[FileItem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            items.extend(_walk(path))
        elif path.is_file():
            items.append(FileItem(path))
        elif path.exists():
            items.append(FileItem(path, "not a regular file"))
        else:
            items.append(FileItem(path, "no such file or folder"))
    return items


def _walk(folder: Path) -> Iterator[FileItem]:
    try:
        children = sorted(folder.iterdir())
    except OSError as err:
        yield FileItem(folder, f"cannot read folder: {err.strerror or err}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif (
            child.suffix.lower() in IMPORTABLE_SUFFIXES
            and child.stem.lower() not in FOLDER_FURNITURE
            and child.is_file()
        ):
            yield FileItem(child)


def read_file(path: Path) -> bytes:
    """The file's bytes; raises SourceError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(f"file is too large ({size // (1024 * 1024)} MB; limit 50 MB)")
        return path.read_bytes()
    except SourceError:
        raise
    except OSError as err:
        raise SourceError(f"cannot read file: {err.strerror or err}") from err
