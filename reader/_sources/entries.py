"""Feed entries into stories: the entry's content goes through the same HTML reader as a page,
so an entry that is itself a digest splits into its stories, and the entry's own title, link,
date and author win over what the reader guessed."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, replace
from datetime import datetime

from reader._parse import normalize_text, parse_bytes, title_from
from reader.errors import ParseError
from reader.model import ParsedStory, Section

SHORT_SUMMARY_WORDS = 150
"""A summary-only entry shorter than this is worth replacing by the article it links to."""

_TAG = re.compile(r"<[^>]*>")
_MAX_TAGS = 20
_MAX_TAG_CHARS = 60


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One feed entry as RSS, Atom or JSON Feed gave it. ``full`` is True when ``html`` is
    the entry's content rather than only its summary."""

    key: str
    title: str
    link: str | None
    html: str
    full: bool
    author: str | None = None
    published: datetime | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """An entry's stories (several when the entry is a digest), ready to store."""

    key: str
    link: str | None
    stories: tuple[ParsedStory, ...]
    tags: tuple[str, ...] = ()
    summary_only: bool = False


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed: ``kind`` is "rss", "atom" or "jsonfeed"."""

    kind: str
    title: str
    site_url: str | None
    entries: tuple[FeedEntry, ...]


def entry_guid(feed_url: str, key: str) -> str:
    """A story guid for an entry: entry ids are only unique within their feed."""
    return f"{feed_url} {key}"


def build_entry(raw: RawEntry, *, feed_url: str, feed_title: str) -> FeedEntry:
    guid = entry_guid(feed_url, raw.key)
    stories = _read_content(raw)
    if len(stories) > 1:
        # A digest: each story keeps its own link (two parts sharing the entry's link would
        # look like duplicates of each other).
        parts = tuple(
            replace(
                story,
                guid=f"{guid} #{number}",
                published=story.published or raw.published,
                source=story.source or feed_title,
            )
            for number, story in enumerate(stories, 1)
        )
    else:
        story = stories[0] if stories else _fallback(raw)
        parts = (_with_entry_details(story, raw, guid, feed_title),)
    words = len(_TAG.sub(" ", raw.html).split())
    return FeedEntry(
        key=raw.key,
        link=raw.link,
        stories=parts,
        tags=clean_tags(raw.tags),
        summary_only=not raw.full and raw.link is not None and words < SHORT_SUMMARY_WORDS,
    )


def _with_entry_details(
    story: ParsedStory, raw: RawEntry, guid: str, feed_title: str
) -> ParsedStory:
    """``story`` under the entry's title, link, guid, author and date."""
    return replace(
        story,
        title=raw.title or story.title,
        url=raw.link or story.url,
        guid=guid,
        byline=raw.author or story.byline,
        published=raw.published or story.published,
        source=story.source or feed_title,
    )


def clean_title(value: str) -> str:
    """A title without markup or entities; feeds put both in titles."""
    return normalize_text(html.unescape(_TAG.sub(" ", value)))


def clean_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = (normalize_text(tag)[:_MAX_TAG_CHARS] for tag in tags)
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))[:_MAX_TAGS]


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs, one per blank-line-separated block."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def fallback_key(title: str, body: str) -> str:
    """A stable key for an entry that has neither an id nor a link."""
    return "sha1:" + hashlib.sha1(f"{title}\n{body[:500]}".encode()).hexdigest()[:20]


def _read_content(raw: RawEntry) -> list[ParsedStory]:
    if not raw.html.strip():
        return []
    # og:title is taken verbatim by the article reader, where <title> loses a " - Part 2".
    page = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<meta property="og:title" content="{html.escape(raw.title)}">'
        f"</head><body><article>{raw.html}</article></body></html>"
    )
    try:
        return parse_bytes(
            page.encode("utf-8"), content_type="text/html; charset=utf-8", url=raw.link
        )
    except ParseError:
        return []


def _fallback(raw: RawEntry) -> ParsedStory:
    """An entry with no readable content: its summary text, else its title, as one paragraph."""
    text = normalize_text(html.unescape(_TAG.sub(" ", raw.html))) or raw.title or raw.link or ""
    title = raw.title or title_from(text) or "(untitled)"
    paragraph = text or title
    return ParsedStory(
        title=title,
        sections=(Section(None, (paragraph,)),),
        html=f"<h2>{html.escape(title)}</h2><p>{html.escape(paragraph)}</p>",
    )
