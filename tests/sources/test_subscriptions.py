"""Subscribing, refreshing and importing URLs through the facade, against the local server:
conditional GET, changed entries, back-off, and failures that stay with their own feed."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest

from reader._storage import feeds, open_archive
from reader.archive import DB_FILENAME, Archive
from reader.errors import AlreadySubscribedError, FeedError, NotFoundError, ReaderError
from tests.sources.server import FIXTURES, FeedServer

LEDGER = (FIXTURES / "rss20.xml").read_text(encoding="utf-8")
EMPTY_FEED = "<rss version='2.0'><channel><title>The Harbour Ledger</title></channel></rss>"


def one_item_feed(text: str, *, guid: str = "wire-1", title: str = "Tide Gauge Reads High") -> str:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Estuary Wire</title><link>https://wire.example/</link>
<item><title>{title}</title><link>https://wire.example/{guid}</link><guid>{guid}</guid>
<description><![CDATA[<p>{text}</p>]]></description></item></channel></rss>"""


TIDE_V1 = (
    "The tide gauge at the harbour mouth read forty centimetres above the forecast on "
    "Sunday, and the port closed the low quay to trucks for the afternoon."
)
TIDE_V2 = (
    "The tide gauge at the harbour mouth read fifty centimetres above the forecast on "
    "Sunday, and the port closed both quays to trucks for the afternoon."
)


@pytest.mark.parametrize(
    ("name", "kind", "title", "count"),
    [
        ("rss091.xml", "rss", "Tallow Creek Bulletin", 2),
        ("rss10.rdf", "rss", "Quarry Hill Almanac", 2),
        ("rss20.xml", "rss", "The Harbour Ledger", 3),
        ("atom03.xml", "atom", "Marrow Street Notes", 1),
        ("atom10.xml", "atom", "Signal Box Weekly", 2),
        ("feed.json", "jsonfeed", "Lantern Row Dispatch", 2),
        ("illformed.xml", "rss", "Pebble Beach Gazette & Advertiser", 2),
        ("digest-entry.xml", "rss", "Morning Wharf Briefing", 3),
    ],
)
def test_subscribe_imports_every_format(
    archive: Archive, server: FeedServer, name: str, kind: str, title: str, count: int
) -> None:
    events: list[str] = []
    archive.on_change(events.append)
    url = server.add_fixture(f"/{name}", name)
    sub = archive.subscribe_feed(url)
    assert (sub.kind, sub.title, sub.story_count, sub.unread_count) == (kind, title, count, count)
    assert sub.last_error is None and sub.last_success is not None
    ids = archive.story_ids(feed_id=sub.id)
    assert len(ids) == count
    assert all(archive.story(i).feed_id == sub.id for i in ids)
    assert {"subscriptions", "stories"} <= set(events)
    assert [s.url for s in archive.subscriptions()] == [url]


def test_entry_tags_and_details_are_kept(archive: Archive, server: FeedServer) -> None:
    sub = archive.subscribe_feed(server.add_fixture("/ledger.xml", "rss20.xml"))
    stories = [archive.story(i) for i in archive.story_ids(feed_id=sub.id)]
    crane = next(s for s in stories if s.title.startswith("Crane Drivers"))
    assert crane.tags == ("labour", "ports")
    assert crane.byline == "Mira Okonjo"
    assert crane.url == "https://ledger.example/news/cranes/contract-ratified"
    assert crane.origin == server.url("/ledger.xml")


@pytest.mark.parametrize(
    ("path", "body", "content_type", "message"),
    [
        ("/gone.xml", None, None, "HTTP 404 Not Found"),
        ("/page.html", (FIXTURES / "article.html").read_bytes(), "text/html", "not a feed"),
        ("/words.xml", b"This is not XML at all.", "application/rss+xml", "not a valid feed"),
    ],
)
def test_a_failed_subscribe_saves_nothing(
    archive: Archive,
    server: FeedServer,
    path: str,
    body: bytes | None,
    content_type: str | None,
    message: str,
) -> None:
    url = server.add(path, body, content_type or "") if body is not None else server.url(path)
    with pytest.raises(ReaderError, match=message) as caught:
        archive.subscribe_feed(url)
    assert "\n" not in str(caught.value)
    assert archive.subscriptions() == [] and archive.count_stories() == 0


