"""The mailbox sources table (schema 7): a v6 archive gains it with its feeds untouched, a
folder is a feeds row of kind "mailbox", and unsubscribing drops where reading stopped."""

from __future__ import annotations

from pathlib import Path

from reader._storage import SCHEMA_VERSION, Store, schema
from reader._storage.db import Connection


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
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [feed] = store.feeds()
        assert (feed.url, feed.kind) == ("https://example.org/feed", "rss")
        assert store.mailboxes() == []


def test_a_folder_is_a_mailbox_source_and_unsubscribing_forgets_its_position(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "archive.sqlite3") as store:
        feed_id = store.add_mailbox(
            "imap://ana@127.0.0.1:993/News",
            title="News (ana@127.0.0.1)",
            host="127.0.0.1",
            port=993,
            username="ana",
            folder="News",
            security="tls",
            ca_file=None,
        )
        assert store.get_feed(feed_id).kind == "mailbox"
        store.set_mailbox_position(feed_id, uidvalidity=1234, last_uid=17)
        row = store.mailbox(feed_id)
        assert (row.uidvalidity, row.last_uid, row.security) == (1234, 17, "tls")
        store.delete_feed(feed_id)
        assert store.mailboxes() == []
