"""JSON export: one document holding every story with its highlights and notes.

Stories are written one at a time so an archive of 100,000 never sits in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

from reader import __version__
from reader.export.records import highlight_record, note_record, story_record

if TYPE_CHECKING:
    from reader.archive import StoryBundle

FORMAT_NAME = "story-reader-archive"
FORMAT_VERSION = 1


def write(bundles: Iterable[StoryBundle], out: IO[str]) -> int:
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "exported": datetime.now(UTC).isoformat(),
    }
    head = json.dumps(header, ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n  "stories": [')
    count = 0
    for bundle in bundles:
        record = story_record(bundle.story)
        record["highlights"] = [highlight_record(h) for h in bundle.highlights]
        record["notes"] = [note_record(n) for n in bundle.notes]
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count
