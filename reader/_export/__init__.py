"""Getting work out again, and back in: the archive as JSON (full fidelity, importable),
Markdown (a notebook or a folder of notes), CSV (a row per highlight) and W3C Web Annotation.

Every export covers the whole archive, chosen stories, or chosen highlights (then only those,
with their stories' notes only when asked for). Stories are read in batches, so the size of the
archive does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reader.errors import ExportError
from reader.model import Color

if TYPE_CHECKING:
    from reader._storage.db import Connection
    from reader._storage.transfer import StoryRecord

FORMATS = ("json", "markdown", "csv", "w3c")
UNITS = {"json": "stories", "markdown": "stories", "csv": "highlights", "w3c": "annotations"}
"""What the count an export returns counts, by format."""
BATCH = 200


def write_export(
    fmt: str,
    conn: Connection,
    out: IO[str],
    *,
    story_ids: Iterable[int] | None = None,
    highlight_ids: Iterable[int] | None = None,
    bom: bool = True,
    with_notes: bool = False,
    title: str = "",
    about: str = "",
) -> int:
    """Write the selection to ``out`` in ``fmt``; returns how many of ``UNITS[fmt]``.
    ``bom`` starts a CSV with a UTF-8 byte-order mark, for Excel. ``with_notes``: chosen
    highlights come with their stories' notes. ``title`` and ``about`` head a Markdown
    notebook. Each batch of stories is read in a transaction of its own, so a long export
    never holds one snapshot open."""
    from reader._export import csv_format, json_format, markdown_format, w3c_format
    from reader._storage import codebook, saved_searches, transfer

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    highlights = None if highlight_ids is None else list(highlight_ids)
    records = _records(conn, story_ids, highlights, with_notes=with_notes)
    names = color_names(conn)
    if fmt == "json":
        with conn.transaction(write=False) as db:
            header = json_format.ArchiveHeader(
                codebook=codebook.entries(db),
                sources=transfer.sources(db),
                feeds=transfer.feeds(db),
                mailboxes=transfer.mailbox_settings(db),
                saved_searches=saved_searches.queries(db),
            )
        return json_format.write(header, records, out)
    if fmt == "markdown":
        return markdown_format.write(
            records, out, names, title=title or markdown_format.TITLE, about=about
        )
    if fmt == "csv":
        return csv_format.write(records, out, names, bom=bom)
    return w3c_format.write(records, out, names)


def write_markdown_folder(
    conn: Connection,
    directory: Path,
    *,
    story_ids: Iterable[int] | None = None,
    highlight_ids: Iterable[int] | None = None,
    with_notes: bool = False,
) -> list[Path]:
    """One Markdown file per story in ``directory``; returns the files written."""
    from reader._export import markdown_format

    highlights = None if highlight_ids is None else list(highlight_ids)
    records = _records(conn, story_ids, highlights, with_notes=with_notes)
    return markdown_format.write_folder(records, directory, color_names(conn))


def color_names(conn: Connection) -> dict[Color, str]:
    from reader._storage import codebook

    with conn.transaction(write=False) as db:
        return {entry.color: entry.name for entry in codebook.entries(db)}


def _records(
    conn: Connection,
    story_ids: Iterable[int] | None,
    highlight_ids: list[int] | None,
    *,
    with_notes: bool = False,
) -> Iterator[StoryRecord]:
    from reader._storage import transfer

    with conn.transaction(write=False) as db:
        ids = transfer.selected_story_ids(db, story_ids, highlight_ids)
    wanted = None if highlight_ids is None else frozenset(highlight_ids)
    for start in range(0, len(ids), BATCH):
        with conn.transaction(write=False) as db:
            batch = transfer.story_records(
                db,
                ids[start : start + BATCH],
                highlight_ids=wanted,
                with_notes=with_notes or wanted is None,
            )
        yield from batch
