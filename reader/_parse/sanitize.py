"""HTML that is safe to show: an allowlist of structural and inline tags, links only to
http(s) and mail, and nothing that could load from the network."""

from __future__ import annotations

import nh3

_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "strong",
    "b", "em", "i", "a", "pre", "code", "hr", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "figure", "figcaption", "span",
}  # fmt: skip
# Dropped with their content: their text is code or furniture, never story text.
_CLEAN_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "title", "head",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}

_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_CLEAN_CONTENT,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    # A relative link would resolve against wherever the viewer runs: drop it.
    url_relative="deny",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """``html`` reduced to the allowlist; images, scripts, styles and handlers removed."""
    return str(_CLEANER.clean(html))