def test_subscribing_twice_is_refused(archive: Archive, server: FeedServer) -> None:
    url = server.add_fixture("/ledger.xml", "rss20.xml")
    sub = archive.subscribe_feed(url)
    with pytest.raises(AlreadySubscribedError, match=f"source {sub.id}"):
        archive.subscribe_feed(url)


def test_entity_bomb_feed_is_refused(archive: Archive, server: FeedServer) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + "A" * 50000 + '">\n]>\n'
        "<rss version='2.0'><channel><title>t</title><item><title>x</title><description>"
        + "&a;" * 20000
        + "</description></item></channel></rss>"
    )
    with pytest.raises(FeedError, match="entities expand too far"):
        archive.subscribe_feed(server.add("/bomb.xml", bomb))


def test_conditional_get_imports_nothing_on_304(archive: Archive, server: FeedServer) -> None:
    url = server.add("/ledger.xml", LEDGER, etag='"ledger-7"')
    sub = archive.subscribe_feed(url)
    report = archive.refresh()
    [feed] = report.feeds
    assert feed.status == "not-modified" and feed.new == [] and not report.failed
    first, second = server.seen("/ledger.xml")
    assert "If-None-Match" not in first.headers
    assert second.headers["If-None-Match"] == '"ledger-7"'
    assert archive.subscription(sub.id).story_count == 3
    assert archive.subscription(sub.id).last_success is not None


def test_last_modified_is_sent_back(archive: Archive, server: FeedServer) -> None:
    stamp = "Thu, 05 Mar 2026 06:00:00 GMT"
    url = server.add("/ledger.xml", LEDGER, last_modified=stamp)
    archive.subscribe_feed(url)
    assert archive.refresh().feeds[0].status == "not-modified"
    assert server.seen("/ledger.xml")[1].headers["If-Modified-Since"] == stamp
    # --force asks without validators, and finds nothing new either.
    forced = archive.refresh(force=True).feeds[0]
    assert forced.status == "ok" and forced.new == [] and forced.unchanged == 3
    assert "If-Modified-Since" not in server.seen("/ledger.xml")[2].headers


def test_new_entries_arrive_and_old_ones_are_skipped(archive: Archive, server: FeedServer) -> None:
    url = server.add("/wire.xml", one_item_feed(TIDE_V1))
    sub = archive.subscribe_feed(url)
    two = one_item_feed(TIDE_V1).replace(
        "</channel>",
        "<item><title>Pilot Boat Gets a New Engine</title><guid>wire-2</guid>"
        "<link>https://wire.example/wire-2</link><description>The pilot boat Curlew is back "
        "in service with a quieter diesel engine.</description></item></channel>",
    )
    server.add("/wire.xml", two)
    [feed] = archive.refresh().feeds
    assert (len(feed.new), feed.changed, feed.unchanged) == (1, [], 1)
    assert archive.story(feed.new[0]).title == "Pilot Boat Gets a New Engine"
    assert archive.subscription(sub.id).story_count == 2


def test_a_changed_entry_becomes_a_new_version_and_highlights_move(
    archive: Archive, server: FeedServer
) -> None:
    url = server.add("/wire.xml", one_item_feed(TIDE_V1))
    sub = archive.subscribe_feed(url)
    [story_id] = archive.story_ids(feed_id=sub.id)
    kept = archive.highlight_quote(story_id, "The tide gauge at the harbour mouth")
    edited = archive.highlight_quote(story_id, "closed the low quay to trucks")

    server.add("/wire.xml", one_item_feed(TIDE_V2))
    [feed] = archive.refresh().feeds
    assert feed.changed == [story_id] and feed.new == []
    [version] = feed.versions
    assert (version.story_id, version.version) == (story_id, 2)
    assert (version.moved, version.changed, version.orphaned) == (1, 1, 0)
    story = archive.story(story_id)
    assert (story.version, story.revisions) == (2, 1)
    assert TIDE_V2 in story.text, "the new text is the current version"
    [earlier] = archive.versions(story_id)
    assert earlier.version == 1 and TIDE_V1 in earlier.text
    placed = {h.id: h for h in archive.highlights(story_id)}
    assert placed[kept.id].status == "anchored"
    assert story.text[placed[kept.id].start : placed[kept.id].end] == kept.quote
    changed = placed[edited.id]
    assert (changed.status, changed.quote) == ("changed", "closed the low quay to trucks")
    assert story.text[changed.start : changed.end] == "closed both quays to trucks"

    [again] = archive.refresh().feeds
    assert again.changed == [] and again.unchanged == 1, "one version per change"
    server.add("/wire.xml", one_item_feed(TIDE_V1))
    [back] = archive.refresh().feeds
    assert back.changed == [] and back.unchanged == 1, "an earlier version's text is not new"
    assert archive.story(story_id).version == 2


