"""Feeds into entries and stories: every RSS and Atom version, JSON Feed 1 and 1.1, other
encodings, ill-formed and hostile XML, and entries that are digests."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader._parse import canonical_text
from reader._sources.feeds import JSON, XML, feed_format, parse_feed
from reader.errors import FeedError
from tests.sources.server import FIXTURES, WESTERN_FEED

BASE = "http://127.0.0.1:8000/feeds/"


def parse_fixture(name: str, content_type: str = "application/rss+xml"):  # type: ignore[no-untyped-def]
    return parse_feed(
        (FIXTURES / name).read_bytes(), feed_url=BASE + name, content_type=content_type
    )


@pytest.mark.parametrize(
    ("name", "kind", "title", "entries"),
    [
        ("rss091.xml", "rss", "Tallow Creek Bulletin", 2),
        ("rss10.rdf", "rss", "Quarry Hill Almanac", 2),
        ("rss20.xml", "rss", "The Harbour Ledger", 3),
        ("atom03.xml", "atom", "Marrow Street Notes", 1),
        ("atom10.xml", "atom", "Signal Box Weekly", 2),
    ],
)
def test_every_xml_format_reads(name: str, kind: str, title: str, entries: int) -> None:
    feed = parse_fixture(name)
    assert (feed.kind, feed.title, len(feed.entries)) == (kind, title, entries)
    for entry in feed.entries:
        [story] = entry.stories
        assert story.title and canonical_text(story.sections)
        assert story.guid == f"{BASE}{name} {entry.key}"
        assert story.url and story.url.startswith("https://")


def test_rss2_content_encoded_wins_and_links_resolve_against_xml_base() -> None:
    feed = parse_fixture("rss20.xml")
    crane, pilots, fog = feed.entries
    [story] = crane.stories
    assert story.url == "https://ledger.example/news/cranes/contract-ratified"
    assert "caps night shifts at four a week" in canonical_text(story.sections)
    assert 'href="https://ledger.example/documents/crane-contract.pdf"' in story.html
    assert 'href="https://ledger.example/news/votes/tally"' in story.html
    assert story.byline == "Mira Okonjo"
    assert story.published == datetime(2026, 3, 3, 7, 30, tzinfo=UTC)
    assert story.source == "The Harbour Ledger"
    assert crane.tags == ("labour", "ports") and not crane.summary_only
    # The item's own xml:base overrides the channel's; "mail (Name)" gives the name.
    assert pilots.stories[0].url == "https://ledger.example/features/pilot-simulator"
    assert 'href="https://ledger.example/features/simulator-photos"' in pilots.stories[0].html
    assert pilots.stories[0].byline == "Jonas Reyes"
    assert fog.summary_only, "a short description and a link: the article can be fetched"


def test_atom_dates_authors_categories_and_xhtml_content() -> None:
    night, signals = parse_fixture("atom10.xml").entries
    story = night.stories[0]
    assert story.url == "https://signal.example/coast-line/night-freight"
    assert story.published == datetime(2026, 3, 9, 21, 0, tzinfo=UTC)
    assert story.byline == "Ines Talbot"
    assert night.tags == ("freight", "Timetables")
    assert "quieter brake blocks" in canonical_text(story.sections)
    assert "two weeks ahead of schedule" in canonical_text(signals.stories[0].sections)
    assert signals.stories[0].published == datetime(2026, 3, 8, 15, 0, tzinfo=UTC)


def test_rdf_and_atom03_dates() -> None:
    frost = parse_fixture("rss10.rdf").entries[0].stories[0]
    assert frost.byline == "Orla Brennick"
    assert frost.published == datetime(2026, 2, 3, 6, 15, tzinfo=UTC)
    bakery = parse_fixture("atom03.xml").entries[0].stories[0]
    assert bakery.published == datetime(2026, 1, 19, 8, 0, tzinfo=UTC)
    assert "signed the deed" in canonical_text(bakery.sections)


def test_json_feed_11() -> None:
    feed = parse_fixture("feed.json", "application/feed+json")
    assert (feed.kind, feed.title, feed.site_url) == (
        "jsonfeed",
        "Lantern Row Dispatch",
        "https://lantern.example/",
    )
    market, trams = feed.entries
    story = market.stories[0]
    assert story.url == "http://127.0.0.1:8000/feeds/stories/market-hall"
    assert 'href="http://127.0.0.1:8000/galleries/market-hall"' in story.html
    assert story.byline == "Petra Lindqvist"
    assert market.tags == ("markets", "heritage")
    assert story.published == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    assert trams.key == "102", "numeric ids become strings"
    assert trams.stories[0].byline == "The Dispatch desk", "the feed's authors stand in"
    assert trams.stories[0].sections[0].paragraphs == (
        "The transit board froze tram fares for a second year.",
        "The board said ridership has finally passed its pre-closure level.",
    )


def test_json_feed_version_1_with_author_object_and_summary_only() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "Dockside Minutes",
            "author": {"name": "Council clerk"},
            "items": [
                {
                    "id": "m-1",
                    "url": "https://dock.example/minutes/1",
                    "title": "Berth fees to rise",
                    "summary": "The harbour board voted to raise berth fees by three percent.",
                },
                {"title": "no id, no url, no content"},
                "not an object",
            ],
        }
    ).encode()
    feed = parse_feed(body, feed_url=BASE + "v1.json", content_type="application/json")
    first, second = feed.entries
    assert first.summary_only and first.stories[0].byline == "Council clerk"
    assert second.key.startswith("sha1:") and second.stories[0].title == "no id, no url, no content"


@pytest.mark.parametrize("encoding", ["windows-1252", "ISO-8859-1"])
@pytest.mark.parametrize("content_type", ["text/xml", "application/rss+xml", None])
def test_western_encodings(encoding: str, content_type: str | None) -> None:
    text = WESTERN_FEED.format(encoding=encoding)
    if encoding == "ISO-8859-1":
        text = text.replace("’", "'").replace("—", "-")
    feed = parse_feed(text.encode(encoding), feed_url=BASE + "w.xml", content_type=content_type)
    assert feed.title == "Café Société Weekly"
    story = feed.entries[0].stories[0]
    assert story.title.startswith("Crème brûlée tops the readers")
    assert "Zürich and Málaga" in canonical_text(story.sections)


def test_ill_formed_feed_is_still_read() -> None:
    feed = parse_fixture("illformed.xml")
    assert feed.title == "Pebble Beach Gazette & Advertiser"
    titles = [entry.stories[0].title for entry in feed.entries]
    assert titles == ["Lifeguards Return to the North Beach", "Pier Lights Repaired"]


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"This is not a feed, just words.", "application/rss+xml", "not a valid feed: "),
        (b"<note><to>you</to></note>", "application/xml", "not a valid feed: not RSS or Atom"),
        (b'{"items": []}', "application/json", "without a jsonfeed.org version"),
        (b'{"version": "https://jsonfeed.org/version/1.1", ', "application/feed+json", "line 1"),
        (b"   ", "application/rss+xml", "the response is empty"),
    ],
)
def test_not_a_feed(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(FeedError, match=message) as caught:
        parse_feed(body, feed_url=BASE + "bad", content_type=content_type)
    assert "\n" not in str(caught.value)


def test_an_entry_that_is_a_digest_splits_into_its_stories() -> None:
    [entry] = parse_fixture("digest-entry.xml").entries
    titles = [story.title for story in entry.stories]
    assert titles == [
        "Grain Barges Wait Out the Low Water",
        "Dock Cooperative Elects Its First Chair",
        "Customs Trial Cuts Truck Queues",
    ]
    assert [story.source for story in entry.stories] == [
        "Inland Freight Journal",
        "Ansel Gazette",
        "Coastal Trade Review",
    ]
    assert entry.stories[1].url == "https://gazette.example/dock-cooperative-chair"
    guids = [story.guid for story in entry.stories]
    assert len(set(guids)) == 3 and all(g and g.endswith(f"#{n}") for n, g in enumerate(guids, 1))
    assert all(s.published == datetime(2026, 3, 12, 6, 0, tzinfo=UTC) for s in entry.stories)


@pytest.mark.parametrize(
    ("head", "content_type", "expected"),
    [
        (b'<?xml version="1.0"?>\n<!-- hi -->\n<rss version="2.0">', "text/html", XML),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", None, XML),
        (b"<rdf:RDF xmlns:rdf='x'>", "text/plain", XML),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "text/plain", JSON),
        (b'{"a": 1}', "application/feed+json", JSON),
        (b'{"a": 1}', "text/plain", None),
        (b"<!doctype html><html><body><p>x</p>", "text/xml", None),
        (b"<html><body>", "text/html", None),
        (b"plain words", "application/rss+xml", XML),
        (b"plain words", "text/html", None),
    ],
)
def test_what_a_response_is(head: bytes, content_type: str | None, expected: str | None) -> None:
    assert feed_format(head, content_type) == expected


BOMB_SCRIPT = r"""
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
from reader.errors import FeedError
from reader._parse import canonical_text
from reader._sources.feeds import parse_feed

