"""Entry point: with a command, the command line (``reader.cli``); without one, the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from reader.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args)
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
