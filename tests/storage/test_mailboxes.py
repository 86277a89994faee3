"""The mailbox sources table (schema 7): a v6 archive gains it with its feeds untouched, a
folder is a feeds row of kind "mailbox", and unsubscribing drops where reading stopped."""

from __future__ import annotations

from pathlib import Path

from reader._storage import SCHEMA_VERSION, feeds, mailboxes, schema
from reader._storage.db import Connection
from tests.storage.factories import opened


def test_v6_archive_gains_mailboxes_and_keeps_its_feeds(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    conn = Connection(path)
    try:
        schema.migrate(conn, target=6)
        with conn.transaction() as db:
            db.execute(
                "INSERT INTO feeds (url, title, kind, created)"
                " VALUES ('https://example.org/feed', 'Ports', 'rss', '2026-01-01T00:00:00Z')"
            )
    finally:
        conn.close()
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
        [feed] = feeds.list_feeds(db)
        assert (feed.url, feed.kind) == ("https://example.org/feed", "rss")
        assert mailboxes.list_mailboxes(db) == []


def test_a_folder_is_a_mailbox_source_and_unsubscribing_forgets_its_position(
    tmp_path: Path,
) -> None:
    with opened(tmp_path / "archive.sqlite3") as db:
        feed_id = feeds.add_feed(db, "imap://ana@127.0.0.1:993/News", title="News (ana@127.0.0.1)")
        mailboxes.add_mailbox(
            db,
            feed_id,
            host="127.0.0.1",
            port=993,
            username="ana",
            folder="News",
            security="tls",
            ca_file=None,
        )
        assert feeds.get_feed(db, feed_id).kind == "mailbox"
        mailboxes.set_position(db, feed_id, uidvalidity=1234, last_uid=17)
        row = mailboxes.get_mailbox(db, feed_id)
        assert (row.uidvalidity, row.last_uid, row.security) == (1234, 17, "tls")
        feeds.delete_feed(db, feed_id)
        assert mailboxes.list_mailboxes(db) == []
