"""Rules that hold for every input: parse_bytes raises only ParseError, parses the same way
twice, and reads back a Markdown digest's text exactly."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader._parse import canonical_text, normalize_text, parse_bytes
from reader._parse.blocks import Block, Kind, is_furniture
from reader._parse.boilerplate import furniture_rule, sponsor_marker
from reader.errors import ParseError
from reader.model import ParsedStory, Section

FORMATS = st.sampled_from(
    [
        {},
        {"filename": "a.html"},
        {"filename": "a.md"},
        {"filename": "a.txt"},
        {"content_type": "text/html; charset=utf-8"},
        {"content_type": "text/markdown"},
        {"url": "https://example.com/page.htm", "content_type": "text/html; charset=bogus"},
    ]
)
# Fragments that steer random text into the parser's interesting paths.
PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<b>", "</b>", "<strong>", "<h2>", "</h2>", "<h1>", "<ul><li>", "<li>",
        "<table><tr><td>", "</td>", "<br>", "<hr>", "<a href='https://x.example/a'>", "</a>",
        "<a href='javascript:x'>", "<script>", "<style>", "<nav>", "<footer>", "<time>",
        "<span style='font-weight:700'>", "<meta charset='cp1252'>", "<?xml version='1.0'?>",
        "<!--", "-->", "\n\n", "\n", "  • ", "- ", "## ", "# ", "**", "[x](y)", "---",
        "Why it matters:", "And yet …", "(Reuters).", "(The Times, subscription).", "View More",
        "Read more: https://x.example/b", "Sponsored", "Together with Acme", "Unsubscribe",
        "©", "Headline Here", "A sentence of story text.", "\u00a0", "\u200b", "é", "’",
        "<script type='application/ld+json'>{\"datePublished\": \"2025-01-01\"}</script>",
        "<meta property='article:published_time' content='not a date'>", "<html lang='x'>",
        "---\ntitle: A\n", "tags: [a, 'b\n", "+++\n", "date: 29 November 2026\n",
    ]
)  # fmt: skip
structured = st.lists(PIECES | st.text(max_size=12), max_size=40).map("".join)


def _parse_or_refuse(data: bytes, options: dict[str, str]) -> list[ParsedStory] | None:
    try:
        return parse_bytes(
            data,
            filename=options.get("filename"),
            url=options.get("url"),
            content_type=options.get("content_type"),
        )
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
        return None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), FORMATS)
def test_arbitrary_bytes_raise_only_parse_error(data: bytes, options: dict[str, str]) -> None:
    _parse_or_refuse(data, options)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured, FORMATS, st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_markup_like_text_raises_only_parse_error(
    text: str, options: dict[str, str], encoding: str
) -> None:
    data = text.encode(encoding, errors="replace")
    first = _parse_or_refuse(data, options)

    assert _parse_or_refuse(data, options) == first
    for story in first or []:
        assert story.title and story.title == normalize_text(story.title)
        assert story.sections
        for section in story.sections:
            texts = [section.label or "x", *section.paragraphs, *section.bullets]
            assert all(t and t == normalize_text(t) for t in texts)
        assert story.url is None or story.url.startswith(("http://", "https://"))
        assert story.published is None or story.published.tzinfo is not None


def test_deep_nesting_does_not_overflow() -> None:
    html = "<div>" * 5000 + "<h2>Deep Story</h2><p>Text at the bottom (Deep Wire).</p>"

    (story,) = parse_bytes(html.encode(), filename="deep.html")

    assert story.source == "Deep Wire"


def _not_furniture(text: str) -> bool:
    """Text the parser would rightly drop as page furniture is out of this test's scope."""
    return not (
        sponsor_marker(text) is not None
        or furniture_rule(Block(Kind.PARA, text)) is not None
        or is_furniture(text)
    )


# Letters from several scripts, digits and punctuation; Markdown escapes keep them literal.
WORD = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + "éüßøçЖжλ中’“”&<>*_#`[]!?,;-"),
    min_size=1,
    max_size=8,
)
PHRASE = st.lists(WORD, min_size=1, max_size=8).map(" ".join).filter(_not_furniture)
SOURCE = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10).map(str.capitalize)
LABEL = (
    st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=8), min_size=1, max_size=4)
    .map(lambda words: " ".join(words).capitalize() + ":")
    .filter(_not_furniture)
)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in string.punctuation else c for c in text)


@st.composite
def digests(draw: st.DrawFn) -> tuple[str, list[list[Section]]]:
    lines = ["# Daily Digest", ""]
    stories: list[list[Section]] = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        headline = draw(PHRASE)
        lead = draw(st.builds("{} ({}).".format, PHRASE, SOURCE).filter(_not_furniture))
        lines += [f"## {_escape(headline)}", "", _escape(lead), ""]
        sections = [Section(None, (lead,))]
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            label = draw(LABEL)
            paragraph, bullets = draw(PHRASE), draw(st.lists(PHRASE, max_size=3))
            lines += [f"**{_escape(label)}** {_escape(paragraph)}", ""]
            lines += [f"- {_escape(b)}" for b in bullets] + [""]
            sections.append(Section(label, (paragraph,), tuple(bullets)))
        stories.append(sections)
    return "\n".join(lines), stories


@settings(max_examples=100, deadline=None)
@given(digests())
def test_markdown_digest_round_trips(digest: tuple[str, list[list[Section]]]) -> None:
    markdown, expected = digest

    parsed = parse_bytes(markdown.encode(), filename="digest.md")

    assert [canonical_text(s.sections) for s in parsed] == [canonical_text(e) for e in expected]
