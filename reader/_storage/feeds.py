"""Subscriptions (the feeds table) with their fetch status and back-off, and the stories feeds
bring (a changed entry becomes a new version of its story: see ``versions``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from reader._storage import stories, tags, versions
from reader._storage.db import (
    decode_optional_time,
    decode_time,
    encode_time,
    insert,
    now,
    update,
)
from reader.errors import AlreadySubscribedError, NotFoundError
from reader.model import ParsedStory, Subscription

BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)

_SELECT = """
    SELECT f.*,
        m.feed_id IS NOT NULL AS is_mailbox,
        (SELECT COUNT(*) FROM stories s
         WHERE s.feed_id = f.id AND s.deleted_at IS NULL) AS story_count,
        (SELECT COUNT(*) FROM stories s
         WHERE s.feed_id = f.id AND s.deleted_at IS NULL
           AND s.is_read = 0 AND s.is_archived = 0) AS unread_count
    FROM feeds f LEFT JOIN mailboxes m ON m.feed_id = f.id
"""


@dataclass(frozen=True, slots=True)
class EntryState:
    """What the archive holds for a feed entry's guid, to tell new, unchanged and changed.
    ``hashes`` are the content hashes of the story's current and earlier versions."""

    story_id: int
    content_hash: str
    hashes: frozenset[str]
    deleted: bool


def backoff(error_count: int) -> timedelta:
    """How long a feed rests after ``error_count`` failures in a row: 15 min, doubling, ≤ 24 h."""
    if error_count <= 0:
        return timedelta(0)
    delay = BACKOFF_BASE * (1 << min(error_count - 1, 16))
    return min(delay, BACKOFF_MAX)


def add_feed(
    db: Database,
    url: str,
    *,
    title: str,
    fetch_full_articles: bool = False,
    site_url: str | None = None,
    kind: str | None = None,
) -> int:
    existing = feed_id_for_url(db, url)
    if existing is not None:
        raise AlreadySubscribedError(f"already subscribed to {url} (source {existing})")
    return insert(
        db,
        "feeds",
        {
            "url": url,
            "title": title,
            "site_url": site_url,
            "kind": kind,
            "fetch_full_articles": int(fetch_full_articles),
            "created": now(),
        },
    )


def feed_id_for_url(db: Database, url: str) -> int | None:
    row = db.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()
    return None if row is None else int(row[0])


def get_feed(db: Database, feed_id: int) -> Subscription:
    rows = list(db.query(f"{_SELECT} WHERE f.id = ?", [feed_id]))
    if not rows:
        raise NotFoundError(f"no source with id {feed_id}")
    return subscription_from_row(rows[0])


def list_feeds(db: Database) -> list[Subscription]:
    """Every subscription, by title."""
    rows = db.query(f"{_SELECT} ORDER BY f.title COLLATE NOCASE")
    return [subscription_from_row(row) for row in rows]


def due_feeds(db: Database, at: datetime) -> list[Subscription]:
    """Subscriptions not backing off at ``at``."""
    rows = db.query(
        f"{_SELECT} WHERE f.next_attempt IS NULL OR f.next_attempt <= ?"
        " ORDER BY f.title COLLATE NOCASE",
        [encode_time(at)],
    )
    return [subscription_from_row(row) for row in rows]


def delete_feed(db: Database, feed_id: int) -> None:
    """Forget the subscription; its stories stay (their feed_id becomes NULL)."""
    if db.execute("DELETE FROM feeds WHERE id = ?", [feed_id]).rowcount == 0:
        raise NotFoundError(f"no source with id {feed_id}")


def set_fetch_full_articles(db: Database, feed_id: int, enabled: bool) -> None:
    get_feed(db, feed_id)
    update(db, "feeds", feed_id, {"fetch_full_articles": int(enabled)})


def record_success(
    db: Database,
    feed_id: int,
    *,
    fetched: datetime,
    etag: str | None,
    last_modified: str | None,
    title: str | None = None,
    site_url: str | None = None,
    kind: str | None = None,
) -> None:
    """A fetch worked (or was not modified): clear the error and the back-off."""
    values: dict[str, Any] = {
        "etag": etag,
        "last_modified": last_modified,
        "last_fetched": encode_time(fetched),
        "last_success": encode_time(fetched),
        "last_error": None,
        "error_count": 0,
        "next_attempt": None,
    }
    if title:
        values["title"] = title
    if site_url:
        values["site_url"] = site_url
    if kind:
        values["kind"] = kind
    update(db, "feeds", feed_id, values)


def record_failure(db: Database, feed_id: int, *, fetched: datetime, error: str) -> datetime:
    """A fetch failed: keep the reason, count it, and push the next attempt back.

    Returns when the feed is due again. ETag and Last-Modified stay: what we hold is still
    what they describe.
    """
    count = get_feed(db, feed_id).error_count + 1
    next_attempt = fetched + backoff(count)
    update(
        db,
        "feeds",
        feed_id,
        {
            "last_fetched": encode_time(fetched),
            "last_error": error,
            "error_count": count,
            "next_attempt": encode_time(next_attempt),
        },
    )
    return next_attempt


def known_guids(db: Database, feed_url: str) -> set[str]:
    """Guids of every story (deleted ones too) taken from the feed at ``feed_url``."""
    prefix = f"{feed_url} "
    # Guids are "<feed url> <entry id>"; "!" is the character after the space, so this is a
    # prefix search that the guid index serves.
    rows = db.execute(
        "SELECT guid FROM stories WHERE guid >= ? AND guid < ?", [prefix, f"{feed_url}!"]
    ).fetchall()
    return {str(row[0]) for row in rows}


def entry_state(db: Database, guid: str) -> EntryState | None:
    row = db.execute(
        "SELECT id, content_hash, deleted_at IS NOT NULL FROM stories"
        " WHERE guid = ? ORDER BY id LIMIT 1",
        [guid],
    ).fetchone()
    if row is None:
        return None
    story_id = int(row[0])
    hashes = frozenset(versions.known_hashes(db, story_id))
    return EntryState(story_id, str(row[1]), hashes, bool(row[2]))


def add_feed_story(
    db: Database,
    parsed: ParsedStory,
    *,
    feed_id: int | None,
    tag_names: Iterable[str],
    text: str,
    content_hash: str,
    origin: str | None,
    fetched: datetime,
) -> int:
    """Add a story from a feed entry, linked to its feed and carrying the entry's tags."""
    story_id = stories.add_story(
        db, parsed, text=text, content_hash=content_hash, origin=origin, fetched=fetched
    )
    if feed_id is not None:
        update(db, "stories", story_id, {"feed_id": feed_id})
    names = [name for name in tag_names if name.strip()]
    if names:
        tags.link(db, "story", story_id, names)
    return story_id


def subscription_from_row(row: dict[str, Any]) -> Subscription:
    """A subscription from a feeds row with its ``story_count`` and ``unread_count`` (and
    ``is_mailbox``, for a mailbox folder, whose kind is then "mailbox")."""
    return Subscription(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        created=decode_time(row["created"]),
        site_url=row["site_url"],
        kind="mailbox" if row.get("is_mailbox") else row["kind"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched=decode_optional_time(row["last_fetched"]),
        last_success=decode_optional_time(row["last_success"]),
        last_error=row["last_error"],
        error_count=row["error_count"],
        next_attempt=decode_optional_time(row["next_attempt"]),
        fetch_full_articles=bool(row["fetch_full_articles"]),
        story_count=row["story_count"],
        unread_count=row["unread_count"],
    )
