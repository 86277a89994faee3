"""Copies of the archive file: a consistent snapshot made while the app runs, the checks a file
must pass before it is restored, putting it in place while keeping the archive it replaces,
and the rolling automatic backups, pruned to the newest few.

SQLite's backup API copies the whole file in one step inside one read transaction, so the copy
holds every transaction committed before it began and nothing of one still open, however busy
other connections are (WAL lets them go on writing meanwhile).
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from reader import _killpoints
from reader._processes import pid_alive
from reader._storage import schema, settings
from reader._storage.db import APPLICATION_ID
from reader.errors import BackupError
from reader.model import BackupSettings

BACKUP_DIRNAME = "backups"
_STAMP = "%Y%m%d-%H%M%S"
# Automatic backups carry "-auto", so pruning never removes one the user asked for.
_AUTOMATIC = re.compile(r"archive-(\d{8}-\d{6})-auto(?:-\d+)?\.sqlite3")

ENABLED_KEY = "backup.enabled"
KEEP_KEY = "backup.keep"
INTERVAL_KEY = "backup.interval_hours"


def read_settings(db: Database) -> BackupSettings:
    default = BackupSettings()
    enabled = settings.get(db, ENABLED_KEY)
    keep = settings.get(db, KEEP_KEY)
    interval = settings.get(db, INTERVAL_KEY)
    return BackupSettings(
        enabled=default.enabled if enabled is None else enabled == "1",
        keep=int(_positive(keep, default.keep)),
        interval_hours=_positive(interval, default.interval_hours),
    )


def write_settings(db: Database, value: BackupSettings) -> None:
    if value.keep < 1:
        raise ValueError(f"keep at least one automatic backup, not {value.keep}")
    if value.interval_hours <= 0:
        raise ValueError(f"the backup interval must be positive, not {value.interval_hours}")
    settings.put(db, ENABLED_KEY, "1" if value.enabled else "0")
    settings.put(db, KEEP_KEY, str(value.keep))
    settings.put(db, INTERVAL_KEY, f"{value.interval_hours:g}")


def _positive(text: str | None, default: float) -> float:
    """A stored number, or the default when it is missing, unreadable or not positive."""
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if value > 0 else default


def snapshot(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database behind ``source`` to ``target``, written aside and then renamed, as
    one self-contained file (no WAL beside it), while other connections may write. A copy that
    fails SQLite's quick check is not kept: the archive itself is damaged."""
    partial = part_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        with closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            damage = [
                str(row[0])
                for row in copy.execute("PRAGMA quick_check").fetchall()
                if row[0] != "ok"
            ]
        if damage:
            # Kept, a damaged copy would rotate a good backup out; run `check`, then restore one.
            partial.unlink(missing_ok=True)
            raise BackupError(
                f"the archive is damaged, so no backup was kept ({damage[0]}); "
                "run `check` and restore an earlier backup"
            )
        _killpoints.step("backup.part_written")
        os.replace(partial, target)
        _killpoints.step("backup.renamed")
    except (OSError, sqlite3.Error) as err:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup {target}: {_reason(err)}") from err


def verify(path: Path, *, newest_schema: int) -> int:
    """Check that ``path`` is an intact story archive this app can open; returns its schema."""
    with _read_only(path) as conn:
        try:
            application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if application_id != APPLICATION_ID:
                raise BackupError(f"not a story archive: {path}")
            if version > newest_schema:
                raise BackupError(
                    f"{path} was written by a newer version (schema {version}, this app knows "
                    f"{newest_schema}); upgrade the app"
                )
            problems = [
                str(row[0])
                for row in conn.execute("PRAGMA integrity_check").fetchall()
                if row[0] != "ok"
            ]
            problems += [
                f"{table} row {rowid} refers to a missing row in {parent}"
                for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
            ]
            if not problems:
                layout = schema.layout_problems(Database(conn), version)
                if layout:
                    raise BackupError(f"not a story archive of this layout: {path} ({layout[0]})")
        except sqlite3.DatabaseError as err:
            raise BackupError(f"not a story archive, or damaged: {path} ({_reason(err)})") from err
    if problems:
        raise BackupError(f"{path} is damaged: {problems[0]}")
    return version


JOURNAL_NAME = "restore-journal.json"
"""Beside the archive while a restore swaps files: what any start needs to finish it."""
_PID_PART = re.compile(r".+\.(\d+)\.(?:part|restoring)(?:-journal|-wal|-shm)?")
_LEGACY_PART = re.compile(r".+\.(?:part|restoring)(?:-journal|-wal|-shm)?")
LEGACY_PART_AGE = timedelta(days=1)
"""A ``.part`` file of an older version names no process; one this old is nobody's any more."""


