"""The refresh engine: fetches many feeds at once (a bound in total and per host), reads each
into entries on its worker thread, and hands the outcomes back, one by one as they finish, to
the calling thread, which alone writes to the archive."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from reader._parse import parse_bytes
from reader._protocols import Fetcher, FetchResult
from reader._sources.entries import FeedEntry, ParsedFeed
from reader._sources.feeds import feed_format, parse_feed
from reader.errors import FeedError, ReaderError

J = TypeVar("J")
R = TypeVar("R")

MAX_WORKERS = 8
PER_HOST = 2
MAX_ARTICLES = 50
"""Full articles fetched for one feed in one refresh; entries past this keep their summary."""
_CANCEL_POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class FeedJob:
    """One feed to fetch. ``known_guids`` (only needed with ``fetch_full_articles``) are the
    story guids already archived, whose articles need not be fetched again."""

    url: str
    title: str
    feed_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetch_full_articles: bool = False
    known_guids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What fetching one feed gave: the feed, or ``not_modified``, or an ``error``.

    ``skipped`` counts entries left out because they are archived already and only their
    summary came (storing it would look like a change to the full article we hold).
    """

    job: FeedJob
    fetched: datetime
    feed: ParsedFeed | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: ReaderError | None = None
    skipped: int = 0


class HostLimiter:
    """At most ``per_host`` requests at a time to any one host, across threads."""

    def __init__(self, per_host: int = PER_HOST) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with semaphore:
            yield


def read_feed_response(result: FetchResult, *, feed_url: str) -> ParsedFeed:
    """The feed a fetch returned; FeedError if it is a web page or not a valid feed."""
    if feed_format(result.body, result.content_type) is None:
        raise FeedError("not a feed: the address gives a web page, not RSS, Atom or JSON Feed")
    return parse_feed(
        result.body,
        feed_url=feed_url,
        base_url=result.url_final,
        content_type=result.content_type,
    )


def fetch_feed(job: FeedJob, fetcher: Fetcher, limiter: HostLimiter | None = None) -> FeedOutcome:
    """Fetch and read one feed (and its full articles, if asked). Expected failures come back
    as the outcome's ``error``; anything else is a bug and propagates."""
    limiter = limiter or HostLimiter()
    fetched = datetime.now(UTC)
    try:
        with limiter.slot(job.url):
            result = fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
        if result.not_modified:
            return FeedOutcome(
                job,
                fetched,
                etag=result.etag,
                last_modified=result.last_modified,
                not_modified=True,
            )
        feed = read_feed_response(result, feed_url=job.url)
    except ReaderError as err:
        return FeedOutcome(job, fetched, error=err)
    skipped = 0
    if job.fetch_full_articles:
        feed, skipped = _with_full_articles(feed, job, fetcher, limiter)
    return FeedOutcome(
        job,
        fetched,
        feed=feed,
        etag=result.etag,
        last_modified=result.last_modified,
        skipped=skipped,
    )


def fetch_feeds(
    jobs: Sequence[FeedJob],
    fetcher: Fetcher,
    *,
    max_workers: int = MAX_WORKERS,
    per_host: int = PER_HOST,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[FeedOutcome]:
    """Outcomes in the order the feeds finish, yielded on the calling thread.

    When ``cancelled()`` turns true, feeds not started are dropped and the iteration ends;
    fetches already running finish in the background (their timeouts bound them) unseen.
    """
    limiter = HostLimiter(per_host)
    yield from run_parallel(
        jobs,
        lambda job: fetch_feed(job, fetcher, limiter),
        max_workers=max_workers,
        name="refresh",
        cancelled=cancelled,
    )


def run_parallel(
    jobs: Sequence[J],
    work: Callable[[J], R],
    *,
    max_workers: int,
    name: str,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[R]:
    """``work(job)`` for every job on a pool of threads, each result yielded on the calling
    thread as it finishes. When ``cancelled()`` turns true, jobs not started are dropped and
    the iteration ends; those running finish in the background unseen."""
    if not jobs:
        return
    executor = ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(jobs))), thread_name_prefix=name
    )
    try:
        pending: set[Future[R]] = {executor.submit(work, job) for job in jobs}
        while pending:
            if cancelled is not None and cancelled():
                return
            timeout = _CANCEL_POLL_SECONDS if cancelled is not None else None
            done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _with_full_articles(
    feed: ParsedFeed, job: FeedJob, fetcher: Fetcher, limiter: HostLimiter
) -> tuple[ParsedFeed, int]:
    entries: list[FeedEntry] = []
    skipped = 0
    budget = MAX_ARTICLES
    for entry in feed.entries:
        if not entry.summary_only or len(entry.stories) != 1:
            entries.append(entry)
        elif entry.stories[0].guid in job.known_guids:
            skipped += 1
        elif budget > 0:
            budget -= 1
            entries.append(_full_article(entry, fetcher, limiter))
        else:
            entries.append(entry)
    return replace(feed, entries=tuple(entries)), skipped


def _full_article(entry: FeedEntry, fetcher: Fetcher, limiter: HostLimiter) -> FeedEntry:
    """The entry with its linked page's article in place of the summary; the summary stays
    when the page cannot be fetched or read as one article."""
    assert entry.link is not None
    summary = entry.stories[0]
    try:
        with limiter.slot(entry.link):
            result = fetcher.fetch(entry.link)
        if feed_format(result.body, result.content_type) is not None:
            return entry
        stories = parse_bytes(result.body, url=result.url_final, content_type=result.content_type)
    except ReaderError:
        return entry
    if len(stories) != 1:
        return entry
    article = replace(
        stories[0],
        title=summary.title,
        url=summary.url,
        guid=summary.guid,
        byline=summary.byline or stories[0].byline,
        published=summary.published or stories[0].published,
        source=stories[0].source or summary.source,
    )
    return replace(entry, stories=(article,), summary_only=False)
