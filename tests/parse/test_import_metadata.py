"""What a file says about its stories beyond their text: Markdown front matter, a digest's own
header (name and issue date), and the title of a plain-text file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader._parse import canonical_text, parse_bytes
from reader._parse.dates import find_date, read_date
from reader._parse.frontmatter import split_front_matter
from reader._parse.masthead import Masthead, with_masthead
from reader._parse.text import TITLE_CHARS
from reader.model import ParsedStory

STORY = (
    "# Grid operators ask for more time\n\n"
    "Regional grid operators asked regulators on Friday for two more years to connect the "
    "solar farms waiting in their queues.\n\n"
    "**Why it matters:** Forty projects are stuck behind the same two substations.\n"
)


def day(story: ParsedStory) -> date | None:
    """The story's date as the analyst's clock reads it."""
    return story.published.astimezone().date() if story.published else None


def one(text: str, filename: str = "note.md", warnings: list[str] | None = None) -> ParsedStory:
    (story,) = parse_bytes(
        text.encode(), filename=filename, warn=None if warnings is None else warnings.append
    )
    return story


# -- front matter -----------------------------------------------------------------------------


def test_yaml_front_matter_gives_the_story_its_metadata_and_leaves_the_text() -> None:
    warnings: list[str] = []
    story = one(
        "---\n"
        'title: "Grid operators ask for more time"\n'
        "date: 2026-11-29\n"
        "url: https://grid.example/queue-delay\n"
        "source: Power Desk\n"
        "author: [Ana Ruiz, Tom Bell]\n"
        "tags:\n"
        "  - energy\n"
        "  - grid policy\n"
        "---\n\n" + STORY,
        warnings=warnings,
    )

    assert story.title == "Grid operators ask for more time"
    assert day(story) == date(2026, 11, 29)
    assert story.url == "https://grid.example/queue-delay"
    assert story.source == "Power Desk"
    assert story.byline == "Ana Ruiz, Tom Bell"
    assert story.tags == ("energy", "grid policy")
    text = canonical_text(story.sections)
    assert text.startswith("Regional grid operators asked regulators")
    assert "title:" not in text and "---" not in text and "Power Desk" not in text
    assert warnings == []


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("tags: energy, grid policy, energy", ("energy", "grid policy")),
        ('tags: [energy, "grid, policy"]', ("energy", "grid, policy")),
        ("tags: '#energy'", ("energy",)),
        ("keywords: [ports]", ("ports",)),
    ],
)
def test_front_matter_tags_as_a_list_or_a_comma_string(line: str, tags: tuple[str, ...]) -> None:
    assert one(f"---\n{line}\n---\n" + STORY).tags == tags


def test_front_matter_title_over_a_different_headline_keeps_the_headline_as_text() -> None:
    story = one("---\ntitle: Queue delays, day two\n---\n" + STORY)
    assert story.title == "Queue delays, day two"
    assert "Grid operators ask for more time" in canonical_text(story.sections) + "".join(
        s.label or "" for s in story.sections
    )


def test_a_web_clippers_source_address_is_the_url_and_dates_read_in_common_forms() -> None:
    story = one(
        "---\nsource: https://grid.example/queue-delay\npublished: November 29, 2026\n---\n" + STORY
    )
    assert story.url == "https://grid.example/queue-delay" and story.source is None
    assert day(story) == date(2026, 11, 29)
    stamped = one("---\ndate: 2026-11-29T07:45:00+01:00\n---\n" + STORY)
    assert stamped.published == datetime(2026, 11, 29, 6, 45, tzinfo=UTC)


def test_toml_front_matter() -> None:
    story = one(
        '+++\ntitle = "Grid operators ask for more time"\ndate = 2026-11-29\n'
        'tags = ["energy"]\n+++\n' + STORY
    )
    assert day(story) == date(2026, 11, 29) and story.tags == ("energy",)
    assert "+++" not in canonical_text(story.sections)


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ('---\ntitle: "Grid operators ask\nsource: Power Desk\n---\n', "opens a quote"),
        ("---\ntitle: Grid\nthis line is no field\n---\n", "line 2"),
        ("+++\ntitle = Grid operators\n+++\n", "front matter not read"),
        ("---\ntitle: Grid operators\n\n", "no closing ---"),
    ],
)
def test_bad_front_matter_warns_in_one_line_and_loses_no_text(block: str, reason: str) -> None:
    warnings: list[str] = []
    story = one(block + STORY, warnings=warnings)

    assert len(warnings) == 1 and reason in warnings[0] and "\n" not in warnings[0]
    assert story.tags == () and story.published is None
    everything = story.title + "\n" + canonical_text(story.sections)
    for line in block.splitlines():
        if line.strip() not in ("---", "+++", ""):
            assert line.strip('"') in everything or line in everything, line
    assert "Regional grid operators" in everything


_FRONT_PIECES = st.sampled_from(
    ["---", "+++", "...", "title: A", "tags: [a, 'b]", "- x", "  nested: y", '"', "key = 1",
     "date: 29 November 2026", "", "Plain words.", "# Head", "|", "source: https://a.example"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_FRONT_PIECES | st.text(max_size=8), max_size=12))
def test_front_matter_never_fails_and_never_loses_a_line_it_does_not_read(
    lines: list[str],
) -> None:
    text = "\n".join(lines)
    split = split_front_matter(text)
    if split.meta is None:
        kept = split.body.split("\n")
        for line in text.split("\n"):
            assert line.strip() in ("---", "+++", "...", "") or line in kept, line
    assert split.problem is None or "\n" not in split.problem


def test_without_front_matter_nothing_changes() -> None:
    assert split_front_matter(STORY).body == STORY
    # A rule over the first paragraph is no front matter either.
    ruled = "---\n\nSome opening words, set under a rule.\n\n---\n\nMore words.\n"
    assert split_front_matter(ruled).body == ruled
    assert split_front_matter(ruled).problem is None
    story = one(STORY)
    assert story.title == "Grid operators ask for more time" and story.tags == ()


def test_a_markdown_digest_takes_tags_and_date_from_its_front_matter() -> None:
    stories = parse_bytes(
        ("---\ntitle: Harbor Notes\ndate: 2026-12-01\ntags: ports\n---\n\n" + DIGEST_BODY).encode(),
        filename="harbor.md",
    )
    assert len(stories) == 3
    assert all(s.tags == ("ports",) for s in stories)
    assert {day(s) for s in stories} == {date(2026, 12, 1)}
    assert {s.newsletter for s in stories} == {"Harbor Notes"}


# -- a digest's own header --------------------------------------------------------------------

DIGEST_BODY = (
    "## Port strike spreads to two more terminals\n\n"
    "Dockworkers at the northern terminals joined the strike on Thursday, halting container "
    "traffic for the second day.\n\n"
    "**Why it matters:** The two terminals handle a fifth of the region's imports.\n\n"
    "## Council passes a leaner water budget\n\n"
    "The council cut the capital plan by 8% and froze rates for a year (Lakeview Ledger).\n\n"
    "**What's next:** A second vote in January.\n\n"
    "## Chipmaker delays its new plant\n\n"
    "The plant will open a year late, the company said, citing equipment shortages.\n\n"
    "**The big picture:** Three other plants wait for the same machines.\n"
)


@pytest.mark.parametrize(
    ("header", "name", "when"),
    [
        ("# Analyst Weekly — 29 November 2026\n\nGood morning. Three things this week.\n\n",
         "Analyst Weekly", date(2026, 11, 29)),
        ("# The Morning Brief | Tuesday, December 1, 2026\n\n", "The Morning Brief",
         date(2026, 12, 1)),
        ("# Analyst Weekly\n\n_Sunday, 29 November 2026_\n\n", "Analyst Weekly",
         date(2026, 11, 29)),
        ("# Harbor Notes #118\n\nIssue 118 · Dec. 3rd, 2026\n\n", "Harbor Notes",
         date(2026, 12, 3)),
        ("# Wochenpost\n\nMittwoch, 2. Dezember 2026\n\n", "Wochenpost", date(2026, 12, 2)),
        ("# Analyst Weekly\n\nHello again, readers.\n\n", "Analyst Weekly", None),
        ("Good morning! Here is what happened overnight.\n\n", None, None),
    ],
)  # fmt: skip
def test_markdown_digest_header_names_and_dates_its_stories(
    header: str, name: str | None, when: date | None
) -> None:
    stories = parse_bytes((header + DIGEST_BODY).encode(), filename="digest.md")
    assert_headed(stories, ["Port strike spreads to two more terminals",
                            "Council passes a leaner water budget",
                            "Chipmaker delays its new plant"], name, when)  # fmt: skip


def assert_headed(
    stories: list[ParsedStory], titles: list[str], name: str | None, when: date | None
) -> None:
    assert [s.title for s in stories] == titles
    assert {s.newsletter for s in stories} == {name}
    # The lead's own source stays the story's source.
    assert [s.source for s in stories] == [None, "Lakeview Ledger", None]
    assert {day(s) for s in stories} == {when}


def _email_digest(masthead: str, title: str = "Today's letter") -> bytes:
    cells = "".join(
        f"<tr><td><h2>{head}</h2><p>{lead}</p><p><b>Why it matters:</b> {why}</p></td></tr>"
        for head, lead, why in (
            ("Port strike spreads", "Dockworkers joined the strike on Thursday.", "Imports."),
            ("Council passes budget", "The council froze rates (Lakeview Ledger).", "Rates."),
            ("Chipmaker delays plant", "The plant will open a year late.", "Machines."),
        )
    )
    return (
        f"<html><head><title>{title}</title></head><body><table>"
        f"<tr><td>{masthead}</td></tr>{cells}"
        "<tr><td><p>You are reading this because you subscribed. Unsubscribe.</p></td></tr>"
        "</table></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("masthead", "title", "name", "when"),
    [
        ('<p style="font-size:28px"><b>The Morning Brief</b></p><p>Tuesday, December 1, 2026</p>',
         "Today's letter", "The Morning Brief", date(2026, 12, 1)),
        ("<p>Analyst Weekly — 29 November 2026</p>", "Analyst Weekly", "Analyst Weekly",
         date(2026, 11, 29)),
        ("<p>#42 — Nov 29, 2026</p>", "Analyst Weekly", "Analyst Weekly", date(2026, 11, 29)),
        ("<p>Good morning, readers. Busy day.</p>", "Analyst Weekly — 29 November 2026",
         "Analyst Weekly", date(2026, 11, 29)),
        ("<p><b>MARKETS</b></p>", "Port strike spreads and more", None, None),
    ],
)  # fmt: skip
def test_html_digest_header_names_and_dates_its_stories(
    masthead: str, title: str, name: str | None, when: date | None
) -> None:
    stories = parse_bytes(_email_digest(masthead, title), filename="letter.html")
    titles = ["Port strike spreads", "Council passes budget", "Chipmaker delays plant"]
    assert_headed(stories, titles, name, when)


def test_a_story_keeps_its_own_date_and_name_over_the_header() -> None:
    own = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    dated = ParsedStory("Dated", (), published=own, newsletter="Wire Digest")
    undated = ParsedStory("Undated", ())
    header = Masthead("Analyst Weekly", datetime(2026, 11, 29, tzinfo=UTC))
    first, second = with_masthead([dated, undated], header)
    assert (first.published, first.newsletter) == (own, "Wire Digest")
    assert (second.published, second.newsletter) == (header.published, "Analyst Weekly")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Analyst Weekly — 29 November 2026", date(2026, 11, 29)),
        ("The Morning Brief | Tuesday, December 1, 2026", date(2026, 12, 1)),
        ("Issue 7 · 29.11.2026", date(2026, 11, 29)),
        ("miércoles, 2 de diciembre de 2026", date(2026, 12, 2)),
        ("mardi 1er décembre 2026", date(2026, 12, 1)),
        ("Thursday, June 5", None),
        ("31 February 2026", None),
        ("a 2026 plan", None),
    ],
)
def test_dates_found_in_a_line(text: str, expected: date | None) -> None:
    found = find_date(text)
    assert (found.value.astimezone().date() if found else None) == expected


def test_a_date_read_whole() -> None:
    assert read_date("Tue, 01 Dec 2026 06:02:11 +0000") == datetime(
        2026, 12, 1, 6, 2, 11, tzinfo=UTC
    )
    assert read_date("2026-12-01 and more") is None
    assert read_date("someday") is None


# -- plain-text titles ------------------------------------------------------------------------


def test_txt_title_is_a_short_first_line_over_its_text() -> None:
    story = one(
        "Ferry Timetable Changes for the Winter Season Begin Monday\n"
        "The island ferry will run six sailings a day instead of nine from Monday.\n\n"
        "Passes bought before then stay valid.\n",
        filename="ferry.txt",
    )
    assert story.title == "Ferry Timetable Changes for the Winter Season Begin Monday"
    assert canonical_text(story.sections).startswith("The island ferry will run six sailings")


@pytest.mark.parametrize(
    "paragraph",
    [
        # Wrapped by hand: its first line is no title, though short and unpunctuated.
        "The council met on Tuesday to go over the water budget and heard from\n"
        "six residents who asked for a freeze. Then it voted on the measure\n"
        "and the members went home.\n",
        "Residents of the three river towns who lost their homes in the spring floods will be "
        "able to apply for the second round of rebuilding grants from the first of the month, "
        "the county said; the forms are at the library. More follows.\n",
    ],
)
def test_txt_long_first_paragraph_gives_a_title_cut_at_a_word_and_stays_whole(
    paragraph: str,
) -> None:
    story = one(paragraph + "\nA second paragraph.\n", filename="council.txt")
    joined = " ".join(paragraph.split())
    assert story.title.endswith("…") and len(story.title) <= TITLE_CHARS + 1
    assert joined.startswith(story.title[:-1])
    assert canonical_text(story.sections).startswith(joined)


def test_txt_title_is_the_first_sentence_when_it_is_short() -> None:
    story = one(
        "Budget hearing notes, 1 December. The council heard from six residents who asked for "
        "a freeze, and from the treasurer, who did not.\n\nSecond paragraph.\n",
        filename="notes.txt",
    )
    assert story.title == "Budget hearing notes, 1 December"
    assert canonical_text(story.sections).startswith("Budget hearing notes, 1 December. The")
