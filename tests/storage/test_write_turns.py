"""This process's write transactions on one archive take turns on a lock of their own: a write
that waits for another thread's is let in the moment that one ends (SQLite's busy handler
would sleep in growing steps), and one that waits too long fails as SQLite's own would."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader._storage import Connection, db, open_archive
from reader.errors import StorageError

WAIT_S = 30.0
"""Only an upper bound for a thread that must finish: nothing here is timed."""


def _insert(conn: Connection, item_id: int) -> None:
    conn.db.execute("INSERT INTO changes (kind, item_id) VALUES ('story', ?)", [item_id])


def _write(path: Path, item_id: int, inside: Callable[[], object] = lambda: None) -> None:
    """One row added in a write transaction of a connection of this thread's own, with
    ``inside()`` called before it commits."""
    conn = open_archive(path)
    try:
        with conn.transaction():
            _insert(conn, item_id)
            inside()
    finally:
        conn.close()


def _count(path: Path) -> int:
    conn = open_archive(path)
    try:
        return int(conn.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0])
    finally:
        conn.close()


@contextmanager
def writing_in_a_thread(path: Path) -> Iterator[Callable[[], None]]:
    """Another thread, on a connection of its own, holds a write transaction (one row added)
    until the block calls the function given or ends."""
    holding = threading.Event()
    release = threading.Event()
    failures: list[BaseException] = []

    def wait_for_release() -> None:
        holding.set()
        release.wait(WAIT_S)

    def hold() -> None:
        try:
            _write(path, 1, inside=wait_for_release)
        except BaseException as err:
            failures.append(err)
            holding.set()

    holder = threading.Thread(target=hold)
    holder.start()

    def end() -> None:
        release.set()
        holder.join(WAIT_S)

    try:
        assert holding.wait(WAIT_S)
        yield end
    finally:
        end()
    assert not failures


def test_a_write_waiting_for_another_threads_write_goes_in_after_it(path: Path) -> None:
    open_archive(path).close()
    conn = open_archive(path)
    seen: list[int] = []
    try:
        with writing_in_a_thread(path) as end:
            # This thread's write waits at the gate, held by the other thread.
            assert not db._write_gate(path).acquire(blocking=False)
            end()
            with conn.transaction() as tx:
                seen.append(int(tx.execute("SELECT COUNT(*) FROM changes").fetchone()[0]))
                _insert(conn, 2)
    finally:
        conn.close()
    # The other write had committed before this one began.
    assert seen == [1]
    assert _count(path) == 2


def test_a_write_queued_behind_another_is_let_in_when_it_ends(path: Path) -> None:
    open_archive(path).close()
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            _write(path, 2)
        except BaseException as err:
            failures.append(err)
        done.set()

    with writing_in_a_thread(path) as end:
        waiter = threading.Thread(target=write)
        waiter.start()
        end()
        waiter.join(WAIT_S)
    assert done.is_set() and not failures
    assert _count(path) == 2


def test_reads_do_not_wait_for_a_write(path: Path) -> None:
    open_archive(path).close()
    conn = open_archive(path)
    try:
        with writing_in_a_thread(path), conn.transaction(write=False) as snapshot:
            assert snapshot.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_write_that_waits_too_long_is_a_locked_storage_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_archive(path).close()
    conn = open_archive(path)
    try:
        with writing_in_a_thread(path) as end:
            monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 1)
            with (
                pytest.raises(StorageError, match=r"^archive .*: database is locked$"),
                conn.transaction(),
            ):
                pass
            monkeypatch.undo()
            end()
        # Nothing of it is left behind: once the other write has ended, the next goes in.
        with conn.transaction():
            _insert(conn, 3)
    finally:
        conn.close()
    assert _count(path) == 2


def test_a_failed_transaction_lets_the_next_writer_in(path: Path) -> None:
    conn = open_archive(path)
    try:
        with pytest.raises(RuntimeError), conn.transaction():
            _insert(conn, 1)
            raise RuntimeError("the operation failed")
    finally:
        conn.close()
    # Asked from another thread: this thread would get a re-entrant lock it had left held.
    taken: list[bool] = []

    def take() -> None:
        gate = db._write_gate(path)
        taken.append(gate.acquire(timeout=WAIT_S))
        gate.release()

    other = threading.Thread(target=take)
    other.start()
    other.join(WAIT_S)
    assert taken == [True]
    assert _count(path) == 0


def test_connections_to_one_file_share_one_gate(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    assert db._write_gate(path) is db._write_gate(tmp_path / "." / "archive.sqlite")
    assert db._write_gate(path) is not db._write_gate(tmp_path / "other.sqlite")