def test_a_deleted_story_does_not_come_back(archive: Archive, server: FeedServer) -> None:
    sub = archive.subscribe_feed(server.add("/wire.xml", one_item_feed(TIDE_V1)))
    [story_id] = archive.story_ids(feed_id=sub.id)
    archive.delete_story(story_id)
    [feed] = archive.refresh().feeds
    assert feed.new == [] and feed.unchanged == 1
    assert archive.count_stories() == 0


def test_errors_back_off_and_success_clears_them(archive: Archive, server: FeedServer) -> None:
    url = server.add("/ledger.xml", LEDGER)
    sub = archive.subscribe_feed(url)
    server.routes["/ledger.xml"].status = 500

    [failed] = archive.refresh().feeds
    assert failed.status == "error" and failed.error == "HTTP 500 Internal Server Error"
    state = archive.subscription(sub.id)
    assert (state.last_error, state.error_count) == ("HTTP 500 Internal Server Error", 1)
    assert state.last_fetched and state.next_attempt == state.last_fetched + timedelta(minutes=15)
    assert state.story_count == 3, "a failed fetch keeps what is archived"

    requests = len(server.seen("/ledger.xml"))
    [skipped] = archive.refresh().feeds
    assert skipped.status == "skipped" and skipped.error == "HTTP 500 Internal Server Error"
    assert len(server.seen("/ledger.xml")) == requests, "backing off: not fetched"

    archive.refresh(force=True)
    state = archive.subscription(sub.id)
    assert state.error_count == 2
    assert state.last_fetched and state.next_attempt == state.last_fetched + timedelta(minutes=30)

    server.routes["/ledger.xml"].status = 200
    # Ids asked for are fetched even while they back off.
    [ok] = archive.refresh([sub.id]).feeds
    assert ok.status == "ok"
    state = archive.subscription(sub.id)
    assert (state.last_error, state.error_count, state.next_attempt) == (None, 0, None)


def test_a_failing_feed_does_not_affect_the_others(archive: Archive, server: FeedServer) -> None:
    good = archive.subscribe_feed(server.add("/wire.xml", one_item_feed(TIDE_V1)))
    bad = archive.subscribe_feed(server.add_fixture("/ledger.xml", "rss20.xml"))
    other = archive.subscribe_feed(server.add_fixture("/atom.xml", "atom10.xml"))
    server.add("/wire.xml", one_item_feed("A second story.", guid="wire-2", title="Second"))
    server.add("/ledger.xml", "<html><body><p>Down for maintenance</p></body></html>")
    report = archive.refresh()
    by_id = {feed.feed_id: feed for feed in report.feeds}
    assert len(by_id[good.id].new) == 1
    assert by_id[bad.id].status == "error"
    assert (by_id[bad.id].error or "").startswith("not a feed")
    assert by_id[other.id].status == "ok"
    assert [f.feed_id for f in report.failed] == [bad.id]
    assert archive.subscription(bad.id).story_count == 3
    assert archive.subscription(good.id).last_error is None


