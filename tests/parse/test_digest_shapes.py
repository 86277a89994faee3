"""Digest shapes the splitter must read, each in a small letter of our own: a briefing of
bold leads, run-in capital heads, a numbered link list, essays under a post title, sub-heads
inside story cells, banners over other-style boxes and sponsor units."""

from __future__ import annotations

from reader._parse import canonical_text, parse_bytes
from reader.model import ParsedStory

MAIL = "<!--[if mso]><table><tr><td><![endif]-->{body}<p>Unsubscribe</p>"


def read(body: str) -> list[ParsedStory]:
    html = "<html><body>" + MAIL.format(body=body) + "</body></html>"
    return parse_bytes(html.encode(), filename="letter.html")


def titles(stories: list[ParsedStory]) -> list[str]:
    return [s.title for s in stories]


def test_a_briefing_of_bold_leads_gives_a_story_per_lead() -> None:
    stories = read(
        "<p>Guten Morgen,</p>"
        "<p><b>die Fähren fahren wieder.</b> Nach drei Tagen Sturm legen die ersten Schiffe ab.</p>"
        "<p><b>Die Stadtwerke erhöhen die Preise.</b> Strom kostet ab Januar vier Cent mehr.</p>"
        "<p><b>Hafenfest abgesagt:</b> Der Veranstalter fand keine Versicherung.</p>"
    )
    assert titles(stories) == [
        "die Fähren fahren wieder",
        "Die Stadtwerke erhöhen die Preise",
        "Hafenfest abgesagt",
    ]
    assert canonical_text(stories[2].sections) == "Der Veranstalter fand keine Versicherung."


def test_a_story_with_bold_labels_is_not_a_briefing() -> None:
    stories = read(
        "<h2>Port Budget Passes</h2>"
        "<p>The board approved the harbor budget on Tuesday (Harbor Herald).</p>"
        "<p><b>Why it matters:</b> Dredging resumes in spring.</p>"
        "<p><b>What's next:</b> A vote on fees in March.</p>"
        "<p><b>The catch:</b> Two piers stay closed.</p>"
    )
    assert titles(stories) == ["Port Budget Passes"]


def test_run_in_capital_heads_with_a_colon_or_dash_open_stories() -> None:
    stories = read(
        "<p>Good Thursday morning. Here is what we are watching.</p>"
        "<p><b>THE BUDGET CLOCK TICKS:</b> Negotiators met past midnight and left with nothing.</p>"
        "<p><b>FIRST IN THE LETTER — A NEW CAUCUS:</b> Twelve freshmen will form a group.</p>"
        "<p><b>WHERE THE GOVERNOR IS</b> — Touring flood damage in the north.</p>"
    )
    assert titles(stories) == [
        "THE BUDGET CLOCK TICKS",
        "FIRST IN THE LETTER — A NEW CAUCUS",
        "WHERE THE GOVERNOR IS",
    ]


def test_numbered_links_with_blurbs_are_stories_and_a_release_list_is_one() -> None:
    item = '<li><a href="https://x.example/{n}">{title}</a> — {blurb}</li>'
    stories = read(
        "<h1>Weekly links #12</h1><p>Hello, readers.</p><ol>"
        + item.format(n=1, title="Who paints the lines", blurb="A visit to the crew that "
                      "repaints every road marking in a county, at night, by hand.")
        + item.format(n=2, title="The tide clock", blurb="How one observatory still prints "
                      "the almanac that harbour pilots trust more than their apps.")
        + item.format(n=3, title="Lost railways", blurb="An interactive map of every line "
                      "that closed since 1950, with photographs sent in by readers.")
        + "</ol><p><b>📦 Releases</b></p><ul>"
        '<li><a href="https://r.example/a">Tidy 3.1</a> – faster checks.</li>'
        '<li><a href="https://r.example/b">Quill 2</a> – new theme.</li></ul>'
    )  # fmt: skip
    assert titles(stories) == ["Who paints the lines", "The tide clock", "Lost railways",
                               "📦 Releases"]  # fmt: skip
    assert stories[0].url == "https://x.example/1"


def test_an_essay_under_a_linked_post_title_is_one_story() -> None:
    section = (
        "<h2>{head}</h2>" + "<p>" + "The grain moves slowly through the valley. " * 12 + "</p>"
    )
    stories = read(
        '<h1><a href="https://post.example/p/grain">What the elevators know</a></h1>'
        "<p>By Ruth, 6 Dec</p>"
        + "".join(section.format(head=h) for h in ("One job", "Waiting", "The river"))
    )
    assert titles(stories) == ["What the elevators know"]


def test_several_essays_under_the_letter_s_own_name_are_several_stories() -> None:
    section = (
        '<p style="font-size:21px"><b>{head}</b></p>'
        + "<p>" + "The lenders agreed to less and less every year. " * 12 + "</p>"
    )  # fmt: skip
    stories = read(
        '<p style="font-size:34px"><b>Money Matters</b></p><p>Column, 3 Dec</p>'
        + "".join(section.format(head=h) for h in ("Covenants", "Pod shops", "Meme bond"))
    )
    assert titles(stories) == ["Covenants", "Pod shops", "Meme bond"]


def test_a_bold_sub_head_inside_a_story_cell_stays_in_that_story() -> None:
    cell = "<table><tr><td><h2>{head}</h2><p>{lead}</p>{inner}</td></tr></table>"
    stories = read(
        cell.format(head="Ports reopen", lead="Three ports reopened on Monday.", inner="")
        + cell.format(head="Rates hold", lead="The bank held rates at 4%.",
                      inner="<p><b>Meanwhile</b></p><p>The currency slipped.</p>")
        + cell.format(head="Rail strike ends", lead="Drivers accepted the offer.", inner="")
        + cell.format(head="Wheat climbs", lead="Prices rose for a fifth day.", inner="")
    )  # fmt: skip
    assert titles(stories) == ["Ports reopen", "Rates hold", "Rail strike ends", "Wheat climbs"]
    assert "Meanwhile" in canonical_text(stories[1].sections)


def test_a_sponsor_unit_goes_and_the_story_under_a_presenting_line_stays() -> None:
    stories = read(
        "<p>Presented by Acme Ledger</p>"
        "<h2>Ports reopen</h2><p>Three ports reopened on Monday after the storm.</p>"
        "<p>TODAY'S LETTER IS BROUGHT TO YOU BY ACME LEDGER</p>"
        "<h2>Close your books in a day</h2><p>Acme Ledger reconciles every account.</p>"
        '<p><a href="https://ads.example/acme">Try it free</a></p>'
        "<h2>Rates hold</h2><p>The bank held rates at 4% on Thursday.</p>"
        "<h2>Wheat climbs</h2><p>Prices rose for a fifth day in Chicago.</p>"
    )
    assert titles(stories) == ["Ports reopen", "Rates hold", "Wheat climbs"]
