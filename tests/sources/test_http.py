"""The HTTP client against the local server: headers, decoding, and a one-line FetchError for
every failure (status, redirects, timeouts, size cap, compression bombs, DNS, TLS)."""

from __future__ import annotations

import gzip
import socket

import pytest

from reader._sources.decoding import STEP, decoder_for
from reader._sources.http import USER_AGENT, HttpFetcher
from reader.errors import FetchError, SourceError
from tests.sources.conftest import TEST_CAP
from tests.sources.server import BOMB_BYTES, FeedServer, bomb


def reason(fetcher: HttpFetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_fetch_returns_body_type_and_validators(server: FeedServer, fetcher: HttpFetcher) -> None:
    url = server.add_fixture("/feed.xml", "rss20.xml")
    server.routes["/feed.xml"].etag = '"v1"'
    result = fetcher.fetch(url)
    assert result.status == 200 and not result.not_modified
    assert result.body.startswith(b"<?xml")
    assert result.content_type == "application/rss+xml"
    assert result.etag == '"v1"'
    assert result.url_final == url
    [request] = server.seen("/feed.xml")
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("story-reader/")
    assert {"gzip", "deflate", "br"} <= set(request.headers["Accept-Encoding"].split(", "))


def test_charset_comes_from_the_header(server: FeedServer, fetcher: HttpFetcher) -> None:
    url = server.add("/page", b"<p>caf\xe9</p>", "text/html; charset=ISO-8859-1")
    assert fetcher.fetch(url).charset == "ISO-8859-1"


def test_conditional_get_answers_304(server: FeedServer, fetcher: HttpFetcher) -> None:
    url = server.add_fixture("/feed.xml", "rss20.xml")
    server.routes["/feed.xml"].etag = '"v1"'
    result = fetcher.fetch(url, etag='"v1"', last_modified="Tue, 03 Mar 2026 07:30:00 GMT")
    assert result.not_modified and result.status == 304 and result.body == b""
    assert result.etag == '"v1"'
    [request] = server.seen("/feed.xml")
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Tue, 03 Mar 2026 07:30:00 GMT"


def test_gzip_and_brotli_bodies_are_decoded(server: FeedServer, fetcher: HttpFetcher) -> None:
    import brotli

    page = b"<html><body><p>Compressed, then restored.</p></body></html>"
    gz = server.add("/gz", gzip.compress(page), headers={"Content-Encoding": "gzip"})
    br = server.add("/br", brotli.compress(page), headers={"Content-Encoding": "br"})
    assert fetcher.fetch(gz).body == page
    assert fetcher.fetch(br).body == page


def test_redirects_are_followed_up_to_five(server: FeedServer, fetcher: HttpFetcher) -> None:
    result = fetcher.fetch(server.url("/hops/5"))
    assert result.url_final == server.url("/hops/0")
    assert result.body.startswith(b"<?xml")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/status/404", "HTTP 404 Not Found"),
        ("/status/500", "HTTP 500 Internal Server Error"),
        ("/hops/6", "too many redirects (more than 5)"),
        ("/loop/a", "redirect loop"),
        ("/to-ftp", "redirect to a URL that is not http or https"),
    ],
)
def test_http_failures_are_one_line(
    server: FeedServer, fetcher: HttpFetcher, path: str, expected: str
) -> None:
    assert reason(fetcher, server.url(path)).startswith(expected)


def test_slow_response_times_out(server: FeedServer, impatient_fetcher: HttpFetcher) -> None:
    assert reason(impatient_fetcher, server.url("/slow")) == "timed out after 0.5s"


def test_streamed_body_over_the_cap_stops_there(server: FeedServer, fetcher: HttpFetcher) -> None:
    assert reason(fetcher, server.url(f"/endless/{4 * TEST_CAP}")) == "response larger than 1 MB"


def test_declared_length_over_the_cap_is_refused_unread(
    server: FeedServer, fetcher: HttpFetcher
) -> None:
    assert reason(fetcher, server.url(f"/declared/{TEST_CAP + 1}")) == "response larger than 1 MB"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compression_bombs_stop_at_the_cap(
    server: FeedServer, fetcher: HttpFetcher, encoding: str
) -> None:
    assert reason(fetcher, server.url(f"/bomb/{encoding}")) == "response larger than 1 MB"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_bomb_inflates_in_bounded_steps(encoding: str) -> None:
    """What makes the cap hold for memory too: the whole bomb arrives in one network chunk,
    yet it is never inflated more than a step at a time, so reading stops near the cap."""
    compressed = bomb(encoding)
    assert len(compressed) < TEST_CAP < BOMB_BYTES
    about_a_step = 2 * STEP  # brotli's output limit is a soft one
    decoder = decoder_for(encoding)
    pieces = decoder.decode(compressed)
    size = 0
    for piece in pieces:
        assert 0 < len(piece) <= about_a_step
        size += len(piece)
        if size > TEST_CAP:
            break
    assert TEST_CAP < size <= TEST_CAP + about_a_step
    rest = sum(len(piece) for piece in pieces) + sum(len(piece) for piece in decoder.flush())
    assert rest == BOMB_BYTES - size, "the rest was still to come"


def test_the_default_cap_is_20_mb() -> None:
    client = HttpFetcher()
    try:
        assert client.max_bytes == 20 * 1024 * 1024
        assert (client.connect_timeout, client.read_timeout) == (10.0, 30.0)
    finally:
        client.close()


def test_unknown_host_is_named(fetcher: HttpFetcher) -> None:
    assert reason(fetcher, "http://feeds.example.invalid/rss") == (
        "cannot resolve host feeds.example.invalid"
    )


def test_tls_failure_is_named(server: FeedServer, fetcher: HttpFetcher) -> None:
    # TLS to a plain-HTTP port: the handshake fails as against a broken server.
    assert reason(fetcher, server.base.replace("http:", "https:") + "/feed").startswith(
        "TLS error: "
    )


def test_refused_connection(fetcher: HttpFetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert reason(fetcher, f"http://127.0.0.1:{port}/") == "connection refused by 127.0.0.1"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "feed.xml"])
def test_only_http_and_https(fetcher: HttpFetcher, url: str) -> None:
    assert reason(fetcher, url) == "only http and https URLs can be fetched"


@pytest.mark.parametrize("url", ["http://", "https://[::1", "http:///path"])
def test_malformed_urls(fetcher: HttpFetcher, url: str) -> None:
    assert reason(fetcher, url).startswith("not a valid URL")


def test_fetch_error_is_a_source_error() -> None:
    assert issubclass(FetchError, SourceError)