laughs = ['<!ENTITY lol "lol">'] + [
    f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10)
]
billion = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n ' + "\n ".join(laughs) + "\n]>\n"
    '<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>'
    "<link>https://x.example/1</link><description>&lol9; &lol9;</description></item>"
    "</channel></rss>"
).encode()
quadratic = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + b"A" * 50000 + b'">\n]>\n'
    b'<rss version="2.0"><channel><title>t</title><item><title>x</title><description>'
    + b"&a;" * 20000 + b"</description></item></channel></rss>"
)
for name, body in (("billion", billion), ("quadratic", quadratic)):
    try:
        feed = parse_feed(body, feed_url="http://b.example/", content_type="application/rss+xml")
    except FeedError as err:
        print(name, "refused", err)
    else:
        text = " ".join(canonical_text(s.sections) for e in feed.entries for s in e.stories)
        print(name, "harmless", len(text))
"""


def test_xml_entity_bombs_are_refused_or_harmless() -> None:
    root = Path(__file__).resolve().parents[2]
    # A subprocess with a memory limit and a timeout, so a regression fails instead of
    # taking the machine down with it.
    proc = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr
    results = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    for name in ("billion", "quadratic"):
        assert (
            results[name] == "refused not a valid feed: its XML entities expand too far (refused)"
        )
