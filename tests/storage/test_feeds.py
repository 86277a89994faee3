"""Subscriptions in storage: the migration to schema 3, back-off, counts, feed stories and
versions, and what unsubscribing leaves behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader._storage import SCHEMA_VERSION, Store, schema
from reader._storage.db import Connection
from reader._storage.feeds import backoff
from reader.errors import AlreadySubscribedError, NotFoundError

from .factories import FETCHED, add, parsed, run_sql


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
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [story_id] = store.story_ids()
        story = store.get_story(story_id)
        assert (story.title, story.feed_id, story.revisions) == ("Old story", None, 0)
        assert store.feeds() == []
        assert store.integrity_check() == []


def test_failures_count_and_success_clears(store: Store) -> None:
    feed_id = store.add_feed("https://ledger.example/rss", title="Ledger")
    with pytest.raises(AlreadySubscribedError):
        store.add_feed("https://ledger.example/rss", title="Again")
    at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert store.due_feeds(at)[0].id == feed_id
    first = store.record_feed_failure(feed_id, fetched=at, error="HTTP 500 Internal Server Error")
    second = store.record_feed_failure(feed_id, fetched=at, error="timed out after 30s")
    assert (first, second) == (at + timedelta(minutes=15), at + timedelta(minutes=30))
    sub = store.get_feed(feed_id)
    assert (sub.last_error, sub.error_count, sub.next_attempt) == ("timed out after 30s", 2, second)
    assert store.due_feeds(at + timedelta(minutes=29)) == []
    assert [s.id for s in store.due_feeds(second)] == [feed_id]

    store.record_feed_success(
        feed_id, fetched=at, etag='"e1"', last_modified=None, title="The Ledger", kind="rss"
    )
    sub = store.get_feed(feed_id)
    assert (sub.last_error, sub.error_count, sub.next_attempt) == (None, 0, None)
    assert (sub.title, sub.kind, sub.etag, sub.last_success) == ("The Ledger", "rss", '"e1"', at)


def test_counts_versions_and_unsubscribe(store: Store) -> None:
    feed_id = store.add_feed("https://wire.example/rss", title="Wire")
    first = store.add_feed_story(
        parsed("Tide gauge reads high", guid="https://wire.example/rss w-1"),
        feed_id=feed_id,
        tags=["tides", "Ports"],
        text="Tide text.",
        content_hash="h1",
        origin="https://wire.example/rss",
        fetched=FETCHED,
    )
    add(store, "Unrelated story")
    store.set_flags(first, read=True)
    store.add_feed_story(
        parsed("Pilot boat", guid="https://wire.example/rss w-2"),
        feed_id=feed_id,
        tags=[],
        text="Pilot text.",
        content_hash="h2",
        origin=None,
        fetched=FETCHED,
    )
    sub = store.get_feed(feed_id)
    assert (sub.story_count, sub.unread_count) == (2, 1)
    assert store.get_story(first).tags == ("Ports", "tides")
    assert store.known_guids("https://wire.example/rss") == {
        "https://wire.example/rss w-1",
        "https://wire.example/rss w-2",
    }
    assert store.known_guids("https://wire.example/rs") == set()

    pending = store.pending_count()
    store.add_version(
        first, parsed("Tide gauge reads higher"), text="New.", content_hash="h3", fetched=FETCHED
    )
    assert store.pending_count() > pending, "the story's change is queued"
    story = store.get_story(first)
    assert (story.version, story.revisions, story.text, story.content_hash) == (2, 1, "New.", "h3")
    state = store.entry_state("https://wire.example/rss w-1")
    assert state is not None and (state.content_hash, state.hashes) == ("h3", {"h1", "h3"})
    [earlier] = store.versions_for(first)
    assert (earlier.version, earlier.text) == (1, "Tide text.")

    store.delete_feed(feed_id)
    assert store.get_story(first).feed_id is None
    assert store.count_stories() == 3
    with pytest.raises(NotFoundError, match=f"no source with id {feed_id}"):
        store.get_feed(feed_id)
    assert store.integrity_check() == []


def test_story_ids_filter_by_feed(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/rss", title="A")
    mine = store.add_feed_story(
        parsed("Mine", guid="g"),
        feed_id=feed_id,
        tags=[],
        text="t",
        content_hash="x",
        origin=None,
        fetched=FETCHED,
    )
    add(store, "Not mine")
    assert store.story_ids(feed_id=feed_id) == [mine]
