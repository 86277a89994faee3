"""Links as newsletters spell them: click-tracking redirects unwrapped to the address they
lead to, when that address is written inside the tracking link (a query parameter, a
percent-encoded path segment, or a base64 path segment)."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import parse_qsl, unquote, urlsplit

# Query keys that redirectors put the destination in.
_TARGET_KEYS = (
    "url", "u", "redirect", "redirect_url", "redirect_uri", "target", "dest", "destination",
    "link", "to", "href", "r", "goto", "out", "l",
)  # fmt: skip
_MAX_DEPTH = 3
# A base64 segment shorter than this cannot hold an address worth unwrapping.
_MIN_BASE64 = 16


def unwrap_tracking(url: str) -> str:
    """The destination of a tracking redirect that carries it (``?url=https%3A…``,
    ``/CL0/https:%2F%2F…/1/…``, ``/click/123/aHR0cHM6Ly9…/…``); ``url`` itself otherwise."""
    current = url
    for _ in range(_MAX_DEPTH):
        target = _embedded(current)
        if target is None:
            break
        current = target
    return current


def _embedded(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    query = dict(parse_qsl(parts.query))
    for key in _TARGET_KEYS:
        if _is_web(query.get(key, "")):
            return query[key]
    segments = parts.path.split("/")
    for i, segment in enumerate(segments):
        encoded = _base64(segment)
        if encoded and _is_web(encoded):
            # Kit puts the destination's query in a segment of its own, encoded alike.
            rest = _base64(segments[i + 1], prefix="") if i + 1 < len(segments) else None
            return f"{encoded}?{rest}" if rest and "=" in rest and "?" not in encoded else encoded
        decoded = unquote(segment)
        if decoded != segment and _is_web(decoded):
            return decoded
        carried = _json_target(segment)
        if carried:
            return carried
    return None


def _json_target(segment: str) -> str | None:
    """The address in a base64-encoded JSON segment (``eyJ…``, as Substack's redirects carry
    ``{"e": "https://…"}``): the first string value that is a web address."""
    text = _base64(segment, prefix="eyJ")
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return next((v for v in data.values() if isinstance(v, str) and _is_web(v)), None)


def _base64(segment: str, prefix: str = "aHR0c") -> str | None:
    """The text a base64 path segment encodes; by default only one that starts "http"."""
    if not segment.startswith(prefix) or len(segment) < (_MIN_BASE64 if prefix else 4):
        return None
    padded = segment + "=" * (-len(segment) % 4)
    try:
        text = base64.urlsafe_b64decode(padded).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return text if text.isprintable() else None


def _is_web(value: str) -> bool:
    if not value.startswith(("http://", "https://")):
        return False
    try:
        return bool(urlsplit(value).netloc)
    except ValueError:
        return False
