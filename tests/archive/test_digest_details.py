"""What a newsletter says about a story besides its text (the banner it sat under, a link
digest's "(5 minute read)", the click-tracking link its address was unwrapped from) is
stored with the story, exported, and comes back from a JSON export (schema 8)."""

from __future__ import annotations

import io
from pathlib import Path

from reader._storage import SCHEMA_VERSION, open_archive, schema
from reader._storage.db import Connection
from reader.archive import Archive

LETTER = b"""<html><body><table><tr><td>
<p style="font-size:22px"><b>Dev Dispatch</b></p>
<p>Good morning, builders.</p>
<p><b>\xf0\x9f\x9b\xa0 Code &amp; Tools</b></p>
<p><a href="https://t.example/CL0/https:%2F%2Fblog.example%2Fsqlite-wal/1/0100">
<b>Why our WAL file grew to 40 GB (6 minute read)</b></a></p>
<p>A checkpoint starved by one long read transaction, and the two-line fix.</p>
<p><a href="https://t.example/CL0/https:%2F%2Fdocs.example%2Ftracing/1/0101">
<b>Tracing that costs nothing when it is off (4 minute read)</b></a></p>
<p>A walk through zero-cost spans in a small runtime.</p>
<p><a href="https://t.example/CL0/https:%2F%2Fnews.example%2Fparser/1/0102">
<b>A parser generator for the rest of us (9 minute read)</b></a></p>
<p>Grammars as data, errors people can read, and no build step.</p>
</td></tr></table><table><tr><td></td></tr></table><table><tr><td>
<p>Unsubscribe</p></td></tr></table></body></html>"""


def _story(archive: Archive, title: str):  # type: ignore[no-untyped-def]
    return next(s for s in map(archive.story, archive.story_ids()) if s.title == title)


def test_category_reading_time_and_tracking_link_are_kept(tmp_path: Path) -> None:
    with Archive(tmp_path / "data") as archive:
        archive.import_bytes(LETTER, origin="letter.html", filename="letter.html")
        story = _story(archive, "Why our WAL file grew to 40 GB")

        assert story.category == "🛠 Code & Tools"
        assert story.reading_time == "6 minute read"
        assert story.url == "https://blog.example/sqlite-wal"
        assert (
            story.tracking_url
            == "https://t.example/CL0/https:%2F%2Fblog.example%2Fsqlite-wal/1/0100"
        )

        out = io.StringIO()
        archive.export("json", out)
    exported = tmp_path / "export.json"
    exported.write_text(out.getvalue(), encoding="utf-8")

    with Archive(tmp_path / "other") as other:
        other.import_paths([exported])
        again = _story(other, "Why our WAL file grew to 40 GB")
        assert (again.category, again.reading_time, again.tracking_url) == (
            story.category,
            story.reading_time,
            story.tracking_url,
        )


def test_a_schema_7_archive_keeps_its_stories_and_gains_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    conn = Connection(path)
    try:
        schema.migrate(conn, target=7)
        with conn.transaction() as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(stories)")}
            assert "category" not in columns
    finally:
        conn.close()
    conn = open_archive(path)
    try:
        assert schema.schema_version(conn.db) == SCHEMA_VERSION == 12
    finally:
        conn.close()
