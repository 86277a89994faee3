"""What a response is (an RSS or Atom feed, a JSON Feed, or a page), and feeds into entries:
RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through feedparser, JSON Feed through ``jsonfeed``."""

from __future__ import annotations

import io
import re
import time
import xml.sax
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from reader._parse import normalize_text
from reader._sources import jsonfeed
from reader._sources.entries import (
    FeedEntry,
    ParsedFeed,
    RawEntry,
    build_entry,
    clean_title,
    fallback_key,
    text_to_html,
)
from reader.errors import FeedError

XML = "xml"
JSON = "json"
MAX_ENTRIES = 500
"""Entries read from one feed; the rest of a runaway feed is ignored."""
MAX_ENTITY_EXPANSION = 4 * 1024 * 1024
"""Bytes that declared XML entities may add to a document before it is refused."""

_XML_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "text/rss+xml",
        "text/atom+xml",
    }
)
_JSON_TYPES = frozenset({"application/feed+json", "application/json", "text/json"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!(?i:DOCTYPE)(?:[^>\[]|\[.*?\])*>)*<([A-Za-z_][\w.:-]*)", re.S
)
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+(?:%\s*)?([\w.:-]+)\s+(?:"([^"]*)"|'([^']*)')""")
_ENTITY_REF = re.compile(rb"&([\w.:-]+);")
_MAIL_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_NAME_MAIL = re.compile(r"^(.+?)\s*<\S+@\S+>$")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_MAX_ENTITY_DEPTH = 16
_SNIFF_BYTES = 4096


