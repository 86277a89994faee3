"""The only module that touches BeautifulSoup: parses HTML with lxml, reads page metadata,
removes page furniture and flattens the rest into a block stream."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from reader.parse.blocks import Block, Kind, Run, is_furniture, strip_bullet
from reader.parse.text import normalize_text

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = _HEADINGS | {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
    "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "picture", "img", "map", "button", "select", "input",
    "textarea", "label", "nav", "aside", "footer", "head", "dialog",
}  # fmt: skip
_JUNK_TOKENS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "share", "sharing",
    "social", "comment", "comments", "related", "recommended", "sidebar", "footer", "advert",
    "advertisement", "ad", "ads", "sponsor", "sponsored", "promo", "cookie", "cookies",
    "popup", "modal", "subscribe", "signup", "byline", "dateline", "toolbar", "outbrain",
    "taboola", "preheader", "skip",
}  # fmt: skip
_SPONSOR_TOKENS = {"sponsor", "sponsored", "advert", "advertisement", "ad", "ads", "promo"}
_KEEP_TAGS = {"html", "body", "main"}
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.I)
_NORMAL_STYLE = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)\b", re.I)
_BULLET_LINE = re.compile(r"\n[^\S\n]*(?=[•◦▪‣·])")
_LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Metadata as the page spells it; article.py decides what it means."""

    title: str | None = None
    h1: str | None = None
    metas: dict[str, str] = field(default_factory=dict)
    json_ld: tuple[dict[str, object], ...] = ()
    time_datetime: str | None = None
    byline: str | None = None
    language: str | None = None
    canonical: str | None = None


def _parse_html(text: str) -> BeautifulSoup:
    # Input is whatever a file or server handed us: a page that looks like a URL or XML is
    # still a page, so bs4's advice about it is noise. Silenced per call, not globally.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


class HtmlPage:
    """One parsed page. Metadata is read first; then furniture is removed for good."""

    def __init__(self, text: str, base_url: str | None = None) -> None:
        self._base_url = base_url
        self._soup = _parse_html(text)
        self.meta = _read_meta(self._soup)
        _remove_junk(self._soup)

    def blocks(self) -> list[Block]:
        """The whole page as blocks."""
        return _Walker(self._base_url).walk(self._soup)

    def main_blocks(self) -> list[Block]:
        """The blocks of the main container: the biggest <article>, or the element with the
        most paragraph text."""
        return _Walker(self._base_url).walk(_main_container(self._soup))


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _text(tag: Tag) -> str:
    return normalize_text(tag.get_text(" "))


def _read_meta(soup: BeautifulSoup) -> PageMeta:
    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (_attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")).lower()
        content = normalize_text(_attr(tag, "content"))
        if key and content:
            metas.setdefault(key, content)
    title = soup.find("title")
    h1 = soup.find("h1")
    html = soup.find("html")
    canonical = soup.find("link", rel="canonical")
    language = _attr(html, "lang") if isinstance(html, Tag) else ""
    return PageMeta(
        title=_text(title) if isinstance(title, Tag) else None,
        h1=_text(h1) if isinstance(h1, Tag) else None,
        metas=metas,
        json_ld=tuple(_json_ld(soup)),
        time_datetime=_first_time(soup),
        byline=_byline(soup),
        language=normalize_text(language) or metas.get("content-language"),
        canonical=(_attr(canonical, "href") or None) if isinstance(canonical, Tag) else None,
    )


def _json_ld(soup: BeautifulSoup) -> list[dict[str, object]]:
    objects: list[dict[str, object]] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.get_text())
        except (ValueError, RecursionError):
            continue
        pending = data if isinstance(data, list) else [data]
        for item in pending:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(g for g in graph if isinstance(g, dict))
    return objects


def _first_time(soup: BeautifulSoup) -> str | None:
    scope = soup.find("article") or soup
    for tag in scope.find_all("time"):
        if _attr(tag, "datetime"):
            return _attr(tag, "datetime")
    return None


def _byline(soup: BeautifulSoup) -> str | None:
    for tag in soup.find_all(True):
        rel = _attr(tag, "rel").lower().split()
        tokens = _tokens(tag)
        if "author" in rel or _attr(tag, "itemprop") == "author" or "byline" in tokens:
            text = _text(tag)
            if text:
                return text
    return None


