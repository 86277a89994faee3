"""Bytes to stories: decoding, HTML/Markdown/plain-text readers, digest splitting, and the
canonical text that highlights point into."""

from reader._parse.dispatch import parse_bytes
from reader._parse.encoding import decode_bytes
from reader._parse.sanitize import sanitize_html
from reader._parse.text import canonical_text, content_hash, normalize_text, title_from

__all__ = [
    "canonical_text",
    "content_hash",
    "decode_bytes",
    "normalize_text",
    "parse_bytes",
    "sanitize_html",
    "title_from",
]
