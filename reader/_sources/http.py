"""The HTTP client: one well-kept httpx client with timeouts, at most five redirects, a size cap on
the decompressed body, and every failure turned into a one-line FetchError."""

from __future__ import annotations

import socket
import ssl
import time
from urllib.parse import urlsplit

import httpx

from reader import __version__
from reader._parse.encoding import charset_from_content_type
from reader._protocols import Fetcher, FetchResult
from reader._sources.decoding import ACCEPT_ENCODING, decoder_for
from reader.errors import FetchError

__all__ = ["USER_AGENT", "FetchResult", "Fetcher", "HttpFetcher"]

USER_AGENT = f"story-reader/{__version__} (+https://example.com/story-reader)"
MAX_REDIRECTS = 5
MAX_BYTES = 20 * 1024 * 1024
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
    "text/html;q=0.8, */*;q=0.5"
)


class HttpFetcher:
    """Fetches http(s) URLs. Thread-safe: the httpx client and its connection pool are shared.

    ``read_timeout`` bounds each wait for data and ``total_timeout`` the whole response, so a
    server that trickles bytes cannot hold a refresh forever.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        total_timeout: float = 120.0,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._client = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout, pool=connect_timeout),
            # Redirects are followed by hand: to refuse other schemes, to name a loop, and to
            # close each redirect's body unread (httpx reads it whole, with no size cap).
            follow_redirects=False,
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        _require_http(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.total_timeout
        try:
            request = self._client.build_request("GET", url, headers=headers)
        except httpx.InvalidURL as err:
            raise FetchError(f"not a valid URL: {url}") from err
        seen = {str(request.url)}
        try:
            for _ in range(self.max_redirects + 1):
                response = self._client.send(request, stream=True)
                try:
                    target = response.next_request
                    if target is None:
                        return self._result(response, deadline, etag, last_modified)
                finally:
                    response.close()
                next_url = str(target.url)
                if urlsplit(next_url).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a URL that is not http or https: {next_url}")
                if next_url in seen:
                    raise FetchError(f"redirect loop: {next_url} was visited already")
                seen.add(next_url)
                request = target
            raise FetchError(f"too many redirects (more than {self.max_redirects})")
        except httpx.HTTPError as err:
            raise self._reason(err, request.url) from err

    def _result(
        self,
        response: httpx.Response,
        deadline: float,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        content_type = response.headers.get("Content-Type")
        final = str(response.url)
        if response.status_code == 304:
            return FetchResult(
                url_final=final,
                status=304,
                content_type=content_type,
                charset=None,
                body=b"",
                etag=response.headers.get("ETag", etag),
                last_modified=response.headers.get("Last-Modified", last_modified),
                not_modified=True,
            )
        if not 200 <= response.status_code < 300:
            phrase = response.reason_phrase or ""
            raise FetchError(f"HTTP {response.status_code} {phrase}".rstrip())
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes and not _encoded(response):
            raise FetchError(f"response larger than {_size(self.max_bytes)}")
        return FetchResult(
            url_final=final,
            status=response.status_code,
            content_type=content_type,
            charset=charset_from_content_type(content_type),
            body=self._read(response, deadline),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        """The decoded body, counting decoded bytes against the cap as they come."""
        decoder = decoder_for(response.headers.get("Content-Encoding"))
        parts: list[bytes] = []
        size = 0
        for raw in response.iter_raw():
            for piece in decoder.decode(raw):
                size += len(piece)
                if size > self.max_bytes:
                    raise FetchError(f"response larger than {_size(self.max_bytes)}")
                parts.append(piece)
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {self.total_timeout:g}s")
        for piece in decoder.flush():
            size += len(piece)
            if size > self.max_bytes:
                raise FetchError(f"response larger than {_size(self.max_bytes)}")
            parts.append(piece)
        return b"".join(parts)

    def _reason(self, err: httpx.HTTPError, url: httpx.URL) -> FetchError:
        """A one-line reason for a transport failure."""
        host = url.host or str(url)
        if isinstance(err, httpx.ConnectTimeout | httpx.PoolTimeout):
            return FetchError(f"timed out after {self.connect_timeout:g}s connecting to {host}")
        if isinstance(err, httpx.TimeoutException):
            return FetchError(f"timed out after {self.read_timeout:g}s")
        cause = _root_cause(err)
        if isinstance(cause, socket.gaierror):
            return FetchError(f"cannot resolve host {host}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchError(f"TLS error: {cause.verify_message or cause.reason}")
        if isinstance(cause, ssl.SSLError):
            return FetchError(f"TLS error: {cause.reason or cause.strerror or cause}")
        if isinstance(cause, ConnectionRefusedError):
            return FetchError(f"connection refused by {host}")
        if isinstance(err, httpx.UnsupportedProtocol):
            return FetchError("only http and https URLs can be fetched")
        if isinstance(err, httpx.RemoteProtocolError):
            return FetchError(f"the server broke the connection: {_first_line(err)}")
        return FetchError(f"cannot fetch {host}: {_first_line(err)}")


def _require_http(url: str) -> None:
    try:
        parts = urlsplit(url.strip())
    except ValueError as err:
        raise FetchError(f"not a valid URL: {url}") from err
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("only http and https URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"not a valid URL (no host): {url}")


def _encoded(response: httpx.Response) -> bool:
    encoding = str(response.headers.get("Content-Encoding", "identity"))
    return encoding.strip().lower() != "identity"


def _root_cause(err: BaseException) -> BaseException:
    """The innermost exception: httpcore wraps the socket or SSL error we want to name."""
    seen: set[int] = set()
    while id(err) not in seen:
        seen.add(id(err))
        inner = err.__cause__ or err.__context__
        if inner is None:
            break
        err = inner
    return err


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"
