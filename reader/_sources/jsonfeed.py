"""JSON Feed 1 and 1.1 (https://jsonfeed.org), which feedparser does not read: plain JSON mapped
onto the same entries as RSS and Atom. Every field is checked, since the JSON is someone else's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from reader._sources.entries import RawEntry, clean_title, fallback_key, text_to_html
from reader.errors import FeedError

VERSION_PREFIX = "https://jsonfeed.org/version/"


def is_json_feed(data: Any) -> bool:
    version = data.get("version") if isinstance(data, dict) else None
    return isinstance(version, str) and "jsonfeed.org" in version


def load(body: bytes) -> dict[str, Any]:
    """The feed object; FeedError unless ``body`` is a JSON Feed."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise FeedError(f"not a valid feed: JSON that is not UTF-8 ({err.reason})") from err
    except json.JSONDecodeError as err:
        raise FeedError(
            f"not a valid feed: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from err
    except RecursionError as err:
        raise FeedError("not a valid feed: JSON nested too deeply") from err
    if not is_json_feed(data):
        raise FeedError("not a valid feed: JSON without a jsonfeed.org version")
    assert isinstance(data, dict)
    return data


def read(data: dict[str, Any], *, base_url: str) -> tuple[str, str | None, list[RawEntry]]:
    """The feed's title, home page and entries; relative URLs resolve against ``base_url``."""
    title = clean_title(_str(data.get("title")))
    home = _url(data.get("home_page_url"), base_url)
    feed_author = _author(data)
    items = data.get("items")
    entries = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            entry = _entry(item, base_url, feed_author)
            if entry is not None:
                entries.append(entry)
    return title, home, entries


def _entry(item: dict[str, Any], base_url: str, feed_author: str | None) -> RawEntry | None:
    raw_id = item.get("id")
    link = _url(item.get("url"), base_url) or _url(item.get("external_url"), base_url)
    key = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else link
    content_html = _str(item.get("content_html"))
    content_text = _str(item.get("content_text"))
    summary = _str(item.get("summary"))
    if content_html:
        html, full = content_html, True
    elif content_text:
        html, full = text_to_html(content_text), True
    else:
        html, full = text_to_html(summary), False
    title = clean_title(_str(item.get("title")))
    if key is None:
        if not (title or html):
            return None
        key = fallback_key(title, html)
    tags = item.get("tags")
    return RawEntry(
        key=key,
        title=title,
        link=link,
        html=html,
        full=full,
        author=_author(item) or feed_author,
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
    )


def _author(obj: dict[str, Any]) -> str | None:
    """Version 1.1's ``authors`` list, else version 1's ``author`` object."""
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")]
    names = [a["name"].strip() for a in authors if isinstance(a, dict) and _str(a.get("name"))]
    return ", ".join(names[:5]) or None


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _url(value: object, base_url: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base_url, value.strip())
    return url if url.startswith(("http://", "https://")) else None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
