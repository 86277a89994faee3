"""The JSON archive: full fidelity, identical after a round trip through an empty archive,
merged without duplicates into a full one, streamed both ways, mailbox sources with their
settings (never a password), and format 1 and older format 2 exports still read."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from reader._export import jsonstream
from reader._storage import mailboxes, open_archive, transfer
from reader._storage.mailboxes import MailboxRow
from reader.archive import DB_FILENAME, Archive
from reader.errors import ParseError
from reader.model import Color

from .conftest import COPPER_URL, MAILBOX_URL, Filled, fill, story_id


def export(archive: Archive, **selection: object) -> str:
    out = io.StringIO()
    archive.export("json", out, **selection)  # type: ignore[arg-type]
    return out.getvalue()


def without_timestamp(document: str) -> list[str]:
    lines = document.splitlines()
    assert lines[4].startswith('  "exported": '), "the timestamp is the header's fifth line"
    return lines[:4] + lines[5:]


def save(tmp_path: Path, text: str, name: str = "archive.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_through_an_empty_archive_is_identical(
    filled: Filled, empty: Archive, tmp_path: Path
) -> None:
    first = export(filled.archive)
    report = empty.import_export(save(tmp_path, first))
    assert len(report.stories_added) == 4 and report.stories_merged == []
    assert report.highlights_added == 5 and report.notes_added == 2 and not report.unplaced
    second = export(empty)
    assert without_timestamp(second) == without_timestamp(first)
    assert '"kind": "mailbox"' in first and '"last_uid": 42' in first


def test_everything_is_carried(filled: Filled) -> None:
    data = json.loads(export(filled.archive))
    assert data["format"] == "story-reader-archive" and data["version"] == 2
    assert data["codebook"] == [
        {"color": "green", "name": "evidence", "description": ""},
        {"color": "pink", "name": "risk", "description": "what could go wrong"},
    ]
    assert [feed["url"] for feed in data["feeds"]] == ["https://example.net/feed.xml", MAILBOX_URL]
    plain, folder = data["feeds"]
    assert plain["kind"] is None and plain["mailbox"] is None
    assert folder["kind"] == "mailbox"
    assert folder["mailbox"] == {
        "host": "mail.example.org",
        "port": 993,
        "username": "ana",
        "folder": "Lists/Ports",
        "security": "tls",
        "ca_file": "/etc/ssl/certs/harbour-ca.pem",
        "uidvalidity": 1712345678,
        "last_uid": 42,
    }
    stories = {story["id"]: story for story in data["stories"]}
    copper = stories[filled.copper]
    assert copper["version"] == 2 and copper["read"] and copper["starred"]
    assert [v["version"] for v in copper["versions"]] == [1]
    assert "sixth week" in copper["versions"][0]["text"] and "seventh" in copper["text"]
    assert copper["html"].startswith("<h2>") and copper["sections"][1]["label"] == "Why it matters:"
    spot = copper["highlights"][0]
    assert spot["quote"] == "Spot premiums slipped"
    assert copper["text"][spot["start"] : spot["end"]] == spot["quote"]
    assert (spot["color"], spot["color_name"], spot["status"]) == ("pink", "risk", "anchored")
    assert spot["prefix"] and spot["suffix"] and spot["note"] == "low\nfor how long?"
    barge = stories[filled.barge]
    assert barge["tags"] == ["rivers"] and barge["notes"][0]["body"] == "Follow up *next* week"
    assert barge["later"] and not copper["later"]
    assert barge["highlights"][0]["tags"] == ["freight", "supply chain"]
    assert stories[filled.seawall]["archived"] and stories[filled.seawall]["tags"] == [
        "climate",
        "rivers",
    ]
    feed_story = stories[filled.feed_story]
    assert feed_story["feed_id"] == data["feeds"][0]["id"] and feed_story["tags"] == ["harbour"]
    assert feed_story["published"] == "2026-03-02T08:30:00.000000+00:00"


def test_importing_twice_duplicates_nothing(filled: Filled, tmp_path: Path) -> None:
    archive = filled.archive
    path = save(tmp_path, export(archive))
    before = export(archive)
    report = archive.import_export(path)
    assert report.stories_added == [] and len(report.stories_merged) == 4
    assert report.highlights_added == 0 and report.highlights_skipped == 5
    assert report.notes_added == 0 and report.notes_skipped == 2
    assert without_timestamp(export(archive)) == without_timestamp(before)


def test_merge_into_an_archive_that_has_some_of_it(filled: Filled, tmp_path: Path) -> None:
    path = save(tmp_path, export(filled.archive))
    with Archive(tmp_path / "other") as other:
        other.import_paths([Path(__file__).parents[1] / "cli" / "fixtures" / "river-digest.html"])
        barge = story_id(other, "Barge")
        mine = other.highlight_quote(barge, "lock repairs", color=Color.YELLOW)
        other.tag_highlight(mine.id, ["locks"])
        other.highlight_quote(barge, "Grain co-ops", color=Color.BLUE)
        other.tag_story(barge, ["inland"])
        other.add_note(barge, "Follow up *next* week")
        other.set_codebook_entry(Color.PINK, "danger")
        report = other.import_export(path)
        assert barge in report.stories_merged
        assert len(report.stories_added) == 2, "copper and the feed story are new here"
        assert any("pink stays 'danger'" in message for message in report.messages)
        merged = other.story(barge)
        assert set(merged.tags) == {"inland", "rivers"}
        highlights = other.highlights(barge)
        # Both analysts marked "lock repairs", at different times, with different notes and
        # colours: two highlights, each with its own note and tags, so neither note is lost.
        locks = sorted(
            ((h.color, h.note, set(h.tags)) for h in highlights if h.quote == "lock repairs"),
            key=lambda row: row[0],
        )
        assert locks == [
            (Color.GREEN, "=cause?", {"freight", "supply chain"}),
            (Color.YELLOW, "", {"locks"}),
        ]
        assert [n.body for n in other.notes(barge)] == ["Follow up *next* week"]
        assert {e.color: e.name for e in other.codebook()} == {
            Color.PINK: "danger",
            Color.GREEN: "evidence",
        }
        # Imported stories get new ids here; their highlights and notes come along.
        copper = story_id(other, "Copper")
        assert [h.quote for h in other.highlights(copper)] == [
            "Spot premiums slipped",
            "Two smelters",
        ]
        assert other.story(copper).version == 2 and len(other.versions(copper)) == 1
        again = other.import_export(path)
        assert again.stories_added == [] and again.highlights_added == 0


def test_highlights_on_another_text_are_placed_by_their_quote(
    filled: Filled, tmp_path: Path
) -> None:
    data = json.loads(export(filled.archive, story_ids=[filled.copper]))
    copper = data["stories"][0]
    # The other archive's copy of the story reads differently: positions no longer hold.
    copper["text"] = "Breaking: " + copper["text"]
    copper["content_hash"] = "another-copy"
    copper["highlights"].append(
        {**copper["highlights"][0], "id": 99, "quote": "words nowhere in the story", "note": ""}
    )
    copy = copper["text"]
    with Archive(tmp_path / "other") as other:
        other.import_paths([Path(__file__).parents[1] / "cli" / "fixtures" / "quiet-markets.md"])
        local_text = other.story(story_id(other, "Copper")).text
        assert local_text != copy
        report = other.import_export(save(tmp_path, json.dumps(data)))
        assert len(report.stories_merged) == 1
        [unplaced] = report.unplaced
        assert unplaced.quote == "words nowhere in the story" and unplaced.kept
        placed = other.highlights(report.stories_merged[0])
        spot = next(h for h in placed if h.quote == "Spot premiums slipped")
        assert local_text[spot.start : spot.end] == "Spot premiums slipped"
        assert spot.status == "anchored"
        assert next(h for h in placed if h.quote.startswith("words")).status == "orphan"


def test_selection_by_story_and_by_highlight(filled: Filled) -> None:
    data = json.loads(export(filled.archive, story_ids=[filled.barge, filled.copper]))
    assert [s["id"] for s in data["stories"]] == [filled.barge, filled.copper]
    copper_highlights = filled.archive.highlights(filled.copper)
    data = json.loads(export(filled.archive, highlight_ids=[copper_highlights[1].id]))
    [story] = data["stories"]
    assert story["id"] == filled.copper
    assert [h["quote"] for h in story["highlights"]] == ["Two smelters"]
    assert story["notes"] == []


def test_the_export_is_written_and_read_one_story_at_a_time(
    filled: Filled, empty: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader._export as export_package

    calls: list[int] = []
    original = transfer.story_records

    def one_batch(db: Database, ids: Sequence[int], **kwargs: Any) -> list[transfer.StoryRecord]:
        calls.append(len(ids))
        return original(db, ids, **kwargs)

    monkeypatch.setattr(export_package, "BATCH", 1)
    monkeypatch.setattr(transfer, "story_records", one_batch)
    document = export(filled.archive)
    assert calls == [1, 1, 1, 1]
    # Reading back through a tiny buffer crosses every kind of boundary.
    monkeypatch.setattr(jsonstream, "CHUNK", 5)
    report = empty.import_export(save(tmp_path, document))
    assert len(report.stories_added) == 4
    assert without_timestamp(export(empty)) == without_timestamp(document)


def test_format_1_exports_still_import(empty: Archive, tmp_path: Path) -> None:
    old = {
        "format": "story-reader-archive",
        "version": 1,
        "app_version": "0.1.0",
        "exported": "2026-01-01T00:00:00+00:00",
        "stories": [
            {
                "id": 7,
                "title": "Old Story",
                "source": "Gazette",
                "url": COPPER_URL,
                "published": None,
                "fetched": "2026-01-01T00:00:00+00:00",
                "read": True,
                "starred": False,
                "archived": False,
                "tags": ["old"],
                "sections": [{"label": None, "paragraphs": ["One line of text."], "bullets": []}],
                "text": "One line of text.",
                "highlights": [
                    {
                        "id": 3,
                        "start": 4,
                        "end": 8,
                        "quote": "line",
                        "prefix": "One ",
                        "suffix": " of text.",
                        "color": "green",
                        "note": "",
                        "tags": [],
                        "created": "2026-01-01T00:00:00+00:00",
                        "updated": "2026-01-01T00:00:00+00:00",
                    }
                ],
                "notes": [],
            }
        ],
    }
    report = empty.import_export(save(tmp_path, json.dumps(old)))
    assert report.stories_added == [7]
    story = empty.story(7)
    assert story.is_read and story.tags == ("old",) and story.content_hash
    [highlight] = empty.highlights(7)
    assert (highlight.id, highlight.quote, highlight.color) == (3, "line", Color.GREEN)


def test_a_mailbox_source_comes_back_as_one(filled: Filled, empty: Archive, tmp_path: Path) -> None:
    empty.import_export(save(tmp_path, export(filled.archive)))
    [sub] = [sub for sub in empty.subscriptions() if sub.url == MAILBOX_URL]
    assert sub.kind == "mailbox"
    row = _mailbox(empty, sub.id)
    assert (row.host, row.port, row.username, row.folder) == (
        "mail.example.org",
        993,
        "ana",
        "Lists/Ports",
    )
    assert (row.security, row.ca_file) == ("tls", "/etc/ssl/certs/harbour-ca.pem")
    assert (row.uidvalidity, row.last_uid) == (1712345678, 42)


def test_an_export_without_mailbox_settings_still_imports_and_a_later_one_completes_it(
    filled: Filled, empty: Archive, tmp_path: Path
) -> None:
    document = export(filled.archive)
    data = json.loads(document)
    for feed in data["feeds"]:  # as format 2 was written before feeds carried "mailbox"
        del feed["mailbox"]
        feed["kind"] = None
    report = empty.import_export(save(tmp_path, json.dumps(data), name="old.json"))
    assert len(report.stories_added) == 4
    [sub] = [sub for sub in empty.subscriptions() if sub.url == MAILBOX_URL]
    assert sub.kind is None, "without its settings the folder is a plain subscription"
    # A new export of the same archive gives the subscription its settings.
    again = empty.import_export(save(tmp_path, document))
    assert again.stories_added == []
    assert empty.subscription(sub.id).kind == "mailbox"
    assert _mailbox(empty, sub.id).last_uid == 42


def _mailbox(archive: Archive, feed_id: int) -> MailboxRow:
    """A mailbox source's settings, read through a connection of the test's own."""
    conn = open_archive(archive.data_dir / DB_FILENAME)
    try:
        return mailboxes.get_mailbox(conn.db, feed_id)
    finally:
        conn.close()


_FOLDER = (
    '{"format": "story-reader-archive", "version": 2, "feeds": [{"id": 1, "url":'
    ' "imap://ana@h:993/INBOX", "title": "INBOX", "created": "2026-01-01T00:00:00+00:00",'
    ' "kind": "mailbox"%s}], "stories": []}'
)
_SETTINGS = (
    ', "mailbox": {"host": "h", "port": 993, "username": "ana", "folder": "INBOX",'
    ' "security": "%s", "ca_file": null, "uidvalidity": null, "last_uid": 0}'
)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"format": "story-reader-archive", "version": 9, "stories": []}', "newer"),
        ('{"format": "story-reader-archive", "version": 2, "stories": [{"id": 1}]}', "story 1"),
        ('{"format": "story-reader-archive", "version": 2, "stories": [', "not valid JSON"),
        (_FOLDER % "", "without its 'mailbox' settings"),
        (_FOLDER % (_SETTINGS % "ssl"), "unknown mailbox security 'ssl'"),
    ],
)
def test_a_bad_export_is_one_line_error(
    empty: Archive, tmp_path: Path, document: str, message: str
) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        empty.import_export(save(tmp_path, document))
    assert "\n" not in str(caught.value)


def test_import_paths_recognises_exports_by_content(
    filled: Filled, empty: Archive, tmp_path: Path
) -> None:
    path = save(tmp_path, export(filled.archive), name="no-telling-suffix.txt")
    report = empty.import_paths([path])
    assert report.failed == [] and report.imported == []
    [merged] = report.merges
    assert merged.kind == "archive" and len(merged.stories_added) == 4
    # The search index hears about everything that came in.
    empty.sync_index()
    assert {hit.kind for hit in empty.search("smelters")} == {"story", "highlight"}


def test_a_second_fill_merges_into_the_first(filled: Filled, tmp_path: Path) -> None:
    """Two archives filled the same way: only the story texts and times differ."""
    path = save(tmp_path, export(filled.archive))
    with Archive(tmp_path / "twin") as twin:
        fill(twin, tmp_path / "twin")
        report = twin.import_export(path)
        assert report.stories_added == [] and report.highlights_added == 0
        assert report.highlights_skipped == 5
