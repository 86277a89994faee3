"""Named kill points: the places where a crash could leave a multi-step operation half done.

``step(name)`` does nothing unless the environment variable ``READER_KILL_AT`` names that step
(``name``, or ``name#n`` for the n-th time this process reaches it), in which case the process
kills itself with SIGKILL on the spot: no ``finally``, no ``atexit``, no flush, just as a power
cut or the OOM killer would stop it. tests/archive/test_killpoints.py kills every operation at
each of its steps and checks that the archive recovers; :data:`STEPS` is the registry it walks,
and a test checks that the ``step`` calls in the code and this registry name the same steps.

Qt-free and dependency-free, so any layer may call it; costs one environment look-up a call.
"""

from __future__ import annotations

import os
import signal
from typing import NamedTuple

ENV = "READER_KILL_AT"


class Step(NamedTuple):
    name: str
    operation: str
    """What the test runs to reach it (see tests/archive/test_killpoints.py)."""
    where: str


STEPS: tuple[Step, ...] = (
    # Opening the search index: a blank one is created, then owed every live item (the queue is
    # refilled), then drained slice by slice, each slice committed and then acknowledged.
    Step("index.created", "index", "a blank index was created, the queue not yet refilled"),
    Step("index.refilled", "index", "the queue owes the blank index every live item"),
    Step("index.slice_committed", "index", "a drained slice is in the index, not acknowledged"),
    Step("index.acknowledged", "index", "a drained slice is acknowledged in the queue"),
    # Merging the index beside the writers: the merged segment is written, not yet committed.
    Step("index.merge_written", "index-merge", "a merged segment is written, not committed"),
    # Rebuilding the index in one writer.
    Step("reindex.before_commit", "reindex", "every document added, the rebuild not committed"),
    Step("reindex.committed", "reindex", "the rebuild is committed, the queue not acknowledged"),
    Step("reindex.acknowledged", "reindex", "the changes the rebuild covered are acknowledged"),
    # Importing files, one transaction per document.
    Step("import.parsed", "import", "a document is parsed, nothing of it stored"),
    Step("import.committed", "import", "a document's stories are committed"),
    Step("import.finished", "import", "every file is imported, nothing announced or indexed"),
    # Backups: a snapshot written aside, renamed into place, then old automatic ones pruned.
    Step("backup.part_written", "backup", "the snapshot is complete as .part"),
    Step("backup.renamed", "backup", "the snapshot is renamed to its final name"),
    Step("backup.pruned", "backup", "old automatic backups are deleted"),
    # Exporting to a file: written aside, closed, renamed.
    Step("export.part_filled", "export", "the export is written to .part, not yet flushed"),
    Step("export.part_closed", "export", "the .part file is closed, not yet renamed"),
    Step("export.renamed", "export", "the export is at its final name"),
    # Merging one of our JSON exports, or a W3C annotation file: a transaction per batch.
    Step("merge.header_committed", "merge", "codebook, sources and feeds of an export merged"),
    Step("merge.batch_committed", "merge", "a batch of exported stories is merged"),
    Step("merge.annotations_committed", "merge-w3c", "a batch of W3C annotations is attached"),
    # Migrating the schema: every step and the new version in one transaction.
    Step("migrate.before_commit", "migrate", "every migration step run, not committed"),
    Step("migrate.committed", "migrate", "the migration is committed"),
    # Restoring a backup.
    Step("restore.started", "restore", "restore called, nothing done"),
    Step("restore.verified", "restore", "the backup is verified, the archive still open"),
    Step("restore.snapshot_written", "restore", "the backup is copied beside the archive"),
    Step("restore.live_moved", "restore", "the archive is moved aside, the copy not in place"),
    Step("restore.swapped", "restore", "the copy is the archive, the index not yet told"),
    Step("restore.requeued", "restore", "what the index owes the restored archive is queued"),
)

_reached: dict[str, int] = {}


def step(name: str) -> None:
    """Die here by SIGKILL when ``READER_KILL_AT`` names this step (and this is its n-th time)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    target, _, nth = wanted.partition("#")
    if target != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
