"""Choosing the reader, single stories in plain text and Markdown, and refused inputs."""

from __future__ import annotations

import pytest

from reader._parse import canonical_text, parse_bytes
from reader._parse.dispatch import Format, detect_format
from reader._parse.text import TITLE_CHARS
from reader.errors import ParseError

HTML = "<html><body><h2>T</h2><p>Body text.</p></body></html>"
MARKDOWN = "## Heading\n\nSome **bold** text and a [link](https://x.example)."
PLAIN = "Heading\n\nSome text."


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        (PLAIN, {"content_type": "text/html; charset=utf-8"}, Format.HTML),
        (PLAIN, {"content_type": "text/markdown"}, Format.MARKDOWN),
        (HTML, {"content_type": "text/plain", "filename": "notes.md"}, Format.MARKDOWN),
        (HTML, {"filename": "page.txt"}, Format.TEXT),
        (PLAIN, {"filename": "PAGE.HTM"}, Format.HTML),
        (PLAIN, {"filename": "x.markdown"}, Format.MARKDOWN),
        (PLAIN, {"url": "https://x.example/story.html?id=3"}, Format.HTML),
        (HTML, {}, Format.HTML),
        ("Intro line\n<p>one</p><p>two</p><div>three</div>", {}, Format.HTML),
        (MARKDOWN, {}, Format.MARKDOWN),
        (PLAIN, {"filename": "noext"}, Format.TEXT),
    ],
)
def test_detect_format(text: str, options: dict[str, str], expected: Format) -> None:
    kwargs = {"filename": None, "url": None, "content_type": None} | options

    assert detect_format(text, **kwargs) is expected


def test_single_plain_text_story() -> None:
    text = (
        "Night Market Returns to Dock Square\n"
        "The weekly night market reopens on Friday with forty stalls.\n\n"
        "Organizers expect about 3,000 visitors on opening night.\n"
    )

    (story,) = parse_bytes(text.encode(), filename="market.txt")

    assert story.title == "Night Market Returns to Dock Square"
    assert story.source is None
    assert canonical_text(story.sections) == (
        "The weekly night market reopens on Friday with forty stalls.\n"
        "Organizers expect about 3,000 visitors on opening night."
    )
    assert story.html == (
        "<h2>Night Market Returns to Dock Square</h2>"
        "<p>The weekly night market reopens on Friday with forty stalls.</p>"
        "<p>Organizers expect about 3,000 visitors on opening night.</p>"
    )


def test_plain_text_without_headline_takes_its_opening_words() -> None:
    text = "the council met again tonight and, after a long debate about parking, " * 3

    (story,) = parse_bytes(text.encode(), filename="note.txt")

    assert story.title.startswith("the council met again tonight")
    assert story.title.endswith("…") and len(story.title) <= TITLE_CHARS + 1


def test_single_markdown_story_with_subheadings() -> None:
    text = (
        "# Orchard Frost Damage Lower Than Feared\n\n"
        "Growers in the upper valley lost about a tenth of their blossoms.\n\n"
        "## What growers say\n\n"
        "Most expect a normal harvest.\n\n"
        "- Pears fared worst.\n"
        "- Cherries were already past bloom.\n"
    )

    (story,) = parse_bytes(text.encode(), filename="frost.md")

    assert story.title == "Orchard Frost Damage Lower Than Feared"
    assert [(s.label, s.paragraphs, s.bullets) for s in story.sections] == [
        (None, ("Growers in the upper valley lost about a tenth of their blossoms.",), ()),
        (
            "What growers say",
            ("Most expect a normal harvest.",),
            ("Pears fared worst.", "Cherries were already past bloom."),
        ),
    ]


def test_markdown_raw_html_stays_text() -> None:
    text = "# Note\n\nThe filter rejects <script>alert(1)</script> tags.\n"

    (story,) = parse_bytes(text.encode(), filename="n.md")

    assert story.sections[0].paragraphs == ("The filter rejects <script>alert(1)</script> tags.",)
    assert "<script>" not in story.html


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Shop</title><script>var a = 1;</script></head><body>"
        "<nav><a href='/'>Home</a></nav><footer>© 2025 Shop</footer></body></html>",
        "<html><body><style>p { color: red }</style></body></html>",
        "<div><!-- nothing here --></div>",
    ],
)
def test_html_without_a_story_is_refused(html: str) -> None:
    with pytest.raises(ParseError, match=r"^no story found$"):
        parse_bytes(html.encode(), filename="page.html")


def test_only_boilerplate_text_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^no story found$"):
        parse_bytes(b"Unsubscribe | Manage preferences\n\nView in browser\n", filename="a.txt")


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="file is empty"):
        parse_bytes(b"")


def test_arrows_in_text_stay_and_outlook_remnants_go() -> None:
    """ "-->" is an arrow in a sentence; only the bracketed remnants of Outlook's conditional
    comments are markup left behind (hypothesis found the arrow being dropped)."""
    html = (
        b"<html><body><h1>Dredging plan</h1>"
        b"<p>Survey --> dredge --> reopen the berth by May.</p>"
        b"<p>[if mso]>The council votes on the plan on Tuesday.<![endif]</p>"
        b"</body></html>"
    )
    [story] = parse_bytes(html, filename="plan.html")
    text = canonical_text(story.sections)
    assert "Survey --> dredge --> reopen the berth by May." in text
    assert "The council votes on the plan on Tuesday." in text
    assert "[if" not in text and "endif" not in text
