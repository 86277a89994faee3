"""An archive with something of everything an export must carry: codebook names, tags on stories
and highlights, notes, flags, an earlier version of a story, a subscription's story, and a
mailbox source with where reading it stopped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader._parse import canonical_text, content_hash
from reader._storage import feeds, mailboxes, open_archive
from reader.archive import DB_FILENAME, Archive
from reader.model import Color, ParsedStory, Section, View

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"
COPPER_URL = "https://example.org/markets/copper-quiet-quarter"
MAILBOX_URL = "imap://ana@mail.example.org:993/Lists%2FPorts"


@dataclass
class Filled:
    archive: Archive
    copper: int
    barge: int
    seawall: int
    feed_story: int


def story_id(archive: Archive, title_start: str) -> int:
    ids = archive.story_ids(view=View.ALL) + archive.story_ids(view=View.ARCHIVED)
    return next(s.id for s in archive.summaries(ids) if s.title.startswith(title_start))


def fill(archive: Archive, tmp_path: Path) -> Filled:
    archive.import_paths([FIXTURES])
    copper = story_id(archive, "Copper")
    barge = story_id(archive, "Barge")
    seawall = story_id(archive, "Coastal")
    archive.set_codebook_entry(Color.PINK, "risk", "what could go wrong")
    archive.set_codebook_entry(Color.GREEN, "evidence")
    archive.highlight_quote(
        copper, "Spot premiums slipped", color=Color.PINK, note="low\nfor how long?"
    )
    archive.highlight_quote(copper, "Two smelters", color=Color.YELLOW)
    made = archive.highlight_quote(barge, "lock repairs", color=Color.GREEN, note="=cause?")
    archive.tag_highlight(made.id, ["freight", "supply chain"])
    archive.highlight_quote(seawall, "61 percent", color=Color.BLUE)
    archive.tag_story(barge, ["rivers"])
    archive.tag_story(seawall, ["climate", "Rivers"])
    archive.add_note(barge, "Follow up *next* week")
    archive.add_note(seawall, "Ask the council")
    archive.set_flags(copper, read=True, starred=True)
    archive.set_flags(seawall, archived=True)
    archive.set_flags(barge, later=True)
    # A newer version of the copper story: its highlights move onto the new text.
    changed = (FIXTURES / "quiet-markets.md").read_text(encoding="utf-8")
    changed = changed.replace("sixth week", "seventh straight week")
    path = tmp_path / "quiet-markets-updated.md"
    path.write_text(changed, encoding="utf-8")
    archive.import_paths([path])
    # What a refresh would have written, put in through a connection of its own (the
    # triggers queue the index's changes for any writer).
    conn = open_archive(archive.data_dir / DB_FILENAME)
    db = conn.db
    feed_id = feeds.add_feed(
        db, "https://example.net/feed.xml", title="Harbour Notes", site_url="https://example.net/"
    )
    parsed = ParsedStory(
        title="Dredging Starts in the Outer Harbour",
        sections=(Section(None, ("Dredgers began work on the outer channel on Monday.",)),),
        url="https://example.net/dredging",
        guid="https://example.net/feed.xml dredging-1",
        published=datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
    )
    text = canonical_text(parsed.sections)
    feed_story = feeds.add_feed_story(
        db,
        parsed,
        feed_id=feed_id,
        tag_names=["harbour"],
        text=text,
        content_hash=content_hash(parsed.title, text),
        origin="https://example.net/feed.xml",
        fetched=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    mailbox = feeds.add_feed(db, MAILBOX_URL, title="Lists/Ports (ana@mail.example.org)")
    mailboxes.add_mailbox(
        db,
        mailbox,
        host="mail.example.org",
        port=993,
        username="ana",
        folder="Lists/Ports",
        security="tls",
        ca_file="/etc/ssl/certs/harbour-ca.pem",
    )
    mailboxes.set_position(db, mailbox, uidvalidity=1712345678, last_uid=42)
    conn.close()
    archive.highlight_quote(feed_story, "outer channel", color=Color.PURPLE)
    return Filled(archive, copper, barge, seawall, feed_story)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Filled]:
    with Archive(tmp_path / "filled") as archive:
        yield fill(archive, tmp_path)


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "empty") as archive:
        yield archive
