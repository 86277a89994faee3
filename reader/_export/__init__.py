"""Getting work out again, and back in: the archive as JSON (full fidelity, importable),
Markdown (a notebook or a folder of notes), CSV (a row per highlight) and W3C Web Annotation.

Every export covers the whole archive, chosen stories, or chosen highlights (then only those,
without story notes). Stories are read in batches, so the size of the archive does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reader.errors import ExportError
from reader.model import Color

if TYPE_CHECKING:
    from reader._storage import Store
    from reader._storage.transfer import StoryRecord

FORMATS = ("json", "markdown", "csv", "w3c")
UNITS = {"json": "stories", "markdown": "stories", "csv": "highlights", "w3c": "annotations"}
"""What the count an export returns counts, by format."""
BATCH = 200


def write_export(
    fmt: str,
    store: Store,
    out: IO[str],
    *,
    story_ids: Iterable[int] | None = None,
    highlight_ids: Iterable[int] | None = None,
    bom: bool = True,
) -> int:
    """Write the selection to ``out`` in ``fmt``; returns how many of ``UNITS[fmt]``.
    ``bom`` starts a CSV with a UTF-8 byte-order mark, for Excel."""
    from reader._export import csv_format, json_format, markdown_format, w3c_format

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    highlights = None if highlight_ids is None else list(highlight_ids)
    records = _records(store, story_ids, highlights)
    names = color_names(store)
    if fmt == "json":
        header = json_format.ArchiveHeader(
            codebook=store.codebook(),
            sources=store.export_sources(),
            feeds=store.export_feeds(),
            mailboxes=store.export_mailboxes(),
        )
        return json_format.write(header, records, out)
    if fmt == "markdown":
        return markdown_format.write(records, out, names)
    if fmt == "csv":
        return csv_format.write(records, out, names, bom=bom)
    return w3c_format.write(records, out, names)


def write_markdown_folder(
    store: Store,
    directory: Path,
    *,
    story_ids: Iterable[int] | None = None,
    highlight_ids: Iterable[int] | None = None,
) -> list[Path]:
    """One Markdown file per story in ``directory``; returns the files written."""
    from reader._export import markdown_format

    highlights = None if highlight_ids is None else list(highlight_ids)
    records = _records(store, story_ids, highlights)
    return markdown_format.write_folder(records, directory, color_names(store))


def color_names(store: Store) -> dict[Color, str]:
    return {entry.color: entry.name for entry in store.codebook()}


def _records(
    store: Store, story_ids: Iterable[int] | None, highlight_ids: list[int] | None
) -> Iterator[StoryRecord]:
    ids = store.export_story_ids(story_ids, highlight_ids)
    wanted = None if highlight_ids is None else frozenset(highlight_ids)
    for start in range(0, len(ids), BATCH):
        yield from store.story_records(
            ids[start : start + BATCH], highlight_ids=wanted, with_notes=wanted is None
        )
