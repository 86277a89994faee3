"""``python -m reader._search.worker_main FD DIRECTORY INDEXNAME OPTIONS``: one indexing
worker (see :mod:`reader._search.workers`). FD is the worker's end of a socket pair, OPTIONS
the segment writer's keyword arguments as JSON. A module of its own so that running it does
not import it twice (the package imports ``workers``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection

from reader._search.workers import serve


def main(argv: Sequence[str]) -> int:
    fd, directory, indexname, options = argv
    serve(Connection(int(fd)), directory, indexname, json.loads(options))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
