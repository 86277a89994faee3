"""Copies of the archive file: a consistent snapshot made while the app runs, the checks a file
must pass before it is restored, putting it in place while keeping the archive it replaces,
and the rolling automatic backups, pruned to the newest few.

SQLite's backup API copies the whole file in one step inside one read transaction, so the copy
holds every transaction committed before it began and nothing of one still open, however busy
other connections are (WAL lets them go on writing meanwhile).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from reader import _killpoints
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
    partial = target.with_name(target.name + ".part")
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


def restore_file(candidate: Path, live: Path, backups: Path, when: datetime) -> Path:
    """Put a verified ``candidate`` in place of ``live``, which must be closed, and return
    where the archive it replaced is kept (``pre-restore-…`` in ``backups``)."""
    incoming = live.with_name(live.name + ".restoring")
    with _read_only(candidate) as source:
        snapshot(source, incoming)
    _killpoints.step("restore.snapshot_written")
    kept = unique_path(backups, f"pre-restore-{when.astimezone(UTC).strftime(_STAMP)}.sqlite3")
    moved: list[tuple[Path, Path]] = []
    try:
        backups.mkdir(parents=True, exist_ok=True)
        # The WAL may hold committed transactions another process has not checkpointed yet;
        # it moves with the file so the kept archive is complete.
        for suffix in ("", "-wal", "-shm"):
            current = live.with_name(live.name + suffix)
            if current.exists():
                keep_as = kept.with_name(kept.name + suffix)
                os.replace(current, keep_as)
                moved.append((keep_as, current))
        _killpoints.step("restore.live_moved")
        os.replace(incoming, live)
        _killpoints.step("restore.swapped")
    except OSError as err:
        for keep_as, current in reversed(moved):
            with suppress(OSError):
                os.replace(keep_as, current)
        with suppress(OSError):
            incoming.unlink(missing_ok=True)
        raise BackupError(f"cannot restore into {live}: {_reason(err)}") from err
    return kept


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
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
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
