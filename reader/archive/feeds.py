"""Feed subscriptions: subscribing, unsubscribing, refreshing in parallel, and OPML in and out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from reader._sources import credentials, mailboxes
from reader._sources.files import read_file
from reader._sources.opml import read_opml, write_opml
from reader._sources.subscriptions import add_feeds, refresh_feeds, skipped, subscribe
from reader._storage import feeds
from reader.archive.core import ArchiveBase, ProgressCallback
from reader.model import (
    Changed,
    RefreshReport,
    Subscription,
)


class FeedsMixin(ArchiveBase):
    """Subscription methods of :class:`~reader.archive.Archive`."""

    # -- subscriptions ----------------------------------------------------------------------

    def subscribe_feed(self, url: str, *, fetch_full_articles: bool = False) -> Subscription:
        """Subscribe to the feed at ``url`` and import its entries.

        The feed is fetched first: if that fails, or the address is not a feed, a one-line
        ReaderError is raised and nothing is saved.
        """
        feed_id, refreshed = subscribe(
            self._db, self._fetcher, url, fetch_full_articles=fetch_full_articles
        )
        self._emit(Changed.SUBSCRIPTIONS)
        if refreshed.new:
            self._emit(Changed.STORIES)
        return self.subscription(feed_id)

    def unsubscribe_feed(self, feed_id: int) -> Subscription:
        """Forget a subscription (a feed or a mailbox folder) and return it; its stories stay
        in the archive. A mailbox's password leaves the keyring unless another folder of the
        same login still needs it."""
        with self._writing() as db:
            subscription = feeds.get_feed(db, feed_id)
            account = mailboxes.account_of(db, feed_id)
            feeds.delete_feed(db, feed_id)
            still_needed = account is not None and mailboxes.account_in_use(db, account)
        if account is not None and not still_needed:
            credentials.forget(account)
        self._emit(Changed.SUBSCRIPTIONS)
        return subscription

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its fetch status and story and unread counts, by title."""
        with self._reading() as db:
            return feeds.list_feeds(db)

    def subscription(self, feed_id: int) -> Subscription:
        with self._reading() as db:
            return feeds.get_feed(db, feed_id)

    def set_fetch_full_articles(self, feed_id: int, enabled: bool) -> Subscription:
        """Whether entries with only a short summary fetch the article they link to."""
        with self._writing() as db:
            feeds.set_fetch_full_articles(db, feed_id, enabled)
            subscription = feeds.get_feed(db, feed_id)
        self._emit(Changed.SUBSCRIPTIONS)
        return subscription

    def refresh(
        self,
        ids: Iterable[int] | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        force: bool = False,
    ) -> RefreshReport:
        """Fetch subscriptions (feeds, then mailbox folders) in parallel and store what is new
        or changed.

        With no ``ids``, every subscription that is not backing off after errors (those come
        back as "skipped"); ids that are asked for are always fetched. ``force`` also fetches
        the backing-off ones, and without conditional GET. Writes happen on this thread.
        """
        chosen = None if ids is None else list(dict.fromkeys(ids))
        folders = [sub for sub in self.subscriptions() if sub.kind == "mailbox"]
        if chosen is not None:
            wanted = {sub.id: sub for sub in folders}
            folders = [wanted[i] for i in chosen if i in wanted]
            chosen = [i for i in chosen if i not in wanted]
        steps = _Steps(progress, len(folders))
        report = refresh_feeds(
            self._db,
            self._fetcher,
            chosen,
            progress=steps.feeds,
            cancelled=cancelled,
            force=force,
        )
        if not report.cancelled:
            self._refresh_mailboxes(
                folders, report, steps, cancelled=cancelled, force=force or ids is not None
            )
        self._emit(Changed.SUBSCRIPTIONS)
        if report.new or any(feed.changed for feed in report.feeds):
            self._emit(Changed.STORIES)
        if any(v.moved or v.changed or v.orphaned for f in report.feeds for v in f.versions):
            self._emit(Changed.HIGHLIGHTS)
        return report

    def import_opml(self, path: str | Path) -> int:
        """Subscribe to every feed an OPML file lists (fetched at the next refresh); returns
        how many were new."""
        added = add_feeds(self._db, read_opml(read_file(Path(path))))
        if added:
            self._emit(Changed.SUBSCRIPTIONS)
        return added

    def export_opml(self, out: IO[str]) -> int:
        """Write the feed subscriptions (not mailbox folders) as OPML 2.0; returns how many."""
        return write_opml([sub for sub in self.subscriptions() if sub.kind != "mailbox"], out)

    def _refresh_mailboxes(
        self,
        folders: list[Subscription],
        report: RefreshReport,
        steps: _Steps,
        *,
        cancelled: Callable[[], bool] | None,
        force: bool,
    ) -> None:
        """Read the mailbox folders (those backing off only with ``force``) and add their
        outcomes to ``report``."""
        with self._reading() as db:
            due = {sub.id for sub in feeds.due_feeds(db, datetime.now(UTC))}
        ready = [sub for sub in folders if force or sub.id in due]
        report.feeds.extend(skipped(sub) for sub in folders if sub not in ready)
        jobs = mailboxes.jobs_for(self._db, ready)
        done = 0
        for outcome in mailboxes.fetch_mailboxes(jobs, self._imap_connect, cancelled=cancelled):
            report.feeds.append(mailboxes.apply_outcome(self._db, outcome))
            done += 1
            steps.folder(done, outcome.job.title)
        report.cancelled = done < len(jobs)


class _Steps:
    """One progress count over a refresh's feeds and then its mailbox folders."""

    def __init__(self, progress: ProgressCallback | None, folders: int) -> None:
        self.progress = progress
        self.folders = folders
        self.feed_total = 0

    def feeds(self, done: int, total: int, title: str) -> None:
        self.feed_total = total
        if self.progress is not None:
            self.progress(done, total + self.folders, title)

    def folder(self, done: int, title: str) -> None:
        if self.progress is not None:
            self.progress(self.feed_total + done, self.feed_total + self.folders, title)
