"""The command line: the same facade as the window, for scripts and for people at a terminal.

Every command takes ``--data-dir``; commands that print data take ``--json``. Errors are one
line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from reader.anchoring import selector_for_quote
from reader.archive import Archive
from reader.errors import CodebookError, ExportError, NotFoundError, ReaderError
from reader.export import FORMATS, UNITS
from reader.export.records import (
    highlight_record,
    hit_record,
    iso,
    note_record,
    story_record,
    summary_record,
)
from reader.model import Color, FeedRefresh, MergeReport, Subscription, VersionReport
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
        "import",
        help="import files, folders and http(s) URLs (.html .htm .md .txt, feeds); "
        "our JSON exports and W3C annotation files are merged",
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
    p.add_argument(
        "--color",
        default=Color.YELLOW.value,
        metavar="COLOR",
        help="yellow, green, blue, pink, purple, or a codebook name",
    )
    p.add_argument("--note", default="", metavar="TEXT")
    _common(p, json_flag=True)

    p = sub.add_parser(
        "reattach", help="put a highlight that lost its place (an orphan) on new words"
    )
    p.add_argument("id", type=int, help="highlight id")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", metavar="TEXT", help="the first occurrence of TEXT")
    where.add_argument(
        "--candidate", type=int, metavar="N", help="candidate N as listed by `show` (1 = best)"
    )
    _common(p, json_flag=True)

    p = sub.add_parser("note", help="add a note to a whole story")
    p.add_argument("id", type=int, help="story id")
    p.add_argument("text")
    _common(p, json_flag=True)

    p = sub.add_parser("export", help="export the archive with highlights and notes")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write here instead of stdout; for markdown, a folder (existing, or ending in /) "
        "gets one file per story",
    )
    p.add_argument("--story", type=int, action="append", metavar="ID", help="only this story")
    p.add_argument(
        "--highlight", type=int, action="append", metavar="ID", help="only this highlight"
    )
    p.add_argument("--no-bom", action="store_true", help="csv: no UTF-8 byte-order mark")
    _common(p)

    p = sub.add_parser("codebook", help="list, set or clear what each highlight colour means")
    p.add_argument("color", nargs="?", choices=[c.value for c in Color], metavar="COLOR")
    p.add_argument("name", nargs="?", metavar="NAME", help='e.g. "risk"')
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--clear", choices=[c.value for c in Color], metavar="COLOR")
    _common(p, json_flag=True)

    p = sub.add_parser("tag", help="tag a story (or a highlight with --highlight)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p.add_argument("--highlight", action="store_true", help="ID is a highlight's")
    p.add_argument("--remove", action="store_true", help="remove the tags instead")
    _common(p, json_flag=True)

    p = sub.add_parser("backup", help="copy the archive consistently, even while it is in use")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="default: DATA_DIR/backups/archive-DATE-TIME.sqlite3"
    )
    _common(p, json_flag=True)

    p = sub.add_parser(
        "restore", help="replace the archive with a backup (the current one is kept)"
    )
    p.add_argument("file", metavar="FILE")
    _common(p, json_flag=True)

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
                    "versions": [_version_record(v) for v in report.versions],
                    "merged": [_merge_record(m) for m in report.merges],
                }
            )
        else:
            for summary in self.archive.summaries(report.imported):
                self.line(f"imported  {summary.id:>6}  {summary.title}")
            for version in report.versions:
                self.line(f"updated   {version.story_id:>6}  {_version_summary(version)}")
            for merged in report.merges:
                self.line(f"merged    {merged.path}: {_merge_summary(merged)}")
                for message in merged.messages:
                    self.line(f"  note: {message}")
                for item in merged.unplaced:
                    kept = " (kept as an orphan to reattach)" if item.kept else ""
                    self.line(
                        f"  unplaced: {item.target}: “{_clip(item.quote)}”: {item.reason}{kept}"
                    )
            updated = f"{len(report.versions)} updated, " if report.versions else ""
            stories = report.imported or report.duplicates or report.versions or report.failed
            if stories or not report.merges:
                self.line(
                    f"{len(report.imported)} imported, {updated}"
                    f"{report.duplicates} duplicate(s) skipped, {len(report.failed)} failed"
                )
        for failure in report.failed:
            print(f"error: {failure.path}: {failure.error}", file=sys.stderr)
        unplaced = any(merged.unplaced for merged in report.merges)
        if report.failed or unplaced:
            done = report.imported or report.duplicates or report.versions or report.merges
            return EXIT_PARTIAL if done else EXIT_ERROR
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
                    "versions": sum(len(feed.versions) for feed in report.feeds),
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
            record["version"] = story.version
            record["versions"] = [
                {"version": v.version, "fetched": iso(v.fetched), "title": v.title}
                for v in self.archive.versions(story.id)
            ] + [{"version": story.version, "fetched": iso(story.fetched), "title": story.title}]
            record["highlights"] = [
                {**highlight_record(h), "status": h.status} for h in bundle.highlights
            ]
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
            status = "" if h.status == "anchored" else f" ({h.status})"
            self.line(
                f"\n[{h.color.value} #{h.id}{status}] “{h.quote}”"
                + (f" — {h.note}" if h.note else "")
            )
            if h.status == "orphan":
                for rank, place in enumerate(self.archive.orphan_candidates(h.id), start=1):
                    self.line(f"    candidate {rank} ({place.score:.0%}): “{place.text}”")
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
        color = self.archive.color_for(self.args.color)
        h = self.archive.highlight_quote(
            self.args.id, self.args.quote, color=color, note=self.args.note
        )
        self.archive.sync_index()
        if self.args.json:
            self.emit(highlight_record(h))
        else:
            self.line(f"highlight {h.id} on story {h.story_id} at {h.start}-{h.end} ({h.color})")
        return EXIT_OK

    def cmd_reattach(self) -> int:
        highlight = self.archive.highlight(self.args.id)
        if self.args.quote is not None:
            text = self.archive.story(highlight.story_id).text
            place = selector_for_quote(text, self.args.quote)
            start, end = place.start, place.end
        else:
            candidates = self.archive.orphan_candidates(self.args.id)
            if not 1 <= self.args.candidate <= len(candidates):
                raise NotFoundError(
                    f"highlight {self.args.id} has {len(candidates)} candidate place(s)"
                )
            chosen = candidates[self.args.candidate - 1]
            start, end = chosen.start, chosen.end
        reattached = self.archive.reattach_highlight(self.args.id, start, end)
        self.archive.sync_index()
        if self.args.json:
            self.emit({**highlight_record(reattached), "status": reattached.status})
        else:
            self.line(f"highlight {reattached.id} re-attached to “{reattached.quote}”")
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
        fmt, output = self.args.format, self.args.output
        stories, highlights = self.args.story, self.args.highlight

        def write(fh: TextIO) -> int:
            return self.archive.export(fmt, fh, stories, highlights, bom=not self.args.no_bom)

        if not output:
            write(self.out)
            return EXIT_OK
        target = Path(output)
        is_folder = output.endswith(("/", os.sep)) or target.is_dir()
        if is_folder and fmt != "markdown":
            raise ExportError(f"{output} is a folder; {fmt} is written to one file")
        if is_folder:
            files = self.archive.export_folder(target, stories, highlights)
            print(f"exported {len(files)} stories to {target}{os.sep}", file=sys.stderr)
            return EXIT_OK
        count = _write_atomically(target, write)
        print(f"exported {count} {UNITS[fmt]} to {target}", file=sys.stderr)
        return EXIT_OK

    def cmd_codebook(self) -> int:
        if self.args.clear:
            if self.args.color or self.args.name:
                raise CodebookError("give either COLOR NAME or --clear COLOR")
            self.archive.clear_codebook_entry(Color(self.args.clear))
        elif self.args.color:
            if not self.args.name:
                raise CodebookError(f"name {self.args.color}: codebook {self.args.color} NAME")
            self.archive.set_codebook_entry(
                Color(self.args.color), self.args.name, self.args.description
            )
        named = {entry.color: entry for entry in self.archive.codebook()}
        if self.args.json:
            self.emit(
                [
                    {
                        "color": color.value,
                        "name": named[color].name if color in named else None,
                        "description": named[color].description if color in named else "",
                    }
                    for color in Color
                ]
            )
            return EXIT_OK
        for color in Color:
            entry = named.get(color)
            name = entry.name if entry else "-"
            about = f"  {entry.description}" if entry and entry.description else ""
            self.line(f"{color.value:<7} {name}{about}")
        return EXIT_OK

    def cmd_tag(self) -> int:
        item, tags = self.args.id, self.args.tags
        if self.args.highlight:
            if self.args.remove:
                self.archive.untag_highlight(item, tags)
            else:
                self.archive.tag_highlight(item, tags)
            current = self.archive.highlight(item).tags
        else:
            if self.args.remove:
                self.archive.untag_story(item, tags)
            else:
                self.archive.tag_story(item, tags)
            current = self.archive.story(item).tags
        self.archive.sync_index()
        kind = "highlight" if self.args.highlight else "story"
        if self.args.json:
            self.emit({"kind": kind, "id": item, "tags": list(current)})
        else:
            self.line(f"{kind} {item}: {', '.join(current) if current else 'no tags'}")
        return EXIT_OK

    def cmd_backup(self) -> int:
        path = self.archive.backup(self.args.output)
        if self.args.json:
            self.emit({"path": str(path), "bytes": path.stat().st_size})
        else:
            self.line(f"backed up to {path}")
        return EXIT_OK

    def cmd_restore(self) -> int:
        kept = self.archive.restore(self.args.file)
        stories = self.archive.count_stories("all") + self.archive.count_stories("archived")
        if self.args.json:
            self.emit({"restored": self.args.file, "kept": str(kept), "stories": stories})
        else:
            self.line(f"restored {self.args.file} ({stories} stories)")
            self.line(f"the archive it replaced is kept as {kept}")
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
        "versions": [_version_record(v) for v in feed.versions],
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
        # Each changed entry is a new version of its story; say how its highlights fared.
        moved = sum(v.moved for v in feed.versions)
        changed = sum(v.changed for v in feed.versions)
        orphaned = sum(v.orphaned for v in feed.versions)
        counts = f"{moved} moved, {changed} changed, {orphaned} orphaned"
        highlights = f" (highlights: {counts})" if moved or changed or orphaned else ""
        parts.append(f"{len(feed.changed)} changed{highlights}")
    return ", ".join(parts)


def _merge_record(merged: MergeReport) -> dict[str, Any]:
    return {
        "path": merged.path,
        "kind": merged.kind,
        "stories_added": merged.stories_added,
        "stories_merged": merged.stories_merged,
        "highlights_added": merged.highlights_added,
        "highlights_skipped": merged.highlights_skipped,
        "highlights_unplaced": len(merged.unplaced),
        "notes_added": merged.notes_added,
        "notes_skipped": merged.notes_skipped,
        "unplaced": [
            {"target": u.target, "quote": u.quote, "reason": u.reason, "kept": u.kept}
            for u in merged.unplaced
        ],
        "messages": merged.messages,
    }


def _merge_summary(merged: MergeReport) -> str:
    """``stories 2 added, 1 merged; highlights 5 added, 1 skipped, 0 unplaced; notes 1 added``"""
    return (
        f"stories {len(merged.stories_added)} added, {len(merged.stories_merged)} merged; "
        f"highlights {merged.highlights_added} added, {merged.highlights_skipped} skipped, "
        f"{len(merged.unplaced)} unplaced; notes {merged.notes_added} added, "
        f"{merged.notes_skipped} skipped"
    )


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _version_record(version: VersionReport) -> dict[str, Any]:
    return {
        "story_id": version.story_id,
        "version": version.version,
        "moved": version.moved,
        "changed": version.changed,
        "orphaned": version.orphaned,
    }


def _version_summary(version: VersionReport) -> str:
    """``Title (version 2: 3 moved, 1 changed, 1 orphaned)``."""
    return (
        f"{version.title} (version {version.version}: {version.moved} moved, "
        f"{version.changed} changed, {version.orphaned} orphaned)"
    )


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
    "reattach": Cli.cmd_reattach,
    "export": Cli.cmd_export,
    "codebook": Cli.cmd_codebook,
    "tag": Cli.cmd_tag,
    "backup": Cli.cmd_backup,
    "restore": Cli.cmd_restore,
    "reindex": Cli.cmd_reindex,
    "check": Cli.cmd_check,
}


_BACKUP_BEFORE = frozenset(
    {
        "import",
        "highlight",
        "note",
        "reattach",
        "tag",
        "codebook",
        "subscribe",
        "unsubscribe",
        "refresh",
        "opml",
    }
)
"""Commands that change the archive: a due rolling backup is taken before them. Reading
commands never pay for a backup, so `list` or `search` stay instant."""


def _automatic_backup(archive: Archive) -> None:
    """The rolling backup, when one is due; a failure is a note, not a reason to stop."""
    try:
        archive.backup_if_due()
    except ReaderError as err:
        archive.messages.append(f"automatic backup failed: {err}")


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run a parsed command; every ReaderError becomes one line on stderr and exit status 1."""
    out = out if out is not None else sys.stdout
    try:
        with Archive(resolve_data_dir(getattr(args, "data_dir", None))) as archive:
            if args.command in _BACKUP_BEFORE:
                _automatic_backup(archive)
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
