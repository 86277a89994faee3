"""Feeds: refreshing (on the worker, with progress, cancel and new stories shown
as each feed arrives), the refresh schedule, a feed's menu commands, and OPML import and export.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QToolButton

from reader.archive import Archive
from reader.errors import ExportError
from reader.model import RefreshReport, RefreshStatus, Subscription
from ui.core.services import LiveList, Services
from ui.core.text import count
from ui.core.worker import OpContext
from ui.panes.sidebar import Sidebar

OPML_FILTER = "OPML subscription lists (*.opml *.xml);;All files (*)"


def summary(report: RefreshReport, total: int) -> str:
    """ "3 feeds refreshed: 12 new, 1 changed, 1 failed"."""
    fetched = [f for f in report.feeds if f.status != RefreshStatus.SKIPPED]
    skipped = len(report.feeds) - len(fetched)
    changed = sum(len(f.changed) for f in report.feeds)
    parts = [f"{len(report.new)} new"]
    if changed:
        parts.append(f"{changed} changed")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    if skipped:
        parts.append(f"{skipped} waiting to retry after errors")
    if report.cancelled:
        head = f"Refresh cancelled after {len(fetched)} of {count(total, 'feed', 'feeds')}"
    else:
        head = f"{count(len(fetched), 'feed', 'feeds')} refreshed"
    return f"{head}: {', '.join(parts)}."


class Feeds(QObject):
    finished = Signal(object)
    """The RefreshReport of a refresh, or None if it failed as a whole."""
    opmlImported = Signal(int)
    opmlExported = Signal(int)

    def __init__(
        self, services: Services, sidebar: Sidebar, live_list: Callable[[], LiveList[Any]]
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.sidebar = sidebar
        self.live_list = live_list
        """What the story list and the sidebar show now, to show new stories as feeds arrive."""
        self.ticket: int | None = None
        self.scheduled = False
        self.errors_before: dict[int, str | None] = {}
        """Each feed's error before the refresh: a scheduled one reports only new errors."""
        self.total = 0
        self.progress = QProgressBar(services.parent)
        self.progress.setObjectName("refresh-progress")
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QToolButton(services.parent)
        self.cancel_button.setText("Stop")
        self.cancel_button.setToolTip("Stop refreshing feeds")
        self.cancel_button.setObjectName("cancel-refresh")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.timer = QTimer(self)
        self.timer.setObjectName("refresh-timer")
        self.timer.timeout.connect(self.on_timer_timeout)
        self.set_interval(services.prefs.get("feeds/refresh_minutes"))

    # -- refresh --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.ticket is not None

    def refresh(self, ids: Iterable[int] | None = None, *, scheduled: bool = False) -> bool:
        """Refresh ``ids`` (by default every feed not waiting after errors); False if a refresh
        is running already."""
        if self.running:
            if not scheduled:
                self.s.status("The feeds are being refreshed already.", 5000)
            return False
        chosen = None if ids is None else list(ids)
        live = self.live_list()
        owner: list[int] = []

        def run(archive: Archive, ctx: OpContext) -> RefreshReport:
            owner.append(threading.get_ident())

            def progress(done: int, total: int, title: str) -> None:
                ctx.progress(done, total, title)
                if done:
                    ctx.partial(live.query(archive))
                ctx.let_others_run()

            def cancelled() -> bool:
                # Polled on this thread between feeds while fetches are out, with no
                # transaction open: the window's own operations run here meanwhile instead
                # of waiting for the slowest feed.
                if threading.get_ident() == owner[0]:
                    ctx.let_others_run()
                return ctx.cancelled()

            return archive.refresh(chosen, progress=progress, cancelled=cancelled)

        self.scheduled = scheduled
        self.errors_before = {i: f.last_error for i, f in self.sidebar.feeds.items()}
        self.total = 0
        self.progress.setRange(0, 0)
        self.progress.setFormat("")
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.s.status("Refreshing feeds…", 0)
        self.ticket = self.s.worker.run_long(
            run,
            write=True,
            done=self._on_done,
            failed=self._on_failed,
            progress=self._on_progress,
            partial=live.apply,
        )
        return True

    def refresh_all(self) -> None:
        """The Refresh command: every feed, or a hint if there are none."""
        if self.sidebar.feeds:
            self.refresh()
        else:
            self.s.status(
                "No feeds yet: add one with File ▸ Add link, feed or mailbox… (Ctrl+L).", 8000
            )

    def cancel(self) -> None:
        if self.ticket is not None:
            self.s.worker.cancel(self.ticket)
            self.cancel_button.setEnabled(False)
            self.s.status("Stopping the refresh…", 0)

    @Slot()
    def on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _on_progress(self, done: int, total: int, title: str) -> None:
        self.total = total
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")
        if self.cancel_button.isEnabled():
            where = f" — {title}" if title else ""
            self.s.status(f"Refreshing feeds {done}/{total}{where}", 0)

    def _end(self) -> None:
        self.ticket = None
        self.progress.hide()
        self.cancel_button.hide()

    def _on_done(self, report: RefreshReport) -> None:
        self._end()
        message = summary(report, self.total)
        news = report.new or report.failed or any(f.changed for f in report.feeds)
        if self.scheduled and not news:
            # Every hour "0 new" would bury what the Notifications list is for.
            self.s.status(message, 10000)
        else:
            self.s.notify(message, "")
        for feed in report.failed:
            before = self.errors_before.get(feed.feed_id)
            if not self.scheduled or feed.error != before:
                self.s.notices.add(f"{feed.title}: {feed.error}", feed.url)
        for feed in report.feeds:
            for version in feed.versions:
                if version.orphaned:
                    self.s.notices.add(
                        f"“{version.title}” has a new version; "
                        f"{count(version.orphaned, 'highlight', 'highlights')} found no place "
                        "in it and were kept aside."
                    )
        if report.failed and not self.scheduled:
            self.s.notices.reveal()
        self.finished.emit(report)

    def _on_failed(self, err: BaseException) -> None:
        self._end()
        self.s.notify(f"Refresh failed: {err}", "")
        self.finished.emit(None)

    # -- schedule -------------------------------------------------------------------------

    def set_interval(self, minutes: int) -> None:
        """Refresh every ``minutes`` (0: never on a schedule)."""
        self.s.prefs.set("feeds/refresh_minutes", minutes)
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    @Slot()
    def on_timer_timeout(self) -> None:
        if self.sidebar.feeds:
            self.refresh(scheduled=True)

    # -- one feed -------------------------------------------------------------------------

    def set_full_articles(self, feed_id: int, enabled: bool) -> None:
        self.s.worker.run(lambda a: a.set_fetch_full_articles(feed_id, enabled), write=True)

    def confirm_unsubscribe(self, feed: Subscription) -> bool:
        stories = count(feed.story_count, "story", "stories")
        answer = QMessageBox.question(
            self.s.parent,
            "Unsubscribe",
            f"Unsubscribe from “{feed.title}”?\n\nIts {stories} stay in the archive.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def unsubscribe(self, feed_id: int) -> None:
        feed = self.sidebar.feeds.get(feed_id)
        if feed is None or not self.confirm_unsubscribe(feed):
            return
        self.s.worker.run(
            lambda a: a.unsubscribe_feed(feed_id),
            write=True,
            done=lambda sub: self.s.notify(
                f"Unsubscribed from {sub.title}; its stories stay in the archive.", ""
            ),
        )

    # -- OPML -----------------------------------------------------------------------------

    def import_opml(self, path: str) -> None:
        name = Path(path).name

        def done(added: int) -> None:
            if added:
                self.s.notify(
                    f"Added {count(added, 'subscription', 'subscriptions')} from {name}; "
                    "fetching them now.",
                    "",
                )
                self.refresh()
            else:
                self.s.notify(f"No new subscriptions in {name}.", "")
            self.opmlImported.emit(added)

        self.s.worker.run(
            lambda a: a.import_opml(path),
            write=True,
            done=done,
            failed=lambda err: self.s.notify(f"Cannot import {name}: {err}", ""),
        )

    def export_opml(self, path: str) -> None:
        target = Path(path)

        def run(archive: Archive) -> int:
            buffer = io.StringIO()
            n = archive.export_opml(buffer)
            try:
                target.write_text(buffer.getvalue(), encoding="utf-8")
            except OSError as err:
                raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
            return n

        def done(n: int) -> None:
            self.s.notify(
                f"Exported {count(n, 'subscription', 'subscriptions')} to {target.name}.", ""
            )
            self.opmlExported.emit(n)

        self.s.worker.run(
            run, done=done, failed=lambda err: self.s.notify(f"Export failed: {err}", "")
        )

    def ask_import_opml(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.s.parent, "Import subscriptions", "", OPML_FILTER
        )
        if path:
            self.import_opml(path)

    def ask_export_opml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.s.parent, "Export subscriptions", "subscriptions.opml", OPML_FILTER
        )
        if path:
            self.export_opml(path)