def _tokens(tag: Tag) -> set[str]:
    names = f"{_attr(tag, 'class')} {_attr(tag, 'id')}".lower()
    return set(_TOKEN_SPLIT.split(names)) - {""}


_HOLDERS = {"p", "li", "td", "th", "dd", "blockquote"}
_HIDDEN_TEXT = {"script", "style", "template", "noscript"}
_HAS_H1, _HAS_HEADING, _HAS_MAIN = 1, 2, 4
_FLAGS = {"h1": _HAS_H1 | _HAS_HEADING, "h2": _HAS_HEADING, "h3": _HAS_HEADING, "main": _HAS_MAIN}


@dataclass(slots=True)
class _Sizes:
    """Per element id: visible characters, characters inside <p>, and which landmarks it
    contains. Measured in one bottom-up pass so no decision rescans a subtree: deeply
    nested hostile markup would otherwise cost quadratic time."""

    chars: dict[int, int] = field(default_factory=dict)
    p_chars: dict[int, int] = field(default_factory=dict)
    flags: dict[int, int] = field(default_factory=dict)


def _measure(root: Tag) -> _Sizes:
    sizes = _Sizes()
    stack: list[tuple[Tag, bool]] = [(root, False)]
    while stack:
        tag, measured_children = stack.pop()
        if not measured_children:
            stack.append((tag, True))
            stack.extend((child, False) for child in tag.contents if isinstance(child, Tag))
            continue
        chars = p_chars = flags = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                key = id(child)
                chars += sizes.chars[key]
                p_chars += sizes.p_chars[key]
                flags |= sizes.flags[key] | _FLAGS.get(child.name, 0)
            elif (
                isinstance(child, NavigableString)
                and not isinstance(child, PreformattedString)
                and tag.name not in _HIDDEN_TEXT
            ):
                chars += len("".join(child.split()))
        key = id(tag)
        sizes.chars[key] = chars
        sizes.p_chars[key] = chars if tag.name == "p" else p_chars
        sizes.flags[key] = flags
    return sizes


def _remove_junk(soup: BeautifulSoup) -> None:
    sizes = _measure(soup)
    body = soup.find("body")
    page_chars = sizes.chars[id(body if isinstance(body, Tag) else soup)]
    doomed: list[Tag] = []
    # Each pending tag carries the size of its nearest paragraph-like ancestor, if any.
    stack: list[tuple[Tag, int | None]] = [(soup, None)]
    while stack:
        tag, holder = stack.pop()
        if _is_junk(tag, sizes, page_chars, holder):
            doomed.append(tag)
            continue
        if tag.name in _HOLDERS:
            holder = sizes.chars[id(tag)]
        stack.extend((child, holder) for child in tag.contents if isinstance(child, Tag))
    for tag in doomed:
        tag.decompose()


def _is_junk(tag: Tag, sizes: _Sizes, page_chars: int, holder: int | None) -> bool:
    name = tag.name
    chars, flags = sizes.chars[id(tag)], sizes.flags[id(tag)]
    if name in _DROP_TAGS:
        return True
    if tag.has_attr("hidden") or _HIDDEN_STYLE.search(_attr(tag, "style")):
        return True
    if name == "header":
        return not flags & _HAS_HEADING
    if name == "time":
        # A date standing on its own line is a dateline; one inside a sentence is text.
        return holder is None or holder == chars
    if name in _KEEP_TAGS:
        return False
    hits = _tokens(tag) & (_SPONSOR_TOKENS if name == "article" else _JUNK_TOKENS)
    if not hits or flags & (_HAS_H1 | _HAS_MAIN):
        return False
    # A wrapper named "page-with-sidebar" holds the story: never drop most of the page.
    return chars * 2 < page_chars


def _main_container(soup: BeautifulSoup) -> Tag:
    body = soup.find("body")
    root = body if isinstance(body, Tag) else soup
    sizes = _measure(root)
    total = sizes.p_chars[id(root)]
    if not total:
        return root
    best = max(root.find_all("article"), key=lambda a: sizes.p_chars[id(a)], default=None)
    if best is not None and sizes.p_chars[id(best)] * 5 >= total * 2:
        return best
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for p in root.find_all("p"):
        parent, chars = p.parent, sizes.chars[id(p)]
        for weight in (1.0, 0.5):
            if not isinstance(parent, Tag):
                break
            scores[id(parent)] = scores.get(id(parent), 0.0) + chars * weight
            elements[id(parent)] = parent
            parent = parent.parent
    return elements[max(scores, key=lambda key: scores[key])]


