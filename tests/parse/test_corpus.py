"""The newsletter corpus (tests/parse/fixtures/newsletters): every letter reads, and the
splitter's recall and precision over all of them stay at least where they are today
(bench/digests.py prints the full table)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.digests import CORPUS as CORPUS_DIR
from bench.digests import Fixture, key, load_corpus, read_html, run, score
from reader._parse import canonical_text, decode_bytes, parse_bytes
from reader._parse.blocks import Kind
from reader._parse.cleaning import clean
from reader._parse.digest import read_digest
from reader._parse.html import HtmlPage
from reader.errors import ParseError

CORPUS = load_corpus()
# The floors the splitter must hold on our own corpus (issue 8 asks for 95 % of each).
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.95


def test_the_corpus_spans_platforms_and_languages() -> None:
    assert len(CORPUS) >= 40
    assert len({f.platform for f in CORPUS}) >= 10
    assert len({f.language for f in CORPUS}) >= 3


def test_recall_and_precision_hold_over_the_corpus() -> None:
    total = run(CORPUS)["all"]
    assert total.failed == 0, total.misses
    assert total.recall >= RECALL_FLOOR, f"recall {total.recall:.1%}"
    assert total.precision >= PRECISION_FLOOR, f"precision {total.precision:.1%}"


@pytest.mark.parametrize("fixture", CORPUS, ids=[f.name for f in CORPUS])
def test_every_letter_reads_without_footers_or_duplicated_text(fixture: Fixture) -> None:
    stories = read_html(fixture)
    assert stories
    texts = [canonical_text(s.sections) for s in stories]
    # No paragraph lands in two stories.
    seen: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            if len(line.split()) >= 8:
                assert line not in seen, line
                seen.add(line)
    for story, text in zip(stories, texts, strict=True):
        assert "unsubscribe" not in (story.title + text).lower()
    assert score(fixture, stories).matched >= 1


_FRAGMENTS = st.sampled_from(
    [
        "<h2>Port strike spreads to two more terminals</h2>",
        "<p><b>THE REGULATOR IS PROBING CARD FEES</b></p>",
        "<p><strong>The regulator is at it again.</strong> It sent letters (Reuters).</p>",
        "<p>Presented by Acme Ledger</p>",
        "<p>SPONSORED</p><p><b>Try Acme free</b></p>"
        "<p><a href='https://a.example'>Get started</a></p>",
        "<p><b>Why it matters:</b> Fees are the second-largest cost.</p>",
        "<ul><li>One point.</li><li>Another point.</li></ul>",
        "<p><a href='https://t.example/CL0/https:%2F%2Fnews.example%2Fa/1'>"
        "<b>A linked headline (5 minute read)</b></a><br>A blurb.</p>",
        "<table><tr><th>Index</th><th>Close</th></tr><tr><td>Dow</td><td>41,002</td></tr></table>",
        "<p>MARKETS</p>",
        "<p>What'd you think of today's email?</p>"
        "<p><a href='https://x.example/1'>Loved it</a></p>",
        "<p>Unsubscribe | Manage preferences</p>",
        "<hr>",
        "<p>Plain text paragraph about the city budget and its water rates this year.</p>",
        "<!--[if mso]><table><tr><td><![endif]--><p>Inside a conditional.</p>"
        "<!--[if mso]></td></tr></table><![endif]-->",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=25))
def test_any_newsletter_shape_reads_or_says_why(parts: list[str]) -> None:
    html = "<html><body>" + "".join(parts) + "</body></html>"
    try:
        stories = parse_bytes(html.encode(), filename="letter.html")
    except ParseError:
        return
    for story in stories:
        text = canonical_text(story.sections)
        assert story.title
        assert "[endif]" not in text and "<!--" not in text
        assert "Unsubscribe" not in text


def _accounted(html: str) -> None:
    """Every paragraph, bullet and table row the splitter read lands in exactly one story,
    or is reported as left out by a named rule."""
    page = HtmlPage(html)
    cleaned = clean(page.blocks())
    digest = read_digest(cleaned.blocks)
    if digest is None:
        return
    stories = [key(s.title + " " + canonical_text(s.sections)) for s in digest.stories]
    titles = [key(s.title) for s in digest.stories]
    dropped = {id(d.block) for d in digest.dropped}
    texts: dict[str, int] = {}
    for block in digest.blocks:
        if block.kind not in (Kind.PARA, Kind.BULLET, Kind.ROW) or id(block) in dropped:
            continue
        if any(key(block.text).startswith(title) for title in titles):
            continue  # a headline: the story's title, less a "(5 minute read)" note
        texts[key(block.text)] = texts.get(key(block.text), 0) + 1
    for text, blocks in texts.items():
        holders = sum(text in story for story in stories)
        assert holders >= 1, f"lost: {text!r}"
        if len(text.split()) >= 8:
            assert holders <= blocks, f"in {holders} stories: {text!r}"
    assert all(d.rule for d in cleaned.dropped + digest.dropped)


@pytest.mark.parametrize("fixture", CORPUS, ids=[f.name for f in CORPUS])
def test_every_paragraph_of_a_letter_is_in_one_story_or_left_out_by_rule(
    fixture: Fixture,
) -> None:
    _accounted(decode_bytes(fixture.path.read_bytes()))


@settings(max_examples=150, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=25))
def test_no_shape_of_letter_loses_a_paragraph(parts: list[str]) -> None:
    _accounted("<html><body>" + "".join(parts) + "</body></html>")


_TABLES = [
    (page, story["table_rows"])
    for page in sorted(CORPUS_DIR.glob("*/*.json"))
    for story in json.loads(page.read_text(encoding="utf-8")).get("stories", [])
    if story.get("table_rows")
]


@pytest.mark.parametrize(("spec", "rows"), _TABLES, ids=[p.stem for p, _ in _TABLES])
def test_data_tables_stay_one_line_per_row(spec: Path, rows: list[str]) -> None:
    stories = parse_bytes(spec.with_suffix(".html").read_bytes(), filename="page.html")
    lines = {key(line) for s in stories for line in canonical_text(s.sections).splitlines()}
    assert [key(row) in lines for row in rows] == [True] * len(rows)


@pytest.mark.parametrize("folder", ["newsletters-holdout", "newsletters-blind"])
def test_the_held_out_letters_keep_their_score(folder: str) -> None:
    """The corpora written by people who had not seen the parser: the bar the issue sets for
    real letters (90 % recall, 85 % precision)."""
    held_out = load_corpus(CORPUS_DIR.parent / folder)
    assert len(held_out) >= 10
    total = run(held_out)["all"]
    assert total.recall >= 0.90, f"recall {total.recall:.1%}"
    assert total.precision >= 0.85, f"precision {total.precision:.1%}"
