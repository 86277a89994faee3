"""Files and folders to import: expands folders recursively, keeps only the kinds we read, says
what each file is (a document, one e-mail message, an mbox), and turns every unreadable path
into a one-line failure instead of an exception."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reader._sources.mail import looks_like_mail, looks_like_mbox
from reader.errors import SourceError

MAIL_SUFFIXES = frozenset({".eml"})
MBOX_SUFFIXES = frozenset({".mbox"})
IMPORTABLE_SUFFIXES = (
    frozenset({".html", ".htm", ".md", ".markdown", ".txt"}) | MAIL_SUFFIXES | MBOX_SUFFIXES
)
MAILDIR_PARTS = ("cur", "new", "tmp")
"""The folders that make a folder a Maildir; messages are taken from new and cur."""
_SNIFF_BYTES = 64 * 1024
_MB = 1024 * 1024
MAX_FILE_BYTES = 50 * _MB
FOLDER_FURNITURE = frozenset({"readme", "license", "licence", "changelog", "contributing"})
"""Stems of files that describe a folder rather than hold a story; skipped inside folders."""


class FileKind(StrEnum):
    """What a file holds, and so which reader gets it."""

    DOCUMENT = "document"
    """A story page, Markdown or text file, or one of our exports: the parser decides."""
    MAIL = "mail"
    """One e-mail message (an .eml file, a Maildir entry)."""
    MBOX = "mbox"
    """An mbox file of several messages."""


@dataclass(frozen=True, slots=True)
class FileItem:
    """One file found for import, or (``error`` set) a path that could not be used."""

    path: Path
    error: str | None = None
    kind: FileKind = FileKind.DOCUMENT


def collect_files(paths: Iterable[str | Path]) -> list[FileItem]:
    """Every importable file under ``paths`` in a stable order; missing paths become errors.

    A file named explicitly is taken whatever its suffix: one that starts with a message's
    headers (or an mbox's ``From`` line) is mail, anything else goes to the parser. Inside
    folders only the importable suffixes are taken, and a folder's README or LICENSE is left
    out, so a folder of mixed files imports cleanly. A Maildir (a folder with cur, new and tmp)
    gives the messages in its new and cur folders.
    """
    items: list[FileItem] = []
    for raw in paths:
        path = Path(raw)
        try:
            path.lstat()
        except FileNotFoundError:
            pass  # reported below, a dangling link apart
        except OSError as err:  # e.g. a name too long for the file system
            items.append(FileItem(path, f"cannot use this path: {err.strerror or err}"))
            continue
        if path.is_dir():
            items.extend(_maildir(path) if is_maildir(path) else _walk(path))
        elif path.is_file():
            items.append(FileItem(path, kind=_suffix_kind(path) or _sniffed_kind(path)))
        elif path.is_symlink() and not path.exists():
            items.append(FileItem(path, "a link to something that does not exist"))
        elif path.exists():
            items.append(FileItem(path, "not a regular file"))
        else:
            items.append(FileItem(path, "no such file or folder"))
    return items


def _walk(folder: Path, seen: set[tuple[int, int]] | None = None) -> Iterator[FileItem]:
    """The importable files under ``folder``. Each folder is walked once, known by its
    (device, inode), so links back up the tree (``a -> .``, ``up -> ..``) cannot make the
    walk loop or grow; a link that leads nowhere is reported."""
    seen = set() if seen is None else seen
    try:
        key = _identity(folder)
        children = sorted(folder.iterdir())
    except OSError as err:
        yield FileItem(folder, f"cannot read folder: {err.strerror or err}")
        return
    if key in seen:
        return
    seen.add(key)
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_symlink() and not child.exists():
            yield FileItem(child, "a link to something that does not exist")
        elif child.is_dir():
            if is_maildir(child):
                if _identity(child) not in seen:
                    seen.add(_identity(child))
                    yield from _maildir(child)
            else:
                yield from _walk(child, seen)
        elif (
            child.suffix.lower() in IMPORTABLE_SUFFIXES
            and child.stem.lower() not in FOLDER_FURNITURE
            and child.is_file()
        ):
            # A saved message is often named .txt: those are sniffed, the rest go by suffix.
            kind = _suffix_kind(child) or (
                _sniffed_kind(child) if child.suffix.lower() == ".txt" else FileKind.DOCUMENT
            )
            yield FileItem(child, kind=kind)


def _identity(path: Path) -> tuple[int, int]:
    """What a folder is, whichever link reached it."""
    info = path.stat()
    return info.st_dev, info.st_ino


def is_maildir(folder: Path) -> bool:
    """Whether ``folder`` is a Maildir: it has cur, new and tmp folders."""
    return all((folder / part).is_dir() for part in MAILDIR_PARTS)


def _maildir(folder: Path) -> Iterator[FileItem]:
    """The messages of a Maildir: new, then cur, each by file name; tmp holds deliveries
    still being written, so it is left alone."""
    for part in ("new", "cur"):
        try:
            names = sorted((folder / part).iterdir())
        except OSError as err:
            yield FileItem(folder / part, f"cannot read folder: {err.strerror or err}")
            continue
        for child in names:
            if not child.name.startswith(".") and child.is_file():
                yield FileItem(child, kind=FileKind.MAIL)


def _suffix_kind(path: Path) -> FileKind | None:
    suffix = path.suffix.lower()
    if suffix in MAIL_SUFFIXES:
        return FileKind.MAIL
    if suffix in MBOX_SUFFIXES:
        return FileKind.MBOX
    return None


def _sniffed_kind(path: Path) -> FileKind:
    """Mail or mbox if the file starts like one, else a document (also when it cannot be
    read: reading it again reports why)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return FileKind.DOCUMENT
    if looks_like_mbox(head):
        return FileKind.MBOX
    return FileKind.MAIL if looks_like_mail(head) else FileKind.DOCUMENT


def read_file(path: Path) -> bytes:
    """The file's bytes; raises SourceError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                f"file is too large ({size / _MB:.1f} MB; the limit is {MAX_FILE_BYTES // _MB} MB)"
            )
        return path.read_bytes()
    except SourceError:
        raise
    except OSError as err:
        raise SourceError(f"cannot read file: {err.strerror or err}") from err
