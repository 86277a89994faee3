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


class Cli:
    """Runs one parsed command against an archive, writing to ``out``."""

    def __init__(self, args: argparse.Namespace, archive: Archive, out: TextIO) -> None:
        self.args = args
        self.archive = archive
        self.out = out

    def emit(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
