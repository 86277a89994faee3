"""The only module that touches BeautifulSoup: parses HTML with lxml, reads page metadata,
removes page furniture, finds an article's main container and flattens it into a block stream."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from reader._parse.blocks import Block, Kind, Run, is_furniture, strip_bullet
from reader._parse.text import normalize_text

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
    "taboola", "preheader", "skip", "newsletter", "trending", "sns", "bio", "autor",
}  # fmt: skip
# The same furniture as sites in other languages name it in their markup: sharing,
# comments, related stories and ads in French, German, Spanish, Portuguese, Czech and
# the pinyin or romaji of Chinese and Japanese sites.
_FOREIGN_JUNK_TOKENS = {
    "partage", "partager", "commentaires", "pub", "publicite",
    "teilen", "kommentar", "kommentare", "anzeige", "werbung",
    "compartir", "comentarios", "publicidad", "relacionadas", "relacionados",
    "compartilhe", "compartilhar", "publicidade",
    "sdileni", "diskuse", "reklama", "souvisejici",
    "fenxiang", "pinglun", "guanggao", "xgxw", "xiangguan", "kanren", "osusume",
}  # fmt: skip
_SPONSOR_TOKENS = {
    "sponsor", "sponsored", "advert", "advertisement", "ad", "ads", "promo",
    "pub", "publicite", "anzeige", "werbung", "publicidad", "publicidade", "reklama", "guanggao",
}  # fmt: skip
# Images that are page furniture, never the story's lead image.
_NOT_LEAD_IMAGE = {
    "logo", "avatar", "icon", "sprite", "pixel", "tracking", "spinner", "badge", "emoji",
} | _SPONSOR_TOKENS  # fmt: skip
# Lazy-loading scripts keep the real address in one of these; ``src`` holds a placeholder.
_IMAGE_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_TINY_IMAGE_PX = 50
_IMAGES_SEARCHED = 50
_IMAGE_BOX_CLIMB = 8
# Inside the main container: a box whose text is mostly links (share bar, "read also",
# tag list) is furniture in any language, and so is the short text beside an image.
_INLINE_TAGS = {
    "a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "strong", "sub",
    "sup", "time", "u",
}  # fmt: skip
_TEXT_TAGS = _HEADINGS | {"p", "li", "dd", "dt", "td", "th"}
_CAPTION_CHARS = 200
_LEAD_IN_CHARS = 20
_KEEP_TAGS = {"html", "body", "main"}
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.I)
_NORMAL_STYLE = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)\b", re.I)
_BULLET_LINE = re.compile(r"\n[^\S\n]*(?=[•◦▪‣·])")
_FONT_SIZE = re.compile(r"font-size\s*:\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>px|pt|em|rem)\b", re.I)
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}
# What Outlook's conditional comments leave as text when a parser splits them oddly.
_CONDITIONAL = re.compile(r"<?!?\[(?:if [^\]]*|endif)\]>?(?:<!)?-*>?", re.I)
# Layout containers: a block's chain of these tells which e-mail module it belongs to.
_BOXES = {"table", "td", "th", "div", "section", "article", "center", "aside", "header"}
# A data table: every row a few short cells, no nested layout inside the cells.
_TABLE_MAX_CELL_WORDS = 30
_TABLE_MEAN_CELL_WORDS = 8
_CELL_BLOCKS = {"table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
# A cell may wrap its text in one paragraph (beehiiv does); two make it a layout cell.
_CELL_PARAGRAPHS = 1
_LINK_SCHEMES = {"http", "https", "mailto"}
_MAIL_TABLES = 3
# What only e-mail carries: Outlook's conditional comments, Apple's reformatting switch,
# a preheader, an unsubscribe link. A page with any of them was written for an inbox.
_MAIL_SIGNS = re.compile(
    r"\[if (?:gte |lt |!)?mso|x-apple-disable-message-reformatting|class=[\"'][^\"']*preheader"
    r"|unsubscribe|list-manage\.com|\{\{\s*unsubscribe|\*\|UNSUB\|\*",
    re.I,
)


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
    image: str | None = None  # the first content image's address, as the page spells it


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
        # E-mail is laid out in tables; a web article rarely nests more than one or two.
        self.mail_like = (
            len(self._soup.find_all("table", limit=_MAIL_TABLES)) >= _MAIL_TABLES
            or _MAIL_SIGNS.search(text) is not None
        )
        # Images go with the junk; which boxes held one must be known to spot captions.
        self._image_boxes = _image_boxes(self._soup)
        _remove_junk(self._soup)

    def blocks(self) -> list[Block]:
        """The whole page as blocks."""
        return _Walker(self._base_url).walk(self._soup)

    def main_blocks(self) -> list[Block]:
        """The blocks of the main container (the biggest <article>, or the element with the
        most paragraph text) without its link boxes and image captions."""
        root, sizes = _main_container(self._soup)
        total = sizes.chars[id(root)]
        header = [
            tag
            for tag in _header_siblings(root, sizes)
            if not _is_container_furniture(tag, sizes, total, self._image_boxes)
        ]
        skip: set[int] = set()
        for tag in (*header, root):
            skip |= _container_furniture(tag, sizes, total, self._image_boxes)
        return _Walker(self._base_url, skip).walk(*header, root)


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
        key = (
            _attr(tag, "property")
            or _attr(tag, "name")
            or _attr(tag, "itemprop")
            or _attr(tag, "http-equiv")
        ).lower()
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
        language=normalize_text(language) or None,
        canonical=(_attr(canonical, "href") or None) if isinstance(canonical, Tag) else None,
        image=_first_image(soup),
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


def _first_image(soup: BeautifulSoup) -> str | None:
    """The address of the first image in the article that is not furniture: a lazy-loaded
    image's real address, not its placeholder. Nothing is fetched."""
    scope = soup.find("article") or soup.find("main") or soup.find("body") or soup
    # The lead image comes early; the bound keeps a page of a thousand thumbnails cheap.
    for img in scope.find_all("img", limit=_IMAGES_SEARCHED):
        if _tokens(img) & _NOT_LEAD_IMAGE or _tiny(img):
            continue
        source = _image_source(img)
        if source and not any(
            _tokens(parent) & (_JUNK_TOKENS | _FOREIGN_JUNK_TOKENS) for parent in img.parents
        ):
            return source
    return None


