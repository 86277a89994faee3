"""A single article page: metadata, the main container, and what is left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader._parse import canonical_text, parse_bytes
from reader._parse.article import parse_date

Reader = Callable[[str], bytes]


def test_article_metadata(fixture_bytes: Reader) -> None:
    (story,) = parse_bytes(fixture_bytes("article.html"), url="https://observer.example/x")

    assert story.title == "Glass Recycler Doubles Capacity in Brantford"
    assert story.byline == "Priya Castellano"
    assert story.published == datetime(2025, 5, 14, 7, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert story.language == "en"
    assert story.url == "https://observer.example/business/glass-recycler-brantford"
    assert story.source == "The Northern Observer", "og:site_name names the publication"


def test_publisher_from_json_ld_when_there_is_no_site_name() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"publisher": {"@type": "Organization", "name": "Fenwick Daily"}}</script></head>'
        "<body><article><h1>Ferry Timetable Changes</h1><p>The winter timetable adds two "
        "early sailings on weekdays and drops the late Sunday crossing.</p></article></body></html>"
    )
    (story,) = parse_bytes(html.encode(), filename="a.html")
    assert story.source == "Fenwick Daily"


def test_article_text_is_the_main_container(fixture_bytes: Reader) -> None:
    (story,) = parse_bytes(fixture_bytes("article.html"))
    text = canonical_text(story.sections)

    assert text.startswith("Clearline Glass opened a second furnace")
    assert [s.label for s in story.sections] == [
        None,
        "Where the glass comes from",
        "What it means for jobs",
    ]
    assert story.sections[1].bullets == (
        "Hamlin and Oakridge signed ten-year supply contracts last fall.",
        "Clearline pays about $40 a tonne for sorted glass.",
    )
    for junk in (
        "Share on social",
        "Related stories",
        "Paper mill",
        "Steel tariffs",
        "Comments",
        "warehouse",
        "Business",
        "Privacy",
        "By Priya",
        "May 14, 2025",
    ):
        assert junk not in text


def test_title_from_title_tag_without_site_suffix() -> None:
    html = (
        "<html><head><title>Tram Line Opens Early - Eastside Post</title></head><body>"
        "<div><p>The tram line between Eastside and the university opened two weeks early on "
        "Saturday, with free rides until Friday.</p><p>City engineers credited a dry winter.</p>"
        "</div></body></html>"
    )

    (story,) = parse_bytes(html.encode())

    assert story.title == "Tram Line Opens Early"
    assert story.published is None and story.byline is None
    assert len(story.sections[0].paragraphs) == 2


def test_time_element_and_rel_author() -> None:
    html = (
        "<html lang='de_DE'><body><article><h1>Harbour Crane Arrives</h1>"
        "<p>Von <a rel='author' href='/a/jonas'>Jonas Weber</a> am "
        "<time datetime='2025-02-01T10:00:00'>1. Februar</time></p>"
        "<p>The new crane arrived by barge on Saturday and will be assembled over three weeks."
        "</p></article></body></html>"
    )

    (story,) = parse_bytes(html.encode(), filename="a.html")

    assert story.title == "Harbour Crane Arrives"
    assert story.byline == "Jonas Weber"
    assert story.published == datetime(2025, 2, 1, 10, 0, tzinfo=UTC)
    assert story.language == "de-DE"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04", datetime(2025, 3, 4, tzinfo=UTC)),
        ("2025-03-04T09:30:00Z", datetime(2025, 3, 4, 9, 30, tzinfo=UTC)),
        ("Tue, 04 Mar 2025 09:30:00 +0000", datetime(2025, 3, 4, 9, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected
