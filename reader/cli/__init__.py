"""The command line: the same facade as the window, for scripts and for people at a terminal.

Every command takes ``--data-dir``; commands that print data take ``--json``. Errors are one
line on stderr and a non-zero exit status, never a traceback.
"""

from .parser import build_parser
from .runner import main, run_command

__all__ = ["build_parser", "main", "run_command"]
