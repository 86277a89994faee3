"""The command line: the same facade as the window, for scripts and for people at a terminal.

Every command takes ``--data-dir``; commands that print data take ``--json``. Errors are one
line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from reader.archive import Archive
from reader.errors import ExportError, ReaderError
from reader.export import FORMATS
from reader.export.records import (
    highlight_record,
    hit_record,
    iso,
    note_record,
    story_record,
    summary_record,
)
from reader.model import Color, FeedRefresh, Subscription
from reader.paths import resolve_data_dir

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PARTIAL = 3
"""``import`` exits with this when some files failed but others were imported, and
``refresh`` when some sources failed."""


def _common(parser: argparse.ArgumentParser, *, json_flag: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="archive folder (default: $READER_DATA_DIR, else the user data dir)",
    )
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="story-reader",
        description="Collect, read, highlight and search news stories offline. "
        "With no command, opens the window.",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="archive folder")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="render the window offscreen to a PNG and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import", help="import files, folders and http(s) URLs (.html .htm .md .txt, feeds)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    _common(p, json_flag=True)

    p = sub.add_parser("subscribe", help="subscribe to an RSS, Atom or JSON feed")
    p.add_argument("url", metavar="URL")
    p.add_argument(
        "--full-articles",
        action="store_true",
        help="for entries with only a short summary, fetch the article they link to",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("unsubscribe", help="stop following a feed (its stories stay)")
    p.add_argument("id", type=int, help="source id (see `sources`)")
    _common(p, json_flag=True)

    p = sub.add_parser("sources", help="list subscriptions with their fetch status")
    _common(p, json_flag=True)

    p = sub.add_parser("refresh", help="fetch new stories from subscriptions")
    p.add_argument("ids", nargs="*", type=int, metavar="ID", help="source ids (default: all)")
    p.add_argument(
        "--force",
        action="store_true",
        help="also sources backing off after errors, and without conditional GET",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("opml", help="import or export subscriptions as OPML")
    opml = p.add_subparsers(dest="opml_command", metavar="ACTION", required=True)
    q = opml.add_parser("import", help="subscribe to the feeds an OPML file lists")
    q.add_argument("file", metavar="FILE")
    _common(q, json_flag=True)
    q = opml.add_parser("export", help="write subscriptions as OPML 2.0")
    q.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _common(q)

    p = sub.add_parser("list", help="list stories, newest first")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p.add_argument(
        "--view",
        choices=("all", "unread", "starred", "highlighted", "archived"),
        default="all",
    )
    _common(p, json_flag=True)

    p = sub.add_parser("show", help="show one story with its highlights and notes")
    p.add_argument("id", type=int)
    _common(p, json_flag=True)

    p = sub.add_parser("search", help="search stories, highlights and notes")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    _common(p, json_flag=True)

    p = sub.add_parser("highlight", help="highlight the first occurrence of a quote")
    p.add_argument("id", type=int, help="story id")
    p.add_argument("--quote", required=True, metavar="TEXT")
    p.add_argument("--color", choices=[c.value for c in Color], default=Color.YELLOW.value)
    p.add_argument("--note", default="", metavar="TEXT")
    _common(p, json_flag=True)

    p = sub.add_parser("note", help="add a note to a whole story")
    p.add_argument("id", type=int, help="story id")
    p.add_argument("text")
    _common(p, json_flag=True)

    p = sub.add_parser("export", help="export the archive with highlights and notes")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _common(p)

    p = sub.add_parser("reindex", help="rebuild the search index from the database")
    _common(p, json_flag=True)

    p = sub.add_parser("check", help="check the database and that the index agrees with it")
    _common(p, json_flag=True)
    return parser


class Cli:
    """Runs one parsed command against an archive, writing to ``out``."""

    def __init__(self, args: argparse.Namespace, archive: Archive, out: TextIO) -> None:
        self.args = args
        self.archive = archive
        self.out = out

    def emit(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def cmd_import(self) -> int:
        report = self.archive.import_paths(self.args.paths)
        self.archive.sync_index()
        if self.args.json:
            self.emit(
                {
                    "imported": report.imported,
                    "duplicates": report.duplicates,
                    "failed": [{"path": f.path, "error": f.error} for f in report.failed],
                }
            )
        else:
            for summary in self.archive.summaries(report.imported):
                self.line(f"imported  {summary.id:>6}  {summary.title}")
            self.line(
                f"{len(report.imported)} imported, {report.duplicates} duplicate(s) skipped, "
                f"{len(report.failed)} failed"
            )
        for failure in report.failed:
            print(f"error: {failure.path}: {failure.error}", file=sys.stderr)
        if report.failed:
            return EXIT_PARTIAL if report.imported or report.duplicates else EXIT_ERROR
        return EXIT_OK

    def cmd_subscribe(self) -> int:
        sub = self.archive.subscribe_feed(
            self.args.url, fetch_full_articles=self.args.full_articles
        )
        self.archive.sync_index()
        if self.args.json:
            self.emit(_subscription_record(sub))
        else:
            self.line(f"subscribed {sub.id}: {sub.title} ({sub.story_count} stories)")
        return EXIT_OK

    def cmd_unsubscribe(self) -> int:
        sub = self.archive.unsubscribe_feed(self.args.id)
        if self.args.json:
            self.emit(_subscription_record(sub))
        else:
            self.line(f"unsubscribed {sub.id}: {sub.title} (its stories stay in the archive)")
        return EXIT_OK

    def cmd_sources(self) -> int:
        subs = self.archive.subscriptions()
        if self.args.json:
            self.emit([_subscription_record(sub) for sub in subs])
            return EXIT_OK
        for sub in subs:
            fetched = _local(sub.last_fetched) if sub.last_fetched else "never"
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
        self.archive.sync_index()
        if self.args.json:
            self.emit(
                {
                    "sources": [_refresh_record(feed) for feed in report.feeds],
                    "new": len(report.new),
                    "failed": len(report.failed),
                }
            )
        else:
            for feed in sorted(report.feeds, key=lambda f: f.title.casefold()):
                self.line(f"{feed.feed_id:>4}  {feed.title[:40]:<40}  {_refresh_summary(feed)}")
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
        count = _write_atomically(Path(self.args.output), self.archive.export_opml)
        print(f"exported {count} subscriptions to {self.args.output}", file=sys.stderr)
        return EXIT_OK

    def cmd_list(self) -> int:
        stories = self.archive.list_stories(view=self.args.view, limit=self.args.limit)
        if self.args.json:
            self.emit([summary_record(s) for s in stories])
            return EXIT_OK
        for s in stories:
            flags = ("*" if s.is_starred else " ") + (" " if s.is_read else "•")
            when = s.published or s.fetched
            date = when.date().isoformat() if when else "          "
            source = (s.source or "")[:24]
            marks = f"[{s.highlight_count}]" if s.highlight_count else ""
            self.line(f"{s.id:>6} {flags} {date}  {source:<24}  {s.title} {marks}".rstrip())
        return EXIT_OK

    def cmd_show(self) -> int:
        bundle = self.archive.bundle(self.args.id)
        story = bundle.story
        if self.args.json:
            record = story_record(story)
            record["highlights"] = [highlight_record(h) for h in bundle.highlights]
            record["notes"] = [note_record(n) for n in bundle.notes]
            self.emit(record)
            return EXIT_OK
        self.line(story.title)
        meta = [story.source or "", story.source_qualifier or ""]
        if story.published:
            meta.append(story.published.date().isoformat())
        self.line(" · ".join(m for m in meta if m))
        if story.url:
            self.line(story.url)
        for section in story.sections:
            paragraphs = list(section.paragraphs)
            if section.label:
                paragraphs = [f"{section.label} {p}" for p in paragraphs[:1]] + paragraphs[1:]
                paragraphs = paragraphs or [section.label]
            for paragraph in paragraphs:
                self.line()
                self.line(paragraph)
            if section.bullets:
                self.line()
            for bullet in section.bullets:
                self.line(f"  • {bullet}")
        for h in bundle.highlights:
            self.line(
                f"\n[{h.color.value} #{h.id}] “{h.quote}”" + (f" — {h.note}" if h.note else "")
            )
        for n in bundle.notes:
            self.line(f"\n[note #{n.id}] {n.body}")
        return EXIT_OK

    def cmd_search(self) -> int:
        hits = self.archive.search(self.args.query, limit=self.args.limit)
        if self.args.json:
            self.emit([hit_record(hit) for hit in hits])
            return EXIT_OK
        for hit in hits:
            self.line(f"{hit.story_id:>6}  {hit.kind:<9}  {hit.score:6.2f}  {hit.title}")
            self.line(f"        {_terminal_snippet(hit.snippet)}")
        if not hits:
            self.line("no matches")
        return EXIT_OK

    def cmd_highlight(self) -> int:
        h = self.archive.highlight_quote(
            self.args.id, self.args.quote, color=Color(self.args.color), note=self.args.note
        )
        self.archive.sync_index()
        if self.args.json:
            self.emit(highlight_record(h))
        else:
            self.line(f"highlight {h.id} on story {h.story_id} at {h.start}-{h.end} ({h.color})")
        return EXIT_OK

    def cmd_note(self) -> int:
        note = self.archive.add_note(self.args.id, self.args.text)
        self.archive.sync_index()
        if self.args.json:
            self.emit(note_record(note))
        else:
            self.line(f"note {note.id} on story {note.story_id}")
        return EXIT_OK

    def cmd_export(self) -> int:
        if not self.args.output:
            self.archive.export(self.args.format, self.out)
            return EXIT_OK
        target = Path(self.args.output)
        count = _write_atomically(target, lambda fh: self.archive.export(self.args.format, fh))
        print(f"exported {count} stories to {target}", file=sys.stderr)
        return EXIT_OK

    def cmd_reindex(self) -> int:
        count = self.archive.reindex()
        if self.args.json:
            self.emit({"documents": count})
        else:
            self.line(f"search index rebuilt: {count} documents")
        return EXIT_OK

    def cmd_check(self) -> int:
        report = self.archive.check()
        if self.args.json:
            self.emit(
                {
                    "ok": report.ok,
                    "schema_version": report.schema_version,
                    "stories": report.stories,
                    "indexed_documents": report.indexed_documents,
                    "pending_changes": report.pending_changes,
                    "problems": report.problems,
                }
            )
        else:
            self.line(f"schema version   {report.schema_version}")
            self.line(f"stories          {report.stories}")
            self.line(f"index documents  {report.indexed_documents}")
            self.line(f"pending changes  {report.pending_changes}")
            self.line("ok" if report.ok else "problems:")
            for problem in report.problems:
                self.line(f"  - {problem}")
        return EXIT_OK if report.ok else EXIT_ERROR


def _write_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write to ``target.part``, then rename, so a failed write leaves no half file."""
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            count = write(fh)
        partial.replace(target)
    except OSError as err:
        with suppress(OSError):
            partial.unlink()
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    return count


