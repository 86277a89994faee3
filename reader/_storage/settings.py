"""Settings that belong with the archive rather than with one machine (the backup schedule),
kept as text in the ``settings`` table; each reader supplies its own default."""

from __future__ import annotations

from sqlite_utils import Database


def get(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def put(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def delete(db: Database, key: str) -> None:
    db.execute("DELETE FROM settings WHERE key = ?", [key])
