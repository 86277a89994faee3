"""Plain-data views of stories, highlights and notes, shared by ``show --json`` and exports so
both always describe a story the same way.

Times are ISO 8601 as ``time`` writes them: ``datetime.isoformat`` by default; the JSON archive
passes its fixed-precision ``encode_time``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from reader.model import Color, Highlight, Note, SearchHit, Story, StorySummary

TimeFormat = Callable[[datetime], str]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def story_record(
    story: Story,
    *,
    time: TimeFormat = datetime.isoformat,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The story's metadata, then ``details`` (what the JSON archive adds), then its content."""
    return {
        "id": story.id,
        "title": story.title,
        "source": story.source,
        "source_qualifier": story.source_qualifier,
        "url": story.url,
        "guid": story.guid,
        "byline": story.byline,
        "published": _optional(time, story.published),
        "fetched": _optional(time, story.fetched),
        "origin": story.origin,
        "language": story.language,
        "category": story.category,
        "reading_time": story.reading_time,
        "tracking_url": story.tracking_url,
        "read": story.is_read,
        "starred": story.is_starred,
        "archived": story.is_archived,
        "later": story.is_later,
        "tags": list(story.tags),
        **(details or {}),
        "sections": [section.to_dict() for section in story.sections],
        "text": story.text,
    }


def highlight_record(
    highlight: Highlight,
    *,
    time: TimeFormat = datetime.isoformat,
    names: Mapping[Color, str] | None = None,
) -> dict[str, Any]:
    """The highlight; given the codebook's ``names`` (as the JSON archive is), also its
    colour's name and its status."""
    record: dict[str, Any] = {
        "id": highlight.id,
        "start": highlight.start,
        "end": highlight.end,
        "quote": highlight.quote,
        "prefix": highlight.prefix,
        "suffix": highlight.suffix,
        "color": highlight.color.value,
    }
    if names is not None:
        record["color_name"] = names.get(highlight.color, highlight.color.value)
    record["note"] = highlight.note
    record["tags"] = list(highlight.tags)
    if names is not None:
        record["status"] = highlight.status
    record["created"] = time(highlight.created)
    record["updated"] = time(highlight.updated)
    return record


def note_record(note: Note, *, time: TimeFormat = datetime.isoformat) -> dict[str, Any]:
    return {
        "id": note.id,
        "body": note.body,
        "created": time(note.created),
        "updated": time(note.updated),
    }


def summary_record(summary: StorySummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "source": summary.source,
        "published": iso(summary.published),
        "fetched": iso(summary.fetched),
        "read": summary.is_read,
        "starred": summary.is_starred,
        "archived": summary.is_archived,
        "later": summary.is_later,
        "highlights": summary.highlight_count,
        "words": summary.word_count,
    }


def hit_record(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.item_id,
        "story_id": hit.story_id,
        "title": hit.title,
        "source": hit.source,
        "published": iso(hit.published),
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
    }


def _optional(time: TimeFormat, value: datetime | None) -> str | None:
    return None if value is None else time(value)
