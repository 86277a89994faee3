"""``python -m reader._index_worker FD DIRECTORY INDEXNAME OPTIONS``: one indexing worker (see
:mod:`reader._search.workers`). FD is the worker's end of a socket pair, OPTIONS the segment
writer's keyword arguments as JSON.

Outside ``reader._search`` on purpose: running a module of that package imports the package
first (Whoosh and the whole index, about 0.15 s of processor time), and a worker lowers its
priority before any of that, so that even its start yields the processor to the window.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from reader._processes import lower_priority


def main(argv: Sequence[str]) -> int:
    # Workers yield the processor to the window and to the analyst's other programs. At
    # least this nice, not this much nicer: started from the window's indexer thread, which
    # is nice already, a worker inherits its value.
    lower_priority(whole_process=True)
    import json
    from multiprocessing.connection import Connection

    from reader._search.workers import serve

    fd, directory, indexname, options = argv
    serve(Connection(int(fd)), directory, indexname, json.loads(options))
    # serve() closed the writer and the document reader. Tearing down the interpreter (every
    # module, the posting pool's objects) took a tenth of a second that the index's owner
    # waits for when it stops the workers; nothing is left to flush.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
