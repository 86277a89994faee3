"""Subscriptions in storage: the migration to schema 3, back-off, counts, feed stories and
versions, and what unsubscribing leaves behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import SCHEMA_VERSION, changes, feeds, schema, stories, versions
from reader._storage.db import Connection
from reader._storage.feeds import backoff
from reader.errors import AlreadySubscribedError, NotFoundError

from .factories import FETCHED, add, opened, parsed, run_sql


def test_backoff_doubles_from_15_minutes_up_to_a_day() -> None:
    assert [backoff(n) for n in (0, 1, 2, 3)] == [
        timedelta(0),
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(hours=1),
    ]
    assert backoff(7) == timedelta(hours=16)
    assert backoff(8) == backoff(100) == timedelta(hours=24)


def test_v2_archive_migrates_keeping_stories(path: Path) -> None:
    conn = Connection(path)
    try:
        schema.migrate(conn, target=2)
    finally:
        conn.close()
    run_sql(
        path,
        "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
        " VALUES ('Old story', '2024-01-01T00:00:00.000000+00:00', 'Body', 'h1',"
        " '2024-01-01T00:00:00.000000+00:00', '2024-01-01T00:00:00.000000+00:00')",
    )
    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
        [story_id] = stories.story_ids(db)
        story = stories.get_story(db, story_id)
        assert (story.title, story.feed_id, story.revisions) == ("Old story", None, 0)
        assert feeds.list_feeds(db) == []
        assert schema.integrity_problems(db) == []


def test_failures_count_and_success_clears(db: Database) -> None:
    feed_id = feeds.add_feed(db, "https://ledger.example/rss", title="Ledger")
    with pytest.raises(AlreadySubscribedError):
        feeds.add_feed(db, "https://ledger.example/rss", title="Again")
    at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert feeds.due_feeds(db, at)[0].id == feed_id
    first = feeds.record_failure(db, feed_id, fetched=at, error="HTTP 500 Internal Server Error")
    second = feeds.record_failure(db, feed_id, fetched=at, error="timed out after 30s")
    assert (first, second) == (at + timedelta(minutes=15), at + timedelta(minutes=30))
    sub = feeds.get_feed(db, feed_id)
    assert (sub.last_error, sub.error_count, sub.next_attempt) == ("timed out after 30s", 2, second)
    assert feeds.due_feeds(db, at + timedelta(minutes=29)) == []
    assert [s.id for s in feeds.due_feeds(db, second)] == [feed_id]

    feeds.record_success(
        db, feed_id, fetched=at, etag='"e1"', last_modified=None, title="The Ledger", kind="rss"
    )
    sub = feeds.get_feed(db, feed_id)
    assert (sub.last_error, sub.error_count, sub.next_attempt) == (None, 0, None)
    assert (sub.title, sub.kind, sub.etag, sub.last_success) == ("The Ledger", "rss", '"e1"', at)


def test_counts_versions_and_unsubscribe(db: Database) -> None:
    feed_id = feeds.add_feed(db, "https://wire.example/rss", title="Wire")
    first = feeds.add_feed_story(
        db,
        parsed("Tide gauge reads high", guid="https://wire.example/rss w-1"),
        feed_id=feed_id,
        tag_names=["tides", "Ports"],
        text="Tide text.",
        content_hash="h1",
        origin="https://wire.example/rss",
        fetched=FETCHED,
    )
    add(db, "Unrelated story")
    stories.set_flags(db, first, read=True)
    feeds.add_feed_story(
        db,
        parsed("Pilot boat", guid="https://wire.example/rss w-2"),
        feed_id=feed_id,
        tag_names=[],
        text="Pilot text.",
        content_hash="h2",
        origin=None,
        fetched=FETCHED,
    )
    sub = feeds.get_feed(db, feed_id)
    assert (sub.story_count, sub.unread_count) == (2, 1)
    assert stories.get_story(db, first).tags == ("Ports", "tides")
    assert feeds.known_guids(db, "https://wire.example/rss") == {
        "https://wire.example/rss w-1",
        "https://wire.example/rss w-2",
    }
    assert feeds.known_guids(db, "https://wire.example/rs") == set()

    pending = changes.pending_count(db)
    versions.add_version(
        db,
        first,
        parsed("Tide gauge reads higher"),
        text="New.",
        content_hash="h3",
        fetched=FETCHED,
    )
    assert changes.pending_count(db) > pending, "the story's change is queued"
    story = stories.get_story(db, first)
    assert (story.version, story.revisions, story.text, story.content_hash) == (2, 1, "New.", "h3")
    state = feeds.entry_state(db, "https://wire.example/rss w-1")
    assert state is not None and (state.content_hash, state.hashes) == (
        "h3",
        frozenset({"h1", "h3"}),
    )
    [earlier] = versions.versions_for(db, first)
    assert (earlier.version, earlier.text) == (1, "Tide text.")

    feeds.delete_feed(db, feed_id)
    assert stories.get_story(db, first).feed_id is None
    assert stories.count_stories(db) == 3
    with pytest.raises(NotFoundError, match=f"no source with id {feed_id}"):
        feeds.get_feed(db, feed_id)
    assert schema.integrity_problems(db) == []


def test_story_ids_filter_by_feed(db: Database) -> None:
    feed_id = feeds.add_feed(db, "https://a.example/rss", title="A")
    mine = feeds.add_feed_story(
        db,
        parsed("Mine", guid="g"),
        feed_id=feed_id,
        tag_names=[],
        text="t",
        content_hash="x",
        origin=None,
        fetched=FETCHED,
    )
    add(db, "Not mine")
    assert stories.story_ids(db, feed_id=feed_id) == [mine]