@dataclass(frozen=True, slots=True)
class RestoreJournal:
    """A restore under way: ``incoming`` (complete, and owing the index everything) replaces
    ``live``, whose files move to ``kept`` first."""

    live: Path
    incoming: Path
    kept: Path
    source: str
    pid: int

    def to_json(self) -> str:
        return json.dumps(
            {
                "live": self.live.name,
                "incoming": self.incoming.name,
                # Relative, so a data folder moved after a crash still finds its kept archive.
                "kept": os.path.relpath(self.kept, self.live.parent),
                "source": self.source,
                "pid": self.pid,
            }
        )

    @classmethod
    def read(cls, path: Path, live: Path) -> RestoreJournal:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["live"] != live.name:
            raise ValueError(f"the journal is for {data['live']}")
        return cls(
            live=live,
            incoming=live.with_name(str(data["incoming"])),
            kept=live.parent / str(data["kept"]),
            source=str(data["source"]),
            pid=int(data["pid"]),
        )


def journal_path(live: Path) -> Path:
    return live.with_name(JOURNAL_NAME)


def prepare_restore(candidate: Path, live: Path, owed: Callable[[Path], None]) -> Path:
    """Copy a verified ``candidate`` beside ``live`` and let ``owed`` record in the copy what
    the search index will owe it, so whichever start finds the copy in place finds the index's
    debt with it. Returns the copy's path."""
    incoming = live.with_name(f"{live.name}.{os.getpid()}.restoring")
    with _read_only(candidate) as source:
        snapshot(source, incoming)
    _killpoints.step("restore.snapshot_written")
    try:
        owed(incoming)
        _fsync(incoming)
    except BaseException as err:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(OSError):
                incoming.with_name(incoming.name + suffix).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise BackupError(f"cannot prepare the restore: {_reason(err)}") from err
        raise
    return incoming


def restore_file(
    candidate: Path,
    live: Path,
    backups: Path,
    when: datetime,
    owed: Callable[[Path], None] = lambda _incoming: None,
) -> Path:
    """Put a verified ``candidate`` in place of ``live``, which must be closed, and return
    where the archive it replaced is kept (``pre-restore-…`` in ``backups``).

    One journaled operation: the journal is written before the first rename, so a start after
    a crash anywhere in between finishes it (:func:`recover_restore`); a failure here that
    can be undone is undone, and the journal goes."""
    incoming = prepare_restore(candidate, live, owed)
    kept = unique_path(backups, f"pre-restore-{when.astimezone(UTC).strftime(_STAMP)}.sqlite3")
    journal = RestoreJournal(
        live=live, incoming=incoming, kept=kept, source=str(candidate), pid=os.getpid()
    )
    try:
        backups.mkdir(parents=True, exist_ok=True)
        _write_durably(journal_path(live), journal.to_json())
    except OSError as err:
        with suppress(OSError):
            incoming.unlink(missing_ok=True)
        raise BackupError(f"cannot restore into {live}: {_reason(err)}") from err
    try:
        _swap(journal)
    except OSError as err:
        try:
            _roll_back(journal)
        except OSError:
            raise BackupError(
                f"cannot restore into {live}: {_reason(err)}; the next start finishes the "
                f"restore ({journal_path(live)})"
            ) from err
        raise BackupError(f"cannot restore into {live}: {_reason(err)}") from err
    _remove_journal(live)
    return kept


def recover_restore(live: Path) -> str | None:
    """Finish a restore a crash interrupted (or, when its copy is gone, put the kept archive
    back), before anyone opens ``live``; returns what to tell the user, or None when there was
    nothing to do. A restore's copy left without a journal (the crash came before the swap
    began) is no more than a stale part for :func:`remove_stale_parts`: the archive is still
    the one it was."""
    path = journal_path(live)
    if not path.exists():
        return None
    try:
        journal = RestoreJournal.read(path, live)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise BackupError(
            f"cannot read the restore journal {path} ({_reason(err)}); the archive it replaced "
            "is in backups/pre-restore-*"
        ) from err
    if journal.pid != os.getpid() and pid_alive(journal.pid):
        raise BackupError(
            f"process {journal.pid} is restoring {journal.source} into this archive; "
            "try again when it is done"
        )
    try:
        if journal.incoming.exists():
            _swap(journal)
            message = f"finished restoring {journal.source} (interrupted before)"
        elif live.exists():
            message = f"finished restoring {journal.source} (interrupted before)"
        else:
            _roll_back(journal)
            message = f"an interrupted restore of {journal.source} was undone"
    except OSError as err:
        raise BackupError(f"cannot finish the restore journaled in {path}: {_reason(err)}") from err
    _remove_journal(live)
    return message


