"""Indexing on every core. Whoosh's writer is pure Python and holds the interpreter's lock, so
one writer uses one core however many there are; :class:`SegmentWorkers` runs a few worker
processes instead, each analysing documents into a segment of its own (a ``SegmentWriter``
that takes no lock, as ``whoosh.multiproc`` does). The process that started them holds the
index's write lock the whole time and commits all their segments in one table of contents, or
none of them.

Not ``whoosh.multiproc.MpWriter``: it forks (unsafe in a process with threads, as the window
is), it drops a sub-writer's segment without a word when the sub-writer fails or is slow to
answer (``resultqueue.get(timeout=1)``), and it cannot be stopped halfway. Here the workers are
fresh interpreters (``python -m reader._index_worker``, not ``multiprocessing``, whose
``spawn`` re-runs the caller's main script and whose ``fork`` copies the window's threads), run
at a lower priority than the window, and any failure of
theirs fails the whole write, so nothing is committed half done; :meth:`SegmentWorkers.close`
stops them at once, and what they wrote but nobody committed is deleted by the next commit.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader._protocols import Change, DocumentReader, DocumentSource, IndexDocument
from reader._search.merging import merge_segments
from reader._search.schema import document_fields
from reader._search.segment_writer import IndexSegmentWriter
from reader.errors import SearchError
from reader.model import ItemKind

ENV = "READER_INDEX_WORKERS"
"""How many worker processes to use (0 or 1: index in this process only)."""
MAX_WORKERS = 4
POLL_SECONDS = 0.1
"""How often a wait for a worker looks whether it was asked to stop."""
JOIN_SECONDS = 2.0
MERGE_GATE_ENV = "READER_TEST_MERGE_GATE"
"""For tests: a merge waits until the file this names exists, so a test can act while one is
surely under way whatever the machine's speed (unset: no wait)."""
GATE_SECONDS = 120.0


class Interrupted(Exception):
    """A wait for the workers ended because the caller asked to stop; nothing was committed."""


