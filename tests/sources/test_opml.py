"""OPML: nested outlines in, OPML 2.0 out, hostile or broken files refused with one line, and a
round trip through an empty archive."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reader._sources.opml import read_opml
from reader.archive import Archive
from reader.errors import ParseError
from tests.sources.server import FIXTURES, FeedServer

OPML = FIXTURES / "subscriptions.opml"


def test_nested_outlines_once_each_http_only() -> None:
    feeds = read_opml(OPML.read_bytes())
    assert [(f.url, f.title, f.site_url) for f in feeds] == [
        ("https://ledger.example/rss", "The Harbour Ledger", "https://ledger.example/"),
        ("https://signal.example/atom.xml", "Signal Box Weekly", None),
        ("https://lantern.example/feed.json", "Lantern Row Dispatch", None),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "not a valid OPML file"),
        (b"<rss version='2.0'/>", "not an OPML file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<opml><body><outline xmlUrl='https://a.example/&x;'/></body></opml>",
            "entity declarations are refused",
        ),
        (b"<opml>" + b" " * (5 * 1024 * 1024) + b"</opml>", "too large"),
    ],
)
def test_bad_opml_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        read_opml(data)
    assert "\n" not in str(caught.value)


def test_import_skips_duplicates_and_export_round_trips(tmp_path: Path) -> None:
    with Archive(tmp_path / "one") as archive:
        assert archive.import_opml(OPML) == 3
        assert archive.import_opml(OPML) == 0, "already subscribed"
        subs = archive.subscriptions()
        assert all(s.kind is None and s.last_fetched is None for s in subs), "fetched at refresh"
        out = io.StringIO()
        assert archive.export_opml(out) == 3
    exported = out.getvalue()
    root = ET.fromstring(exported)
    assert root.get("version") == "2.0" and root.findtext("head/title")
    ledger = next(o for o in root.iter("outline") if o.get("title") == "The Harbour Ledger")
    assert ledger.attrib == {
        "type": "rss",
        "text": "The Harbour Ledger",
        "title": "The Harbour Ledger",
        "xmlUrl": "https://ledger.example/rss",
        "htmlUrl": "https://ledger.example/",
    }
    path = tmp_path / "subs.opml"
    path.write_text(exported, encoding="utf-8")
    with Archive(tmp_path / "two") as empty:
        assert empty.import_opml(path) == 3
        again = {(s.url, s.title, s.site_url) for s in empty.subscriptions()}
    assert again == {(s.url, s.title, s.site_url) for s in subs}


def test_imported_subscriptions_are_due_at_once(
    archive: Archive, server: FeedServer, tmp_path: Path
) -> None:
    url = server.add_fixture("/atom.xml", "atom10.xml")
    opml = tmp_path / "one.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline text="Signals" xmlUrl="{url}"/></body></opml>'
    )
    assert archive.import_opml(opml) == 1
    [feed] = archive.refresh().feeds
    assert feed.status == "ok" and len(feed.new) == 2
    [sub] = archive.subscriptions()
    assert (sub.title, sub.kind, sub.story_count) == ("Signal Box Weekly", "atom", 2)
