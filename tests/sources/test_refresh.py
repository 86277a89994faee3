"""The refresh engine with a fetcher double: parallel within the bounds (per host and in total),
outcomes delivered on the calling thread, errors kept per feed, cancellation."""

from __future__ import annotations

import threading
from collections import Counter

from reader._protocols import FetchResult
from reader._sources.refresh import FeedJob, FeedOutcome, fetch_feeds
from reader.errors import FetchError

FEED = b"""<rss version="2.0"><channel><title>Stub</title>
<item><title>One</title><link>https://stub.example/1</link><guid>1</guid>
<description>Stub text for one entry.</description></item></channel></rss>"""


class GatedFetcher:
    """Holds each fetch briefly so that concurrent ones pile up, and records how many ran at
    once per host and in total."""

    def __init__(self, hold: float = 0.15) -> None:
        self.hold = hold
        self.lock = threading.Lock()
        self.running: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.peak_total = 0
        self.threads: set[str] = set()
        self.never = threading.Event()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        host = url.split("/")[2]
        with self.lock:
            self.running[host] += 1
            self.peak[host] = max(self.peak[host], self.running[host])
            self.peak_total = max(self.peak_total, sum(self.running.values()))
            self.threads.add(threading.current_thread().name)
        try:
            # A bounded wait on an event nobody sets: time for the others to arrive.
            self.never.wait(self.hold)
            if "broken" in url:
                raise FetchError("HTTP 503 Service Unavailable")
            return FetchResult(url, 200, "application/rss+xml", None, FEED)
        finally:
            with self.lock:
                self.running[host] -= 1


def jobs(host: str, count: int) -> list[FeedJob]:
    return [FeedJob(url=f"https://{host}/feed/{n}", title=f"{host} {n}") for n in range(count)]


def test_at_most_two_per_host_and_eight_in_all() -> None:
    fetcher = GatedFetcher()
    work = (
        jobs("a.example", 5)
        + jobs("b.example", 5)
        + [FeedJob(url=f"https://host{n}.example/feed", title=f"h{n}") for n in range(8)]
    )
    caller = threading.current_thread().name
    delivered_on: set[str] = set()
    outcomes = []
    for outcome in fetch_feeds(work, fetcher):
        delivered_on.add(threading.current_thread().name)
        outcomes.append(outcome)
    assert len(outcomes) == len(work) and all(o.feed is not None for o in outcomes)
    assert fetcher.peak["a.example"] == 2 and fetcher.peak["b.example"] == 2
    assert fetcher.peak_total <= 8
    assert len(fetcher.threads) > 1, "fetched in parallel"
    assert delivered_on == {caller}, "outcomes come back on the calling thread"


def test_errors_stay_with_their_feed() -> None:
    work = [FeedJob(url="https://ok.example/feed", title="ok")]
    work.append(FeedJob(url="https://broken.example/feed", title="broken"))
    outcomes = {o.job.title: o for o in fetch_feeds(work, GatedFetcher(hold=0))}
    assert str(outcomes["broken"].error) == "HTTP 503 Service Unavailable"
    assert outcomes["broken"].feed is None
    assert outcomes["ok"].error is None and outcomes["ok"].feed is not None


def test_cancelling_stops_delivering() -> None:
    fetcher = GatedFetcher()
    seen: list[FeedOutcome] = []
    for outcome in fetch_feeds(jobs("a.example", 6), fetcher, cancelled=lambda: len(seen) >= 1):
        seen.append(outcome)
    assert len(seen) < 6


def test_no_jobs_no_threads() -> None:
    assert list(fetch_feeds([], GatedFetcher())) == []