@dataclass(frozen=True, slots=True)
class _Ctx:
    kind: Kind = Kind.PARA
    level: int = 0
    bold: bool = False
    italic: bool = False
    href: str | None = None


class _Walker:
    """Flattens a tree into blocks without recursion, so no nesting depth can overflow."""

    def __init__(self, base_url: str | None) -> None:
        self._base_url = base_url
        self._blocks: list[Block] = []
        self._runs: list[Run] = []
        self._kind = Kind.PARA
        self._level = 0

    def walk(self, root: Tag) -> list[Block]:
        stack: list[tuple[PageElement, _Ctx] | Tag] = [(root, _Ctx())]
        while stack:
            item = stack.pop()
            if isinstance(item, Tag):
                self._flush()
                continue
            node, ctx = item
            if isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):
                    self._text(str(node), ctx)
            elif isinstance(node, Tag):
                self._enter(node, ctx, stack)
        self._flush()
        return self._blocks

    def _enter(self, tag: Tag, ctx: _Ctx, stack: list[tuple[PageElement, _Ctx] | Tag]) -> None:
        name = tag.name
        if name in ("br", "hr"):
            self._flush()
            if name == "hr":
                self._blocks.append(Block(Kind.RULE, ""))
            return
        inner = self._context(tag, ctx)
        if name == "a" and is_furniture(_text(tag)):
            self._flush()
            self._blocks.append(Block(Kind.MORE, _text(tag), href=inner.href))
            return
        if name in _BLOCK_TAGS:
            self._flush()
            stack.append(tag)
        stack.extend((child, inner) for child in reversed(tag.contents))

    def _context(self, tag: Tag, ctx: _Ctx) -> _Ctx:
        name = tag.name
        kind, level, bold, italic, href = ctx.kind, ctx.level, ctx.bold, ctx.italic, ctx.href
        if name == "li":
            kind = Kind.BULLET
        elif name in _HEADINGS:
            kind, level = Kind.HEADING, int(name[1])
        if name in ("b", "strong", "th"):
            bold = True
        style = _attr(tag, "style")
        if _BOLD_STYLE.search(style):
            bold = True
        elif _NORMAL_STYLE.search(style):
            bold = False
        if name in ("i", "em"):
            italic = True
        if name == "a":
            href = self._link(_attr(tag, "href"))
        return _Ctx(kind, level, bold, italic, href)

    def _link(self, href: str) -> str | None:
        href = href.strip()
        if not href:
            return None
        if self._base_url:
            href = urljoin(self._base_url, href)
        try:
            scheme = urlsplit(href).scheme
        except ValueError:
            return None
        return href if scheme in _LINK_SCHEMES else None

    def _text(self, text: str, ctx: _Ctx) -> None:
        for i, piece in enumerate(_BULLET_LINE.split(text)):
            if i:
                self._flush()
            if piece.strip() and not any(r.text.strip() for r in self._runs):
                self._kind, self._level = ctx.kind, ctx.level
            self._runs.append(Run(piece, ctx.bold, ctx.italic, ctx.href))

    def _flush(self) -> None:
        runs, self._runs = tuple(self._runs), []
        text = normalize_text("".join(r.text for r in runs))
        if not text:
            return
        kind = self._kind
        if kind in (Kind.PARA, Kind.BULLET):
            item = strip_bullet(text)
            if item is not None:
                if not item:
                    return
                kind, text, runs = Kind.BULLET, item, _without_mark(runs)
        self._blocks.append(Block(kind, text, self._level if kind is Kind.HEADING else 0, runs))


def _without_mark(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Drop the bullet mark that opens the first non-blank run."""
    out = list(runs)
    for i, run in enumerate(out):
        if run.text.strip():
            stripped = run.text.lstrip()[1:]
            out[i] = Run(stripped, run.bold, run.italic, run.href)
            break
    return tuple(out)
