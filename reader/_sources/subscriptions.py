"""Feed outcomes into the archive, on the thread that owns the connection: new entries become
stories, changed ones new versions of their story (its highlights re-anchored), and each fetch's
success or error (with back-off) goes on its subscription. A failed or empty fetch never removes
or replaces anything already stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlite_utils import Database

from reader._parse import canonical_text, content_hash
from reader._protocols import Fetcher, FetchResult
from reader._sources.entries import FeedEntry
from reader._sources.feeds import parse_feed
from reader._sources.opml import OpmlFeed
from reader._sources.refresh import FeedJob, FeedOutcome, fetch_feed, fetch_feeds
from reader._storage import feeds as feed_rows
from reader._storage import stories, versions
from reader._storage.db import Connection
from reader.errors import AlreadySubscribedError, NotFoundError, ReaderError
from reader.model import FeedRefresh, RefreshReport, RefreshStatus, Subscription, VersionReport

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class EntryCounts:
    new: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    unchanged: int = 0
    versions: list[VersionReport] = field(default_factory=list)


def job_for(conn: Connection, subscription: Subscription, *, force: bool = False) -> FeedJob:
    """The fetch job for a subscription; ``force`` drops the conditional-GET validators."""
    known: frozenset[str] = frozenset()
    if subscription.fetch_full_articles:
        with conn.transaction(write=False) as db:
            known = frozenset(feed_rows.known_guids(db, subscription.url))
    return FeedJob(
        url=subscription.url,
        title=subscription.title,
        feed_id=subscription.id,
        etag=None if force else subscription.etag,
        last_modified=None if force else subscription.last_modified,
        fetch_full_articles=subscription.fetch_full_articles,
        known_guids=known,
    )


def save_entries(
    conn: Connection,
    entries: Iterable[FeedEntry],
    *,
    feed_id: int | None,
    origin: str,
    fetched: datetime,
) -> EntryCounts:
    """Store the entries' stories in one transaction.

    A guid already archived is unchanged when its content matches the story's current or an
    earlier version (so an entry flapping between two texts does not pile up versions), and
    otherwise becomes the story's new version, its highlights re-anchored. A story the user
    deleted stays deleted. Without a guid match, the same URL or the same content counts as a
    duplicate.
    """
    counts = EntryCounts()
    with conn.transaction() as db:
        for entry in entries:
            for parsed in entry.stories:
                text = canonical_text(parsed.sections)
                digest = content_hash(parsed.title, text)
                state = feed_rows.entry_state(db, parsed.guid) if parsed.guid else None
                if state is not None:
                    if state.deleted or digest in state.hashes:
                        counts.unchanged += 1
                    else:
                        version = versions.add_version(
                            db,
                            state.story_id,
                            parsed,
                            text=text,
                            content_hash=digest,
                            fetched=fetched,
                        )
                        counts.changed.append(state.story_id)
                        counts.versions.append(version)
                    continue
                if (
                    parsed.url and stories.find_duplicate(db, url=parsed.url)
                ) or stories.find_duplicate(db, content_hash=digest):
                    counts.unchanged += 1
                    continue
                story_id = feed_rows.add_feed_story(
                    db,
                    parsed,
                    feed_id=feed_id,
                    tag_names=entry.tags,
                    text=text,
                    content_hash=digest,
                    origin=origin,
                    fetched=fetched,
                )
                counts.new.append(story_id)
    return counts


def outcome_goes_on(
    db: Database, report: FeedRefresh, error: ReaderError | None, fetched: datetime
) -> bool:
    """Whether a source's fetched outcome is to be stored: not when it was unsubscribed
    meanwhile, nor when the fetch failed (the failure, with its back-off, is recorded on the
    subscription instead). ``report`` says which. Called inside the outcome's transaction."""
    try:
        feed_rows.get_feed(db, report.feed_id)
    except NotFoundError:
        report.status, report.error = RefreshStatus.ERROR, "unsubscribed during the refresh"
        return False
    if error is not None:
        report.status, report.error = RefreshStatus.ERROR, str(error)
        report.next_attempt = feed_rows.record_failure(
            db, report.feed_id, fetched=fetched, error=str(error)
        )
        return False
    return True


