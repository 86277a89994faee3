"""Counts of a set of stories, highlights and notes by kind, source, tag, colour and day, in one
SQLite statement over small indexes and the rows' first columns (never the text), for the facet
chips and the timeline of a search or of the whole archive (the list's)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Counts:
    """Raw facet counts; ``sources`` and ``tags`` are by name, ``days`` by ISO date (UTC)."""

    kinds: dict[str, int]
    sources: Counter[str]
    tags: Counter[str]
    colors: dict[str, int]
    days: dict[str, int]


# Nothing is read from a matched story's row: at 100,000 stories of 600 words each row fills a
# page of its own, and reading the source and date of 23,000 matched stories from their rows
# took 8 s from a cold cache (0.26 s warm). Stories are counted by scanning the small indexes on
# source and date and keeping the ids that matched (an IN list SQLite builds once), 40-180 ms
# at 100,000; deleted stories are told by the small partial index of them.
_DEAD = "SELECT id FROM stories WHERE deleted_at IS NOT NULL"
_STORY_SOURCES = """
SELECT src.name, n FROM (
    SELECT s.source_id, COUNT(*) AS n FROM stories s INDEXED BY idx_stories_live_by_source
    WHERE s.deleted_at IS NULL AND s.id IN {ids}
    GROUP BY s.source_id
) LEFT JOIN sources src ON src.id = source_id
"""
_STORY_DAYS = f"""
SELECT substr(s.published, 1, 10), COUNT(*) FROM stories s INDEXED BY idx_stories_published
WHERE s.published IS NOT NULL AND s.id IN {{ids}}
    AND s.id NOT IN ({_DEAD})
GROUP BY 1
"""
# The unary plus scans the (smaller) link table instead of looking up every matched story in it.
_STORY_TAGS = f"""
SELECT t.name, COUNT(*) FROM story_tags x JOIN tags t ON t.id = x.tag_id
WHERE +x.story_id IN {{ids}} AND x.story_id NOT IN ({_DEAD})
GROUP BY t.id
"""
# Annotations are few next to stories: their story's source and date are read from its row.
_ANNOTATIONS = {
    "highlight": f"""
        SELECT h.id, h.story_id, h.color FROM highlights h
        WHERE h.id IN (SELECT value FROM json_each(:ids)) AND h.story_id NOT IN ({_DEAD})
    """,
    "note": f"""
        SELECT n.id, n.story_id, NULL FROM notes n
        WHERE n.id IN (SELECT value FROM json_each(:ids)) AND n.story_id NOT IN ({_DEAD})
    """,
}
_STORY_ROWS = """
SELECT s.id, src.name, substr(s.published, 1, 10) FROM stories s
LEFT JOIN sources src ON src.id = s.source_id WHERE s.id IN (SELECT value FROM json_each(:ids))
"""
_JSON_IDS = "(SELECT value FROM json_each(:ids))"
_SET_COLORS = "SELECT h.color, COUNT(*) FROM highlights h WHERE h.story_id IN {ids} GROUP BY 1"
_SET_NOTES = "SELECT COUNT(*) FROM notes n WHERE n.story_id IN {ids}"
_HIGHLIGHT_TAGS = """
SELECT t.name, COUNT(*) FROM highlight_tags x JOIN tags t ON t.id = x.tag_id
WHERE x.highlight_id IN (SELECT value FROM json_each(:ids)) GROUP BY t.id
"""


def counts(
    db: Database,
    stories: Sequence[int],
    highlights: Sequence[int] = (),
    notes: Sequence[int] = (),
) -> Counts:
    """Count the given items (what a search matched); ids of deleted stories and of their
    annotations are left out. A highlight or note counts under its story's source and date,
    and a highlight under its own tags, as the index finds them."""
    sources: Counter[str] = Counter()
    days: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    kinds = {"story": 0}
    if stories:
        # Each scans a whole index: worth it only when there are stories to look for.
        kinds["story"] = _count_stories(
            db, _JSON_IDS, {"ids": json.dumps(list(stories))}, sources, days, tags
        )
    colors: Counter[str] = Counter()
    annotated: Counter[int] = Counter()
    live_highlights: list[int] = []
    for kind, ids in (("highlight", highlights), ("note", notes)):
        if not ids:
            continue
        rows = db.execute(_ANNOTATIONS[kind], {"ids": json.dumps(list(ids))}).fetchall()
        kinds[kind] = len(rows)
        for item_id, story_id, color in rows:
            annotated[story_id] += 1
            if color is not None:
                colors[str(color)] += 1
                live_highlights.append(item_id)
    if annotated:
        rows = db.execute(_STORY_ROWS, {"ids": json.dumps(list(annotated))}).fetchall()
        for story_id, name, day in rows:
            if name is not None:
                sources[str(name)] += annotated[story_id]
            if day is not None:
                days[str(day)] += annotated[story_id]
        if live_highlights:
            highlight_ids = {"ids": json.dumps(live_highlights)}
            tags.update(dict(db.execute(_HIGHLIGHT_TAGS, highlight_ids).fetchall()))
    return Counts(
        kinds={kind: n for kind, n in kinds.items() if n},
        sources=sources,
        tags=tags,
        colors=dict(colors),
        days=dict(days),
    )


# Every story a search can find, read from the small partial index, never from the rows.
LIVE_STORIES = (
    "SELECT s.id FROM stories s INDEXED BY idx_stories_live_by_source WHERE s.deleted_at IS NULL"
)
# A live story's highlights and notes, each under its story's source and date, as the index
# documents repeat them: annotations are few next to stories, so their stories' rows are read.
_ANNOTATION_SOURCES = """
SELECT src.name, COUNT(*) FROM (
    SELECT story_id FROM highlights UNION ALL SELECT story_id FROM notes
) a JOIN stories s ON s.id = a.story_id LEFT JOIN sources src ON src.id = s.source_id
WHERE s.deleted_at IS NULL AND src.name IS NOT NULL GROUP BY s.source_id
"""
_ANNOTATION_DAYS = """
SELECT substr(s.published, 1, 10), COUNT(*) FROM (
    SELECT story_id FROM highlights UNION ALL SELECT story_id FROM notes
) a JOIN stories s ON s.id = a.story_id
WHERE s.deleted_at IS NULL AND s.published IS NOT NULL GROUP BY 1
"""
_LIVE_HIGHLIGHT_TAGS = f"""
SELECT t.name, COUNT(*) FROM highlight_tags x JOIN tags t ON t.id = x.tag_id
JOIN highlights h ON h.id = x.highlight_id WHERE h.story_id NOT IN ({_DEAD}) GROUP BY t.id
"""


def archive_counts(db: Database) -> Counts:
    """Counts of everything a search can find: every live story, highlight and note, counted
    as :func:`counts` counts what a query matched, each statement answered whole by SQLite (at
    100,000 stories no id passes through Python, which held the window's interpreter lock for a
    second as the list's facets were counted)."""
    sources: Counter[str] = Counter()
    days: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    found = f"({LIVE_STORIES})"
    kinds = {"story": _count_stories(db, found, {}, sources, days, tags)}
    colors = {
        str(color): int(n) for color, n in db.execute(_SET_COLORS.format(ids=found)).fetchall()
    }
    kinds["highlight"] = sum(colors.values())
    kinds["note"] = int(db.execute(_SET_NOTES.format(ids=found)).fetchone()[0])
    sources.update(dict(db.execute(_ANNOTATION_SOURCES).fetchall()))
    days.update(dict(db.execute(_ANNOTATION_DAYS).fetchall()))
    tags.update(dict(db.execute(_LIVE_HIGHLIGHT_TAGS).fetchall()))
    return Counts(
        kinds={kind: n for kind, n in kinds.items() if n},
        sources=sources,
        tags=tags,
        colors=colors,
        days=days,
    )


def _count_stories(
    db: Database,
    found: str,
    params: dict[str, object],
    sources: Counter[str],
    days: Counter[str],
    tags: Counter[str],
) -> int:
    """Count the stories of ``found`` (a parenthesised set of ids) into ``sources``, ``days``
    and ``tags``; the number of live stories among them."""
    total = 0
    for name, count in db.execute(_STORY_SOURCES.format(ids=found), params).fetchall():
        total += count
        if name is not None:
            sources[str(name)] += count
    days.update(dict(db.execute(_STORY_DAYS.format(ids=found), params).fetchall()))
    tags.update(dict(db.execute(_STORY_TAGS.format(ids=found), params).fetchall()))
    return total