def _image_source(img: Tag) -> str | None:
    for name in _IMAGE_ATTRS:
        value = _attr(img, name).strip()
        if value and not value.startswith("data:"):
            return value
    for name in _SRCSET_ATTRS:
        candidates = [c.split() for c in _attr(img, name).split(",") if c.strip()]
        if candidates:
            return max(candidates, key=_srcset_width)[0]
    return None


def _srcset_width(candidate: list[str]) -> int:
    descriptor = candidate[1] if len(candidate) > 1 else ""
    return int(descriptor[:-1]) if descriptor.endswith("w") and descriptor[:-1].isdigit() else 0


def _tiny(img: Tag) -> bool:
    sizes = (_attr(img, "width"), _attr(img, "height"))
    return any(size.isdigit() and int(size) < _TINY_IMAGE_PX for size in sizes)


def _image_boxes(soup: BeautifulSoup) -> set[int]:
    """Ids of the block elements that hold an image directly (not an inline image inside a
    paragraph): their remaining text is a caption or a photo credit."""
    boxes: set[int] = set()
    for img in soup.find_all(["img", "picture", "video"]):
        box = img.parent
        for _ in range(_IMAGE_BOX_CLIMB):
            if not isinstance(box, Tag) or box.name not in ("a", "span", "picture", "noscript"):
                break
            box = box.parent
        else:
            continue  # wrapped deeper than any real page wraps an image
        if isinstance(box, Tag) and box.name not in _TEXT_TAGS:
            boxes.add(id(box))
    return boxes


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
    link_chars: dict[int, int] = field(default_factory=dict)
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
        chars = p_chars = link_chars = flags = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                key = id(child)
                chars += sizes.chars[key]
                p_chars += sizes.p_chars[key]
                link_chars += sizes.link_chars[key]
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
        # Any <a href> counts, whatever the scheme: "#" share buttons are links too.
        sizes.link_chars[key] = chars if tag.name == "a" and tag.has_attr("href") else link_chars
        sizes.flags[key] = flags
    return sizes


def _remove_junk(soup: BeautifulSoup) -> None:
    sizes = _measure(soup)
    body = soup.find("body")
    page_chars = sizes.chars[id(body if isinstance(body, Tag) else soup)]
    doomed: list[Tag] = []
    # Each pending tag carries the size of its nearest paragraph-like ancestor, if any, and
    # whether it is inside a block quote.
    stack: list[tuple[Tag, int | None, bool]] = [(soup, None, False)]
    while stack:
        tag, holder, quoted = stack.pop()
        if _is_junk(tag, sizes, page_chars, holder, quoted):
            doomed.append(tag)
            continue
        if tag.name in _HOLDERS:
            holder = sizes.chars[id(tag)]
        quoted = quoted or tag.name == "blockquote"
        stack.extend((child, holder, quoted) for child in tag.contents if isinstance(child, Tag))
    for tag in doomed:
        tag.decompose()


