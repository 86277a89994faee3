"""A local HTTP server for fetching tests: serves our fixtures on 127.0.0.1 and scripts the bad
behaviours (errors, redirect loops, a silent server, oversized bodies, compression bombs,
304s).

Never the real internet: every URL the tests fetch points here or at a ``.invalid`` host.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

FIXTURES = Path(__file__).parent / "fixtures"

WESTERN_FEED = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel><title>Café Société Weekly</title>
<link>https://cafe.example/</link>
<item><title>Crème brûlée tops the readers’ dessert poll</title>
<link>https://cafe.example/creme-brulee</link><guid>cafe-1</guid>
<description>Readers in Zürich and Málaga voted the café’s crème brûlée the best dessert
on the quay — for the third year running.</description></item></channel></rss>"""


@dataclass
class Route:
    """What one path answers. ``etag``/``last_modified`` turn on conditional GET (304)."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    """The running server: add routes, read back the requests it saw."""

    def __init__(self, httpd: ThreadingHTTPServer) -> None:
        self.httpd = httpd
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        """Serve ``body`` at ``path`` (the type guessed from the suffix); returns its URL."""
        self.routes[path] = Route(
            body=body.encode("utf-8") if isinstance(body, str) else body,
            content_type=content_type or _guess_type(path),
            status=status,
            headers=headers or {},
            etag=etag,
            last_modified=last_modified,
        )
        return self.url(path)

    def add_fixture(self, path: str, name: str, content_type: str = "") -> str:
        return self.add(path, (FIXTURES / name).read_bytes(), content_type)

    def seen(self, path: str) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


def _guess_type(path: str) -> str:
    if path.endswith(".json"):
        return "application/feed+json"
    if path.endswith((".xml", ".rdf", ".rss", ".atom")):
        return "application/rss+xml"
    return "text/html; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``FeedServer.requests`` instead."""

    def do_GET(self) -> None:
        feeds = self.server.feeds
        with feeds.lock:
            feeds.requests.append(Seen(self.path, dict(self.headers.items())))
        # A client that stops reading at its size cap hangs up on us: what the test wanted.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(feeds)

    def _answer(self, feeds: FeedServer) -> None:
        path = self.path
        if path == "/slow":
            # Never answers while the test runs, however slow the machine: the client's read
            # timeout is the only way out. Released when the server stops.
            feeds.release.wait()
            return None
        if path.startswith("/status/"):
            return self._send(int(path.rsplit("/", 1)[1]), b"<html>no</html>", "text/html")
        if path.startswith("/loop/"):
            return self._redirect("/loop/b" if path == "/loop/a" else "/loop/a")
        if path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            if left > 0:
                return self._redirect(f"/hops/{left - 1}")
            return self._fixture("rss20.xml", "application/rss+xml")
        if path == "/to-ftp":
            return self._redirect("ftp://127.0.0.1/feed.xml")
        if path.startswith("/endless/"):
            return self._stream_zeros(int(path.rsplit("/", 1)[1]))
        if path.startswith("/declared/"):
            size = int(path.rsplit("/", 1)[1])
            return self._send(200, b"x" * 10, "text/plain", {"Content-Length": str(size)})
        if path.startswith("/bomb/"):
            return self._bomb(path.rsplit("/", 1)[1])
        route = feeds.routes.get(path)
        if route is None:
            return self._send(404, b"not here", "text/plain")
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            return self._send(304, b"", None, self._validators(route))
        headers = {**route.headers, **self._validators(route)}
        return self._send(route.status, route.body, route.content_type, headers)

    def _validators(self, route: Route) -> dict[str, str]:
        found = {"ETag": route.etag, "Last-Modified": route.last_modified}
        return {name: value for name, value in found.items() if value}

    def _fixture(self, name: str, content_type: str) -> None:
        self._send(200, (FIXTURES / name).read_bytes(), content_type)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", {"Location": location})

    def _stream_zeros(self, size: int) -> None:
        """``size`` bytes with no Content-Length, so only counting while reading can stop it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"0" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        while sent < size:
            self.wfile.write(chunk)
            sent += len(chunk)

    def _bomb(self, kind: str) -> None:
        self._send(200, bomb(kind), "text/html", {"Content-Encoding": kind})

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        headers = headers or {}
        if "Content-Length" not in headers and status != 304:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


BOMB_BYTES = 32 * 1024 * 1024
"""What a bomb inflates to: far past the tests' size cap."""


@functools.cache
def bomb(encoding: str) -> bytes:
    """32 MB of HTML squeezed into a few kilobytes (gzip) or bytes (brotli), made once."""
    payload = b"<p>" + b"a" * (BOMB_BYTES - 7) + b"</p>"
    if encoding == "gzip":
        return gzip.compress(payload, compresslevel=9)
    compressed: bytes = brotli.compress(payload, quality=5)
    return compressed


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    feeds: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client hanging up mid-answer is part of several tests."""


@contextmanager
def serve() -> Iterator[FeedServer]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    feeds = FeedServer(httpd)
    httpd.feeds = feeds
    thread = threading.Thread(
        target=httpd.serve_forever, args=(0.05,), name="feed-server", daemon=True
    )
    thread.start()
    try:
        yield feeds
    finally:
        feeds.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
