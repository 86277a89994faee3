"""OPML subscription lists: reading the feeds out of nested outlines, and writing OPML 2.0.

The reader uses the stdlib's expat, which never fetches external entities and limits entity
amplification; entity declarations, which no subscription list needs, are refused outright.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import IO

from reader.errors import ParseError
from reader.model import Subscription

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    site_url: str | None = None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an http(s) ``xmlUrl``, at any depth, once each, in document order."""
    if len(data) > MAX_OPML_BYTES:
        raise ParseError(f"OPML file is too large (limit {MAX_OPML_BYTES // (1024 * 1024)} MB)")
    if b"<!ENTITY" in data:
        raise ParseError("not a valid OPML file: entity declarations are refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise ParseError(f"not a valid OPML file: {err}") from err
    if root.tag.lower() != "opml":
        raise ParseError(f"not an OPML file (its root element is <{root.tag}>)")
    feeds: dict[str, OpmlFeed] = {}
    for outline in root.iter("outline"):
        attrs = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        url = attrs.get("xmlurl", "")
        if not url.lower().startswith(("http://", "https://")) or url in feeds:
            continue
        title = attrs.get("title") or attrs.get("text") or url
        feeds[url] = OpmlFeed(url=url, title=title, site_url=attrs.get("htmlurl") or None)
    return list(feeds.values())


def write_opml(subscriptions: Iterable[Subscription], out: IO[str]) -> int:
    """Write OPML 2.0 listing the subscriptions; returns how many."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Story Reader subscriptions"
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ET.SubElement(root, "body")
    count = 0
    for sub in subscriptions:
        attrs = {"type": "rss", "text": sub.title, "title": sub.title, "xmlUrl": sub.url}
        if sub.site_url:
            attrs["htmlUrl"] = sub.site_url
        ET.SubElement(body, "outline", attrs)
        count += 1
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
    return count