def apply_outcome(conn: Connection, outcome: FeedOutcome) -> FeedRefresh:
    """Record one feed's outcome on its subscription (and its entries in the archive)."""
    job = outcome.job
    assert job.feed_id is not None, "only subscribed feeds are refreshed"
    report = FeedRefresh(feed_id=job.feed_id, title=job.title, url=job.url, status=RefreshStatus.OK)
    with conn.transaction() as db:
        if not outcome_goes_on(db, report, outcome.error, outcome.fetched):
            return report
        feed = outcome.feed
        if feed is None:
            report.status = RefreshStatus.NOT_MODIFIED
        else:
            counts = save_entries(
                conn, feed.entries, feed_id=job.feed_id, origin=job.url, fetched=outcome.fetched
            )
            report.new, report.changed = counts.new, counts.changed
            report.versions = counts.versions
            report.unchanged = counts.unchanged + outcome.skipped
            report.title = feed.title
        feed_rows.record_success(
            db,
            job.feed_id,
            fetched=outcome.fetched,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            title=feed.title if feed else None,
            site_url=feed.site_url if feed else None,
            kind=feed.kind if feed else None,
        )
    return report


def subscribe(
    conn: Connection, fetcher: Fetcher, url: str, *, fetch_full_articles: bool = False
) -> tuple[int, FeedRefresh]:
    """Fetch the feed at ``url`` and, only if that worked, save the subscription and its
    entries in one transaction. Returns the new feed id and what was stored."""
    url = url.strip()
    with conn.transaction(write=False) as db:
        existing = feed_rows.feed_id_for_url(db, url)
    if existing is not None:
        raise AlreadySubscribedError(f"already subscribed to {url} (source {existing})")
    job = FeedJob(url=url, title=url, fetch_full_articles=fetch_full_articles)
    outcome = fetch_feed(job, fetcher)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.feed is not None, "a request without validators cannot be not-modified"
    with conn.transaction() as db:
        feed_id = feed_rows.add_feed(
            db,
            url,
            title=outcome.feed.title,
            fetch_full_articles=fetch_full_articles,
            site_url=outcome.feed.site_url,
            kind=outcome.feed.kind,
        )
        refreshed = apply_outcome(conn, replace(outcome, job=replace(job, feed_id=feed_id)))
    return feed_id, refreshed


def refresh_feeds(
    conn: Connection,
    fetcher: Fetcher,
    ids: Sequence[int] | None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    force: bool = False,
) -> RefreshReport:
    """Fetch the subscriptions in parallel and store each outcome as it arrives.

    With ``ids`` None: every subscription not backing off (the others are reported as
    "skipped"), or all of them with ``force``. Ids asked for are always fetched.
    """
    report = RefreshReport()
    # Mailbox folders are read by reader._sources.mailboxes, not fetched over HTTP.
    with conn.transaction(write=False) as db:
        feeds = [sub for sub in feed_rows.list_feeds(db) if sub.kind != "mailbox"]
        asked = None if ids is None else [feed_rows.get_feed(db, i) for i in dict.fromkeys(ids)]
        due = {sub.id for sub in feed_rows.due_feeds(db, datetime.now(UTC))}
    if asked is not None:
        chosen = asked
    elif force:
        chosen = feeds
    else:
        chosen = [sub for sub in feeds if sub.id in due]
        report.feeds.extend(skipped(sub) for sub in feeds if sub.id not in due)
    jobs = [job_for(conn, sub, force=force) for sub in chosen]
    done = 0
    if progress is not None:
        progress(0, len(jobs), "")
    for outcome in fetch_feeds(jobs, fetcher, cancelled=cancelled):
        report.feeds.append(apply_outcome(conn, outcome))
        done += 1
        if progress is not None:
            progress(done, len(jobs), outcome.job.title)
    report.cancelled = done < len(jobs)
    return report


def import_feed(conn: Connection, result: FetchResult, *, url: str) -> EntryCounts:
    """Store the entries of a fetched feed without subscribing; linked to the subscription
    if there is one for ``url``."""
    feed = parse_feed(
        result.body, feed_url=url, base_url=result.url_final, content_type=result.content_type
    )
    with conn.transaction(write=False) as db:
        feed_id = feed_rows.feed_id_for_url(db, url)
    return save_entries(
        conn,
        feed.entries,
        feed_id=feed_id,
        origin=url,
        fetched=datetime.now(UTC),
    )


def add_feeds(conn: Connection, feeds: Iterable[OpmlFeed]) -> int:
    """Subscribe to feeds without fetching them (they are due at once); returns how many
    were new."""
    added = 0
    with conn.transaction() as db:
        for feed in feeds:
            if feed_rows.feed_id_for_url(db, feed.url) is None:
                feed_rows.add_feed(db, feed.url, title=feed.title, site_url=feed.site_url)
                added += 1
    return added


def skipped(subscription: Subscription) -> FeedRefresh:
    """The report of a subscription left out of a refresh because it is backing off."""
    return FeedRefresh(
        feed_id=subscription.id,
        title=subscription.title,
        url=subscription.url,
        status=RefreshStatus.SKIPPED,
        error=subscription.last_error,
        next_attempt=subscription.next_attempt,
    )
