"""What an HTML page says about itself (title, byline, date, language, address) and the
single-article reading of a page that is not a digest."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from reader.model import ParsedStory
from reader.parse.blocks import Block, Kind, word_count
from reader.parse.digest import clean_blocks, single_story
from reader.parse.html import HtmlPage, PageMeta
from reader.parse.text import normalize_text

_TITLE_SEPARATOR = re.compile(r"\s+(?:[|·•»–—:]|-|::)\s+")
_SITE_SUFFIX_WORDS = 4
_BY = re.compile(r"^by\s+", re.I)
_BYLINE_END = re.compile(r"\s+(?:[|·•—]|-)\s+")
_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dcterms.created",
)
# A link-only line this short inside the body is a "related story", not text.
_LINK_LINE_WORDS = 15


@dataclass(frozen=True, slots=True)
class PageDetails:
    byline: str | None
    published: datetime | None
    language: str | None
    url: str | None
    site: str | None


def page_details(meta: PageMeta, url: str | None) -> PageDetails:
    return PageDetails(
        _byline(meta), _published(meta), _language(meta), _address(meta, url), _site(meta)
    )


def read_article(page: HtmlPage, details: PageDetails) -> ParsedStory | None:
    """The page as one article: its main container's text under the page's title."""
    title = _title(page.meta)
    body = [b for b in clean_blocks(page.main_blocks()) if not _furniture(b, details)]
    if title is None:
        story = single_story(body)
    else:
        if body and body[0].kind is Kind.HEADING and (body[0].level == 1 or body[0].text == title):
            body = body[1:]
        story = single_story(body, title)
    if story is None:
        return None
    # The page's own address beats any "Read more" link inside an article.
    return replace(
        story,
        url=details.url or story.url,
        byline=details.byline,
        published=details.published,
        language=details.language,
        source=story.source or details.site,
    )


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 date, timezone-aware (UTC when the page gives no zone)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _furniture(block: Block, details: PageDetails) -> bool:
    if details.byline and block.text in (details.byline, f"By {details.byline}"):
        return True
    if _BY.match(block.text) and word_count(block.text) <= 8:
        return True
    linked = [r for r in block.runs if r.text.strip()]
    return (
        block.kind in (Kind.PARA, Kind.BULLET)
        and bool(linked)
        and all(r.href for r in linked)
        and word_count(block.text) <= _LINK_LINE_WORDS
    )


def _title(meta: PageMeta) -> str | None:
    for candidate in (meta.metas.get("og:title"), _ld_string(meta, "headline"), meta.h1):
        if candidate:
            return candidate
    if not meta.title:
        return None
    parts = _TITLE_SEPARATOR.split(meta.title)
    site = meta.metas.get("og:site_name")
    while len(parts) > 1 and (parts[-1] == site or word_count(parts[-1]) <= _SITE_SUFFIX_WORDS):
        parts.pop()
    return normalize_text(" - ".join(parts)) or None


def _byline(meta: PageMeta) -> str | None:
    author = meta.metas.get("author")
    if author and "://" not in author:
        return _clean_byline(author)
    names = [name for obj in meta.json_ld for name in _ld_names(obj.get("author"))]
    if names:
        return ", ".join(dict.fromkeys(names))
    return _clean_byline(meta.byline) if meta.byline else None


def _clean_byline(text: str) -> str | None:
    return normalize_text(_BYLINE_END.split(_BY.sub("", text), maxsplit=1)[0]) or None


def _ld_names(value: object, depth: int = 0) -> list[str]:
    # Authors nest at most a level or two; the bound keeps hostile JSON from recursing.
    if depth > 3:
        return []
    if isinstance(value, str):
        return [normalize_text(value)] if normalize_text(value) else []
    if isinstance(value, dict):
        return _ld_names(value.get("name"), depth + 1)
    if isinstance(value, list):
        return [name for item in value[:10] for name in _ld_names(item, depth + 1)]
    return []


def _site(meta: PageMeta) -> str | None:
    """The publication: og:site_name, else the JSON-LD publisher, else application-name."""
    site = meta.metas.get("og:site_name")
    if site and normalize_text(site):
        return normalize_text(site)
    for obj in meta.json_ld:
        names = _ld_names(obj.get("publisher"))
        if names:
            return names[0]
    name = meta.metas.get("application-name")
    return normalize_text(name) if name and normalize_text(name) else None


def _ld_string(meta: PageMeta, key: str) -> str | None:
    for obj in meta.json_ld:
        value = obj.get(key)
        if isinstance(value, str) and normalize_text(value):
            return normalize_text(value)
    return None


def _published(meta: PageMeta) -> datetime | None:
    values = [meta.metas.get(name) for name in _DATE_METAS[:2]]
    values += [_ld_string(meta, "datePublished")]
    values += [meta.metas.get(name) for name in _DATE_METAS[2:]]
    values += [meta.time_datetime]
    for value in values:
        parsed = parse_date(value) if value else None
        if parsed:
            return parsed
    return None


def _language(meta: PageMeta) -> str | None:
    value = normalize_text(meta.language or "").replace("_", "-")
    return value or None


def _address(meta: PageMeta, url: str | None) -> str | None:
    for candidate in (meta.canonical, meta.metas.get("og:url"), url):
        if candidate and candidate.startswith(("http://", "https://")):
            return candidate
    return None
