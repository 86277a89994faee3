"""Getting work out again: the archive with its highlights and notes as JSON or Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from reader.errors import ExportError

if TYPE_CHECKING:
    from reader.archive import StoryBundle

FORMATS = ("json", "markdown")


def write_export(fmt: str, bundles: Iterable[StoryBundle], out: IO[str]) -> int:
    """Write ``bundles`` to ``out`` in ``fmt``; returns how many stories were written."""
    from reader.export import json_format, markdown_format

    writers = {"json": json_format.write, "markdown": markdown_format.write}
    try:
        writer = writers[fmt]
    except KeyError:
        raise ExportError(
            f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})"
        ) from None
    return writer(bundles, out)
