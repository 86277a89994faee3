"""Commands about the archive as a whole: export, codebook, backup, restore, index, reindex
and check."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from reader.archive import EXPORT_UNITS
from reader.errors import CodebookError, ExportError
from reader.model import Color, View

from .context import EXIT_ERROR, EXIT_OK, Cli
from .files import write_atomically
from .formatting import counted


class ArchiveCommands(Cli):
    """export, codebook, backup, restore, index, reindex, check."""

    def cmd_export(self) -> int:
        fmt, output = self.args.format, self.args.output
        stories, highlights = self.args.story, self.args.highlight
        if self.args.search is not None:
            if stories or highlights:
                raise ExportError("give --search or --story/--highlight, not both")
            self.index_small_backlog(saved=False)
            stories = self.archive.saved_search_story_ids(self.args.search, sync=False)

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
            print(f"exported {counted(len(files), 'stories')} to {target}{os.sep}", file=sys.stderr)
            return EXIT_OK
        count = write_atomically(target, write)
        print(f"exported {counted(count, EXPORT_UNITS[fmt])} to {target}", file=sys.stderr)
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

    def cmd_backup(self) -> int:
        path = self.archive.backup(self.args.output)
        if self.args.json:
            self.emit({"path": str(path), "bytes": path.stat().st_size})
        else:
            self.line(f"backed up to {path}")
        return EXIT_OK

    def cmd_restore(self) -> int:
        kept = self.archive.restore(self.args.file)
        self.index_small_backlog()
        stories = self.archive.count_stories(View.ALL) + self.archive.count_stories(View.ARCHIVED)
        if self.args.json:
            self.emit({"restored": self.args.file, "kept": str(kept), "stories": stories})
        else:
            self.line(f"restored {self.args.file} ({stories} stories)")
            self.line(f"the archive it replaced is kept as {kept}")
        return EXIT_OK

    def cmd_index(self) -> int:
        """Apply the whole backlog the other commands left (in batches, each committed, so an
        interrupted run keeps what it did)."""
        applied = self.archive.sync_index()
        merged = self.archive.merge_index() if self.args.merge else None
        if self.args.json:
            report: dict[str, object] = {"applied": applied, "left": self.archive.index_backlog()}
            if merged is not None:
                report["segments_before"], report["segments_after"] = merged
            self.emit(report)
        else:
            self.line(f"search index up to date: {applied} changes applied")
            if merged is not None:
                before, after = merged
                plural = "" if before == 1 else "s"
                self.line(f"search index merged: from {before} segment{plural} to {after}")
        return EXIT_OK

    def cmd_reindex(self) -> int:
        count = self.archive.reindex()
        if self.args.json:
            self.emit({"documents": count})
        else:
            self.line(f"search index rebuilt: {count} documents")
        return EXIT_OK

    def cmd_check(self) -> int:
        # With --repair the report is of the check run after the repair: the exit status says
        # whether the archive is in order now, not whether it was.
        report = self.archive.check(repair=self.args.repair)
        if self.args.json:
            self.emit(
                {
                    "ok": report.ok,
                    "schema_version": report.schema_version,
                    "stories": report.stories,
                    "indexed_documents": report.indexed_documents,
                    "pending_changes": report.pending_changes,
                    "stale": report.stale,
                    "missing": report.missing,
                    "extra": report.extra,
                    "damaged": report.damaged,
                    "repaired": report.repaired,
                    "problems": report.problems,
                }
            )
        else:
            self.line(f"schema version   {report.schema_version}")
            self.line(f"stories          {report.stories}")
            self.line(f"index documents  {report.indexed_documents}")
            self.line(f"pending changes  {report.pending_changes}")
            for repair in report.repaired:
                self.line(f"repaired: {repair}")
            self.line("ok" if report.ok else "problems:")
            for problem in report.problems:
                self.line(f"  - {problem}")
        return EXIT_OK if report.ok else EXIT_ERROR
