"""Running one parsed command: open the archive, take a due backup before a change, dispatch,
and turn every ReaderError into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from reader.archive import Archive, resolve_data_dir, upgrade_pending
from reader.errors import ReaderError

from .archive_ops import ArchiveCommands
from .context import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, INDEX_LOCK_TIMEOUT
from .formatting import clip_echoes
from .parser import build_parser
from .saved import SavedSearchCommands
from .sources import SourceCommands
from .stories import StoryCommands


class Commands(StoryCommands, SourceCommands, ArchiveCommands, SavedSearchCommands):
    """Every command, for one parsed command line."""


COMMANDS: dict[str, Callable[[Commands], int]] = {
    "import": Commands.cmd_import,
    "subscribe": Commands.cmd_subscribe,
    "unsubscribe": Commands.cmd_unsubscribe,
    "sources": Commands.cmd_sources,
    "refresh": Commands.cmd_refresh,
    "opml": Commands.cmd_opml,
    "list": Commands.cmd_list,
    "show": Commands.cmd_show,
    "search": Commands.cmd_search,
    "searches": Commands.cmd_searches,
    "highlight": Commands.cmd_highlight,
    "note": Commands.cmd_note,
    "reattach": Commands.cmd_reattach,
    "export": Commands.cmd_export,
    "codebook": Commands.cmd_codebook,
    "tag": Commands.cmd_tag,
    "tags": Commands.cmd_tags,
    "backup": Commands.cmd_backup,
    "restore": Commands.cmd_restore,
    "index": Commands.cmd_index,
    "reindex": Commands.cmd_reindex,
    "check": Commands.cmd_check,
}


_BACKUP_BEFORE = frozenset(
    {
        "import",
        "highlight",
        "note",
        "reattach",
        "tag",
        "codebook",
        "subscribe",
        "unsubscribe",
        "refresh",
        "opml",
    }
)
"""Commands that change the archive: a due rolling backup is taken before them. Reading
commands never pay for a backup, so `list` or `search` stay instant."""


def _changes_archive(args: argparse.Namespace) -> bool:
    """Whether the command writes: one of :data:`_BACKUP_BEFORE`, or ``tags rename``."""
    return args.command in _BACKUP_BEFORE or getattr(args, "tags_action", None) is not None


def _automatic_backup(archive: Archive) -> None:
    """The rolling backup, when one is due; a failure is a note, not a reason to stop."""
    try:
        archive.backup_if_due()
    except ReaderError as err:
        archive.messages.append(f"automatic backup failed: {err}")


UPGRADING_NOTE = "upgrading the archive for this version (once; about a minute for 100,000 stories)"


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a parsed command; every ReaderError becomes one line on stderr and exit status 1."""
    out = out if out is not None else sys.stdout
    try:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
        if upgrade_pending(data_dir):
            print(f"note: {UPGRADING_NOTE}", file=sys.stderr)
        with Archive(data_dir, index_lock_timeout=INDEX_LOCK_TIMEOUT) as archive:
            if _changes_archive(args):
                _automatic_backup(archive)
            status = COMMANDS[args.command](Commands(args, archive, out))
            for message in archive.messages:
                print(f"note: {message}", file=sys.stderr)
            return status
    except ReaderError as err:
        print(f"error: {clip_echoes(str(err), _given(args))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output left (`list | head`): no traceback, and no second error
        # when Python flushes stdout at exit. What a changing command saved stays saved.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PARTIAL if _changes_archive(args) else EXIT_OK


def _given(args: argparse.Namespace) -> list[str]:
    """Every string the user gave, for errors to shorten where they quote one."""
    given: list[str] = []
    for value in vars(args).values():
        items = value if isinstance(value, list) else [value]
        given += [str(item) for item in items if isinstance(item, str | int)]
    return given


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the command line alone (no window)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    return run_command(args)
