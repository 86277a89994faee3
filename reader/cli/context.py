"""What every command runs with: the parsed arguments, the archive and the output stream,
plus the exit statuses the commands return."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from reader.archive import Archive

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PARTIAL = 3
"""``import`` exits with this when some files failed but others were imported, and
``refresh`` when some sources failed."""

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

    def index_small_backlog(self) -> None:
        """Bring the search index up to date when that is quick; else say on stderr how much
        search does not see yet and how to finish."""
        left = self.archive.index_backlog()
        if left <= INDEX_NOW_LIMIT:
            self.archive.sync_index()
            return
        self.archive.messages.append(
            f"{left:,} changes are not yet searchable (search answers from the index as it"
            " stands); run `index` to apply them, or `reindex` to rebuild the index in one go"
        )

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
