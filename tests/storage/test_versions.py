"""Story versions in storage: schema 5 turns schema-3 revisions into versions and moves
highlights onto the latest text; a new version keeps the old one and queues its changes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from reader._storage import SCHEMA_VERSION, changes, schema, stories, versions
from reader._storage import annotations as highlights_and_notes
from reader._storage.db import Connection
from reader.errors import NotFoundError
from reader.model import Color

from .factories import FETCHED, add, opened, parsed, run_sql

T0, T1, T2 = "2025-03-01T08:00:00+00:00", "2025-03-02T08:00:00+00:00", "2025-03-03T08:00:00+00:00"
V1 = "The ferry to Marlow leaves at seven.\nFares rise in March."
V2 = "The ferry to Marlow leaves at eight.\nFares rise in March."
V3 = "Winter timetable: the ferry to Marlow leaves at eight.\nFares rise in April."


def test_schema_5_turns_revisions_into_versions(path: Path) -> None:
    conn = Connection(path)
    try:
        schema.migrate(conn, target=4)
    finally:
        conn.close()
    run_sql(
        path,
        "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
        f" VALUES ('Ferry times', '{T0}', '{V1}', 'h1', '{T0}', '{T0}')",
        "INSERT INTO stories (title, fetched, text, content_hash, created, updated)"
        f" VALUES ('Untouched', '{T0}', 'Body', 'h9', '{T0}', '{T0}')",
        "INSERT INTO highlights (story_id, start, end, quote, prefix, suffix, color, created,"
        f" updated) VALUES (1, 0, 27, 'The ferry to Marlow leaves ', '', 'at seven.', 'yellow',"
        f" '{T0}', '{T0}')",
        "INSERT INTO highlights (story_id, start, end, quote, prefix, suffix, color, created,"
        f" updated) VALUES (1, 37, 50, 'Fares rise in', 'leaves at seven.\n', ' March.',"
        f" 'green', '{T0}', '{T0}')",
        "INSERT INTO story_revisions (story_id, fetched, title, text, content_hash)"
        f" VALUES (1, '{T1}', 'Ferry times', '{V2}', 'h2')",
        "INSERT INTO story_revisions (story_id, fetched, title, text, content_hash)"
        f" VALUES (1, '{T2}', 'Winter ferry times', '{V3}', 'h3')",
    )

    with opened(path) as db:
        assert schema.schema_version(db) == SCHEMA_VERSION
        story = stories.get_story(db, 1)
        assert (story.title, story.text, story.version, story.revisions) == (
            "Winter ferry times",
            V3,
            3,
            2,
        )
        assert story.fetched is not None and story.fetched.isoformat() == T2
        assert [(v.version, v.text, v.content_hash) for v in versions.versions_for(db, 1)] == [
            (1, V1, "h1"),
            (2, V2, "h2"),
        ]
        assert stories.get_story(db, 2).version == 1
        moved = {h.quote: h for h in highlights_and_notes.highlights_for(db, 1)}
        ferry, fares = moved["The ferry to Marlow leaves "], moved["Fares rise in"]
        assert (ferry.status, V3[ferry.start : ferry.end]) == (
            "changed",
            "the ferry to Marlow leaves ",
        )
        assert (fares.status, V3[fares.start : fares.end]) == ("anchored", fares.quote)
        assert schema.integrity_problems(db) == []
        queued = {(c.kind, c.item_id) for c in changes.pending(db, 100)}
        assert {("story", 1), ("highlight", ferry.id), ("highlight", fares.id)} <= queued
    with closing(sqlite3.connect(path)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "story_revisions" not in tables


def test_a_new_version_keeps_the_old_one_and_moves_highlights(db: Database) -> None:
    story_id = add(db, "Ferry times", text=V1, content_hash="h1")
    kept = highlights_and_notes.add_highlight(
        db,
        story_id,
        start=37,
        end=50,
        quote="Fares rise in",
        prefix="",
        suffix="",
        color=Color.BLUE,
    )
    changes.acknowledge(db, 10**6)

    report = versions.add_version(
        db, story_id, parsed("Ferry times"), text=V2, content_hash="h2", fetched=FETCHED
    )
    assert (report.version, report.moved, report.changed, report.orphaned) == (2, 1, 0, 0)
    assert versions.known_hashes(db, story_id) == {"h1", "h2"}
    assert [(c.kind, c.item_id) for c in changes.pending(db, 10)] == [("story", story_id)], (
        "a highlight that did not move is not queued"
    )
    assert highlights_and_notes.get_highlight(db, kept.id) == kept
    assert versions.get_version(db, story_id, 1).text == V1
    assert versions.get_version(db, story_id, 2).text == V2
    with pytest.raises(NotFoundError):
        versions.get_version(db, story_id, 3)
    with pytest.raises(NotFoundError):
        versions.versions_for(db, 999)


def test_restoring_a_highlight_keeps_its_status(db: Database) -> None:
    story_id = add(db, "Ferry times", text=V1, content_hash="h1")
    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=9, quote="The ferry", prefix="", suffix="", color=Color.BLUE
    )
    versions.add_version(
        db, story_id, parsed("Ferry times"), text="Gone.", content_hash="h2", fetched=FETCHED
    )
    orphan = highlights_and_notes.get_highlight(db, highlight.id)
    assert orphan.status == "orphan"
    highlights_and_notes.delete_highlight(db, orphan.id)
    assert highlights_and_notes.restore_highlight(db, orphan) == orphan
