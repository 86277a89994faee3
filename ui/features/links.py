"""Adding a link, a feed or a mailbox folder: the "Add link, feed or mailbox…" dialog, also
opened by URLs dropped on the window. The address is fetched on the worker; a page (an article
or a digest) is imported at once, a feed offers to subscribe or to import its entries once, a
mailbox folder (``imap://``) offers to subscribe (see ``ui.dialogs.mailbox_form``). A failure shows
in the dialog as one line."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QObject, Signal, Slot

from reader.archive import Archive, UrlProbe
from reader.errors import MailboxAuthError, PasswordRequiredError, ReaderError
from reader.model import ImportReport, Subscription
from ui.core.services import Services
from ui.core.text import count
from ui.core.worker import OpContext
from ui.dialogs.add_link import AddLinkDialog, FeedFound
from ui.features.mailbox import subscribe_mailbox

POLL_SECONDS = 0.05
"""While the address is fetched, the worker runs what the window asks meanwhile this often."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)


def web_address(text: str) -> str | None:
    """``text`` if it is one http or https address (as dropped or pasted), else None."""
    text = text.strip()
    return text if _WEB_ADDRESS.match(text) and urlsplit(text).hostname else None


def normalized(text: str) -> str:
    """The address as typed, with https:// added to a bare host ("example.org/feed")."""
    text = text.strip()
    return text if not text or _SCHEME.match(text) else f"https://{text}"


@dataclass(frozen=True, slots=True)
class PageImported:
    """The address was a page: what importing it did, and the new stories' titles."""

    url: str
    report: ImportReport
    titles: list[str]


