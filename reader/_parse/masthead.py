"""A digest's own header: the newsletter's name and issue date above its first story
("Analyst Weekly — 29 November 2026", "The Morning Brief | Tuesday, December 1, 2026", a name
on one line and the date on the next), which its stories take as their source and date when
they name none."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from reader._parse.blocks import Kind, is_furniture, word_count
from reader._parse.boilerplate import Dropped, Rule
from reader._parse.dates import find_date
from reader._parse.headlines import banner_like, headline_rank
from reader._parse.text import normalize_text
from reader.model import ParsedStory

_HEADER_BLOCKS = 6
"""Only the first few lines above the first story can be its header."""
_NAME_WORDS = 7
_NAME_CHARS = 60
_SEPARATORS = re.compile(r"\s+[—–|·•~/-]\s+|\s*[|·•]\s*|:\s+|,\s+|\s+[—–]|[—–]\s+")
# A line with no date in it is a name only whole, or split where a masthead splits it.
_STRONG_SEPARATORS = re.compile(r"\s+[—–|·•]\s+|\s*[|·•]\s*")
# "Issue 42", "No. 118", "#42", "Vol. 3, No. 7": which issue, not whose.
_ISSUE = re.compile(
    r"(?:\b(?:issue|edition|number|no|nr|vol|volume|ausgabe|numéro|número|n[°º])\.?\s*#?"
    r"|#|№)\s*\d+\b",
    re.I,
)
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b(?:\s*(?:[ap]\.?m\.?|[A-Z]{2,5})\b)?", re.I)
_NOT_FIRST = frozenset({
    "published", "posted", "updated", "sent", "dated", "issue", "edition", "today", "today's",
    "this", "here", "good", "hello", "hi", "hey", "welcome", "dear", "happy", "in", "on", "by",
    "par", "von", "por", "from", "our", "your", "read", "view",
})  # fmt: skip
_NOT_LAST = frozenset({
    "on", "of", "for", "from", "the", "a", "an", "at", "in", "by", "to", "and", "am", "le", "la",
    "les", "du", "de", "des", "vom", "von", "im", "del", "el",
})  # fmt: skip
_ENDS_SENTENCE = re.compile(r"[.!?,;:…]$")


@dataclass(frozen=True, slots=True)
class Masthead:
    """What a digest's header says: the newsletter's ``name`` and the issue's date."""

    name: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class HeaderLine:
    """One line above a digest's first story: set as a headline, and shouted or emoji-led
    like a section banner ("MARKETS", "🛠 Tools")."""

    text: str
    headline: bool = False
    banner: bool = False


def header_lines(dropped: Sequence[Dropped]) -> list[HeaderLine]:
    """The first lines above a digest's first story, as the splitter left them out."""
    lines: list[HeaderLine] = []
    for item in dropped:
        block = item.block
        if item.rule is not Rule.MASTHEAD or block.kind is Kind.ROW:
            continue
        headline = block.kind is Kind.HEADING or headline_rank(block) is not None
        lines.append(HeaderLine(block.text, headline, banner_like(block)))
        if len(lines) >= _HEADER_BLOCKS:
            break
    return lines


def read_masthead(
    lines: Sequence[HeaderLine], page_title: str | None = None, *, dated: bool = False
) -> Masthead:
    """The name and date a digest's header gives.

    The date is the first one a header line writes; the name is what else that line says
    ("Analyst Weekly — 29 November 2026"), else the header's first line when it is set as a
    headline ("Analyst Weekly" over the date line; a banner-like one only over a date, since
    undated it is as likely a section's). The page's title counts when it carries a date, or
    when the header is dated ("JavaScript Weekly" over "#712 — December 1, 2026") or ``dated``
    says the issue has a date of its own: greetings, section banners and bylines further down
    never name the letter.
    """
    name: str | None = None
    published: datetime | None = None
    for line in lines:
        found = find_date(line.text)
        if found is not None:
            published = found.value
            name = _name(line.text[: found.start] + " | " + line.text[found.end :])
            break
    first = lines[0] if lines else None
    if (
        name is None
        and first is not None
        and first.headline
        and (published is not None or not first.banner)
        and find_date(first.text) is None
    ):
        name = _name(first.text, _STRONG_SEPARATORS)
    title = normalize_text(page_title or "")
    titled = find_date(title) if title else None
    if titled is not None:
        published = published or titled.value
        name = name or _name(title[: titled.start] + " | " + title[titled.end :])
    elif title and (published is not None or dated):
        name = name or _name(title)
    return Masthead(name, published)


def _name(text: str, separators: re.Pattern[str] | None = None) -> str | None:
    """The first part of a header line that reads as a publication's name."""
    text = _TIME.sub(" ", _ISSUE.sub(" ", text))
    for part in (separators or _SEPARATORS).split(text):
        part = normalize_text(part).strip(" -–—|·•()[]")
        if _name_like(part):
            return part
    return None


def _name_like(part: str) -> bool:
    words = part.split()
    return (
        0 < word_count(part) <= _NAME_WORDS
        and len(part) <= _NAME_CHARS
        and (part[0].isupper() or part[0].isdigit())
        and any(c.isalpha() for c in part)
        and not _ENDS_SENTENCE.search(part)
        and not is_furniture(part)
        and words[0].casefold().replace("’", "'") not in _NOT_FIRST
        and words[-1].casefold() not in _NOT_LAST
    )


def with_masthead(
    stories: Sequence[ParsedStory], masthead: Masthead, fallback_date: datetime | None = None
) -> list[ParsedStory]:
    """``stories`` under their digest's name, dated by it where they have no date of their own
    (else by ``fallback_date``, the page's own date)."""
    date = masthead.published or fallback_date
    return [
        replace(
            story,
            newsletter=story.newsletter or masthead.name,
            published=story.published or date,
        )
        for story in stories
    ]
