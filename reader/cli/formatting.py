"""How reports look: the JSON records and the one-line terminal summaries for subscriptions,
refreshes, merges and story versions."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from reader.archive import iso
from reader.model import FeedRefresh, MergeReport, RefreshStatus, Subscription, VersionReport


def subscription_record(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "title": sub.title,
        "url": sub.url,
        "site_url": sub.site_url,
        "kind": sub.kind,
        "last_fetched": iso(sub.last_fetched),
        "last_success": iso(sub.last_success),
        "last_error": sub.last_error,
        "error_count": sub.error_count,
        "next_attempt": iso(sub.next_attempt),
        "full_articles": sub.fetch_full_articles,
        "stories": sub.story_count,
        "unread": sub.unread_count,
    }


def refresh_record(feed: FeedRefresh) -> dict[str, Any]:
    return {
        "id": feed.feed_id,
        "title": feed.title,
        "url": feed.url,
        "status": feed.status,
        "new": feed.new,
        "changed": feed.changed,
        "versions": [version_record(v) for v in feed.versions],
        "unchanged": feed.unchanged,
        "error": feed.error,
        "next_attempt": iso(feed.next_attempt),
    }


def local_time(when: datetime) -> str:
    """A stored UTC time as the user's local time, to the minute."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def refresh_summary(feed: FeedRefresh) -> str:
    if feed.status is RefreshStatus.ERROR:
        return f"error: {feed.error}"
    if feed.status is RefreshStatus.SKIPPED:
        until = local_time(feed.next_attempt) if feed.next_attempt else "later"
        return f"skipped: backing off until {until} (last error: {feed.error})"
    if feed.status is RefreshStatus.NOT_MODIFIED:
        return "not modified"
    if not (feed.new or feed.changed):
        return "nothing new"
    parts = [f"+{len(feed.new)} new"]
    if feed.changed:
        # Each changed entry is a new version of its story; say how its highlights fared.
        moved = sum(v.moved for v in feed.versions)
        changed = sum(v.changed for v in feed.versions)
        orphaned = sum(v.orphaned for v in feed.versions)
        counts = f"{moved} moved, {changed} changed, {orphaned} orphaned"
        highlights = f" (highlights: {counts})" if moved or changed or orphaned else ""
        parts.append(f"{len(feed.changed)} changed{highlights}")
    return ", ".join(parts)


def merge_record(merged: MergeReport) -> dict[str, Any]:
    return {
        "path": merged.path,
        "kind": merged.kind,
        "stories_added": merged.stories_added,
        "stories_merged": merged.stories_merged,
        "highlights_added": merged.highlights_added,
        "highlights_skipped": merged.highlights_skipped,
        "highlights_unplaced": len(merged.unplaced),
        "notes_added": merged.notes_added,
        "notes_skipped": merged.notes_skipped,
        "unplaced": [
            {"target": u.target, "quote": u.quote, "reason": u.reason, "kept": u.kept}
            for u in merged.unplaced
        ],
        "messages": merged.messages,
    }


def merge_summary(merged: MergeReport) -> str:
    """``stories 2 added, 1 merged; highlights 5 added, 1 skipped, 0 unplaced; notes 1 added``"""
    return (
        f"stories {len(merged.stories_added)} added, {len(merged.stories_merged)} merged; "
        f"highlights {merged.highlights_added} added, {merged.highlights_skipped} skipped, "
        f"{len(merged.unplaced)} unplaced; notes {merged.notes_added} added, "
        f"{merged.notes_skipped} skipped"
    )


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


ECHO_LIMIT = 80
"""At most this much of an argument is quoted back in an error."""
MESSAGE_LIMIT = 1000


def clip_echoes(message: str, given: list[str]) -> str:
    """``message`` with every long argument it quotes shortened to :data:`ECHO_LIMIT`
    characters (an error must never print a 10,000-character argument back), and at most
    :data:`MESSAGE_LIMIT` characters in all."""
    for text in sorted(set(given), key=len, reverse=True):
        if len(text) > ECHO_LIMIT and text in message:
            message = message.replace(text, text[: ECHO_LIMIT - 1] + "…")
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    return message


def version_record(version: VersionReport) -> dict[str, Any]:
    return {
        "story_id": version.story_id,
        "version": version.version,
        "moved": version.moved,
        "changed": version.changed,
        "orphaned": version.orphaned,
    }


def version_summary(version: VersionReport) -> str:
    """``Title (version 2: 3 moved, 1 changed, 1 orphaned)``."""
    return (
        f"{version.title} (version {version.version}: {version.moved} moved, "
        f"{version.changed} changed, {version.orphaned} orphaned)"
    )


def terminal_snippet(snippet: str) -> str:
    """The HTML snippet as plain text with the matched words in [brackets]."""
    marked = re.sub(r'<b class="match">(.*?)</b>', r"[\1]", snippet)
    return html.unescape(re.sub(r"<[^>]+>", "", marked))


_SINGULAR = {
    "stories": "story",
    "highlights": "highlight",
    "annotations": "annotation",
    "subscriptions": "subscription",
}


def counted(n: int, plural: str) -> str:
    """``n`` and the noun in the right number: "1 story", "2 stories"."""
    return f"{n:,} {_SINGULAR.get(plural, plural) if n == 1 else plural}"