def _is_junk(tag: Tag, sizes: _Sizes, page_chars: int, holder: int | None, quoted: bool) -> bool:
    name = tag.name
    chars, flags = sizes.chars[id(tag)], sizes.flags[id(tag)]
    if name == "footer" and quoted:
        return False  # a quotation's attribution, not the page footer
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
    hits = _tokens(tag) & (
        _SPONSOR_TOKENS if name == "article" else _JUNK_TOKENS | _FOREIGN_JUNK_TOKENS
    )
    if not hits or flags & (_HAS_H1 | _HAS_MAIN):
        return False
    # A wrapper named "page-with-sidebar" holds the story: never drop most of the page.
    return chars * 2 < page_chars


def _main_container(soup: BeautifulSoup) -> tuple[Tag, _Sizes]:
    """The main container and the sizes of every element under <body>."""
    body = soup.find("body")
    root = body if isinstance(body, Tag) else soup
    sizes = _measure(root)
    total = sizes.p_chars[id(root)]
    if not total:
        return root, sizes
    best = max(root.find_all("article"), key=lambda a: sizes.p_chars[id(a)], default=None)
    if best is not None and sizes.p_chars[id(best)] * 5 >= total * 2:
        return best, sizes
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
    return elements[max(scores, key=lambda key: scores[key])], sizes


def _header_siblings(root: Tag, sizes: _Sizes) -> list[Tag]:
    """The elements before ``root``, from the one that holds the page's <h1>: a headline,
    standfirst and byline kept apart from the text. Empty when the <h1> is in ``root``."""
    if sizes.flags[id(root)] & _HAS_H1 or not isinstance(root.parent, Tag):
        return []
    before: list[Tag] = []
    for sibling in root.find_previous_siblings():
        if not isinstance(sibling, Tag) or id(sibling) not in sizes.chars:
            continue
        before.append(sibling)
        if sibling.name == "h1" or sizes.flags[id(sibling)] & _HAS_H1:
            header = before[::-1]
            chars = sum(sizes.chars[id(tag)] for tag in header)
            return header if chars * 2 <= sizes.chars[id(root)] else []
    return []


