"""Links as newsletters spell them: click-tracking redirects unwrapped to the address they
lead to, when that address is written inside the tracking link."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

# Query keys that redirectors put the destination in.
_TARGET_KEYS = (
    "url", "u", "redirect", "redirect_url", "redirect_uri", "target", "dest", "destination",
    "link", "to", "href", "r", "goto", "out", "l",
)  # fmt: skip
_MAX_DEPTH = 3


def unwrap_tracking(url: str) -> str:
    """The destination of a tracking redirect whose query or path carries it (``?url=…``,
    ``/CL0/https:%2F%2F…/1/…``); ``url`` itself when it carries none."""
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
    query = dict(parse_qsl(parts.query, keep_blank_values=False))
    for key in _TARGET_KEYS:
        value = query.get(key, "")
        if _is_web(value):
            return value
    # A destination written into the path, percent-encoded as one segment or spelled out.
    path = parts.path
    for marker in ("/https%3A", "/http%3A", "/https:", "/http:"):
        at = path.lower().find(marker.lower())
        if at < 0:
            continue
        rest = url[url.find(path) + at + 1 :] if path in url else path[at + 1 :]
        segment = rest.split("/", 1)[0] if "%2f" in rest[:12].lower() else rest
        candidate = unquote(segment)
        if "%2f" not in rest[:12].lower():
            # Spelled out: the destination runs to the end, as written.
            candidate = unquote(rest)
        if _is_web(candidate):
            return candidate
    return None


def _is_web(value: str) -> bool:
    if not value.startswith(("http://", "https://")):
        return False
    try:
        return bool(urlsplit(value).netloc)
    except ValueError:
        return False
