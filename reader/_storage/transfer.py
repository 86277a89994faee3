"""Whole-archive transfer: stories read in full (earlier versions, highlights with their
status, notes, tags, timestamps) for export, and the same records written back on import,
merged with what the archive already holds instead of duplicating it.

Exports read batches of ids, so 100,000 stories never sit in memory at once. An import into
an empty archive keeps every id, so exporting it again gives the same document.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from reader._anchoring import Selector
from reader._storage import codebook, mailboxes, stories, tags
from reader._storage.annotations import highlight_from_row, note_from_row
from reader._storage.db import decode_time, encode_optional_time, encode_time, insert, now
from reader._storage.feeds import subscription_from_row
from reader._storage.mailboxes import MailboxRow
from reader._storage.text_stats import text_columns
from reader._storage.versions import version_from_row
from reader.model import (
    AnchorStatus,
    CodebookEntry,
    Color,
    Highlight,
    Note,
    Source,
    Story,
    StoryVersion,
    Subscription,
)


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story as an export holds it: everything needed to put it back as it was."""

    story: Story
    created: datetime
    updated: datetime
    highlights: tuple[Highlight, ...] = ()
    notes: tuple[Note, ...] = ()
    versions: tuple[StoryVersion, ...] = ()


@dataclass(slots=True)
class StoryMerge:
    """What importing one story did: ``added`` when it was new, else it was merged."""

    story_id: int
    added: bool
    highlights_added: int = 0
    highlights_skipped: int = 0
    notes_added: int = 0
    notes_skipped: int = 0
    orphaned: list[Highlight] = field(default_factory=list)
    """Highlights that found no place in this archive's text: kept as orphans to reattach."""


Placer = Callable[[str, Selector], tuple[Selector, AnchorStatus]]
"""Where a highlight made on another copy of a story goes in this archive's text, and its
status there."""


