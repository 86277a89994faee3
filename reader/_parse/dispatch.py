"""The parser's front door: decode the bytes, decide HTML, Markdown or plain text, and hand
the text to the matching reader."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from urllib.parse import urlsplit

from reader._parse.article import declares_article, page_details, read_article
from reader._parse.blocks import Block, Kind, headline_level
from reader._parse.cleaning import clean_blocks
from reader._parse.digest import read_digest, single_story
from reader._parse.encoding import charset_from_content_type, decode_bytes
from reader._parse.frontmatter import FrontMatter, split_front_matter
from reader._parse.html import HtmlPage
from reader._parse.markdown import markdown_blocks
from reader._parse.masthead import Masthead, header_lines, read_masthead, with_masthead
from reader._parse.plaintext import plain_blocks
from reader._parse.text import normalize_text
from reader.errors import ParseError
from reader.model import ParsedStory


class Format(Enum):
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


_CONTENT_TYPES = {
    "text/html": Format.HTML,
    "application/xhtml+xml": Format.HTML,
    "text/markdown": Format.MARKDOWN,
    "text/x-markdown": Format.MARKDOWN,
}
_EXTENSIONS = {
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".txt": Format.TEXT,
}
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|table|td|article|section|h[1-6]|br|ul|li|span"
    r"|meta|title|a\s)[\s>/]",
    re.I,
)
_MARKDOWN_SIGN = re.compile(
    r"^#{1,6}\s+\S|\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)", re.M
)
_SNIFF_CHARS = 4096
_HTML_TAGS_NEEDED = 3


def parse_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    title_hint: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[ParsedStory]:
    """The stories in ``data``. Raises ParseError for empty, binary or storyless input.

    ``title_hint`` (an e-mail's subject) titles a lone story whose page names no headline.
    ``warn`` hears, in one line, what was not read as meant but kept as text (front matter
    that is not YAML or TOML).
    """
    if not data.strip():
        raise ParseError("file is empty")
    text = decode_bytes(data, charset_from_content_type(content_type))
    if not normalize_text(text):
        raise ParseError("file is empty")
    kind = detect_format(text, filename=filename, url=url, content_type=content_type)
    if kind is Format.HTML:
        stories = _read_html(text, url, title_hint)
    else:
        front = split_front_matter(text)
        if front.problem and warn is not None:
            warn(front.problem)
        body = front.body
        blocks = markdown_blocks(body, url) if kind is Format.MARKDOWN else plain_blocks(body)
        stories = _read_blocks(blocks, title_hint, front.meta)
    if not stories:
        raise ParseError("no story found")
    return stories


def detect_format(
    text: str, *, filename: str | None, url: str | None, content_type: str | None
) -> Format:
    """From the content type, else the file extension (of the name, else the URL's path),
    else by sniffing the text."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    path = filename or (_url_path(url) if url else "")
    extension = posixpath.splitext(path.replace("\\", "/").lower())[1]
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    head = text[:_SNIFF_CHARS]
    if head.lstrip().startswith("<") or len(_HTML_TAG.findall(head)) >= _HTML_TAGS_NEEDED:
        return Format.HTML
    if _MARKDOWN_SIGN.search(head):
        return Format.MARKDOWN
    return Format.TEXT


def _url_path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _read_blocks(
    blocks: list[Block], title_hint: str | None, meta: FrontMatter | None
) -> list[ParsedStory]:
    """A Markdown or text file's stories. Its front matter speaks for a lone story (title,
    date, address, source, byline, tags); for a digest's stories it gives the tags, and the
    name and date where they name none, as the digest's own header does."""
    meta = meta or FrontMatter()
    cleaned = clean_blocks(blocks)
    digest = read_digest(cleaned, structural=False, title=meta.title)
    if digest and len(digest.stories) > 1:
        masthead = read_masthead(
            header_lines(digest.dropped), meta.title, dated=meta.published is not None
        )
        masthead = Masthead(meta.source or masthead.name, meta.published or masthead.published)
        return [replace(s, tags=meta.tags) for s in with_masthead(digest.stories, masthead)]
    if digest and not (meta.title and meta.title != digest.stories[0].title):
        story: ParsedStory | None = digest.stories[0]
    else:
        story = single_story(cleaned, _own_title(cleaned, meta.title), title_hint=title_hint)
    if story is None:
        return []
    return [
        replace(
            story,
            title=meta.title or story.title,
            published=meta.published or story.published,
            url=meta.url or story.url,
            source=meta.source or story.source,
            byline=meta.byline or story.byline,
            tags=meta.tags,
        )
    ]


def _own_title(blocks: list[Block], title: str | None) -> str | None:
    """The front matter's title for a lone story, unless the text opens with that headline
    (then the headline is taken as the title as usual, not kept as text twice)."""
    first = next((b for b in blocks if b.kind not in (Kind.MORE, Kind.RULE)), None)
    if title is None or first is None or headline_level(first) is None:
        return title
    return None if first.text.casefold() == normalize_text(title).casefold() else title


def _read_html(text: str, url: str | None, title_hint: str | None) -> list[ParsedStory]:
    page = HtmlPage(text, url)
    details = page_details(page.meta, url)
    structural = page.mail_like and not declares_article(page.meta)
    digest = read_digest(clean_blocks(page.blocks()), structural=structural, title=page.meta.title)
    stories = digest.stories if digest else None
    # A page that says it is an article is read as one even when a bold "Read also:" line
    # makes it look like a one-story digest.
    if not stories or (len(stories) == 1 and declares_article(page.meta)):
        article = read_article(page, details, title_hint)
        return [article] if article else stories or []
    if len(stories) == 1:
        # A page that holds one story speaks for it: its byline and date are the story's.
        stories = [
            replace(
                stories[0],
                byline=details.byline,
                published=details.published,
                image_url=details.image_url,
            )
        ]
    # The letter's own header names it and dates the issue; else the page's own name and date.
    masthead = read_masthead(header_lines(digest.dropped) if digest else [], page.meta.title)
    masthead = Masthead(masthead.name or details.site, masthead.published)
    stories = with_masthead(stories, masthead, details.published)
    return [replace(story, language=details.language) for story in stories]
