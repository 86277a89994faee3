"""Commands about subscriptions (feeds and mailbox folders): subscribe, unsubscribe, sources,
refresh and opml."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from reader.archive import MailSecurity
from reader.errors import PasswordRequiredError, ReaderError
from reader.model import Subscription

from .context import EXIT_OK, EXIT_PARTIAL, Cli
from .files import write_atomically
from .formatting import counted, local_time, refresh_record, refresh_summary, subscription_record


class SourceCommands(Cli):
    """subscribe, unsubscribe, sources, refresh, opml."""

    def cmd_subscribe(self) -> int:
        if self.archive.is_mailbox_address(self.args.url):
            sub = self._subscribe_mailbox()
        else:
            mail_only = [
                flag
                for flag, name in (
                    (self.args.starttls, "--starttls"),
                    (self.args.no_tls, "--no-tls"),
                    (self.args.insecure, "--insecure"),
                    (self.args.ca_file, "--ca-file"),
                )
                if flag
            ]
            if mail_only:
                raise ReaderError(f"{mail_only[0]} is for mailbox (imap://) addresses")
            sub = self.archive.subscribe_feed(
                self.args.url, fetch_full_articles=self.args.full_articles
            )
        self.index_small_backlog()
        if self.args.json:
            self.emit(subscription_record(sub))
        else:
            self.line(f"subscribed {sub.id}: {sub.title} ({sub.story_count} stories)")
        return EXIT_OK

    def _subscribe_mailbox(self) -> Subscription:
        """The password from the keyring or the environment, else typed at a prompt (only
        when standard input is a terminal; otherwise the one-line error stands)."""
        args = self.args
        if args.full_articles:
            raise ReaderError("--full-articles is for feeds, not mailbox folders")
        security = (
            MailSecurity.STARTTLS
            if args.starttls
            else MailSecurity.NONE
            if args.no_tls
            else MailSecurity.TLS
        )
        options = {
            "security": security,
            "ca_file": args.ca_file,
            "allow_insecure": args.insecure,
        }
        try:
            return self.archive.subscribe_mailbox(args.url, **options)
        except PasswordRequiredError as err:
            if not sys.stdin.isatty():
                raise PasswordRequiredError(
                    f"{err}; or run in a terminal to type it", err.account
                ) from None
            password = getpass.getpass(f"Password for {err.account}: ")
        return self.archive.subscribe_mailbox(args.url, password=password, **options)

    def cmd_unsubscribe(self) -> int:
        sub = self.archive.unsubscribe_feed(self.args.id)
        if self.args.json:
            self.emit(subscription_record(sub))
        else:
            self.line(f"unsubscribed {sub.id}: {sub.title} (its stories stay in the archive)")
        return EXIT_OK

    def cmd_sources(self) -> int:
        subs = self.archive.subscriptions()
        if self.args.json:
            self.emit([subscription_record(sub) for sub in subs])
            return EXIT_OK
        for sub in subs:
            fetched = local_time(sub.last_fetched) if sub.last_fetched else "never"
            self.line(
                f"{sub.id:>4}  {sub.title[:40]:<40}  {sub.story_count:>5} stories"
                f"  {sub.unread_count:>5} unread  fetched {fetched}"
            )
            self.line(f"      {sub.url}")
            if sub.last_error:
                self.line(f"      last error: {sub.last_error} ({sub.error_count} in a row)")
        if not subs:
            self.line("no subscriptions; add one with `subscribe URL`")
        return EXIT_OK

    def cmd_refresh(self) -> int:
        report = self.archive.refresh(self.args.ids or None, force=self.args.force)
        self.index_small_backlog()
        if self.args.json:
            self.emit(
                {
                    "sources": [refresh_record(feed) for feed in report.feeds],
                    "new": len(report.new),
                    "versions": sum(len(feed.versions) for feed in report.feeds),
                    "failed": len(report.failed),
                }
            )
        else:
            for feed in sorted(report.feeds, key=lambda f: f.title.casefold()):
                self.line(f"{feed.feed_id:>4}  {feed.title[:40]:<40}  {refresh_summary(feed)}")
            if not report.feeds:
                self.line("no subscriptions; add one with `subscribe URL`")
        return EXIT_PARTIAL if report.failed else EXIT_OK

    def cmd_opml(self) -> int:
        if self.args.opml_command == "import":
            added = self.archive.import_opml(self.args.file)
            if self.args.json:
                self.emit({"added": added})
            else:
                self.line(f"{added} subscription(s) added; `refresh` fetches them")
            return EXIT_OK
        if not self.args.output:
            self.archive.export_opml(self.out)
            return EXIT_OK
        count = write_atomically(Path(self.args.output), self.archive.export_opml)
        print(f"exported {counted(count, 'subscriptions')} to {self.args.output}", file=sys.stderr)
        return EXIT_OK
