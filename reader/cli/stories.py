"""Commands about stories and what is written on them: import, list, show, search,
highlight, reattach, note, tag and tags."""

from __future__ import annotations

import sys

from reader.archive import (
    highlight_record,
    hit_record,
    iso,
    note_record,
    story_record,
    summary_record,
)
from reader.errors import NotFoundError, SavedSearchError
from reader.model import AnchorStatus, TagUse

from .context import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, Cli
from .formatting import (
    clip,
    clip_echoes,
    merge_record,
    merge_summary,
    terminal_snippet,
    version_record,
    version_summary,
)


def tag_use_record(use: TagUse) -> dict[str, object]:
    """A tag for ``tags --json``: its name, what carries it (story, highlight or both) and
    how many of each."""
    kinds = [k for k, n in (("story", use.stories), ("highlight", use.highlights)) if n]
    return {
        "name": use.name,
        "kind": kinds[0] if len(kinds) == 1 else "both",
        "stories": use.stories,
        "highlights": use.highlights,
    }


class StoryCommands(Cli):
    """import, list, show, search, highlight, reattach, note, tag, tags."""

    def cmd_import(self) -> int:
        report = self.archive.import_paths(self.args.paths)
        self.index_small_backlog()
        if self.args.json:
            self.emit(
                {
                    "imported": report.imported,
                    "duplicates": report.duplicates,
                    "failed": [{"path": f.path, "error": f.error} for f in report.failed],
                    "versions": [version_record(v) for v in report.versions],
                    "merged": [merge_record(m) for m in report.merges],
                    "warnings": [{"path": w.path, "message": w.message} for w in report.warnings],
                }
            )
        else:
            for summary in self.archive.summaries(report.imported):
                self.line(f"imported  {summary.id:>6}  {summary.title}")
            for version in report.versions:
                self.line(f"updated   {version.story_id:>6}  {version_summary(version)}")
            for merged in report.merges:
                self.line(f"merged    {merged.path}: {merge_summary(merged)}")
                for message in merged.messages:
                    self.line(f"  note: {message}")
                for item in merged.unplaced:
                    kept = " (kept as an orphan to reattach)" if item.kept else ""
                    self.line(
                        f"  unplaced: {item.target}: “{clip(item.quote)}”: {item.reason}{kept}"
                    )
            updated = f"{len(report.versions)} updated, " if report.versions else ""
            stories = report.imported or report.duplicates or report.versions or report.failed
            if stories or not report.merges:
                self.line(
                    f"{len(report.imported)} imported, {updated}"
                    f"{report.duplicates} duplicate(s) skipped, {len(report.failed)} failed"
                )
        for warning in report.warnings:
            print(f"warning: {warning.path}: {warning.message}", file=sys.stderr)
        for failure in report.failed:
            message = clip_echoes(f"{failure.path}: {failure.error}", [failure.path])
            print(f"error: {message}", file=sys.stderr)
        unplaced = any(merged.unplaced for merged in report.merges)
        if report.failed or unplaced:
            done = report.imported or report.duplicates or report.versions or report.merges
            return EXIT_PARTIAL if done else EXIT_ERROR
        return EXIT_OK

    def cmd_list(self) -> int:
        stories = self.archive.list_stories(view=self.args.view, limit=self.args.limit)
        if self.args.json:
            self.emit([summary_record(s) for s in stories])
            return EXIT_OK
        for s in stories:
            flags = (
                ("*" if s.is_starred else " ")
                + ("L" if s.is_later else " ")
                + (" " if s.is_read else "•")
            )
            # An undated story shows when it was added, and says so: never as if published.
            if s.published:
                date = s.published.astimezone().date().isoformat()
            else:
                date = f"added {s.fetched.astimezone().date().isoformat()}" if s.fetched else ""
            source = (s.source or "")[:24]
            marks = f"[{s.highlight_count}]" if s.highlight_count else ""
            self.line(f"{s.id:>6} {flags} {date:<16}  {source:<24}  {s.title} {marks}".rstrip())
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
            meta.append(story.published.astimezone().date().isoformat())
        elif story.fetched:
            meta.append(f"undated, added {story.fetched.astimezone().date().isoformat()}")
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
            status = "" if h.status is AnchorStatus.ANCHORED else f" ({h.status})"
            self.line(
                f"\n[{h.color.value} #{h.id}{status}] “{h.quote}”"
                + (f" — {h.note}" if h.note else "")
            )
            if h.status is AnchorStatus.ORPHAN:
                for rank, place in enumerate(self.archive.orphan_candidates(h.id), start=1):
                    self.line(f"    candidate {rank} ({place.score:.0%}): “{place.text}”")
        for n in bundle.notes:
            self.line(f"\n[note #{n.id}] {n.body}")
        return EXIT_OK

    def cmd_search(self) -> int:
        query = self.args.query
        if self.args.saved is not None:
            if query is not None:
                raise SavedSearchError("give QUERY or --saved NAME, not both")
            query = self.archive.saved_search(self.args.saved).query
        elif query is None:
            raise SavedSearchError("give a QUERY, or --saved NAME for a saved search")
        elif self.args.save is not None:
            saved = self.archive.save_search(self.args.save, query)
            print(f"saved search {saved.name!r}: {saved.query}", file=sys.stderr)
        self.index_small_backlog(saved=False)
        hits = self.archive.search(query, limit=self.args.limit, sync=False)
        if self.args.json:
            self.emit([hit_record(hit) for hit in hits])
            return EXIT_OK
        for hit in hits:
            self.line(f"{hit.story_id:>6}  {hit.kind:<9}  {hit.score:6.2f}  {hit.title}")
            self.line(f"        {terminal_snippet(hit.snippet)}")
        if not hits:
            self.line("no matches")
        return EXIT_OK

    def cmd_highlight(self) -> int:
        color = self.archive.color_for(self.args.color)
        h = self.archive.highlight_quote(
            self.args.id, self.args.quote, color=color, note=self.args.note
        )
        self.index_small_backlog()
        if self.args.json:
            self.emit(highlight_record(h))
        else:
            self.line(f"highlight {h.id} on story {h.story_id} at {h.start}-{h.end} ({h.color})")
        return EXIT_OK

    def cmd_reattach(self) -> int:
        if self.args.quote is not None:
            reattached = self.archive.reattach_to_quote(self.args.id, self.args.quote)
        else:
            candidates = self.archive.orphan_candidates(self.args.id)
            if not 1 <= self.args.candidate <= len(candidates):
                raise NotFoundError(
                    f"highlight {self.args.id} has {len(candidates)} candidate place(s)"
                )
            chosen = candidates[self.args.candidate - 1]
            reattached = self.archive.reattach_highlight(self.args.id, chosen.start, chosen.end)
        self.index_small_backlog()
        if self.args.json:
            self.emit({**highlight_record(reattached), "status": reattached.status})
        else:
            self.line(f"highlight {reattached.id} re-attached to “{reattached.quote}”")
        return EXIT_OK

    def cmd_note(self) -> int:
        note = self.archive.add_note(self.args.id, self.args.text)
        self.index_small_backlog()
        if self.args.json:
            self.emit(note_record(note))
        else:
            self.line(f"note {note.id} on story {note.story_id}")
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
        self.index_small_backlog()
        kind = "highlight" if self.args.highlight else "story"
        if self.args.json:
            self.emit({"kind": kind, "id": item, "tags": list(current)})
        else:
            self.line(f"{kind} {item}: {', '.join(current) if current else 'no tags'}")
        return EXIT_OK

    def cmd_tags(self) -> int:
        if self.args.tags_action == "rename":
            return self._rename_tag()
        uses = self.archive.tag_uses()
        if self.args.json:
            self.emit([tag_use_record(use) for use in uses])
            return EXIT_OK
        if not uses:
            self.line("no tags")
            return EXIT_OK
        width = max(len("TAG"), *(len(use.name) for use in uses))
        self.line(f"{'TAG':<{width}}  STORIES  HIGHLIGHTS")
        for use in uses:
            self.line(f"{use.name:<{width}}  {use.stories:>7}  {use.highlights:>10}")
        return EXIT_OK

    def _rename_tag(self) -> int:
        done = self.archive.rename_tag(self.args.old, self.args.new)
        self.index_small_backlog()
        if self.args.json:
            self.emit(
                {
                    "old": done.old,
                    "new": done.new,
                    "merged": done.merged,
                    "stories": list(done.story_ids),
                    "highlights": list(done.highlight_ids),
                }
            )
            return EXIT_OK
        verb = "merged tag" if done.merged else "renamed tag"
        into = "into" if done.merged else "to"
        stories = len(done.story_ids)
        highlights = len(done.highlight_ids)
        self.line(
            f"{verb} {done.old!r} {into} {done.new!r}: {stories} "
            f"{'story' if stories == 1 else 'stories'}, {highlights} "
            f"{'highlight' if highlights == 1 else 'highlights'}"
        )
        return EXIT_OK