def feed_format(body: bytes, content_type: str | None) -> str | None:
    """``XML`` or ``JSON`` for a feed, None for anything else (a page to read as stories).

    The body decides before the content type: servers label feeds text/html and pages
    text/xml. A body labelled as a feed that looks like neither is still a feed, so that it
    fails as "not a valid feed" rather than as a page without a story.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    head = _head(body)
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        if mime in _JSON_TYPES or b"jsonfeed.org" in head:
            return JSON
        return None
    root = _ROOT.match(head)
    if root:
        name = root.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()
        if name in _FEED_ROOTS:
            return XML
        if name == "html":
            return None
    if mime in _XML_TYPES or (mime.endswith("+xml") and mime != "application/xhtml+xml"):
        return XML
    if mime == "application/feed+json":
        return JSON
    return None


def parse_feed(
    body: bytes,
    *,
    feed_url: str,
    base_url: str | None = None,
    content_type: str | None = None,
) -> ParsedFeed:
    """The feed in ``body``; FeedError with a one-line reason if it is not one.

    ``feed_url`` is the address subscribed to (it qualifies entry ids into story guids);
    ``base_url``, where the feed was finally fetched from, resolves relative links.
    """
    base = base_url or feed_url
    if not body.strip():
        raise FeedError("not a valid feed: the response is empty")
    if feed_format(body, content_type) == JSON:
        title, site_url, raws = jsonfeed.read(jsonfeed.load(body), base_url=base)
        kind = "jsonfeed"
    else:
        kind, title, site_url, raws = _read_xml(body, base, content_type)
    title = title or urlsplit(feed_url).hostname or feed_url
    entries = tuple(
        build_entry(raw, feed_url=feed_url, feed_title=title) for raw in raws[:MAX_ENTRIES]
    )
    return ParsedFeed(kind=kind, title=title, site_url=site_url, entries=entries)


def _read_xml(
    body: bytes, base_url: str, content_type: str | None
) -> tuple[str, str, str | None, list[RawEntry]]:
    _refuse_entity_bombs(body)
    # A BytesIO, never bytes or str: feedparser opens a str as a URL or a file name.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={
            "content-type": content_type or "application/xml",
            "content-location": base_url,
        },
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    entries = parsed.get("entries") or []
    version = str(parsed.get("version") or "")
    if not entries:
        if parsed.get("bozo"):
            raise FeedError(f"not a valid feed: {_bozo_reason(parsed.get('bozo_exception'))}")
        if not version:
            raise FeedError("not a valid feed: not RSS or Atom")
    feed = parsed.get("feed") or {}
    kind = "atom" if version.startswith("atom") else "rss"
    raws = [_raw_entry(entry) for entry in entries]
    return kind, clean_title(str(feed.get("title") or "")), feed.get("link") or None, raws


def _raw_entry(entry: Any) -> RawEntry:
    content = entry.get("content") or []
    chosen = next(
        (c for c in content if c.get("type") in ("text/html", "application/xhtml+xml")),
        content[0] if content else None,
    )
    if chosen is not None:
        html = _as_html(chosen.get("value") or "", chosen.get("type"))
    else:
        detail = entry.get("summary_detail") or {}
        html = _as_html(entry.get("summary") or "", detail.get("type"))
    title = clean_title(entry.get("title") or "")
    link = entry.get("link") or None
    tags = tuple(str(tag.get("label") or tag.get("term") or "") for tag in entry.get("tags") or [])
    return RawEntry(
        key=entry.get("id") or link or fallback_key(title, html),
        title=title,
        link=link if link and link.startswith(("http://", "https://")) else None,
        html=html,
        full=chosen is not None,
        author=_author(entry),
        published=_date(entry, "published_parsed", "updated_parsed", "created_parsed"),
        tags=tags,
    )


def _author(entry: Any) -> str | None:
    """The author's name. RSS writes "mail@host (Name)", and feedparser's own split of it
    cuts long top-level domains."""
    raw = normalize_text(str(entry.get("author") or ""))
    if "@" not in raw:
        return raw or (entry.get("author_detail") or {}).get("name") or None
    match = _MAIL_NAME.match(raw) or _NAME_MAIL.match(raw)
    return normalize_text(match.group(1)) if match else None


def _as_html(value: str, mime: str | None) -> str:
    return value if mime in (None, "text/html", "application/xhtml+xml") else text_to_html(value)


def _date(entry: Any, *keys: str) -> datetime | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except ValueError:
                continue
    return None


def _bozo_reason(error: object) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        line, column = error.getLineNumber(), error.getColumnNumber()
        return f"{error.getMessage()} at line {line}, column {column}"
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _refuse_entity_bombs(body: bytes) -> None:
    """Refuse a document whose declared entities would expand it past the limit.

    Expat limits amplification and feedparser drops entities that refer to others, but its
    fallback parser expands plain entities itself, so one long entity repeated a million
    times (the quadratic blowup) would fill memory. The billion laughs is refused too, so it
    fails with a reason instead of being read as a feed of unexpanded references.
    """
    first = _FIRST_ELEMENT.search(body)
    prolog = body[: first.start()] if first else body
    if b"<!ENTITY" not in prolog:
        return
    declared = {
        match.group(1): match.group(2) or match.group(3) or b""
        for match in _ENTITY_DECL.finditer(prolog)
    }
    sizes: dict[bytes, int] = {}

    def size(name: bytes, depth: int) -> int:
        if name not in sizes:
            if depth > _MAX_ENTITY_DEPTH:
                return MAX_ENTITY_EXPANSION + 1
            value = declared.get(name, b"")
            refs = _ENTITY_REF.findall(value)
            sizes[name] = len(value) + sum(size(ref, depth + 1) for ref in refs)
        return sizes[name]

    rest = body[len(prolog) :]
    expansion = 0
    for name in _ENTITY_REF.findall(rest):
        if name in declared:
            expansion += size(name, 0)
            if expansion > MAX_ENTITY_EXPANSION:
                raise FeedError("not a valid feed: its XML entities expand too far (refused)")


def _head(body: bytes) -> bytes:
    """The start of the body as ASCII-compatible bytes, whatever its byte-order mark."""
    head = body[: _SNIFF_BYTES * 2]
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, "ignore")
            return text.encode("utf-8", "ignore")[:_SNIFF_BYTES]
    return head[:_SNIFF_BYTES]


__all__ = ["JSON", "XML", "FeedEntry", "ParsedFeed", "feed_format", "parse_feed"]
