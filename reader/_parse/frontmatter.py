"""Front matter at the top of a Markdown or text file: a YAML block between ``---`` lines (or a
TOML one between ``+++`` lines) read into the story's title, date, address, source, byline
and tags. A block that cannot be read stays in the text, with a one-line reason why.

The YAML read is the flat subset note apps and static-site generators write (``key: value``,
quoted values, ``[a, b]`` and ``- item`` lists, ``|``/``>`` blocks); nested maps are skipped.
That is all the keys we use can hold, and it keeps YAML's surprises out ("title: No" stays a
title, not False), so no YAML library is needed; TOML is read by the standard library."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from reader._days import day_start
from reader._parse.dates import read_date
from reader._parse.text import normalize_text

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_MAX_LINES = 200
"""A closing fence further down than this is a horizontal rule, not the end of front matter."""
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w .-]*?)\s*:(?:\s+(?P<value>.*?))?\s*$")
_ITEM = re.compile(r"^\s*-(?:\s+(?P<value>.*?))?\s*$")
_MAX_TAG_CHARS = 64
_KEPT = "its lines are kept at the end of the text"

_TITLE_KEYS = ("title",)
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "publish_date", "published_at")
_URL_KEYS = ("url", "link", "source_url", "canonical_url", "original_url")
_SOURCE_KEYS = ("source", "publication", "publisher", "site_name", "site", "newsletter")
_AUTHOR_KEYS = ("author", "authors", "byline", "by")
_TAG_KEYS = ("tags", "tag", "keywords", "categories")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What a file's front matter says about its story; None where it says nothing."""

    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Split:
    """A file's text without its front matter. When the block could not be read, ``problem``
    says why in one line and ``body`` still holds every line of it."""

    body: str
    meta: FrontMatter | None = None
    """None when the file has no front matter or it could not be read."""
    problem: str | None = None


class _Unreadable(ValueError):
    """Front matter that is not the YAML or TOML we read."""


def split_front_matter(text: str) -> Split:
    """``text`` with a leading front matter block taken off and read."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() not in _FENCES:
        return Split(text)
    fence = lines[first].strip()
    end = next(
        (
            i
            for i in range(first + 1, min(len(lines), first + 1 + _MAX_LINES))
            if lines[i].strip() in _FENCES[fence]
        ),
        None,
    )
    if end is None:
        if fence != "---" or not _KEY.match(next((x for x in lines[first + 1 :] if x.strip()), "")):
            return Split(text)
        # Unclosed: the block is taken to end at the first blank line, and kept as text.
        stop = next((i for i in range(first + 1, len(lines)) if not lines[i].strip()), len(lines))
        kept = "\n".join([*lines[:first], *lines[stop:], "", *lines[first + 1 : stop], ""])
        return Split(kept, problem=f"front matter has no closing --- line; {_KEPT}")
    block = lines[first + 1 : end]
    rest = "\n".join(lines[end + 1 :])
    if not any(line.strip() for line in block):
        return Split(rest)
    try:
        fields = _toml(block) if fence == "+++" else _yaml(block)
    except _Unreadable as err:
        if fence == "---" and not _KEY.match(next(x for x in block if x.strip())):
            return Split(text)  # a horizontal rule above the first paragraph, not front matter
        # The block's lines are kept as a paragraph at the end of the text: at the top a
        # digest would take them for its masthead and a story for its title.
        kept = "\n".join([*lines[:first], *lines[end + 1 :], "", *block, ""])
        return Split(kept, problem=f"front matter not read ({err}); {_KEPT}")
    return Split(rest, _front_matter(fields))


# -- reading the block ------------------------------------------------------------------------


def _toml(block: list[str]) -> dict[str, object]:
    try:
        return tomllib.loads("\n".join(block))
    except tomllib.TOMLDecodeError as err:
        raise _Unreadable(" ".join(str(err).split())) from err


def _yaml(block: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    key: str | None = None
    folded: list[str] | None = None  # the lines of a | or > block scalar
    style = ""
    for number, line in enumerate(block, start=1):
        if folded is not None and key is not None:
            if not line.strip() or line[:1].isspace():
                folded.append(line.strip())
                fields[key] = ("\n" if style == "|" else " ").join(folded).strip()
                continue
            folded = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and key is not None and isinstance(fields.get(key), list):
            values = fields[key]
            assert isinstance(values, list)
            values.append(_scalar(item.group("value") or "", number))
            continue
        if line[:1].isspace():
            if key is not None and fields.get(key) == []:
                fields[key] = None  # a nested map under the key: not one we read
            if key is not None and fields.get(key) is None:
                continue
            raise _Unreadable(f"line {number} is indented under a value")
        found = _KEY.match(line)
        if found is None:
            raise _Unreadable(f"line {number} is not “key: value”")
        key = found.group("key").strip().casefold().replace("-", "_").replace(" ", "_")
        value = found.group("value") or ""
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            style, folded = value[0], []
            fields[key] = ""
        elif not value:
            fields[key] = []  # a list or a nested map follows, or nothing at all
        else:
            fields[key] = _value(value, number)
    return fields


def _value(raw: str, number: int) -> object:
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        return [_scalar(part, number) for part in _split_flow(inner)] if inner else []
    return _scalar(raw, number)


def _split_flow(inner: str) -> list[str]:
    """``a, "b, c", d`` split at the commas outside quotes."""
    parts: list[str] = []
    current = ""
    quote = ""
    for ch in inner:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ",":
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _scalar(raw: str, number: int) -> str:
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        if len(raw) < 2 or raw[-1] != quote:
            raise _Unreadable(f"line {number} opens a quote it does not close")
        inner = raw[1:-1]
        return inner.replace("''", "'") if quote == "'" else inner.replace('\\"', '"')
    # An unquoted value ends at a comment.
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


# -- what the fields say ----------------------------------------------------------------------


def _front_matter(fields: dict[str, object]) -> FrontMatter:
    fields = {k.casefold().replace("-", "_"): v for k, v in fields.items()}
    source = _text(_first(fields, _SOURCE_KEYS))
    url = _url(_first(fields, _URL_KEYS))
    if source and _url(source):
        # Web clippers write the page's address as its "source".
        url, source = url or _url(source), None
    return FrontMatter(
        title=_text(_first(fields, _TITLE_KEYS)),
        published=_date(_first(fields, _DATE_KEYS)),
        url=url,
        source=source,
        byline=_names(_first(fields, _AUTHOR_KEYS)),
        tags=_tags(_first(fields, _TAG_KEYS)),
    )


def _first(fields: dict[str, object], keys: tuple[str, ...]) -> object:
    return next((fields[k] for k in keys if fields.get(k) not in (None, "", [])), None)


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, dict):
        return None
    # Obsidian writes links to notes as [[Name]].
    text = normalize_text(str(value).replace("[[", "").replace("]]", ""))
    return text or None


def _names(value: object) -> str | None:
    if isinstance(value, list):
        names = [name for name in (_text(v) for v in value) if name]
        return ", ".join(names) or None
    return _text(value)


def _url(value: object) -> str | None:
    text = _text(value)
    return text if text and re.match(r"^https?://\S+$", text, re.I) else None


def _date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return day_start(value)
    text = _text(value)
    return read_date(text) if text else None


def _tags(value: object) -> tuple[str, ...]:
    raw = value if isinstance(value, list) else str(value or "").split(",")
    names: dict[str, str] = {}
    for item in raw:
        name = (_text(item) or "").lstrip("#").strip()[:_MAX_TAG_CHARS]
        if name:
            names.setdefault(name.casefold(), name)
    return tuple(names.values())
