"""Builders for stories in storage tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from reader._storage import open_archive, stories
from reader.model import ParsedStory, Section

FETCHED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def parsed(title: str = "Rates hold steady", **fields: Any) -> ParsedStory:
    fields.setdefault(
        "sections",
        (
            Section(None, ("The central bank kept rates unchanged.",)),
            Section("Why it matters:", ("Borrowing stays dear.",), ("Mortgages", "Loans")),
        ),
    )
    return ParsedStory(title=title, **fields)


def add(
    db: Database,
    title: str = "Rates hold steady",
    *,
    text: str | None = None,
    content_hash: str | None = None,
    origin: str | None = None,
    fetched: datetime = FETCHED,
    **fields: Any,
) -> int:
    """Add a story; text and hash default to ones derived from the title, so titles differ."""
    return stories.add_story(
        db,
        parsed(title, **fields),
        text=text if text is not None else f"{title}. The central bank kept rates unchanged.",
        content_hash=content_hash if content_hash is not None else f"hash:{title}",
        origin=origin,
        fetched=fetched,
    )


@contextmanager
def opened(path: Path) -> Iterator[Database]:
    """The archive at ``path`` opened (created or migrated) as the facade opens it."""
    conn = open_archive(path)
    try:
        yield conn.db
    finally:
        conn.close()


@contextmanager
def transaction(db: Database) -> Iterator[None]:
    """One write transaction on a test's Database, as Connection.transaction opens it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def run_sql(path: Path, *statements: str) -> None:
    """Change the file behind the archive's back, through a connection of its own."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)


def count_rows(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