def _swap(journal: RestoreJournal) -> None:
    """Move ``live`` and its WAL files to ``kept``, then ``incoming`` to ``live``; each step is
    skipped when done already, so finishing after a crash runs the same code. The WAL may hold
    committed transactions another process has not checkpointed yet: it moves with the file
    (before the new file arrives, so no old WAL ever sits beside it)."""
    live, kept = journal.live, journal.kept
    kept.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        current = live.with_name(live.name + suffix)
        keep_as = kept.with_name(kept.name + suffix)
        if current.exists():
            if keep_as.exists():
                raise FileExistsError(errno.EEXIST, "already kept", str(keep_as))
            os.replace(current, keep_as)
    _killpoints.step("restore.live_moved")
    os.replace(journal.incoming, live)
    _killpoints.step("restore.swapped")
    _fsync_dir(live.parent)


def _roll_back(journal: RestoreJournal) -> None:
    """Put the kept archive back where it was and drop the copy."""
    live, kept = journal.live, journal.kept
    for suffix in ("", "-wal", "-shm"):
        keep_as = kept.with_name(kept.name + suffix)
        if keep_as.exists() and not live.with_name(live.name + suffix).exists():
            os.replace(keep_as, live.with_name(live.name + suffix))
    journal.incoming.unlink(missing_ok=True)
    _fsync_dir(live.parent)


def _remove_journal(live: Path) -> None:
    journal_path(live).unlink(missing_ok=True)
    _fsync_dir(live.parent)


def remove_stale_parts(directory: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the half-written copies (``NAME.PID.part``, ``NAME.PID.restoring``, and SQLite's
    ``-journal``, ``-wal`` and ``-shm`` beside them) that a killed backup, export or restore
    left in ``directory``: only those whose process is gone, so a copy another process is
    writing right now is never touched. Files of an older version name no process; they go
    once a day old."""
    now = now or datetime.now(UTC)
    removed: list[Path] = []
    with suppress(OSError):
        for path in directory.iterdir():
            if not _is_stale(path, now):
                continue
            with suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _is_stale(path: Path, now: datetime) -> bool:
    match = _PID_PART.fullmatch(path.name)
    if match:
        return not pid_alive(int(match.group(1)))
    if _LEGACY_PART.fullmatch(path.name):
        with suppress(OSError):
            changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            return now - changed > LEGACY_PART_AGE
    return False


def part_path(target: Path) -> Path:
    """Where ``target`` is written before it is renamed into place: the name says which
    process writes it, so a later start can tell a dead writer's leftovers from a live one's."""
    return target.with_name(f"{target.name}.{os.getpid()}.part")


def _write_durably(path: Path, text: str) -> None:
    """``path`` holds ``text`` or what it held before, whatever happens: temp, fsync, rename."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.part")
    with temporary.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def backup_name(when: datetime, *, automatic: bool) -> str:
    """``archive-YYYYmmdd-HHMMSS.sqlite3`` (UTC), with ``-auto`` for a scheduled one."""
    stamp = when.astimezone(UTC).strftime(_STAMP)
    return f"archive-{stamp}{'-auto' if automatic else ''}.sqlite3"


def unique_path(directory: Path, name: str) -> Path:
    """``directory/name``, or ``stem-2.suffix`` and so on when that is taken."""
    path = directory / name
    stem, suffix = path.stem, path.suffix
    number = 2
    while path.exists():
        path = directory / f"{stem}-{number}{suffix}"
        number += 1
    return path


def automatic_backups(directory: Path) -> list[tuple[datetime, Path]]:
    """The automatic backups in ``directory``, oldest first."""
    found: list[tuple[datetime, Path]] = []
    with suppress(FileNotFoundError, NotADirectoryError):
        for path in directory.iterdir():
            match = _AUTOMATIC.fullmatch(path.name)
            if match and path.is_file():
                when = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
                found.append((when, path))
    return sorted(found)


def is_due(directory: Path, schedule: BackupSettings, now: datetime) -> bool:
    if not schedule.enabled:
        return False
    existing = automatic_backups(directory)
    if not existing:
        return True
    newest = existing[-1][0]
    return now - newest >= timedelta(hours=schedule.interval_hours)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; returns the deleted ones."""
    existing = automatic_backups(directory)
    doomed = [path for _, path in existing[: max(0, len(existing) - keep)]]
    for path in doomed:
        try:
            path.unlink()
        except OSError as err:
            raise BackupError(f"cannot delete the old backup {path}: {_reason(err)}") from err
    return doomed


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        if path.is_dir():
            raise BackupError(f"{path} is a folder; give a backup file")
        if not path.is_file():
            raise BackupError(f"no such file: {path}")
    except OSError as err:  # a name too long to be a file, for one
        raise BackupError(f"cannot open {path}: {_reason(err)}") from err
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise BackupError(f"cannot open {path}: {_reason(err)}") from err
    try:
        yield conn
    finally:
        conn.close()


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError):
        return str(err.strerror or err)
    return str(err)
