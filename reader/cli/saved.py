"""The ``searches`` command: saved searches with how many documents match each and how many of
those are new since it was last opened, and marking one seen, renaming or deleting it."""

from __future__ import annotations

import sys

from reader.model import SavedSearchCount

from .context import EXIT_OK, Cli


class SavedSearchCommands(Cli):
    """searches."""

    def cmd_searches(self) -> int:
        if self.args.seen is not None:
            seen = self.archive.mark_search_seen(self.args.seen)
            print(f"saved search {seen.name!r} marked seen", file=sys.stderr)
        elif self.args.delete is not None:
            gone = self.archive.delete_saved_search(self.args.delete)
            print(f"deleted saved search {gone.name!r}: {gone.query}", file=sys.stderr)
        elif self.args.rename is not None:
            old, new = self.args.rename
            renamed = self.archive.rename_saved_search(old, new)
            print(f"renamed saved search {old!r} to {renamed.name!r}", file=sys.stderr)
        self.index_small_backlog(saved=False)
        counts = self.archive.saved_searches(sync=False)
        if self.args.json:
            self.emit([_record(count) for count in counts])
            return EXIT_OK
        if not counts:
            self.line("no saved searches (save one with `search QUERY --save NAME`)")
            return EXIT_OK
        width = max(len("name"), *(len(c.search.name) for c in counts))
        self.line(f"{'name':<{width}}  {'new':>5}  {'total':>6}  query")
        for count in counts:
            query = count.search.query + (f"  (error: {count.error})" if count.error else "")
            new = f"{count.new:,}+" if count.new_capped else f"{count.new:,}"
            self.line(f"{count.search.name:<{width}}  {new:>5}  {count.total:>6,}  {query}")
        return EXIT_OK


def _record(count: SavedSearchCount) -> dict[str, object]:
    record: dict[str, object] = {
        "name": count.search.name,
        "query": count.search.query,
        "total": count.total,
        "new": count.new,
    }
    if count.new_capped:
        record["new_capped"] = True
    if count.error is not None:
        record["error"] = count.error
    return record
