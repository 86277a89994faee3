"""What every command runs with: the parsed arguments, the archive and the output stream,
plus the exit statuses the commands return.

Exit statuses, the same for every command:

====  =====================================================================================
0     Done. Also when the change was saved but the search index could not take it now (the
      index locked by another process, read-only, the disk full): stderr then says
      ``saved; search will catch up: <reason>``, the change stays queued in the database and
      the next start (any command, or the window) applies it. Retrying would only save the
      change twice. ``search`` answers from the index as it stands and says why on stderr.
1     Nothing was done: an error (a bad argument, a missing id, the database locked by
      another process for longer than the wait, a damaged file), said in one line on stderr.
      ``check`` also exits 1 when it found problems.
2     The command line itself was wrong (argparse's usage error).
3     Partly done: ``import`` imported some files and not others (each failure is one line
      on stderr, after the per-file report), ``refresh`` fetched some sources and not
      others; or the reader of the output went away before a changing command finished.
130   Interrupted (Ctrl-C); what was committed before stays committed.
====  =====================================================================================
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from reader.archive import Archive
from reader.errors import SearchError, StorageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PARTIAL = 3
"""``import`` exits with this when some files failed but others were imported, and
``refresh`` when some sources failed."""

INDEX_LOCK_TIMEOUT = 2.0
"""How long a command waits for another process's lock on the search index before leaving
its changes queued for later: they are saved already, so a long wait would buy nothing."""

INDEX_NOW_LIMIT = 2000
"""A backlog up to this many changes is indexed before a command answers (seconds of work), so
``import`` then ``search`` in a script finds what was imported; a larger one (a new archive of
100,000 stories) is left for ``index`` or ``reindex``, and the command says so."""


class Cli:
    """Runs one parsed command against an archive, writing to ``out``."""

    def __init__(self, args: argparse.Namespace, archive: Archive, out: TextIO) -> None:
        self.args = args
        self.archive = archive
        self.out = out

    def emit(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def index_small_backlog(self, *, saved: bool = True) -> None:
        """Bring the search index up to date when that is quick; else say on stderr how much
        search does not see yet and how to finish. The command's changes are committed
        already: an index that cannot take them now (locked, read-only, disk full) leaves
        them queued for the next start, which the command says on stderr and does not count
        as a failure. ``saved=False`` for a command that changed nothing (``search``)."""
        try:
            left = self.archive.index_backlog()
            if left <= INDEX_NOW_LIMIT:
                self.archive.sync_index()
                return
        except (SearchError, StorageError) as err:
            if saved:
                print(f"saved; search will catch up: {err}", file=sys.stderr)
            else:
                print(f"note: answering from the search index as it stands: {err}", file=sys.stderr)
            return
        self.archive.messages.append(
            f"{left:,} changes are not yet searchable (search answers from the index as it"
            " stands); run `index` to apply them, or `reindex` to rebuild the index in one go"
        )

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
