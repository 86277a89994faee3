"""Stories and their sources: adding, reading, listing, flags, tags and (soft) deletion.

A soft-deleted story is absent to every reader here until it is undeleted or purged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from reader._storage import tags
from reader._storage.db import (
    decode_optional_time,
    encode_optional_time,
    encode_time,
    insert,
    now,
    update,
)
from reader._storage.text_stats import text_columns
from reader._storage.undated import undated_after_their_day
from reader.errors import NotFoundError
from reader.model import Order, ParsedStory, Section, Source, Story, StorySummary, View

PUBLICATION = "publication"

# Archiving is how a story leaves the lists, except Starred: a favourite stays a favourite when
# it is archived, as in mail clients and read-later apps.
_VIEWS: dict[str, str] = {
    View.ALL: "s.is_archived = 0",
    View.UNREAD: "s.is_archived = 0 AND s.is_read = 0",
    View.STARRED: "s.is_starred = 1",
    View.LATER: "s.is_later = 1 AND s.is_archived = 0",
    View.HIGHLIGHTED: (
        "s.is_archived = 0 AND EXISTS (SELECT 1 FROM highlights h WHERE h.story_id = s.id)"
    ),
    View.ARCHIVED: "s.is_archived = 1",
}

_HIGHLIGHT_COUNT_SQL = "(SELECT COUNT(*) FROM highlights h WHERE h.story_id = s.id)"

# Keyed by str: a caller passing a plain string (a StrEnum equals its value) looks up alike.
_ORDERS: dict[str, str] = {
    # Matches idx_stories_sort_date, so the default list is read in index order.
    Order.PUBLISHED: "COALESCE(s.published, s.fetched)",
    Order.TITLE: "s.title COLLATE NOCASE",
    Order.SOURCE: "src.name COLLATE NOCASE",
    Order.HIGHLIGHTS: _HIGHLIGHT_COUNT_SQL,
    Order.FETCHED: "s.fetched",
}

_FROM = "FROM stories s LEFT JOIN sources src ON src.id = s.source_id"

SELECT_STORIES = f"""
    SELECT s.*, src.name AS source, {tags.STORY_TAGS_SQL} AS tags,
        {_HIGHLIGHT_COUNT_SQL} AS highlight_count,
        (SELECT COUNT(*) FROM story_versions v WHERE v.story_id = s.id) AS revisions
    {_FROM}
"""
"""Every column :func:`story_from_row` reads; add a WHERE clause."""


def require(db: Database, story_id: int) -> None:
    """Raise NotFoundError unless the story exists and is not deleted."""
    row = db.execute(
        "SELECT 1 FROM stories WHERE id = ? AND deleted_at IS NULL", [story_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id}")


def find_duplicate(
    db: Database,
    *,
    url: str | None = None,
    guid: str | None = None,
    content_hash: str | None = None,
) -> int | None:
    """A live story with this url or guid when either is given, else with this content."""
    if url is not None or guid is not None:
        sql = "SELECT id FROM stories WHERE deleted_at IS NULL AND (url = ? OR guid = ?)"
        params: list[str | None] = [url, guid]
    elif content_hash is not None:
        sql = "SELECT id FROM stories WHERE deleted_at IS NULL AND content_hash = ?"
        params = [content_hash]
    else:
        return None
    row = db.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
    return None if row is None else int(row[0])


def add_story(
    db: Database,
    parsed: ParsedStory,
    *,
    text: str,
    content_hash: str,
    origin: str | None,
    fetched: datetime,
) -> int:
    """Store a new story; ``fetched`` is when it was added, kept apart from when it was
    published (None for an undated story). Its front matter's tags are linked to it."""
    timestamp = now()
    record = _content_record(parsed, text=text, content_hash=content_hash, origin=origin)
    record.update(
        source_id=publication_id(db, parsed.source or parsed.newsletter),
        fetched=encode_time(fetched),
        created=timestamp,
        updated=timestamp,
    )
    story_id = insert(db, "stories", record)
    names = [name for name in parsed.tags if name.strip()]
    if names:
        tags.link(db, "story", story_id, names)
    return story_id