@dataclass(frozen=True, slots=True)
class ImportContext:
    """Decided once per imported export: whether ids are kept (the archive was empty) and
    which of our subscriptions the export's feed ids stand for."""

    keep_ids: bool
    feed_ids: Mapping[int, int]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A highlight (``selector`` set) or a story note from an annotation file, for the story
    with this url or guid, else this content hash."""

    url: str | None
    content_hash: str | None
    selector: Selector | None
    color: Color
    note: str
    tags: tuple[str, ...]
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class Attached:
    """Where an attachment went: no ``story_id`` when no story matched; ``added`` False when
    the story already had it; ``status`` where a highlight stands."""

    story_id: int | None
    title: str | None = None
    added: bool = False
    status: AnchorStatus | None = None


# -- reading ---------------------------------------------------------------------------------


def selected_story_ids(
    db: Database, story_ids: Iterable[int] | None, highlight_ids: Iterable[int] | None
) -> list[int]:
    """The live stories an export covers: the given ones in their order, else those holding
    the given highlights, else every live story by id."""
    if story_ids is not None:
        wanted = list(dict.fromkeys(story_ids))
        live = _live_ids(db, "SELECT id FROM stories WHERE deleted_at IS NULL AND id IN", wanted)
        return [story_id for story_id in wanted if story_id in live]
    if highlight_ids is not None:
        rows = db.execute(
            "SELECT h.id, h.story_id FROM highlights h JOIN stories s ON s.id = h.story_id"
            " WHERE s.deleted_at IS NULL AND h.id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(dict.fromkeys(highlight_ids)))],
        ).fetchall()
        story_of = {int(h_id): int(s_id) for h_id, s_id in rows}
        ordered = [story_of[h_id] for h_id in dict.fromkeys(highlight_ids) if h_id in story_of]
        return list(dict.fromkeys(ordered))
    rows = db.execute("SELECT id FROM stories WHERE deleted_at IS NULL ORDER BY id").fetchall()
    return [int(row[0]) for row in rows]


def story_records(
    db: Database,
    story_ids: Sequence[int],
    *,
    highlight_ids: frozenset[int] | None = None,
    with_notes: bool = True,
) -> list[StoryRecord]:
    """Full records for live stories in the order of ``story_ids``; with ``highlight_ids``,
    only those highlights."""
    ids = json.dumps(list(story_ids))
    highlights: dict[int, list[Highlight]] = defaultdict(list)
    for row in db.query(f"{_HIGHLIGHTS} ORDER BY h.story_id, h.start, h.id", [ids]):
        if highlight_ids is None or row["id"] in highlight_ids:
            highlights[row["story_id"]].append(highlight_from_row(row))
    notes: dict[int, list[Note]] = defaultdict(list)
    if with_notes:
        for row in db.query(f"{_NOTES} ORDER BY n.story_id, n.created, n.id", [ids]):
            notes[row["story_id"]].append(note_from_row(row))
    versions: dict[int, list[StoryVersion]] = defaultdict(list)
    for row in db.query(f"{_VERSIONS} ORDER BY story_id, version", [ids]):
        versions[row["story_id"]].append(version_from_row(row))
    found = {}
    for row in db.query(_STORIES, [ids]):
        story_id = row["id"]
        found[story_id] = StoryRecord(
            story=stories.story_from_row(row),
            created=decode_time(row["created"]),
            updated=decode_time(row["updated"]),
            highlights=tuple(highlights[story_id]),
            notes=tuple(notes[story_id]),
            versions=tuple(versions[story_id]),
        )
    return [found[story_id] for story_id in story_ids if story_id in found]


def sources(db: Database) -> list[Source]:
    rows = db.execute("SELECT id, kind, name, url FROM sources ORDER BY id").fetchall()
    return [Source(id=row[0], kind=row[1], name=row[2], url=row[3]) for row in rows]


def feeds(db: Database) -> list[Subscription]:
    """Every subscription by id (a mailbox folder's kind "mailbox"), without story counts."""
    rows = db.query(
        "SELECT f.*, m.feed_id IS NOT NULL AS is_mailbox, 0 AS story_count, 0 AS unread_count"
        " FROM feeds f LEFT JOIN mailboxes m ON m.feed_id = f.id ORDER BY f.id"
    )
    return [subscription_from_row(row) for row in rows]


def mailbox_settings(db: Database) -> list[MailboxRow]:
    """How to reach every mailbox source and where reading it stopped, by feed id."""
    return mailboxes.list_mailboxes(db)


# -- writing ---------------------------------------------------------------------------------


def import_header(
    db: Database,
    entries: Iterable[CodebookEntry],
    incoming_sources: Iterable[Source],
    subscriptions: Iterable[Subscription],
    mailbox_settings: Iterable[MailboxRow] = (),
) -> tuple[ImportContext, list[str]]:
    """Codebook, sources and subscriptions of an export (mailbox sources with their
    settings, by the export's feed ids); ids are kept when the archive is empty.
    Returns the context for :func:`import_story` and the codebook's conflicts."""
    mailbox_of = {row.feed_id: row for row in mailbox_settings}
    keep_ids = is_empty(db)
    messages = codebook.merge(db, entries)
    import_sources(db, incoming_sources, keep_ids=keep_ids)
    feed_ids = import_feeds(db, subscriptions, keep_ids=keep_ids, mailbox_of=mailbox_of)
    return ImportContext(keep_ids, feed_ids), messages


def is_empty(db: Database) -> bool:
    """Whether the archive holds nothing an import could collide with, deleted rows included."""
    tables = ("stories", "highlights", "notes", "feeds", "sources")
    return all(db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None for table in tables)


def import_sources(db: Database, incoming: Iterable[Source], *, keep_ids: bool) -> None:
    """Add the sources this archive lacks (by kind and name)."""
    for source in incoming:
        exists = db.execute(
            "SELECT 1 FROM sources WHERE kind = ? AND name = ?", [source.kind, source.name]
        ).fetchone()
        if exists is None:
            record = {"kind": source.kind, "name": source.name, "url": source.url, "created": now()}
            _insert_keeping(db, "sources", source.id if keep_ids else None, record)


def import_feeds(
    db: Database,
    incoming: Iterable[Subscription],
    *,
    keep_ids: bool,
    mailbox_of: Mapping[int, MailboxRow] | None = None,
) -> dict[int, int]:
    """Add the subscriptions this archive lacks (by URL); maps the export's ids to ours.

    ``mailbox_of`` holds the export's mailbox settings by its feed ids: such a subscription
    is added as a mailbox source, and one this archive holds under the same address without
    settings (imported from an export that lacked them) gets them.
    """
    mapping: dict[int, int] = {}
    settings = mailbox_of or {}
    for feed in incoming:
        mailbox = settings.get(feed.id)
        row = db.execute("SELECT id FROM feeds WHERE url = ?", [feed.url]).fetchone()
        if row is not None:
            feed_id = mapping[feed.id] = int(row[0])
            known = db.execute("SELECT 1 FROM mailboxes WHERE feed_id = ?", [feed_id]).fetchone()
            if mailbox is not None and known is None:
                mailboxes.restore_mailbox(db, replace(mailbox, feed_id=feed_id))
            continue
        record = {
            "url": feed.url,
            "title": feed.title,
            "site_url": feed.site_url,
            # A mailbox row, not the kind column, makes a mailbox source (as subscribing does).
            "kind": None if mailbox is not None else feed.kind,
            "etag": feed.etag,
            "last_modified": feed.last_modified,
            "last_fetched": encode_optional_time(feed.last_fetched),
            "last_success": encode_optional_time(feed.last_success),
            "last_error": feed.last_error,
            "error_count": feed.error_count,
            "next_attempt": encode_optional_time(feed.next_attempt),
            "fetch_full_articles": int(feed.fetch_full_articles),
            "created": encode_time(feed.created),
        }
        feed_id = mapping[feed.id] = _insert_keeping(
            db, "feeds", feed.id if keep_ids else None, record
        )
        if mailbox is not None:
            mailboxes.restore_mailbox(db, replace(mailbox, feed_id=feed_id))
    return mapping


def find_story(
    db: Database, *, url: str | None, guid: str | None, content_hash: str | None
) -> int | None:
    """A live story with this url or guid, else with this content."""
    for column, value in (("url", url), ("guid", guid), ("content_hash", content_hash)):
        if value is None:
            continue
        row = db.execute(
            f"SELECT id FROM stories WHERE deleted_at IS NULL AND {column} = ? ORDER BY id LIMIT 1",
            [value],
        ).fetchone()
        if row is not None:
            return int(row[0])
    return None


def story_text(db: Database, story_id: int) -> str:
    return str(db.execute("SELECT text FROM stories WHERE id = ?", [story_id]).fetchone()[0])


def import_story(
    db: Database,
    record: StoryRecord,
    *,
    feed_ids: Mapping[int, int],
    keep_ids: bool,
    place: Placer,
) -> StoryMerge:
    """Add the story, or merge it into the copy this archive holds (matched by url, guid or
    content): its tags are united, highlights and notes it lacks are added, the rest skipped.

    Highlights keep their positions and status on the same text; on a different text
    ``place`` finds them, and one it cannot find is stored as an orphan and listed in
    ``orphaned``.
    """
    story = record.story
    existing = find_story(db, url=story.url, guid=story.guid, content_hash=story.content_hash)
    if existing is None:
        story_id = _insert_story(db, record, feed_ids=feed_ids, keep_ids=keep_ids)
        result = StoryMerge(story_id, added=True)
        text = story.text
        same_text = True
    else:
        story_id = existing
        result = StoryMerge(story_id, added=False)
        tags.link(db, "story", story_id, story.tags)
        text = story_text(db, story_id)
        same_text = text == story.text
    claimed: set[tuple[str, int]] = set()
    for highlight in record.highlights:
        selector = Selector(
            highlight.start, highlight.end, highlight.quote, highlight.prefix, highlight.suffix
        )
        status = highlight.status
        if not same_text:
            selector, status = place(text, selector)
        added = add_highlight(
            db,
            story_id,
            selector,
            color=highlight.color,
            note=highlight.note,
            tag_names=highlight.tags,
            created=highlight.created,
            updated=highlight.updated,
            status=status,
            keep_id=highlight.id if keep_ids else None,
            claimed=claimed,
        )
        if not added:
            result.highlights_skipped += 1
            continue
        result.highlights_added += 1
        if status is AnchorStatus.ORPHAN and highlight.status is not AnchorStatus.ORPHAN:
            result.orphaned.append(highlight)
    for note in record.notes:
        added = add_note(
            db,
            story_id,
            note.body,
            created=note.created,
            updated=note.updated,
            keep_id=note.id if keep_ids else None,
            claimed=claimed,
        )
        if added:
            result.notes_added += 1
        else:
            result.notes_skipped += 1
    return result


def add_highlight(
    db: Database,
    story_id: int,
    selector: Selector,
    *,
    color: Color,
    note: str,
    tag_names: Iterable[str],
    created: datetime,
    updated: datetime,
    status: AnchorStatus = AnchorStatus.ANCHORED,
    keep_id: int | None = None,
    claimed: set[tuple[str, int]] | None = None,
) -> bool:
    """Store an imported highlight; False (its tags united with the one already there) when
    the story already has it: a highlight of the same quote at the same place, made at the
    same time or with the same note and colour (an annotation file without times, imported
    again). ``claimed`` holds the highlights this import already matched or added, so two
    highlights on the same words, even with the same note, stay two."""
    claimed = set() if claimed is None else claimed
    stamp = encode_time(created)
    rows = db.execute(
        "SELECT id, note, color, created FROM highlights WHERE story_id = ? AND start = ?"
        ' AND "end" = ? AND quote = ? ORDER BY id',
        [story_id, selector.start, selector.end, selector.quote],
    ).fetchall()
    same = _claim(
        "highlights",
        rows,
        claimed,
        lambda row: row[3] == stamp,
        lambda row: row[1] == note and row[2] == color.value,
    )
    names = list(tag_names)
    if same is not None:
        tags.link(db, "highlight", same, names)
        return False
    record = {
        "story_id": story_id,
        "start": selector.start,
        "end": selector.end,
        "quote": selector.quote,
        "prefix": selector.prefix,
        "suffix": selector.suffix,
        "color": color.value,
        "note": note,
        "status": status,
        "created": stamp,
        "updated": encode_time(updated),
    }
    highlight_id = _insert_keeping(db, "highlights", keep_id, record)
    claimed.add(("highlights", highlight_id))
    tags.link(db, "highlight", highlight_id, names)
    return True


def add_note(
    db: Database,
    story_id: int,
    body: str,
    *,
    created: datetime,
    updated: datetime,
    keep_id: int | None = None,
    claimed: set[tuple[str, int]] | None = None,
) -> bool:
    """Store an imported note; False when the story already has it (made at the same time,
    or with the same text); ``claimed`` as for :func:`add_highlight`."""
    claimed = set() if claimed is None else claimed
    stamp = encode_time(created)
    rows = db.execute(
        "SELECT id, body, created FROM notes WHERE story_id = ? AND (created = ? OR body = ?)"
        " ORDER BY id",
        [story_id, stamp, body],
    ).fetchall()
    same = _claim("notes", rows, claimed, lambda row: row[2] == stamp, lambda row: row[1] == body)
    if same is not None:
        return False
    record = {
        "story_id": story_id,
        "body": body,
        "created": stamp,
        "updated": encode_time(updated),
    }
    claimed.add(("notes", _insert_keeping(db, "notes", keep_id, record)))
    return True


def _claim(
    table: str,
    rows: Iterable[Any],
    claimed: set[tuple[str, int]],
    *tests: Callable[[Any], bool],
) -> int | None:
    """The id of the first row (``id`` first) not yet claimed that passes the first test any
    row passes, now claimed; None when none does."""
    free = [row for row in rows if (table, int(row[0])) not in claimed]
    for test in tests:
        found = next((int(row[0]) for row in free if test(row)), None)
        if found is not None:
            claimed.add((table, found))
            return found
    return None


def attach(
    db: Database, item: Attachment, place: Placer, claimed: set[tuple[str, int]] | None = None
) -> Attached:
    """Add an annotation file's highlight or note to its story, placed by ``place``;
    ``claimed`` as for :func:`add_highlight`, kept across one file's annotations."""
    story_id = find_story(db, url=item.url, guid=item.url, content_hash=item.content_hash)
    if story_id is None:
        return Attached(None)
    title, text = db.execute("SELECT title, text FROM stories WHERE id = ?", [story_id]).fetchone()
    if item.selector is None:
        added = add_note(
            db, story_id, item.note, created=item.created, updated=item.updated, claimed=claimed
        )
        return Attached(story_id, title, added)
    selector, status = place(text, item.selector)
    added = add_highlight(
        db,
        story_id,
        selector,
        color=item.color,
        note=item.note,
        tag_names=item.tags,
        created=item.created,
        updated=item.updated,
        status=status,
        claimed=claimed,
    )
    return Attached(story_id, title, added, status)


def _insert_story(
    db: Database, record: StoryRecord, *, feed_ids: Mapping[int, int], keep_ids: bool
) -> int:
    story = record.story
    row = {
        "guid": story.guid,
        "url": story.url,
        "title": story.title,
        "byline": story.byline,
        "published": encode_optional_time(story.published),
        "fetched": encode_time(story.fetched or record.created),
        "source_id": stories.publication_id(db, story.source),
        "source_qualifier": story.source_qualifier,
        "origin": story.origin,
        "language": story.language,
        "category": story.category,
        "reading_time": story.reading_time,
        "tracking_url": story.tracking_url,
        "text": story.text,
        "sections": stories.encode_sections(story.sections),
        "html": story.html,
        "content_hash": story.content_hash,
        "is_read": int(story.is_read),
        "is_starred": int(story.is_starred),
        "is_archived": int(story.is_archived),
        "is_later": int(story.is_later),
        **text_columns(story.text),
        "created": encode_time(record.created),
        "updated": encode_time(record.updated),
        "feed_id": feed_ids.get(story.feed_id) if story.feed_id is not None else None,
        "version": story.version,
    }
    story_id = _insert_keeping(db, "stories", story.id if keep_ids else None, row)
    tags.link(db, "story", story_id, story.tags)
    for version in record.versions:
        insert(
            db,
            "story_versions",
            {
                "story_id": story_id,
                "version": version.version,
                "fetched": encode_time(version.fetched),
                "title": version.title,
                "text": version.text,
                "sections": stories.encode_sections(version.sections),
                "html": version.html,
                "content_hash": version.content_hash,
            },
        )
    return story_id


def _insert_keeping(db: Database, table: str, row_id: int | None, record: dict[str, Any]) -> int:
    """Insert under ``row_id`` when it is given and free, else under a new id."""
    if row_id is not None:
        taken = db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
        if taken is None:
            return insert(db, table, {"id": row_id, **record})
    return insert(db, table, record)


def _live_ids(db: Database, select: str, ids: Sequence[int]) -> set[int]:
    rows = db.execute(f"{select} (SELECT value FROM json_each(?))", [json.dumps(ids)]).fetchall()
    return {int(row[0]) for row in rows}


# -- queries ---------------------------------------------------------------------------------

_STORIES = f"""{stories.SELECT_STORIES}
    WHERE s.id IN (SELECT value FROM json_each(?)) AND s.deleted_at IS NULL
"""

_HIGHLIGHTS = f"""
    SELECT h.*, {tags.HIGHLIGHT_TAGS_SQL} AS tags FROM highlights h
    WHERE h.story_id IN (SELECT value FROM json_each(?))
"""

_NOTES = "SELECT n.* FROM notes n WHERE n.story_id IN (SELECT value FROM json_each(?))"
_VERSIONS = "SELECT * FROM story_versions WHERE story_id IN (SELECT value FROM json_each(?))"