def _container_furniture(root: Tag, sizes: _Sizes, total: int, image_boxes: set[int]) -> set[int]:
    """Ids of the elements under ``root`` to leave out of an article of ``total``
    characters: boxes that are mostly links, and the captions beside images."""
    skip: set[int] = set()
    stack = [child for child in root.contents if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if _is_container_furniture(tag, sizes, total, image_boxes):
            skip.add(id(tag))
        else:
            stack.extend(child for child in tag.contents if isinstance(child, Tag))
    return skip


def _is_container_furniture(tag: Tag, sizes: _Sizes, total: int, image_boxes: set[int]) -> bool:
    key = id(tag)
    chars = sizes.chars[key]
    # Never more than half of the article, whatever it looks like.
    if not chars or tag.name in _INLINE_TAGS or chars * 2 >= total:
        return False
    if tag.name == "figcaption" or (key in image_boxes and chars <= _CAPTION_CHARS):
        return True
    links = sizes.link_chars[key]
    # A list item must be all link; a paragraph, a link after a short lead-in ("Read
    # also:"); a box, mostly links.
    if tag.name == "p":
        return links * 3 >= chars * 2 and chars - links <= _LEAD_IN_CHARS
    if tag.name in _TEXT_TAGS:
        return links * 10 >= chars * 9
    return links * 2 > chars


@dataclass(frozen=True, slots=True)
class _Ctx:
    kind: Kind = Kind.PARA
    level: int = 0
    bold: bool = False
    italic: bool = False
    href: str | None = None
    quote: bool = False
    ordered: bool = False
    size: float = 0.0
    boxes: tuple[int, ...] = ()


class _Walker:
    """Flattens a tree into blocks without recursion, so no nesting depth can overflow."""

    def __init__(self, base_url: str | None, skip: set[int] | None = None) -> None:
        self._base_url = base_url
        self._skip = skip or set()
        self._blocks: list[Block] = []
        self._runs: list[Run] = []
        self._kind = Kind.PARA
        self._level = 0
        self._quote = False
        self._ordered = False
        self._boxes: tuple[int, ...] = ()

    def walk(self, *roots: Tag) -> list[Block]:
        """The blocks of ``roots``, one after the other."""
        stack: list[tuple[PageElement, _Ctx] | Tag] = [(root, _Ctx()) for root in reversed(roots)]
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
        if id(tag) in self._skip:
            if name in _BLOCK_TAGS:
                self._flush()
            return
        if name in ("br", "hr"):
            self._flush()
            if name == "hr":
                self._blocks.append(Block(Kind.RULE, ""))
            return
        inner = self._context(tag, ctx)
        if name == "a" and is_furniture(_text(tag)):
            self._flush()
            self._blocks.append(Block(Kind.MORE, _text(tag), href=inner.href, boxes=ctx.boxes))
            return
        if name == "table":
            rows = _data_rows(tag)
            if rows is not None:
                self._flush()
                for cells, header in rows:
                    text = " | ".join(cells)
                    self._blocks.append(
                        Block(Kind.ROW, text, cells=cells, header=header, boxes=inner.boxes)
                    )
                return
        if name in _BLOCK_TAGS:
            self._flush()
            stack.append(tag)
        stack.extend((child, inner) for child in reversed(tag.contents))

    def _context(self, tag: Tag, ctx: _Ctx) -> _Ctx:
        name = tag.name
        kind, level, bold, italic, href = ctx.kind, ctx.level, ctx.bold, ctx.italic, ctx.href
        quote = ctx.quote or name == "blockquote"
        ordered = name == "ol" if name in ("ol", "ul") else ctx.ordered
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
        size = ctx.size
        found = _FONT_SIZE.search(style)
        if found:
            size = float(found.group("n")) * _UNIT_PX[found.group("unit").lower()]
            if found.group("unit").lower() in ("em", "rem") and ctx.size:
                size = float(found.group("n")) * ctx.size
        boxes = (*ctx.boxes, id(tag)) if name in _BOXES else ctx.boxes
        return _Ctx(kind, level, bold, italic, href, quote, ordered, size, boxes)

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
        if "[" in text:
            text = _CONDITIONAL.sub("", text)
        for i, piece in enumerate(_BULLET_LINE.split(text)):
            if i:
                self._flush()
            if piece.strip() and not any(r.text.strip() for r in self._runs):
                self._kind, self._level = ctx.kind, ctx.level
                self._quote, self._ordered = ctx.quote, ctx.ordered
                self._boxes = ctx.boxes
            self._runs.append(Run(piece, ctx.bold, ctx.italic, ctx.href, ctx.size))

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
        level = self._level if kind is Kind.HEADING else 0
        quote = self._quote and kind is Kind.PARA
        ordered = self._ordered and kind is Kind.BULLET
        size = max((r.size for r in runs if r.text.strip()), default=0.0)
        self._blocks.append(
            Block(
                kind, text, level, runs, quote=quote, ordered=ordered, size=size, boxes=self._boxes
            )
        )


def _without_mark(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Drop the bullet mark that opens the first non-blank run."""
    out = list(runs)
    for i, run in enumerate(out):
        if run.text.strip():
            stripped = run.text.lstrip()[1:]
            out[i] = Run(stripped, run.bold, run.italic, run.href, run.size)
            break
    return tuple(out)


def _data_rows(table: Tag) -> list[tuple[tuple[str, ...], bool]] | None:
    """The rows of a table that holds data (figures, a schedule), or None for the layout
    tables e-mails are built of: those nest tables or paragraphs, or have one column."""
    rows: list[tuple[tuple[str, ...], bool]] = []
    words: list[int] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            return None  # a nested table: layout
        cells = tr.find_all(["td", "th"], recursive=False)
        if any(
            cell.find(_CELL_BLOCKS) or len(cell.find_all(["p", "div"], limit=2)) > _CELL_PARAGRAPHS
            for cell in cells
        ):
            return None
        texts = tuple(_text(cell) for cell in cells)
        if not any(texts):
            continue
        rows.append((texts, all(cell.name == "th" for cell in cells)))
        words.extend(len(t.split()) for t in texts)
    if len(rows) < 2 or sum(len(cells) >= 2 for cells, _ in rows) * 3 < len(rows) * 2:
        return None
    if max(words) > _TABLE_MAX_CELL_WORDS or sum(words) > _TABLE_MEAN_CELL_WORDS * len(words):
        return None
    # A row of links is a menu or a share bar, not data.
    links = sum(len(_text(a)) for a in table.find_all("a"))
    if links * 2 > sum(len(t) for cells, _ in rows for t in cells):
        return None
    return rows
