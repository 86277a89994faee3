"""Plain-data views of stories, highlights and notes, shared by ``show --json`` and exports so
both always describe a story the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reader.model import Highlight, Note, SearchHit, Story, StorySummary


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "source": story.source,
        "source_qualifier": story.source_qualifier,
        "url": story.url,
        "guid": story.guid,
        "byline": story.byline,
        "published": iso(story.published),
        "fetched": iso(story.fetched),
        "origin": story.origin,
        "language": story.language,
        "read": story.is_read,
        "starred": story.is_starred,
        "archived": story.is_archived,
        "tags": list(story.tags),
        "sections": [section.to_dict() for section in story.sections],
        "text": story.text,
    }


def highlight_record(highlight: Highlight) -> dict[str, Any]:
    return {
        "id": highlight.id,
        "start": highlight.start,
        "end": highlight.end,
        "quote": highlight.quote,
        "prefix": highlight.prefix,
        "suffix": highlight.suffix,
        "color": highlight.color.value,
        "note": highlight.note,
        "tags": list(highlight.tags),
        "created": iso(highlight.created),
        "updated": iso(highlight.updated),
    }


def note_record(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "body": note.body,
        "created": iso(note.created),
        "updated": iso(note.updated),
    }


def summary_record(summary: StorySummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "source": summary.source,
        "published": iso(summary.published),
        "read": summary.is_read,
        "starred": summary.is_starred,
        "archived": summary.is_archived,
        "highlights": summary.highlight_count,
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