def update_story(
    db: Database,
    story_id: int,
    parsed: ParsedStory,
    *,
    text: str,
    content_hash: str,
    origin: str | None,
    fetched: datetime,
) -> None:
    """Replace a story's content with a newer parse, keeping its flags, tags and annotations."""
    require(db, story_id)
    record = _content_record(parsed, text=text, content_hash=content_hash, origin=origin)
    source_id = publication_id(db, parsed.source or parsed.newsletter)
    record.update(source_id=source_id, fetched=encode_time(fetched), updated=now())
    update(db, "stories", story_id, record)


def get_story(db: Database, story_id: int) -> Story:
    rows = list(db.query(f"{SELECT_STORIES} WHERE s.id = ? AND s.deleted_at IS NULL", [story_id]))
    if not rows:
        raise NotFoundError(f"no story with id {story_id}")
    return story_from_row(rows[0])


def story_from_row(row: dict[str, Any]) -> Story:
    """A story from a row of :data:`SELECT_STORIES`."""
    return Story(
        id=row["id"],
        title=row["title"],
        sections=decode_sections(row["sections"]),
        text=row["text"],
        html=row["html"],
        content_hash=row["content_hash"],
        source=row["source"],
        source_qualifier=row["source_qualifier"],
        url=row["url"],
        guid=row["guid"],
        byline=row["byline"],
        published=decode_optional_time(row["published"]),
        fetched=decode_optional_time(row["fetched"]),
        origin=row["origin"],
        language=row["language"],
        category=row["category"],
        reading_time=row["reading_time"],
        tracking_url=row["tracking_url"],
        is_read=bool(row["is_read"]),
        is_starred=bool(row["is_starred"]),
        is_archived=bool(row["is_archived"]),
        is_later=bool(row["is_later"]),
        tags=tags.decode(row["tags"]),
        highlight_count=row["highlight_count"],
        feed_id=row["feed_id"],
        version=row["version"],
        revisions=row["revisions"],
    )


def story_ids(
    db: Database,
    *,
    view: View = View.ALL,
    source_id: int | None = None,
    tag: str | None = None,
    order: Order = Order.PUBLISHED,
    descending: bool = True,
    feed_id: int | None = None,
    limit: int | None = None,
) -> list[int]:
    sql, params = story_ids_query(
        view=view,
        source_id=source_id,
        tag=tag,
        order=order,
        descending=descending,
        feed_id=feed_id,
    )
    if limit is not None:
        # The top of the list: a day that runs past it is ordered within the top only, and
        # the whole list, read next, orders it whole.
        sql += " LIMIT :limit"
        params["limit"] = limit
    ids = [row[0] for row in db.execute(sql, params).fetchall()]
    return undated_after_their_day(db, ids) if order == Order.PUBLISHED else ids


def story_ids_query(
    *,
    view: View,
    order: Order,
    descending: bool = True,
    source_id: int | None = None,
    tag: str | None = None,
    feed_id: int | None = None,
) -> tuple[str, dict[str, object]]:
    """The SQL behind :func:`story_ids` (kept apart so tests can check its query plan)."""
    if order not in _ORDERS:
        raise ValueError(f"unknown order {order!r}; expected one of {', '.join(_ORDERS)}")
    where, params = _list_where(view, source_id, tag, feed_id)
    # The sources join is only needed to sort by source name; without it the list is read
    # straight from idx_stories_live_by_*.
    source = " LEFT JOIN sources src ON src.id = s.source_id" if order == Order.SOURCE else ""
    # Without statistics the planner walks the whole list's index for the few stories set
    # aside; their own partial index holds just them, in date order.
    table = "stories s INDEXED BY idx_stories_live_later" if view == View.LATER else "stories s"
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT s.id FROM {table}{source} WHERE {where}"
        f" ORDER BY {_ORDERS[order]} {direction}, s.id {direction}"
    )
    return sql, params


