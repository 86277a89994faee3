"""Mailbox sources: how to reach each folder and where reading it stopped (UIDVALIDITY and the
last UID seen), beside the folder's row in the feeds table. Never a password."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlite_utils import Database

from reader._storage.db import insert
from reader.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class MailboxRow:
    feed_id: int
    host: str
    port: int
    username: str
    folder: str
    security: str
    ca_file: str | None
    uidvalidity: int | None
    last_uid: int


def add_mailbox(
    db: Database,
    feed_id: int,
    *,
    host: str,
    port: int,
    username: str,
    folder: str,
    security: str,
    ca_file: str | None,
) -> None:
    insert(
        db,
        "mailboxes",
        {
            "feed_id": feed_id,
            "host": host,
            "port": port,
            "username": username,
            "folder": folder,
            "security": security,
            "ca_file": ca_file,
        },
    )


def restore_mailbox(db: Database, row: MailboxRow) -> None:
    """Put back a mailbox row as an export holds it, where reading stopped included."""
    insert(db, "mailboxes", asdict(row))


def get_mailbox(db: Database, feed_id: int) -> MailboxRow:
    rows = list(db.query("SELECT * FROM mailboxes WHERE feed_id = ?", [feed_id]))
    if not rows:
        raise NotFoundError(f"source {feed_id} is not a mailbox folder")
    return MailboxRow(**rows[0])


def list_mailboxes(db: Database) -> list[MailboxRow]:
    return [MailboxRow(**row) for row in db.query("SELECT * FROM mailboxes ORDER BY feed_id")]


def set_position(db: Database, feed_id: int, *, uidvalidity: int, last_uid: int) -> None:
    """Where reading the folder stopped: the next refresh asks only for UIDs past
    ``last_uid``, unless the folder's UIDVALIDITY is no longer ``uidvalidity``."""
    db.execute(
        "UPDATE mailboxes SET uidvalidity = ?, last_uid = ? WHERE feed_id = ?",
        [uidvalidity, last_uid, feed_id],
    )