def test_a_slow_feed_times_out_alone(impatient_archive: Archive, server: FeedServer) -> None:
    archive = impatient_archive
    archive.subscribe_feed(server.add("/wire.xml", one_item_feed(TIDE_V1)))
    server.add("/wire.xml", one_item_feed("A second story.", guid="wire-2", title="Second"))
    archive.subscribe_feed(server.add_fixture("/atom.xml", "atom10.xml"))
    # Added without the validating fetch, which would time out too.
    conn = open_archive(archive.data_dir / DB_FILENAME)
    try:
        feeds.add_feed(conn.db, server.url("/slow"), title="Sleepy Gazette")
    finally:
        conn.close()
    report = archive.refresh()
    by_title = {feed.title: feed for feed in report.feeds}
    assert by_title["Sleepy Gazette"].error == "timed out after 0.5s"
    assert len(by_title["Estuary Wire"].new) == 1
    assert by_title["Signal Box Weekly"].status == "ok"


def test_an_empty_or_broken_feed_never_removes_stories(
    archive: Archive, server: FeedServer
) -> None:
    sub = archive.subscribe_feed(server.add("/ledger.xml", LEDGER))
    server.add("/ledger.xml", EMPTY_FEED)
    [empty] = archive.refresh().feeds
    assert empty.status == "ok" and empty.new == []
    server.add("/ledger.xml", "not xml at all")
    [broken] = archive.refresh(force=True).feeds
    assert broken.status == "error"
    assert broken.error is not None and broken.error.startswith("not a valid feed")
    assert archive.subscription(sub.id).story_count == 3
    assert archive.count_stories() == 3


def test_full_articles_replace_short_summaries_once(archive: Archive, server: FeedServer) -> None:
    article = server.add_fixture("/articles/tar-kettle", "article.html")
    feed = f"""<rss version="2.0"><channel><title>Courier Headlines</title>
<item><title>Ropewalk Museum Saves the Last Tar Kettle</title><link>{article}</link>
<guid>courier-88</guid><description>The museum bought the old kettle.</description></item>
</channel></rss>"""
    sub = archive.subscribe_feed(server.add("/courier.xml", feed), fetch_full_articles=True)
    assert sub.fetch_full_articles
    [story_id] = archive.story_ids(feed_id=sub.id)
    story = archive.story(story_id)
    assert "riveted iron vat" in story.text
    assert story.title == "Ropewalk Museum Saves the Last Tar Kettle"
    assert story.url == article

    [again] = archive.refresh().feeds
    assert again.unchanged == 1 and again.changed == []
    assert len(server.seen("/articles/tar-kettle")) == 1, "an archived article is not refetched"

    archive.set_fetch_full_articles(sub.id, False)
    assert not archive.subscription(sub.id).fetch_full_articles


def test_unsubscribe_keeps_the_stories(archive: Archive, server: FeedServer) -> None:
    sub = archive.subscribe_feed(server.add_fixture("/ledger.xml", "rss20.xml"))
    ids = archive.story_ids(feed_id=sub.id)
    archive.set_flags(ids[0], read=True)
    assert archive.subscription(sub.id).unread_count == 2
    removed = archive.unsubscribe_feed(sub.id)
    assert removed.id == sub.id and archive.subscriptions() == []
    assert archive.count_stories() == 3
    assert archive.story(ids[0]).feed_id is None
    with pytest.raises(NotFoundError, match=f"no source with id {sub.id}"):
        archive.unsubscribe_feed(sub.id)
    with pytest.raises(NotFoundError):
        archive.refresh([sub.id])


def test_progress_and_cancel(archive: Archive, server: FeedServer) -> None:
    for name in ("rss091.xml", "atom03.xml"):
        archive.subscribe_feed(server.add_fixture(f"/{name}", name))
    seen: list[tuple[int, int, str]] = []
    archive.refresh(progress=lambda done, total, title: seen.append((done, total, title)))
    assert seen[0] == (0, 2, "")
    assert [(done, total) for done, total, _ in seen[1:]] == [(1, 2), (2, 2)]
    assert {title for _, _, title in seen[1:]} == {"Marrow Street Notes", "Tallow Creek Bulletin"}
    cancelled = archive.refresh(cancelled=lambda: True)
    assert cancelled.cancelled and cancelled.feeds == []


