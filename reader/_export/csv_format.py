"""CSV export: one row per highlight, for spreadsheets. UTF-8 with a byte-order mark by default,
so Excel reads accents right; a cell that a spreadsheet would run as a formula is defused."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO

from reader._storage.transfer import StoryRecord
from reader.model import Color

COLUMNS = (
    "highlight_id",
    "story_id",
    "title",
    "source",
    "url",
    "published",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "color",
    "color_name",
    "note",
    "tags",
    "status",
    "created",
    "updated",
)
TAG_SEPARATOR = "; "
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets; story
# text comes from the web, so such a cell gets a leading apostrophe (shown by none of them).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write(
    stories: Iterable[StoryRecord],
    out: IO[str],
    names: Mapping[Color, str],
    *,
    bom: bool = True,
) -> int:
    """Write the header and a row per highlight; returns how many rows."""
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for record in stories:
        story = record.story
        for h in record.highlights:
            writer.writerow(
                [
                    h.id,
                    story.id,
                    _cell(story.title),
                    _cell(story.source or ""),
                    _cell(story.url or ""),
                    _time(story.published),
                    _cell(h.quote),
                    _cell(h.prefix),
                    _cell(h.suffix),
                    h.start,
                    h.end,
                    h.color.value,
                    _cell(names.get(h.color, "")),
                    _cell(h.note),
                    _cell(TAG_SEPARATOR.join(h.tags)),
                    h.status,
                    _time(h.created),
                    _time(h.updated),
                ]
            )
            count += 1
    return count


def cell_value(cell: str) -> str:
    """A text cell as it was before it was defused (for reading an export back)."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _time(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()