def _list_where(
    view: View, source_id: int | None, tag: str | None, feed_id: int | None
) -> tuple[str, dict[str, object]]:
    where = ["s.deleted_at IS NULL", _view_condition(view)]
    params: dict[str, object] = {}
    if source_id is not None:
        where.append("s.source_id = :source_id")
        params["source_id"] = source_id
    if feed_id is not None:
        where.append("s.feed_id = :feed_id")
        params["feed_id"] = feed_id
    if tag is not None:
        where.append(
            "s.id IN (SELECT x.story_id FROM story_tags x JOIN tags t ON t.id = x.tag_id"
            " WHERE t.name = :tag)"
        )
        params["tag"] = tag.strip()
    return " AND ".join(where), params


def summaries(db: Database, ids: Sequence[int]) -> list[StorySummary]:
    # One JSON parameter instead of an IN list: one query for any number of ids, with no
    # SQLITE_MAX_VARIABLE_NUMBER to chunk around.
    rows = db.query(
        f"""
        SELECT s.id, s.title, src.name AS source, s.published, s.fetched,
            s.is_read, s.is_starred, s.is_archived, {_HIGHLIGHT_COUNT_SQL} AS highlight_count,
            s.is_later, s.word_count, s.byline, s.preview, {tags.STORY_TAGS_SQL} AS tags
        {_FROM}
        WHERE s.id IN (SELECT value FROM json_each(?)) AND s.deleted_at IS NULL
        """,
        [json.dumps(list(ids))],
    )
    found = {row["id"]: _summary(row) for row in rows}
    return [found[story_id] for story_id in ids if story_id in found]


# Covers deleted_at (partial), the flags and the source: counts never read the text's table.
_COUNTING = "stories s INDEXED BY idx_stories_live_by_source"


# Holds only the stories set aside for later (partial), so their count reads a few entries.
_COUNTING_LATER = "stories s INDEXED BY idx_stories_live_later"


def count_stories(db: Database, *, view: View = View.ALL) -> int:
    table = {View.HIGHLIGHTED: "stories s", View.LATER: _COUNTING_LATER}.get(view, _COUNTING)
    row = db.execute(
        f"SELECT COUNT(*) FROM {table} WHERE s.deleted_at IS NULL AND {_view_condition(view)}"
    ).fetchone()
    return int(row[0])


def view_counts(db: Database) -> dict[View, int]:
    """Every view's count: one pass over a small index, one over the few stories set aside
    for later, and one over the highlights."""
    flagged = [view for view in _VIEWS if view not in (View.HIGHLIGHTED, View.LATER)]
    columns = ", ".join(f"COUNT(*) FILTER (WHERE {_VIEWS[view]})" for view in flagged)
    row = db.execute(f"SELECT {columns} FROM {_COUNTING} WHERE s.deleted_at IS NULL").fetchone()
    counts = {View(view): int(n) for view, n in zip(flagged, row, strict=True)}
    highlighted = db.execute(
        "SELECT COUNT(DISTINCT h.story_id) FROM highlights h JOIN stories s ON s.id = h.story_id"
        " WHERE s.deleted_at IS NULL AND s.is_archived = 0"
    ).fetchone()
    counts[View.HIGHLIGHTED] = int(highlighted[0])
    counts[View.LATER] = count_stories(db, view=View.LATER)
    return counts


def story_count_by_source(db: Database, *, view: View = View.ALL) -> dict[int | None, int]:
    """Live stories in ``view`` per source id; ``None`` counts stories without a source."""
    rows = db.execute(
        "SELECT s.source_id, COUNT(*) FROM stories s"
        f" WHERE s.deleted_at IS NULL AND {_view_condition(view)} GROUP BY s.source_id"
    ).fetchall()
    return {source_id: int(count) for source_id, count in rows}


def sources(db: Database, *, publications: bool = False) -> list[tuple[Source, int]]:
    """Every source with its number of live stories, by name. ``publications``: only those
    with a story that did not come from a web feed (a feed's own name is listed as the feed;
    a newsletter read from a mailbox folder is still a publication)."""
    counted = {
        row[0]: (int(row[1]), int(row[2]))
        for row in db.execute(
            f"""
            SELECT s.source_id, COUNT(*),
                COUNT(*) FILTER (
                    WHERE s.feed_id IS NULL OR s.feed_id IN (SELECT feed_id FROM mailboxes))
            FROM {_COUNTING}
            WHERE s.deleted_at IS NULL AND s.source_id IS NOT NULL
            GROUP BY s.source_id
            """
        )
    }
    found = []
    for row in db.query("SELECT id, kind, name, url FROM sources ORDER BY name COLLATE NOCASE, id"):
        total, outside_feeds = counted.get(row["id"], (0, 0))
        if publications and not outside_feeds:
            continue
        source = Source(id=row["id"], kind=row["kind"], name=row["name"], url=row["url"])
        found.append((source, total))
    return found