def test_import_url_reads_articles_digests_and_feeds(archive: Archive, server: FeedServer) -> None:
    article = archive.import_url(server.add_fixture("/article", "article.html"))
    [story_id] = article.imported
    assert archive.story(story_id).title == "Ropewalk Museum Saves the Last Tar Kettle"
    assert archive.story(story_id).origin == server.url("/article")

    digest = archive.import_url(server.add_fixture("/digest", "digest.html"))
    titles = [archive.story(i).title for i in digest.imported]
    assert titles == [
        "Tugboat Crews Win Rest-Day Guarantee",
        "Salt Marsh Walkway Opens to the Public",
    ]

    feed = archive.import_url(server.add_fixture("/feed.json", "feed.json"))
    assert len(feed.imported) == 2 and archive.subscriptions() == []
    assert archive.import_url(server.url("/feed.json")).duplicates == 2


CAFE_PAGE = """<html><head>{meta}<title>Café Owners Win a Terrace Permit</title></head>
<body><article><h1>Café Owners Win a Terrace Permit</h1>
<p>Café owners along the Málaga quay won a permit for summer terraces after the council
agreed to close the lane to cars at weekends, a change the traders had sought for years.</p>
<p>The owners’ association said the first tables would be out by the end of May.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("meta", "content_type", "encoding"),
    [
        ("", "text/html; charset=windows-1252", "cp1252"),
        ('<meta charset="iso-8859-15">', "text/html", "iso-8859-15"),
        ("", "text/html", "cp1252"),
    ],
)
def test_page_charset_from_header_meta_or_detection(
    archive: Archive, server: FeedServer, meta: str, content_type: str, encoding: str
) -> None:
    body = CAFE_PAGE.format(meta=meta)
    if encoding == "iso-8859-15":
        body = body.replace("’", "'")
    url = server.add("/cafe", body.encode(encoding), content_type)
    [story_id] = archive.import_url(url).imported
    story = archive.story(story_id)
    assert story.title == "Café Owners Win a Terrace Permit"
    assert "Málaga quay" in story.text


def test_compressed_feed(archive: Archive, server: FeedServer) -> None:
    url = server.add(
        "/ledger.xml", gzip.compress(LEDGER.encode()), headers={"Content-Encoding": "gzip"}
    )
    assert archive.subscribe_feed(url).story_count == 3


@pytest.mark.parametrize(
    ("path", "message"),
    [("/noarticle", "no story"), ("/status/404", "HTTP 404 Not Found")],
)
def test_import_url_failures_are_one_line(
    archive: Archive, server: FeedServer, path: str, message: str
) -> None:
    server.add_fixture("/noarticle", "noarticle.html")
    with pytest.raises(ReaderError, match=message):
        archive.import_url(server.url(path))


def test_import_paths_mixes_files_and_urls(archive: Archive, server: FeedServer) -> None:
    good = server.add_fixture("/article", "article.html")
    report = archive.import_paths(
        [str(FIXTURES / "digest.html"), good, "http://feeds.example.invalid/x", "ftp://x/y"]
    )
    assert len(report.imported) == 3
    assert [(f.path, f.error) for f in report.failed] == [
        ("http://feeds.example.invalid/x", "cannot resolve host feeds.example.invalid"),
        ("ftp://x/y", "only http and https URLs can be fetched"),
    ]


def test_a_feed_s_own_name_is_not_listed_again_as_a_publication(
    archive: Archive, server: FeedServer
) -> None:
    sub = archive.subscribe_feed(server.add_fixture("/ledger.xml", "rss20.xml"))
    named = (archive.story(i).source for i in archive.story_ids(feed_id=sub.id))
    feed_sources = {source for source in named if source is not None}
    assert feed_sources, "the feed's stories name a source"
    everything = {source.name for source, n in archive.sources() if n}
    publications = {source.name for source, n in archive.sources(publications=True) if n}
    assert feed_sources <= everything
    assert not (feed_sources & publications)
    # A story of the same publication from elsewhere lists it again.
    [name] = sorted(feed_sources)[:1]
    page = server.add(
        "/same.html",
        f"<html><head><title>Port note</title><meta property='og:site_name' content='{name}'>"
        "</head><body><article><h1>Port note</h1><p>Berths reopen at dawn.</p></article>"
        "</body></html>",
        content_type="text/html",
    )
    archive.import_url(page)
    assert name in {source.name for source, n in archive.sources(publications=True) if n}