def fetch_and_import(archive: Archive, ctx: OpContext, url: str) -> FeedFound | PageImported | None:
    """On the worker: fetch ``url`` on a thread of its own, running the window's other
    operations while it waits (so a slow site does not hold up opening stories); import a page.
    None if cancelled."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="add-link")
    try:
        future: Future[UrlProbe] = executor.submit(archive.probe_url, url)
        while True:
            try:
                fetched = future.result(timeout=POLL_SECONDS)
                break
            except FutureTimeout:
                if ctx.cancelled():
                    return None
                ctx.let_others_run()
    finally:
        # A cancelled fetch finishes in the background, bounded by the client's timeouts.
        executor.shutdown(wait=False)
    if fetched.feed_title is not None:
        return FeedFound(url, fetched.feed_title, fetched.feed_entries)
    report = archive.import_probed(fetched)
    titles = [s.title for s in archive.summaries(report.imported)]
    return PageImported(url, report, titles)


class LinkAdder(QObject):
    """Runs the dialog: fetches on the worker, imports or subscribes, reports to the window."""

    feedFound = Signal(object)
    """A FeedFound: the dialog now offers Subscribe and Import entries once."""
    imported = Signal(object)
    """The ImportReport of a page, or of a feed's entries imported once."""
    subscribed = Signal(object)
    failed = Signal(str)
    """The one-line reason shown in the dialog."""

    def __init__(
        self,
        services: Services,
        reveal_story: Callable[[int], None],
        show_feed: Callable[[int], None],
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.reveal_story = reveal_story
        """Open a story just added, selected in the list once the list has it."""
        self.show_feed = show_feed
        """List a feed just subscribed to."""
        self.dialog = AddLinkDialog(services.parent)
        self.found: FeedFound | None = None
        self.mailbox: str | None = None
        """The mailbox folder address the dialog offers to subscribe to."""
        self.ticket: int | None = None
        self._request = 0
        d = self.dialog
        d.fetch_button.clicked.connect(self.on_fetch_button_clicked)
        d.url_edit.returnPressed.connect(self.on_fetch_button_clicked)
        d.url_edit.textEdited.connect(self.on_url_edit_textEdited)
        d.subscribe_button.clicked.connect(self.on_subscribe_button_clicked)
        d.import_button.clicked.connect(self.on_import_button_clicked)
        d.mailbox_box.subscribe_button.clicked.connect(self.on_mailbox_subscribe_clicked)
        d.mailbox_box.password.returnPressed.connect(self.on_mailbox_subscribe_clicked)
        d.rejected.connect(self.on_dialog_rejected)

    def ask(self, url: str = "", *, prefill: str = "") -> None:
        """Show the dialog; with ``url``, fetch it straight away; ``prefill`` is only offered."""
        d = self.dialog
        if not url and not self.busy and not d.isVisible():
            self._reset()
            d.url_edit.setText(prefill)
            d.url_edit.selectAll()
        d.show()
        d.raise_()
        d.activateWindow()
        d.url_edit.setFocus()
        if url:
            self.fetch(url)

    @property
    def busy(self) -> bool:
        return self.ticket is not None

    def _reset(self) -> None:
        self.found = None
        self.mailbox = None
        self.dialog.show_feed(None)
        self.dialog.show_mailbox(None)
        self.dialog.show_message("")
        self.dialog.set_busy(False)

    def _next(self) -> int:
        """A new request: the answers to older ones are dropped."""
        self.cancel()
        self._request += 1
        return self._request

    def cancel(self) -> None:
        if self.ticket is not None:
            self.s.worker.cancel(self.ticket)
            self.ticket = None
        self.dialog.set_busy(False)

    def fetch(self, text: str) -> None:
        url = normalized(text)
        if not url:
            self.dialog.show_message("Paste an address first.", error=True)
            return
        if Archive.is_mailbox_address(url):
            self.offer_mailbox(url)
            return
        request = self._next()
        self._reset()
        self.dialog.url_edit.setText(url)
        self.dialog.set_busy(True)
        self.dialog.show_message(f"Fetching {urlsplit(url).hostname or url}…")
        self.ticket = self.s.worker.run_long(
            lambda archive, ctx: fetch_and_import(archive, ctx, url),
            write=True,
            done=lambda result: self._on_fetched(request, result),
            failed=lambda err: self._on_failed(request, err),
        )

    def _current(self, request: int) -> bool:
        if request != self._request:
            return False
        self.ticket = None
        self.dialog.set_busy(False)
        return True

    def _on_failed(self, request: int, err: BaseException, *, what: str = "") -> None:
        """Inline in the dialog; in the status bar if the dialog has moved on (``what`` says
        what failed, for an operation that was not abandoned with it)."""
        reason = str(err) or type(err).__name__
        if self._current(request):
            self.dialog.show_message(reason, error=True)
        elif what:
            self.s.notify(f"{what}: {reason}", "")
        self.failed.emit(reason)

    def _on_fetched(self, request: int, result: FeedFound | PageImported | None) -> None:
        if not self._current(request) or result is None:
            return
        if isinstance(result, FeedFound):
            self.found = result
            self.dialog.show_message("")
            self.dialog.show_feed(result)
            self.feedFound.emit(result)
            return
        report = result.report
        if report.imported:
            what = (
                f"“{result.titles[0]}”"
                if len(result.titles) == 1
                else count(len(report.imported), "story", "stories")
            )
            self.s.notify(f"Imported {what} from {urlsplit(result.url).hostname}.", "")
            self.reveal_story(report.imported[0])
            self.dialog.hide()
        elif report.versions:
            self.s.notify("The page was in the archive already; its new text was kept.", "")
            self.reveal_story(report.versions[0].story_id)
            self.dialog.hide()
        else:
            self.dialog.show_message("This page is in the archive already.")
        self.imported.emit(report)

    @Slot()
    def on_fetch_button_clicked(self) -> None:
        self.fetch(self.dialog.url_edit.text())

    @Slot(str)
    def on_url_edit_textEdited(self, _text: str) -> None:
        """Another address: what the dialog shows was about the old one."""
        if self.found is not None or self.busy:
            self._next()
        self._reset()

    @Slot()
    def on_subscribe_button_clicked(self) -> None:
        found = self.found
        if found is None:
            return
        full = self.dialog.full_articles.isChecked()
        request = self._next()
        self.dialog.set_busy(True)
        self.dialog.show_message(f"Subscribing to {found.title}…")
        self.ticket = self.s.worker.run(
            lambda a: a.subscribe_feed(found.url, fetch_full_articles=full),
            write=True,
            done=lambda sub: self._on_subscribed(request, sub),
            failed=lambda err: self._on_failed(
                request, err, what=f"Not subscribed to {found.title}"
            ),
        )

    def offer_mailbox(self, url: str) -> None:
        """A mailbox folder: nothing to fetch before the connection is chosen."""
        self._next()
        self._reset()
        self.dialog.url_edit.setText(url)
        self.mailbox = url
        self.dialog.show_mailbox(url)
        self.dialog.show_message("A mailbox folder: choose how to connect, then Subscribe.")

    @Slot()
    def on_mailbox_subscribe_clicked(self) -> None:
        url = self.mailbox
        if url is None or self.busy:
            return
        box = self.dialog.mailbox_box
        password, security = box.typed_password(), box.chosen_security()
        request = self._next()
        self.dialog.set_busy(True)
        self.dialog.show_message(f"Reading {urlsplit(url).hostname}…")
        self.ticket = self.s.worker.run(
            lambda a: subscribe_mailbox(a, url, password, security),
            write=True,
            done=lambda result: self._on_mailbox_subscribed(request, *result),
            failed=lambda err: self._on_mailbox_failed(request, err),
        )

    def _on_mailbox_failed(self, request: int, err: BaseException) -> None:
        """No password, or a refused one: ask for it in the dialog."""
        if request == self._request and isinstance(err, PasswordRequiredError | MailboxAuthError):
            self._current(request)
            self.dialog.mailbox_box.show_password(True)
            if isinstance(err, PasswordRequiredError):
                account = urlsplit(err.account)
                who = f"{unquote(account.username or '')} on {account.hostname}:{account.port}"
                self.dialog.show_message(f"Enter the password of {who}.")
            else:
                self.dialog.show_message(str(err), error=True)
            self.failed.emit(str(err))
            return
        self._on_failed(request, err, what=f"Not subscribed to {self.mailbox or 'the folder'}")

    def _on_mailbox_subscribed(
        self, request: int, subscription: Subscription, notes: list[str]
    ) -> None:
        self.dialog.mailbox_box.password.clear()
        for note in notes:
            self.s.notices.add(note)
        self._on_subscribed(request, subscription)

    def _on_subscribed(self, request: int, subscription: Subscription) -> None:
        n = subscription.story_count
        self.s.notify(f"Subscribed to {subscription.title}: {count(n, 'story', 'stories')}.", "")
        if self._current(request):
            self.show_feed(subscription.id)
            self.dialog.hide()
            self._reset()
        self.subscribed.emit(subscription)

    @Slot()
    def on_import_button_clicked(self) -> None:
        found = self.found
        if found is None:
            return
        request = self._next()
        self.dialog.set_busy(True)
        self.dialog.show_message(f"Importing the entries of {found.title}…")
        self.ticket = self.s.worker.run(
            lambda a: a.import_url(found.url),
            write=True,
            done=lambda report: self._on_entries_imported(request, found, report),
            failed=lambda err: self._on_failed(request, err, what=f"Not imported: {found.title}"),
        )

    def _on_entries_imported(self, request: int, found: FeedFound, report: ImportReport) -> None:
        current = self._current(request)
        message = f"Imported {count(len(report.imported), 'story', 'stories')} from {found.title}"
        if report.duplicates:
            message += f" ({report.duplicates} in the archive already)"
        self.s.notify(message + ".", "")
        if current:
            if report.imported:
                self.reveal_story(report.imported[0])
            self.dialog.hide()
            self._reset()
        self.imported.emit(report)

    @Slot()
    def on_dialog_rejected(self) -> None:
        """Closing the dialog abandons a fetch; a subscription or an import already asked for
        still completes, and reports to the status bar."""
        if self.busy:
            self._next()
        self._reset()

    def import_many(self, urls: list[str]) -> None:
        """Several dropped addresses: each imported as a page or a feed's entries, no dialog."""

        def run(archive: Archive) -> tuple[ImportReport, list[str]]:
            total = ImportReport()
            failures: list[str] = []
            for url in urls:
                try:
                    total.merge(archive.import_url(url))
                except ReaderError as err:
                    failures.append(f"Not imported: {url}: {err}")
            return total, failures

        def done(result: tuple[ImportReport, list[str]]) -> None:
            report, failures = result
            stories = count(len(report.imported), "story", "stories")
            self.s.notify(f"Imported {stories} from {len(urls)} addresses.", "")
            for failure in failures:
                self.s.notices.add(failure)
            if failures:
                self.s.notices.reveal()
            self.imported.emit(report)

        self.s.status(f"Fetching {len(urls)} addresses…", 0)
        self.s.worker.run(run, write=True, done=done)
