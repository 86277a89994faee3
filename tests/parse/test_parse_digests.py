"""Digest pages in every markup: semantic HTML, table e-mail, Markdown, plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from reader._parse import canonical_text, parse_bytes
from reader.model import ParsedStory

Reader = Callable[[str], bytes]


def labels(story: ParsedStory) -> list[str]:
    return [s.label for s in story.sections if s.label]


def bullets(story: ParsedStory) -> list[str]:
    return [b for s in story.sections for b in s.bullets]


def assert_clean(stories: list[ParsedStory], words: Sequence[str]) -> None:
    for story in stories:
        text = (story.title + "\n" + canonical_text(story.sections)).lower()
        for word in words:
            assert word.lower() not in text, (story.title, word)


def test_semantic_html_digest(fixture_bytes: Reader, boilerplate: tuple[str, ...]) -> None:
    stories = parse_bytes(
        fixture_bytes("semantic_digest.html"), url="https://harbor.example/brief/today"
    )

    assert [s.title for s in stories] == [
        "Dockworkers Walk Out at Three Gulf Ports",
        "New Export Rule Targets Advanced Memory Chips",
        "Lakeview Council Passes a Leaner Water Budget",
    ]
    assert [(s.source, s.source_qualifier) for s in stories] == [
        ("The Gulf Courier", "subscription"),
        ("Reuters", None),
        ("Lakeview Ledger", "free to read"),
    ]
    assert [labels(s) for s in stories] == [
        ["Why it matters:", "What to watch:"],
        ["The big picture:", "Between the lines:", "Yes, but:"],
        ["By the numbers:", "The bottom line:"],
    ]
    assert bullets(stories[0]) == [
        "Two assembly plants in Ferris County have already cut a shift.",
        "Freight brokers quoted rerouting costs of $1,800 per container via the northern rail "
        "corridor.",
    ]
    assert stories[2].sections[1].paragraphs == ()
    assert len(stories[2].sections[1].bullets) == 2
    # The relative "Read more" link resolves against the page's address.
    assert [s.url for s in stories] == [
        "https://courier.example/ports/strike-day-one",
        "https://harbor.example/stories/memory-chip-rule",
        None,
    ]
    assert {s.language for s in stories} == {"en-US"}
    assert_clean(
        stories, (*boilerplate, "Lumen", "Ship smarter", "Harbor Brief", "Archive", "analytics")
    )


def test_semantic_digest_html_is_each_storys_own_part(fixture_bytes: Reader) -> None:
    stories = parse_bytes(fixture_bytes("semantic_digest.html"))

    first, second, _ = (s.html for s in stories)
    assert first.startswith("<h2>Dockworkers Walk Out")
    assert "<strong>Why it matters:</strong>" in first
    assert "<li>Two assembly plants" in first
    assert "Memory" not in first and "Dockworkers" not in second
    assert 'href="https://courier.example/ports"' in first
    for html in (first, second):
        assert "<script" not in html and "Lumen" not in html and "Read the full story" not in html


def test_table_email_digest(fixture_bytes: Reader, boilerplate: tuple[str, ...]) -> None:
    stories = parse_bytes(fixture_bytes("email_digest.html"), content_type="text/html")

    assert [s.title for s in stories] == [
        "Two Western Railroads Win Merger Vote",
        "Insurers Retreat From Wildfire Counties",
        "A Vaccine Plant Reopens After a Two-Year Pause",
    ]
    assert [(s.source, s.source_qualifier) for s in stories] == [
        ("The Prairie Ledger", "subscription"),
        ("Valley Sentinel", None),
        ("Eastmoor Daily", "free"),
    ]
    assert [labels(s) for s in stories] == [
        ["Driving the news:", "What’s next:"],
        ["Why it matters:"],
        ["The big picture:", "Zoom in:"],
    ]
    assert stories[0].sections[1].bullets == (
        "Shippers in the grain belt asked for a price cap on interchange fees.",
        "Two unions said they would oppose the deal at the board hearing.",
    )
    assert len(stories[1].sections[1].bullets) == 2
    assert [s.url for s in stories] == [
        "https://ledger.example/rail-merger-vote",
        "https://sentinel.example/wildfire-insurance",
        None,
    ]
    # &nbsp; inside "$31 billion" is normalized to a plain space.
    assert "$31 billion merger" in stories[0].sections[0].paragraphs[0]
    assert_clean(
        stories,
        (*boilerplate, "Northgate", "Retread", "Morning Freight Wire", "preheader", "Dock Street"),
    )


def test_markdown_digest(fixture_bytes: Reader, boilerplate: tuple[str, ...]) -> None:
    stories = parse_bytes(fixture_bytes("digest.md"), filename="digest.md")

    assert [s.title for s in stories] == [
        "Transit Agency Approves Fare Freeze Through 2026",
        "Hospital Network Settles Billing Lawsuit",
        "Library Board Extends Weekend Hours",
    ]
    assert [(s.source, s.source_qualifier) for s in stories] == [
        ("Valley Transit News", "subscription"),
        ("Associated Press", None),
        ("Oak Harbor Herald", "free"),
    ]
    assert [labels(s) for s in stories] == [
        ["Why it matters:", "Yes, but:"],
        ["Driving the news:", "Go deeper"],
        ["The details:"],
    ]
    assert bullets(stories[0]) == [
        "The freeze costs about $14 million a year.",
        "Monthly passes for students stay free.",
    ]
    assert bullets(stories[2]) == [
        "Branches open noon to 5 p.m. on Sundays.",
        "The change adds six part-time positions.",
    ]
    assert [s.url for s in stories] == [
        "https://transit.example/fare-freeze",
        None,
        "https://herald.example/library-hours",
    ]
    assert stories[1].sections[-1].paragraphs == ("How surprise bills reached 30,000 patients",)
    assert_clean(stories, (*boilerplate, "Sunward", "Civic Ledger"))


def test_plain_text_digest(fixture_bytes: Reader, boilerplate: tuple[str, ...]) -> None:
    stories = parse_bytes(fixture_bytes("digest.txt"), filename="digest.txt")

    assert [s.title for s in stories] == [
        "Coastal Towns Brace for Record King Tides",
        "Farmers Test Drones to Count Orchard Bloom",
    ]
    assert [(s.source, s.source_qualifier) for s in stories] == [
        ("Shoreline Gazette", "subscription"),
        ("AgriWeekly", None),
    ]
    assert [labels(s) for s in stories] == [
        ["What’s happening:", "Why it’s a worry:", "And still …"],
        ["Early results:"],
    ]
    assert bullets(stories[0]) == [
        "Harbor Road in Kettle Point will close from Saturday evening.",
        "Ferry service to Gull Island is suspended until Monday.",
    ]
    # "View More" without an address is dropped; "Read more: <url>" gives the address.
    assert [s.url for s in stories] == [None, "https://agriweekly.example/orchard-drones"]
    assert "<strong>What’s happening:</strong>" in stories[0].html
    assert_clean(stories, (*boilerplate, "Tidewise", "Weekend Wire"))


def test_malformed_html_still_reads(fixture_bytes: Reader, boilerplate: tuple[str, ...]) -> None:
    (story,) = parse_bytes(fixture_bytes("malformed.html"))

    assert story.title == "Bridge Repairs Close Two Lanes on Route 9"
    assert (story.source, story.source_qualifier) == ("Millbrook Times", "free")
    assert labels(story) == ["What to watch:"]
    assert bullets(story) == [
        "Trucks over 20 tonnes must use Route 12.",
        "Cyclists keep the east sidewalk.",
    ]
    assert story.url == "https://millbrook.example/bridge"
    assert_clean([story], boilerplate)


@pytest.mark.parametrize(
    "name",
    [
        "semantic_digest.html",
        "email_digest.html",
        "digest.md",
        "digest.txt",
        "malformed.html",
        "article.html",
        "cp1252_undeclared.html",
    ],
)
def test_parsing_is_deterministic(fixture_bytes: Reader, name: str) -> None:
    data = fixture_bytes(name)

    assert parse_bytes(data, filename=name) == parse_bytes(data, filename=name)


def test_br_separated_bullets_inside_one_paragraph() -> None:
    html = (
        "<h2>Ferry Fares Rise</h2><p>The island ferry raised fares by a dollar (Island Post).</p>"
        "<p><b>Details:</b><br>• Cars pay $12.<br>• Bikes ride free.</p>"
    )

    (story,) = parse_bytes(html.encode(), filename="f.html")

    assert story.sections[1].label == "Details:"
    assert story.sections[1].bullets == ("Cars pay $12.", "Bikes ride free.")


def test_bold_via_inline_style_marks_headline_and_label() -> None:
    html = (
        "<table><tr><td><span style='font-weight: 700'>Mill Town Votes on Wind Farm</span>"
        "</td></tr><tr><td>Residents of Ashby vote Tuesday on a 40-turbine wind farm "
        "(Ashby Courier).</td></tr><tr><td><span style='FONT-WEIGHT:bold'>The stakes:</span> "
        "Lease payments of $2 million a year.</td></tr></table>"
    )

    (story,) = parse_bytes(html.encode(), filename="f.html")

    assert story.title == "Mill Town Votes on Wind Farm"
    assert labels(story) == ["The stakes:"]
    assert story.sections[1].paragraphs == ("Lease payments of $2 million a year.",)


def test_paragraph_after_bullets_starts_an_unlabelled_section() -> None:
    text = (
        "Bakery Chain Expands\n\n"
        "Crumb & Co. will open nine stores this year (Food Trade Weekly).\n\n"
        "Where: Mostly in the suburbs.\n\n"
        "• Four in Easton\n"
        "• Five in Marlow\n\n"
        "The company did not say how many jobs the stores will add.\n"
    )

    (story,) = parse_bytes(text.encode(), filename="f.txt")

    assert [(s.label, len(s.paragraphs), len(s.bullets)) for s in story.sections] == [
        (None, 1, 0),
        ("Where:", 1, 2),
        (None, 1, 0),
    ]


def test_linked_headline_is_the_url_when_there_is_no_read_more() -> None:
    html = (
        "<h2><a href='https://wire.example/salt'>Road Salt Runs Short</a></h2>"
        "<p>Three counties rationed road salt after a late storm (County Wire).</p>"
        "<h4>Read more</h4>"
    )

    (story,) = parse_bytes(html.encode(), filename="s.html")

    assert story.url == "https://wire.example/salt"
    assert canonical_text(story.sections) == (
        "Three counties rationed road salt after a late storm (County Wire)."
    )


def test_presenting_sponsor_line_keeps_the_story_it_sits_on() -> None:
    text = (
        "Together with Brightline Bank\n\n"
        "Credit Union Opens Rural Branches\n\n"
        "Harvest Credit Union will open six branches in farm towns (Rural Review).\n\n"
        "Why it matters: Four of the towns lost their last bank in 2023.\n"
    )

    (story,) = parse_bytes(text.encode(), filename="cu.txt")

    assert story.title == "Credit Union Opens Rural Branches"
    assert "Brightline" not in canonical_text(story.sections)


def test_sponsor_block_with_its_own_subheadings_is_dropped() -> None:
    html = (
        "<h2>Pier Repairs Approved</h2><p>The harbor board approved $4 million for pier repairs "
        "(Harbor Herald).</p><p><b>What's next:</b> Work starts in May.</p>"
        "<p>Advertisement</p><h3>Meet Coastline Insurance</h3><p>Coverage for every boat.</p>"
        "<p><b>Why switch</b></p><p>Rates fell 10% this year.</p>"
        "<h2>School Bus Routes Redrawn</h2><p>The district cut four bus routes (Valley Voice).</p>"
    )

    stories = parse_bytes(html.encode(), filename="p.html")

    assert [s.title for s in stories] == ["Pier Repairs Approved", "School Bus Routes Redrawn"]
    for story in stories:
        text = canonical_text(story.sections)
        assert "Coastline" not in text and "Rates fell" not in text


def test_a_story_that_mentions_unsubscribing_keeps_its_text() -> None:
    lead = (
        "Regulators will require every marketing email to carry a one-click unsubscribe link "
        "by next spring, and fines for ignoring opt-outs will triple under the new rule "
        "(Commerce Daily)."
    )
    html = f"<h2>Email Rule Tightens</h2><p>{lead}</p><p><b>Why it matters:</b> Fewer spam.</p>"

    (story,) = parse_bytes(html.encode(), filename="e.html")

    assert story.sections[0].paragraphs == (lead,)