def set_flags(
    db: Database,
    story_id: int,
    *,
    read: bool | None = None,
    starred: bool | None = None,
    archived: bool | None = None,
    later: bool | None = None,
) -> None:
    require(db, story_id)
    flags = (
        ("is_read", read),
        ("is_starred", starred),
        ("is_archived", archived),
        ("is_later", later),
    )
    updates = {column: int(value) for column, value in flags if value is not None}
    if not updates:
        return
    update(db, "stories", story_id, {**updates, "updated": now()})


def tag_story(db: Database, story_id: int, names: Iterable[str]) -> None:
    require(db, story_id)
    tags.link(db, "story", story_id, names)


def untag_story(db: Database, story_id: int, names: Iterable[str]) -> None:
    require(db, story_id)
    tags.unlink(db, "story", story_id, names)


def delete_story(db: Database, story_id: int) -> None:
    cursor = db.execute(
        "UPDATE stories SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", [now(), story_id]
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"no story with id {story_id}")


def undelete_story(db: Database, story_id: int) -> None:
    cursor = db.execute(
        "UPDATE stories SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL", [story_id]
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"no deleted story with id {story_id}")


def purge_deleted(db: Database) -> int:
    """Remove soft-deleted stories for good; their annotations and tag links cascade.

    The triggers queue nothing: deleting them already took every item out of the index.
    """
    cursor = db.execute("DELETE FROM stories WHERE deleted_at IS NOT NULL")
    tags.prune(db)
    return cursor.rowcount


def _content_record(
    parsed: ParsedStory, *, text: str, content_hash: str, origin: str | None
) -> dict[str, Any]:
    return {
        "guid": parsed.guid,
        "url": parsed.url,
        "title": parsed.title,
        "byline": parsed.byline,
        "published": encode_optional_time(parsed.published),
        "source_qualifier": parsed.source_qualifier,
        "origin": origin,
        "language": parsed.language,
        "category": parsed.category,
        "reading_time": parsed.reading_time,
        "tracking_url": parsed.tracking_url,
        "text": text,
        "sections": encode_sections(parsed.sections),
        "html": parsed.html,
        "content_hash": content_hash,
        **text_columns(text),
    }


def encode_sections(sections: Iterable[Section]) -> str:
    return json.dumps([section.to_dict() for section in sections])


def decode_sections(value: str) -> tuple[Section, ...]:
    return tuple(Section.from_dict(item) for item in json.loads(value))


def publication_id(db: Database, name: str | None) -> int | None:
    """The id of the publication source with this name, added if new; None without a name."""
    if not name:
        return None
    db.execute(
        "INSERT INTO sources (kind, name, created) VALUES (?, ?, ?)"
        " ON CONFLICT (kind, name) DO NOTHING",
        [PUBLICATION, name, now()],
    )
    row = db.execute(
        "SELECT id FROM sources WHERE kind = ? AND name = ?", [PUBLICATION, name]
    ).fetchone()
    return int(row[0])


def _view_condition(view: View) -> str:
    try:
        return _VIEWS[view]
    except KeyError:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(_VIEWS)}") from None


def _summary(row: dict[str, Any]) -> StorySummary:
    return StorySummary(
        id=row["id"],
        title=row["title"],
        source=row["source"],
        published=decode_optional_time(row["published"]),
        fetched=decode_optional_time(row["fetched"]),
        is_read=bool(row["is_read"]),
        is_starred=bool(row["is_starred"]),
        is_archived=bool(row["is_archived"]),
        highlight_count=row["highlight_count"],
        is_later=bool(row["is_later"]),
        word_count=row["word_count"],
        byline=row["byline"],
        tags=tags.decode(row["tags"]),
        preview=row["preview"],
    )
