"""A 20,000-story archive: lists and summaries stay complete and correctly ordered."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from reader._storage import Connection, documents, schema, stories
from reader._storage.db import encode_time
from reader._storage.stories import story_ids_query
from reader.model import Color, Order, View

from .factories import FETCHED

COUNT = 20_000
SOURCES = ("The Ledger", "Wire", "Daily Wire Service", "Morning Post", "Evening Star")


def _fill(path: Path) -> list[dict[str, object]]:
    """Insert COUNT stories (and some highlights) in one executemany; returns the rows."""
    now = encode_time(FETCHED)
    rows: list[dict[str, object]] = [
        {
            "id": n,
            "title": f"Story {n:05d}",
            "published": None if n % 13 == 0 else encode_time(FETCHED - timedelta(minutes=n % 997)),
            "fetched": encode_time(FETCHED - timedelta(minutes=n % 503)),
            "source_id": n % len(SOURCES) + 1,
            "text": f"Body of story {n}.",
            "content_hash": f"hash-{n}",
            "is_read": int(n % 3 == 0),
            "is_starred": int(n % 7 == 0),
            "is_archived": int(n % 11 == 0),
            "created": now,
        }
        for n in range(1, COUNT + 1)
    ]
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany(
            "INSERT INTO sources (id, name, created) VALUES (?, ?, ?)",
            [(i, name, now) for i, name in enumerate(SOURCES, start=1)],
        )
        conn.executemany(
            "INSERT INTO stories (id, title, published, fetched, source_id, text, content_hash,"
            " is_read, is_starred, is_archived, created, updated) VALUES (:id, :title,"
            " :published, :fetched, :source_id, :text, :content_hash, :is_read, :is_starred,"
            " :is_archived, :created, :created)",
            rows,
        )
        conn.executemany(
            'INSERT INTO highlights (story_id, start, "end", quote, color, created, updated)'
            " VALUES (?, 0, 4, 'Body', ?, ?, ?)",
            [(n, Color.YELLOW.value, now, now) for n in range(17, COUNT + 1, 17)],
        )
    return rows


def test_twenty_thousand_stories(conn: Connection, db: Database, path: Path) -> None:
    rows = _fill(path)
    live = [row for row in rows if not row["is_archived"]]

    def sort_key(row: dict[str, object]) -> tuple[date, bool, str, int]:
        # Undated stories by when they were added, below the stories published that day.
        when = str(row["published"] or row["fetched"])
        local_day = datetime.fromisoformat(when).astimezone().date()
        return (local_day, row["published"] is not None, when, int(str(row["id"])))

    expected = [row["id"] for row in sorted(live, key=sort_key, reverse=True)]
    ids = stories.story_ids(db)
    assert ids == expected
    assert stories.count_stories(db) == len(live)

    assert len(stories.story_ids(db, view=View.UNREAD)) == sum(not row["is_read"] for row in live)
    # Starred keeps archived favourites.
    assert len(stories.story_ids(db, view=View.STARRED)) == sum(
        bool(row["is_starred"]) for row in rows
    )
    assert any(row["is_starred"] and row["is_archived"] for row in rows)
    assert len(stories.story_ids(db, view=View.ARCHIVED)) == COUNT - len(live)
    highlighted = [n for n in range(17, COUNT + 1, 17) if n % 11 != 0]
    assert sorted(stories.story_ids(db, view=View.HIGHLIGHTED)) == highlighted
    assert len(stories.story_ids(db, source_id=1, order=Order.TITLE)) == sum(
        row["source_id"] == 1 for row in live
    )
    assert stories.story_ids(db, order=Order.TITLE, descending=False)[:2] == [1, 2]

    summaries = stories.summaries(db, ids)
    assert [summary.id for summary in summaries] == ids
    assert [summary.id for summary in stories.summaries(db, ids[::-1])] == ids[::-1]
    assert sum(summary.highlight_count for summary in summaries) == len(highlighted)

    batches = list(documents.DocumentBatches(conn, 1000))
    assert all(len(batch) <= 1000 for batch in batches)
    assert sum(len(batch) for batch in batches) == COUNT + len(range(17, COUNT + 1, 17))
    assert schema.integrity_problems(db) == []


def test_story_list_views_are_read_in_index_order(db: Database) -> None:
    """The list's views must not sort 100,000 rows in a temporary b-tree (see schema step 6).
    Starred (archived favourites included) is read from its own index; sorted by title, only
    the starred stories are sorted."""
    for view in (View.ALL, View.UNREAD, View.STARRED, View.LATER, View.ARCHIVED):
        for order in (Order.PUBLISHED, Order.TITLE):
            sql, params = story_ids_query(view=view, order=order)
            plan = " ".join(str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))
            if view == View.LATER:
                # Only the stories set aside are read, and in date order from their index.
                assert "idx_stories_live_later" in plan, (order, plan)
                assert order != Order.PUBLISHED or "TEMP B-TREE" not in plan, plan
                continue
            if view == View.STARRED:
                assert "idx_stories_live_starred (is_starred=?)" in plan, (order, plan)
                continue
            assert "TEMP B-TREE" not in plan, (view, order, plan)
            assert "idx_stories_live_by" in plan, (view, order, plan)


def test_counts_never_read_the_stories_table(db: Database) -> None:
    """Story rows hold the text: a count that scans them reads the whole archive. Every query
    the counts run is captured and planned; none may scan the stories table itself."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        stories.view_counts(db)
        for view in (View.ALL, View.UNREAD, View.STARRED, View.LATER, View.ARCHIVED):
            stories.count_stories(db, view=view)
        stories.sources(db, publications=True)
    finally:
        db.conn.set_trace_callback(None)
    selects = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 9
    for sql in selects:
        plan = [str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
        assert "SCAN s" not in plan, (sql, plan)
