"""Feeds from the command line (in this process) against the local feed server:
subscribe, sources, refresh, unsubscribe, OPML, URL imports, and one-line failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Result, Runner
from tests.sources.server import FIXTURES, FeedServer, serve


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def one_line_error(result: Result, fragment: str) -> None:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]


def test_subscribe_sources_refresh_unsubscribe(cli: Runner, server: FeedServer) -> None:
    ledger = server.add_fixture("/ledger.xml", "rss20.xml")
    server.routes["/ledger.xml"].etag = '"l1"'
    signals = server.add_fixture("/atom.xml", "atom10.xml")

    first = cli("subscribe", ledger)
    assert first.code == 0, first.err
    assert first.out.strip() == "subscribed 1: The Harbour Ledger (3 stories)"
    second = cli("subscribe", signals, "--full-articles", "--json")
    assert second.code == 0, second.err
    assert second.json()["full_articles"] is True and second.json()["stories"] == 2

    sources = cli("sources", "--json").json()
    assert [(s["id"], s["title"], s["url"], s["stories"], s["unread"]) for s in sources] == [
        (2, "Signal Box Weekly", signals, 2, 2),
        (1, "The Harbour Ledger", ledger, 3, 3),
    ]
    assert all(s["last_error"] is None and s["last_fetched"] for s in sources)

    server.routes["/atom.xml"].status = 404
    refresh = cli("refresh")
    assert refresh.code == 3, refresh.err
    lines = refresh.out.splitlines()
    assert any(
        "Signal Box Weekly" in line and "error: HTTP 404 Not Found" in line for line in lines
    )
    assert any("The Harbour Ledger" in line and "not modified" in line for line in lines)

    text = cli("sources")
    assert "last error: HTTP 404 Not Found (1 in a row)" in text.out

    again = cli("refresh", "1", "--json")
    assert again.code == 0
    assert again.json()["sources"][0]["status"] == "not-modified"

    gone = cli("unsubscribe", "2")
    assert gone.code == 0 and "its stories stay" in gone.out
    assert [s["id"] for s in cli("sources", "--json").json()] == [1]
    assert len(cli("list", "--json").json()) == 5


def test_new_stories_show_in_refresh_and_search(cli: Runner, server: FeedServer) -> None:
    url = server.add("/wire.xml", (FIXTURES / "rss091.xml").read_bytes())
    assert cli("subscribe", url).code == 0
    server.add(
        "/wire.xml",
        (FIXTURES / "rss091.xml")
        .read_text()
        .replace(
            "</channel>",
            "<item><title>Harbour Crane Repainted</title><link>https://tallow.example/crane</link>"
            "<description>The old crane is bright orange again.</description></item></channel>",
        ),
    )
    result = cli("refresh")
    assert result.code == 0, result.err
    assert "+1 new" in result.out
    hits = cli("search", "orange", "--json").json()
    assert [hit["title"] for hit in hits] == ["Harbour Crane Repainted"]


@pytest.mark.parametrize(
    ("path", "fragment"),
    [("/status/404", "HTTP 404 Not Found"), ("/article", "not a feed")],
)
def test_subscribe_failures_are_one_line(
    cli: Runner, server: FeedServer, path: str, fragment: str
) -> None:
    server.add_fixture("/article", "article.html")
    result = cli("subscribe", server.url(path))
    assert result.code == 1
    one_line_error(result, fragment)
    assert cli("sources", "--json").json() == []


def test_unknown_source_id(cli: Runner) -> None:
    result = cli("refresh", "99")
    assert result.code == 1
    one_line_error(result, "no source with id 99")


def test_import_urls_with_paths(cli: Runner, server: FeedServer) -> None:
    article = server.add_fixture("/article", "article.html")
    result = cli(
        "import", str(FIXTURES / "digest.html"), article, server.url("/status/500"), "--json"
    )
    assert result.code == 3
    report = result.json()
    assert len(report["imported"]) == 3
    assert report["failed"] == [
        {"path": server.url("/status/500"), "error": "HTTP 500 Internal Server Error"}
    ]
    one_line_error(result, "HTTP 500 Internal Server Error")


def test_opml_export_then_import(cli: Runner, server: FeedServer, tmp_path: Path) -> None:
    assert cli("opml", "import", str(FIXTURES / "subscriptions.opml")).code == 0
    target = tmp_path / "subs.opml"
    exported = cli("opml", "export", "-o", str(target))
    assert exported.code == 0, exported.err
    assert "exported 3 subscriptions" in exported.err
    other = tmp_path / "other"
    imported = cli(
        "opml",
        "import",
        str(target),
        "--json",
        pass_data_dir=False,
        env={"READER_DATA_DIR": str(other)},
    )
    assert imported.code == 0 and imported.json() == {"added": 3}
    listed = cli("sources", "--json", pass_data_dir=False, env={"READER_DATA_DIR": str(other)})
    assert {s["url"] for s in listed.json()} == {s["url"] for s in cli("sources", "--json").json()}
    printed = cli("opml", "export")
    assert printed.out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')


def test_bad_opml_is_one_line(cli: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline")
    result = cli("opml", "import", str(bad))
    assert result.code == 1
    one_line_error(result, "not a valid OPML file")
