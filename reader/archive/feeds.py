"""Feed subscriptions: subscribing, unsubscribing, refreshing in parallel, and OPML in and out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from reader.archive.core import ArchiveBase, ProgressCallback
from reader.model import (
    RefreshReport,
    Subscription,
)
from reader.sources.files import read_file
from reader.sources.opml import read_opml, write_opml
from reader.sources.subscriptions import add_feeds, refresh_feeds, subscribe


class FeedsMixin(ArchiveBase):
    """Subscription methods of :class:`~reader.archive.Archive`."""

    # -- subscriptions ----------------------------------------------------------------------

    def subscribe_feed(self, url: str, *, fetch_full_articles: bool = False) -> Subscription:
        """Subscribe to the feed at ``url`` and import its entries.

        The feed is fetched first: if that fails, or the address is not a feed, a one-line
        ReaderError is raised and nothing is saved. (``subscribe`` is the change listener.)
        """
        feed_id, refreshed = subscribe(
            self.store, self.fetcher, url, fetch_full_articles=fetch_full_articles
        )
        self._emit("subscriptions")
        if refreshed.new:
            self._emit("stories")
        return self.store.get_feed(feed_id)

    def unsubscribe_feed(self, feed_id: int) -> Subscription:
        """Forget a subscription and return it; its stories stay in the archive."""
        subscription = self.store.get_feed(feed_id)
        self.store.delete_feed(feed_id)
        self._emit("subscriptions")
        return subscription

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its fetch status and story and unread counts, by title."""
        return self.store.feeds()

    def subscription(self, feed_id: int) -> Subscription:
        return self.store.get_feed(feed_id)

    def set_fetch_full_articles(self, feed_id: int, enabled: bool) -> Subscription:
        """Whether entries with only a short summary fetch the article they link to."""
        self.store.set_fetch_full_articles(feed_id, enabled)
        self._emit("subscriptions")
        return self.store.get_feed(feed_id)

    def refresh(
        self,
        ids: Iterable[int] | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        force: bool = False,
    ) -> RefreshReport:
        """Fetch subscriptions in parallel and store what is new or changed.

        With no ``ids``, every subscription that is not backing off after errors (those come
        back as "skipped"); ids that are asked for are always fetched. ``force`` also fetches
        the backing-off ones, and without conditional GET. Writes happen on this thread.
        """
        report = refresh_feeds(
            self.store,
            self.fetcher,
            None if ids is None else list(ids),
            progress=progress,
            cancelled=cancelled,
            force=force,
        )
        self._emit("subscriptions")
        if report.new or any(feed.changed for feed in report.feeds):
            self._emit("stories")
        if any(v.moved or v.changed or v.orphaned for f in report.feeds for v in f.versions):
            self._emit("highlights")
        return report

    def import_opml(self, path: str | Path) -> int:
        """Subscribe to every feed an OPML file lists (fetched at the next refresh); returns
        how many were new."""
        added = add_feeds(self.store, read_opml(read_file(Path(path))))
        if added:
            self._emit("subscriptions")
        return added

    def export_opml(self, out: IO[str]) -> int:
        """Write the subscriptions as OPML 2.0; returns how many."""
        return write_opml(self.store.feeds(), out)