def _subscription_record(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "title": sub.title,
        "url": sub.url,
        "site_url": sub.site_url,
        "kind": sub.kind,
        "last_fetched": iso(sub.last_fetched),
        "last_success": iso(sub.last_success),
        "last_error": sub.last_error,
        "error_count": sub.error_count,
        "next_attempt": iso(sub.next_attempt),
        "full_articles": sub.fetch_full_articles,
        "stories": sub.story_count,
        "unread": sub.unread_count,
    }


def _refresh_record(feed: FeedRefresh) -> dict[str, Any]:
    return {
        "id": feed.feed_id,
        "title": feed.title,
        "url": feed.url,
        "status": feed.status,
        "new": feed.new,
        "changed": feed.changed,
        "unchanged": feed.unchanged,
        "error": feed.error,
        "next_attempt": iso(feed.next_attempt),
    }


def _local(when: datetime) -> str:
    """A stored UTC time as the user's local time, to the minute."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _refresh_summary(feed: FeedRefresh) -> str:
    if feed.status == "error":
        return f"error: {feed.error}"
    if feed.status == "skipped":
        until = _local(feed.next_attempt) if feed.next_attempt else "later"
        return f"skipped: backing off until {until} (last error: {feed.error})"
    if feed.status == "not-modified":
        return "not modified"
    if not (feed.new or feed.changed):
        return "nothing new"
    parts = [f"+{len(feed.new)} new"]
    if feed.changed:
        parts.append(f"{len(feed.changed)} changed")
    return ", ".join(parts)


def _terminal_snippet(snippet: str) -> str:
    """The HTML snippet as plain text with the matched words in [brackets]."""
    import html
    import re

    marked = re.sub(r'<b class="match">(.*?)</b>', r"[\1]", snippet)
    return html.unescape(re.sub(r"<[^>]+>", "", marked))


COMMANDS: dict[str, Callable[[Cli], int]] = {
    "import": Cli.cmd_import,
    "subscribe": Cli.cmd_subscribe,
    "unsubscribe": Cli.cmd_unsubscribe,
    "sources": Cli.cmd_sources,
    "refresh": Cli.cmd_refresh,
    "opml": Cli.cmd_opml,
    "list": Cli.cmd_list,
    "show": Cli.cmd_show,
    "search": Cli.cmd_search,
    "highlight": Cli.cmd_highlight,
    "note": Cli.cmd_note,
    "export": Cli.cmd_export,
    "reindex": Cli.cmd_reindex,
    "check": Cli.cmd_check,
}


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a parsed command; every ReaderError becomes one line on stderr and exit status 1."""
    out = out if out is not None else sys.stdout
    try:
        with Archive(resolve_data_dir(getattr(args, "data_dir", None))) as archive:
            status = COMMANDS[args.command](Cli(args, archive, out))
            for message in archive.messages:
                print(f"note: {message}", file=sys.stderr)
            return status
    except ReaderError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the command line alone (no window)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    return run_command(args)
