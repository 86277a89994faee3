"""Bringing exports back in: telling our JSON archive and W3C annotation files from stories by
their content, and merging them into an archive without duplicating what it holds.

Highlights made on another copy of a story are re-anchored by their quote (with context and
position) as :mod:`reader._anchoring` does when a story's text changes; one that finds no place
is kept as an orphan to reattach, and every one that could not be placed is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from reader import _killpoints
from reader._anchoring import ANCHORED, ORPHAN, Selector, reanchor, selector_for_range
from reader._export import json_format, w3c_format
from reader._storage import saved_searches, transfer
from reader._storage.transfer import Attachment
from reader.errors import ParseError, SourceError
from reader.model import AnchorStatus, Color, MergeReport, UnplacedAnnotation

if TYPE_CHECKING:
    from reader._storage.db import Connection

ARCHIVE = "archive"
ANNOTATIONS = "annotations"
HEAD_BYTES = 1 << 16
STORY_BATCH = 200
ANNOTATION_BATCH = 500
_ARCHIVE_FORMAT = re.compile(r'"format"\s*:\s*"' + re.escape(json_format.FORMAT_NAME) + '"')
_ORPHANED = "its quote is not in this archive's copy of the story"

T = TypeVar("T")


def detect(path: Path) -> str | None:
    """ "archive" for our JSON export, "annotations" for a W3C Web Annotation document, else
    None (a story file), judged by the start of the file."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if not text.startswith(("{", "[")):
        return None
    if _ARCHIVE_FORMAT.search(text):
        return ARCHIVE
    if '"@context"' in text and any(context in text for context in w3c_format.CONTEXTS):
        return ANNOTATIONS
    return None


def place(text: str, selector: Selector) -> tuple[Selector, AnchorStatus]:
    """Where a highlight goes in ``text`` and its status there; an orphan keeps its quote."""
    placement = reanchor(text, selector)
    folded = " ".join(selector.quote.split())
    if placement.status != ANCHORED and folded and folded != selector.quote:
        # Another tool may keep white space the canonical text folds: the same words are exact.
        again = reanchor(text, Selector(selector.start, selector.end, folded, "", ""))
        if again.status == ANCHORED:
            placement = again
    if placement.status == ANCHORED:
        return selector_for_range(text, placement.start, placement.end), ANCHORED
    moved = Selector(
        placement.start, placement.end, selector.quote, selector.prefix, selector.suffix
    )
    return moved, placement.status


def import_file(conn: Connection, path: Path, kind: str, names: Mapping[str, Color]) -> MergeReport:
    """Merge an export of ``kind`` (see :func:`detect`) into the archive behind ``conn``.
    ``names`` maps codebook names (case-folded) to colours, for annotations classified by name."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            if kind == ARCHIVE:
                return import_archive(conn, fh, str(path))
            return import_annotations(conn, w3c_format.read(fh), str(path), names)
    except UnicodeDecodeError as err:
        raise ParseError(f"not UTF-8 text: {err.reason}") from None
    except OSError as err:
        raise SourceError(f"cannot read file: {err.strerror or err}") from err


def import_archive(conn: Connection, stream: IO[str], path: str) -> MergeReport:
    """Merge our JSON archive: stories matched by url, guid or content are merged (tags
    united, missing highlights and notes added), the rest added, a transaction per batch."""
    header, records = json_format.read(stream)
    report = MergeReport(path, ARCHIVE)
    with conn.transaction() as db:
        context, messages = transfer.import_header(
            db, header.codebook, header.sources, header.feeds, header.mailboxes
        )
    _killpoints.step("merge.header_committed")
    report.messages += messages
    for batch in _batched(records, STORY_BATCH):
        with conn.transaction() as db:
            merges = [
                transfer.import_story(
                    db, record, feed_ids=context.feed_ids, keep_ids=context.keep_ids, place=place
                )
                for record in batch
            ]
        _killpoints.step("merge.batch_committed")
        for record, merged in zip(batch, merges, strict=True):
            (report.stories_added if merged.added else report.stories_merged).append(
                merged.story_id
            )
            report.highlights_added += merged.highlights_added
            report.highlights_skipped += merged.highlights_skipped
            report.notes_added += merged.notes_added
            report.notes_skipped += merged.notes_skipped
            report.unplaced += [
                UnplacedAnnotation(record.story.title, h.quote, _ORPHANED, kept=True)
                for h in merged.orphaned
            ]
    # After the stories, so that what the export held is not new to its own saved searches.
    with conn.transaction() as db:
        report.messages += saved_searches.merge(db, header.saved_searches)
    return report


def import_annotations(
    conn: Connection,
    annotations: list[w3c_format.Annotation],
    path: str,
    names: Mapping[str, Color],
) -> MergeReport:
    """Attach W3C annotations to the stories their targets name (URL, or our content-hash
    URN), re-anchoring each highlight by its quote."""
    report = MergeReport(path, ANNOTATIONS)
    now = datetime.now(UTC)
    usable: list[tuple[w3c_format.Annotation, Attachment]] = []
    for annotation in annotations:
        if annotation.problem is not None or annotation.source is None:
            report.unplaced.append(_unplaced(annotation, annotation.problem or "no target"))
        elif annotation.quote is None and not annotation.note.strip():
            report.unplaced.append(_unplaced(annotation, "neither a quote nor a note"))
        else:
            usable.append((annotation, _attachment(annotation, names, now)))
    stories: set[int] = set()
    claimed: set[tuple[str, int]] = set()
    for batch in _batched(usable, ANNOTATION_BATCH):
        with conn.transaction() as db:
            results = [transfer.attach(db, item, place, claimed) for _, item in batch]
        _killpoints.step("merge.annotations_committed")
        for (annotation, item), result in zip(batch, results, strict=True):
            if result.story_id is None:
                report.unplaced.append(_unplaced(annotation, "no story in the archive has it"))
                continue
            stories.add(result.story_id)
            if item.selector is None:
                if result.added:
                    report.notes_added += 1
                else:
                    report.notes_skipped += 1
            elif not result.added:
                report.highlights_skipped += 1
            else:
                report.highlights_added += 1
                if result.status == ORPHAN:
                    title = result.title or annotation.source or ""
                    quote = annotation.quote or ""
                    report.unplaced.append(UnplacedAnnotation(title, quote, _ORPHANED, kept=True))
    report.stories_merged = sorted(stories)
    return report


def _attachment(
    annotation: w3c_format.Annotation, names: Mapping[str, Color], now: datetime
) -> Attachment:
    source = annotation.source or ""
    if source.startswith(w3c_format.STORY_URN):
        url, digest = None, source.removeprefix(w3c_format.STORY_URN)
    else:
        url, digest = source, None
    selector = None
    if annotation.quote is not None:
        start = annotation.start if annotation.start is not None else 0
        end = annotation.end if annotation.end is not None else start + len(annotation.quote)
        selector = Selector(start, end, annotation.quote, annotation.prefix, annotation.suffix)
    created = annotation.created or annotation.modified or now
    return Attachment(
        url=url,
        content_hash=digest,
        selector=selector,
        color=_color(annotation, names),
        note=annotation.note,
        tags=annotation.tags,
        created=created,
        updated=annotation.modified or created,
    )


def _color(annotation: w3c_format.Annotation, names: Mapping[str, Color]) -> Color:
    """The colour from the target's styleClass, else from a classifying body naming a colour
    or a codebook entry, else yellow."""
    for value in (annotation.style_class, *annotation.classes):
        if not value:
            continue
        folded = value.strip().casefold()
        if folded in {color.value for color in Color}:
            return Color(folded)
        if folded in names:
            return names[folded]
    return Color.YELLOW


def _unplaced(annotation: w3c_format.Annotation, reason: str) -> UnplacedAnnotation:
    return UnplacedAnnotation(annotation.source or "", annotation.quote or annotation.note, reason)


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
