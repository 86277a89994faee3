"""Peak memory of one command: ``python -m bench.rss -- CMD ...`` runs CMD as its only child and
prints the child's maximum resident set size in KiB (``getrusage(RUSAGE_CHILDREN)``), then the
child's exit status. One wrapper per measurement, because RUSAGE_CHILDREN keeps the largest of
all the children a process ever waited for."""

from __future__ import annotations

import resource
import subprocess
import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: python -m bench.rss -- CMD ...", file=sys.stderr)
        return 2
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(peak, done.returncode)
    if done.returncode:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