def worker_count() -> int:
    """Worker processes for a large write: one per available core, at most
    :data:`MAX_WORKERS`; ``READER_INDEX_WORKERS`` overrides it."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        try:
            return max(0, int(configured))
        except ValueError:
            pass
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(MAX_WORKERS, cores)


class SegmentWorkers:
    """``count`` worker processes writing segments of the index in ``directory``.

    Use: :meth:`begin`, then :meth:`add` batches of ``document_fields`` dicts, then
    :meth:`finish` for the segments to commit (or :meth:`cancel`). Only while holding the
    index's write lock: another writer's commit would delete their unfinished files. Waits
    call ``stop()`` now and then and raise :class:`Interrupted` when it says so, after
    stopping the workers. Any failure raises :class:`SearchError` naming it.
    """

    def __init__(self, directory: Path, indexname: str, count: int, **options: Any) -> None:
        self.directory = Path(directory)
        self.indexname = indexname
        self.count = count
        self.options = options
        self._workers: list[tuple[subprocess.Popen[bytes], Connection]] = []
        # Documents sent to each worker and not yet acknowledged, and whether an add is out.
        self._load: list[int] = []
        self._waiting: list[bool] = []

    @property
    def running(self) -> bool:
        return bool(self._workers)

    def _start(self) -> None:
        # The folder holding this package goes first on the worker's path, so it runs this
        # very code whether the caller was installed, run from a checkout or a script.
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (package_root, env.get("PYTHONPATH", "")) if part
        )
        for _ in range(self.count):
            ours, theirs = socket.socketpair()
            try:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "reader._index_worker",
                        str(theirs.fileno()),
                        str(self.directory),
                        self.indexname,
                        json.dumps(self.options),
                    ],
                    pass_fds=(theirs.fileno(),),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    env=env,
                )
            except OSError as err:
                ours.close()
                self.close()
                raise SearchError(f"cannot start an indexing process: {err}") from None
            finally:
                theirs.close()
            self._workers.append((process, Connection(ours.detach())))
        self._load = [0] * self.count
        self._waiting = [False] * self.count

    def begin(
        self,
        stop: Callable[[], bool] | None = None,
        source: DocumentSource | None = None,
        *,
        segment_docs: int | None = None,
    ) -> None:
        """Each worker opens a new segment (starting the processes the first time), and, given
        a ``source``, its own reader of the documents for :meth:`add_items`. With
        ``segment_docs``, a worker closes its segment after that many documents and opens
        another, so its writer never holds more than that in memory."""
        if not self._workers:
            self._start()
        wire = None if source is None else (source.loader, source.location)
        for number in range(self.count):
            self._send(number, ("begin", wire, segment_docs))
        for number in range(self.count):
            self._reply(number, stop)
        self._load = [0] * self.count

    def add(
        self, documents: Sequence[dict[str, Any]], stop: Callable[[], bool] | None = None
    ) -> None:
        """Hand ``documents`` to the least loaded worker; waits only for that worker's previous
        batch, so the caller prepares the next batch while the workers analyse."""
        if documents:
            self._hand(("add", list(documents)), stop)

    def add_items(
        self, items: Sequence[tuple[ItemKind, int]], stop: Callable[[], bool] | None = None
    ) -> None:
        """Like :meth:`add`, but the worker reads the current documents of ``items`` from the
        source given to :meth:`begin` (an item that no longer exists is skipped): this
        process only sends keys, so it does not build documents under its interpreter lock."""
        if items:
            self._hand(("add_items", [(str(kind), item_id) for kind, item_id in items]), stop)

    def _hand(self, message: tuple[str, list[Any]], stop: Callable[[], bool] | None) -> None:
        number = min(range(self.count), key=lambda n: self._load[n])
        if self._waiting[number]:
            self._reply(number, stop)
        self._send(number, message)
        self._load[number] += len(message[1])

    def finish(self, stop: Callable[[], bool] | None = None) -> list[Any]:
        """The segments written since :meth:`begin` (none from a worker that got nothing)."""
        for number in range(self.count):
            if self._waiting[number]:
                self._reply(number, stop)
            self._send(number, ("finish",))
        return [segment for number in range(self.count) for segment in self._reply(number, stop)]

    def merge(self, segments: Sequence[Any], stop: Callable[[], bool] | None = None) -> Any:
        """One worker merges ``segments`` (with their deletions as they stand) into a new
        segment and returns it (None if no document in them is live)."""
        self.start_merge(segments)
        return self._reply(0, stop)

    def start_merge(self, segments: Sequence[Any]) -> None:
        """Like :meth:`merge` without waiting: :meth:`merge_ready` says when
        :meth:`merge_result` has the segment."""
        if not self._workers:
            self._start()
        self._send(0, ("merge", list(segments)))

    def merge_ready(self) -> bool:
        """Whether the merge sent by :meth:`start_merge` has an answer (or its worker died)."""
        if not self._workers or not self._waiting[0]:
            return True
        process, conn = self._workers[0]
        try:
            return conn.poll(0) or process.poll() is not None
        except (OSError, ValueError):
            return True

    def merge_result(self, stop: Callable[[], bool] | None = None) -> Any:
        """The merged segment of :meth:`start_merge` (waits for it)."""
        if not self._workers:
            raise SearchError("search index could not be merged: its process was stopped")
        return self._reply(0, stop)

    def cancel(self) -> None:
        """Drop what the workers wrote since :meth:`begin`. A worker still busy is stopped."""
        if not self._workers:
            return
        if not any(self._waiting):
            try:
                for number in range(self.count):
                    self._send(number, ("cancel",))
                for number in range(self.count):
                    self._reply(number, None)
                return
            except SearchError:
                pass
        self.close()

    def close(self) -> None:
        """Stop the workers (at once if busy); the next :meth:`begin` starts new ones."""
        workers, self._workers = self._workers, []
        # A busy worker reads no message until its batch is done: stopped rather than awaited.
        busy = any(self._waiting)
        for _process, conn in workers:
            with suppress(OSError, ValueError):
                conn.send(("quit",))
            conn.close()
        for process, _conn in workers:
            if not busy:
                _wait(process, JOIN_SECONDS)
            if process.poll() is None:
                process.terminate()
                _wait(process, JOIN_SECONDS)
            if process.poll() is None:
                process.kill()
                process.wait()
        self._load, self._waiting = [], []

    def _send(self, number: int, message: tuple[Any, ...]) -> None:
        process, conn = self._workers[number]
        try:
            conn.send(message)
            self._waiting[number] = True
        except (OSError, ValueError) as err:
            self.close()
            raise SearchError(f"an indexing process stopped ({_exit(process)}): {err}") from None

    def _reply(self, number: int, stop: Callable[[], bool] | None) -> Any:
        process, conn = self._workers[number]
        while True:
            if stop is not None and stop():
                self.close()
                raise Interrupted
            try:
                if conn.poll(POLL_SECONDS):
                    status, value = conn.recv()
                    break
            except (EOFError, OSError):
                status, value = "error", f"an indexing process stopped ({_exit(process)})"
                break
            if process.poll() is not None:
                status, value = "error", f"an indexing process stopped ({_exit(process)})"
                break
        self._waiting[number] = False
        if status == "error":
            self.close()
            raise SearchError(f"search index could not be written: {value}")
        return value


def _wait(process: subprocess.Popen[bytes], seconds: float) -> None:
    with suppress(subprocess.TimeoutExpired):
        process.wait(seconds)


def _exit(process: subprocess.Popen[bytes]) -> str:
    _wait(process, 0.5)
    code = process.returncode
    if code is None:
        return "still running"
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def serve(conn: Connection, directory: str, indexname: str, options: dict[str, Any]) -> None:
    """A worker's life: answer each message of the process that started it until it says
    quit or goes away. Every answer is ``(status, value)``."""
    from whoosh.filedb.filestore import FileStorage

    from reader._search.schema import build_schema

    worker = _Worker(FileStorage(directory), build_schema(), indexname, options)
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "quit":
                return
            try:
                conn.send(worker.answer(message))
            except (OSError, ValueError):
                return
    finally:
        worker.close()


class _Worker:
    """One worker's state between requests: the segment it is writing, and its reader of
    documents (kept from one batch to the next while the source stays the same)."""

    def __init__(self, storage: Any, schema: Any, indexname: str, options: dict[str, Any]):
        self.storage, self.schema = storage, schema
        self.indexname, self.options = indexname, options
        self.writer: Any = None
        # Segments closed since "begin" (see segment_docs), for "finish" to hand over.
        self.closed: list[Any] = []
        self.segment_docs: int | None = None
        self.wire: tuple[str, str] | None = None
        self.reader: DocumentReader | None = None

    def answer(self, message: tuple[Any, ...]) -> tuple[str, Any]:
        """Carry out one request: ``(status, value)`` for the parent."""
        try:
            return self._carry_out(message[0], message[1:])
        except Exception as err:  # anything: reported to the parent, which fails the write
            self._drop()
            return ("error", " ".join(f"{type(err).__name__}: {err}".split())[:300])

    def _carry_out(self, op: str, args: tuple[Any, ...]) -> tuple[str, Any]:
        if op == "begin":
            self._drop()
            wire, self.segment_docs = args
            self._use(wire)
            self._open_segment()
            return ("ok", None)
        if op == "add":
            self._add(args[0])
            return ("ok", len(args[0]))
        if op == "add_items":
            found = self._documents(args[0])
            self._add([document_fields(doc) for doc in found])
            return ("ok", len(found))
        if op == "finish":
            self._close_segment()
            segments, self.closed = self.closed, []
            return ("segments", segments)
        if op == "merge":
            self._drop()
            _pass_gate()
            return (
                "segment",
                merge_segments(self.storage, self.schema, self.indexname, args[0], self.options),
            )
        if op == "cancel":
            self._drop()
            return ("ok", None)
        return ("error", f"unknown request {op!r}")

    def _open_segment(self) -> None:
        from whoosh.index import FileIndex

        ix = FileIndex(self.storage, schema=self.schema, indexname=self.indexname)
        self.writer = IndexSegmentWriter(ix, _lk=False, **self.options)

    def _add(self, documents: list[dict[str, Any]]) -> None:
        for fields in documents:
            if self.segment_docs and self.writer.docnum >= self.segment_docs:
                self._close_segment()
                self._open_segment()
            self.writer.add_document(**fields)

    def _close_segment(self) -> None:
        writer, self.writer = self.writer, None
        if writer._added:
            self.closed.append(writer._finalize_segment())
        else:
            writer._close_segment()
        # Not writer._finish(): that deletes the temporary folder the other workers share;
        # the committing writer deletes it when it finishes.
        writer.is_closed = True

    def _use(self, wire: tuple[str, str] | None) -> None:
        if wire is None or (wire == self.wire and self.reader is not None):
            return
        self._close_reader()
        module_name, _, name = wire[0].partition(":")
        loader = getattr(importlib.import_module(module_name), name)
        self.reader = loader(wire[1])
        self.wire = wire

    def _documents(self, items: list[tuple[str, int]]) -> list[IndexDocument]:
        if self.reader is None:
            raise SearchError("no document source was given to this indexing process")
        changes = [Change(0, ItemKind(kind), item_id) for kind, item_id in items]
        found = self.reader.documents_for(changes)
        keys = dict.fromkeys((change.kind, change.item_id) for change in changes)
        return [doc for key in keys if (doc := found.get(key)) is not None]

    def _drop(self) -> None:
        # Closed segments nobody committed are files the next commit deletes.
        writer, self.writer, self.closed = self.writer, None, []
        _drop(writer)

    def _close_reader(self) -> None:
        reader, self.reader, self.wire = self.reader, None, None
        if reader is not None:
            reader.close()

    def close(self) -> None:
        self._drop()
        self._close_reader()


def _pass_gate() -> None:
    gate = os.environ.get(MERGE_GATE_ENV)
    if not gate:
        return
    deadline = time.monotonic() + GATE_SECONDS
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _drop(writer: Any) -> None:
    if writer is not None and not writer.is_closed:
        with suppress(Exception):
            writer._close_segment()
        writer.is_closed = True
