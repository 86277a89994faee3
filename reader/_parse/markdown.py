"""Markdown to blocks: rendered by markdown-it (raw HTML kept as text), then read like any
other HTML page."""

from __future__ import annotations

from markdown_it import MarkdownIt

from reader._parse.blocks import Block
from reader._parse.html import HtmlPage

# Raw HTML inside Markdown is shown as text: a note file must not smuggle markup in.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_blocks(text: str, base_url: str | None = None) -> list[Block]:
    return HtmlPage(_MARKDOWN.render(text), base_url).blocks()
