"""The JSON archive: every story with its earlier versions, highlights (both selectors, status,
colour, note, tags), notes and tags, plus the codebook, sources, subscriptions (a mailbox
folder's with how to reach it and where reading stopped, never a password) and saved searches
(name, query and filters: what is new is counted afresh in the archive it goes to), with full
fidelity, so importing it into an empty archive and exporting again gives the same document.

The document is deterministic except for its ``exported`` header member. Stories are written
one to a line, one at a time, and read back the same way (see :mod:`reader._export.jsonstream`).
Format 1 (before schema 4) is still read: what it lacks takes its default; so is format 2 as
written before feeds carried ``mailbox``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from reader import __version__
from reader._export import jsonstream
from reader._export.records import highlight_record, note_record
from reader._export.records import story_record as story_fields
from reader._parse import content_hash
from reader._sources.imap import MailSecurity
from reader._storage.db import encode_optional_time, encode_time
from reader._storage.mailboxes import MailboxRow
from reader._storage.saved_searches import SavedQuery
from reader._storage.transfer import StoryRecord
from reader.errors import ParseError
from reader.model import (
    AnchorStatus,
    CodebookEntry,
    Color,
    Highlight,
    Note,
    Section,
    Source,
    Story,
    StoryVersion,
    Subscription,
)

FORMAT_NAME = "story-reader-archive"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
STATUSES = tuple(AnchorStatus)


@dataclass(frozen=True, slots=True)
class ArchiveHeader:
    """Everything in the document but its stories."""

    codebook: Sequence[CodebookEntry] = ()
    sources: Sequence[Source] = ()
    feeds: Sequence[Subscription] = ()
    mailboxes: Sequence[MailboxRow] = ()
    """The settings of the feeds that are mailbox folders, each under its feed's id."""
    saved_searches: Sequence[SavedQuery] = ()


def write(
    header: ArchiveHeader,
    stories: Iterable[StoryRecord],
    out: IO[str],
    *,
    exported: datetime | None = None,
) -> int:
    """Write the document; returns how many stories it holds."""
    names = {entry.color: entry.name for entry in header.codebook}
    mailbox_of = {row.feed_id: row for row in header.mailboxes}
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "exported": encode_time(exported or datetime.now(UTC)),
        "codebook": [_codebook_record(entry) for entry in header.codebook],
        "sources": [_source_record(source) for source in header.sources],
        "feeds": [_feed_record(feed, mailbox_of.get(feed.id)) for feed in header.feeds],
        "saved_searches": [_saved_search_record(kept) for kept in header.saved_searches],
    }
    text = json.dumps(head, ensure_ascii=False, indent=2)
    out.write(text[:-2] + ',\n  "stories": [')
    count = 0
    for record in stories:
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(story_record(record, names), ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count


def read(stream: IO[str]) -> tuple[ArchiveHeader, Iterator[StoryRecord]]:
    """The header, then the stories one at a time. The header members must come before
    ``stories``, as :func:`write` puts them."""
    members = jsonstream.members(stream, streamed={"stories"})
    fields: dict[str, Any] = {}
    stories: Iterator[Any] = iter(())
    for key, value in members:
        if key == "stories":
            stories = value
            break
        fields[key] = value
    if fields.get("format") != FORMAT_NAME:
        raise ParseError(f"not a story archive export (format {fields.get('format')!r})")
    if fields.get("version") not in READABLE_VERSIONS:
        raise ParseError(
            f"archive export version {fields.get('version')!r} is newer than this app reads"
        )
    feeds = [_feed(item) for item in _list(fields, "feeds")]
    header = ArchiveHeader(
        codebook=[_codebook_entry(item) for item in _list(fields, "codebook")],
        sources=[_source(item) for item in _list(fields, "sources")],
        feeds=[feed for feed, _ in feeds],
        mailboxes=[mailbox for _, mailbox in feeds if mailbox is not None],
        saved_searches=[_saved_search(item) for item in _list(fields, "saved_searches")],
    )

    def records() -> Iterator[StoryRecord]:
        for number, item in enumerate(stories, 1):
            try:
                yield story_from_record(_object(item, "story"))
            except (ParseError, ValueError, TypeError) as err:
                raise ParseError(f"story {number} of the export: {err}") from err
        for _ in members:  # the rest of the document, so that damage after the stories shows
            pass

    return header, records()


# -- records out -----------------------------------------------------------------------------


def story_record(record: StoryRecord, names: Mapping[Color, str]) -> dict[str, Any]:
    story = record.story
    details = {
        "feed_id": story.feed_id,
        "version": story.version,
        "created": encode_time(record.created),
        "updated": encode_time(record.updated),
        "content_hash": story.content_hash,
    }
    return {
        **story_fields(story, time=encode_time, details=details),
        "html": story.html,
        "versions": [_version_record(version) for version in record.versions],
        "highlights": [
            highlight_record(h, time=encode_time, names=names) for h in record.highlights
        ],
        "notes": [note_record(note, time=encode_time) for note in record.notes],
    }


def _version_record(version: StoryVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "fetched": encode_time(version.fetched),
        "title": version.title,
        "content_hash": version.content_hash,
        "sections": [section.to_dict() for section in version.sections],
        "text": version.text,
        "html": version.html,
    }


def _codebook_record(entry: CodebookEntry) -> dict[str, Any]:
    return {"color": entry.color.value, "name": entry.name, "description": entry.description}


def _saved_search_record(kept: SavedQuery) -> dict[str, Any]:
    return {"name": kept.name, "query": kept.query, "filters": kept.filters}


def _source_record(source: Source) -> dict[str, Any]:
    return {"id": source.id, "kind": source.kind, "name": source.name, "url": source.url}


def _feed_record(feed: Subscription, mailbox: MailboxRow | None) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "kind": feed.kind,
        "fetch_full_articles": feed.fetch_full_articles,
        "created": encode_time(feed.created),
        "etag": feed.etag,
        "last_modified": feed.last_modified,
        "last_fetched": encode_optional_time(feed.last_fetched),
        "last_success": encode_optional_time(feed.last_success),
        "last_error": feed.last_error,
        "error_count": feed.error_count,
        "next_attempt": encode_optional_time(feed.next_attempt),
        "mailbox": None if mailbox is None else _mailbox_record(mailbox),
    }


def _mailbox_record(mailbox: MailboxRow) -> dict[str, Any]:
    """How to reach the folder and where reading it stopped; the password stays in the
    keyring (the row has none)."""
    return {
        "host": mailbox.host,
        "port": mailbox.port,
        "username": mailbox.username,
        "folder": mailbox.folder,
        "security": mailbox.security,
        "ca_file": mailbox.ca_file,
        "uidvalidity": mailbox.uidvalidity,
        "last_uid": mailbox.last_uid,
    }


# -- records in ------------------------------------------------------------------------------


def story_from_record(data: dict[str, Any]) -> StoryRecord:
    title = _str(data, "title")
    text = _str(data, "text")
    fetched = _opt_time(data, "fetched")
    created = _opt_time(data, "created") or fetched or datetime.now(UTC)
    story_id = _int(data, "id")
    story = Story(
        id=story_id,
        title=title,
        sections=tuple(_section(item) for item in _list(data, "sections")),
        text=text,
        html=_opt_str(data, "html") or "",
        content_hash=_opt_str(data, "content_hash") or content_hash(title, text),
        source=_opt_str(data, "source"),
        source_qualifier=_opt_str(data, "source_qualifier"),
        url=_opt_str(data, "url"),
        guid=_opt_str(data, "guid"),
        byline=_opt_str(data, "byline"),
        published=_opt_time(data, "published"),
        fetched=fetched,
        origin=_opt_str(data, "origin"),
        language=_opt_str(data, "language"),
        category=_opt_str(data, "category"),
        reading_time=_opt_str(data, "reading_time"),
        tracking_url=_opt_str(data, "tracking_url"),
        is_read=_bool(data, "read"),
        is_starred=_bool(data, "starred"),
        is_archived=_bool(data, "archived"),
        is_later=_bool(data, "later"),
        tags=tuple(_str_list(data, "tags")),
        feed_id=_opt_int(data, "feed_id"),
        version=_opt_int(data, "version") or 1,
    )
    return StoryRecord(
        story=story,
        created=created,
        updated=_opt_time(data, "updated") or created,
        highlights=tuple(_highlight(item, story_id) for item in _list(data, "highlights")),
        notes=tuple(_note(item, story_id) for item in _list(data, "notes")),
        versions=tuple(_version(item, story_id) for item in _list(data, "versions")),
    )


def _highlight(item: Any, story_id: int) -> Highlight:
    data = _object(item, "highlight")
    created = _required_time(data, "created")
    status = _opt_str(data, "status") or "anchored"
    if status not in STATUSES:
        raise ParseError(f"unknown highlight status {status!r}")
    color = _str(data, "color")
    if color not in {c.value for c in Color}:
        raise ParseError(f"unknown highlight colour {color!r}")
    start, end = _int(data, "start"), _int(data, "end")
    if not 0 <= start <= end:
        raise ParseError(f"highlight {data.get('id')!r} has a bad range {start}-{end}")
    return Highlight(
        id=_int(data, "id"),
        story_id=story_id,
        start=start,
        end=end,
        quote=_str(data, "quote"),
        prefix=_opt_str(data, "prefix") or "",
        suffix=_opt_str(data, "suffix") or "",
        color=Color(color),
        note=_opt_str(data, "note") or "",
        created=created,
        updated=_opt_time(data, "updated") or created,
        tags=tuple(_str_list(data, "tags")),
        status=AnchorStatus(status),
    )


def _note(item: Any, story_id: int) -> Note:
    data = _object(item, "note")
    created = _required_time(data, "created")
    return Note(
        id=_int(data, "id"),
        story_id=story_id,
        body=_str(data, "body"),
        created=created,
        updated=_opt_time(data, "updated") or created,
    )


def _version(item: Any, story_id: int) -> StoryVersion:
    data = _object(item, "version")
    title, text = _str(data, "title"), _str(data, "text")
    return StoryVersion(
        story_id=story_id,
        version=_int(data, "version"),
        fetched=_required_time(data, "fetched"),
        title=title,
        text=text,
        sections=tuple(_section(section) for section in _list(data, "sections")),
        html=_opt_str(data, "html") or "",
        content_hash=_opt_str(data, "content_hash") or content_hash(title, text),
    )


def _section(item: Any) -> Section:
    return Section.from_dict(_object(item, "section"))


def _codebook_entry(item: Any) -> CodebookEntry:
    data = _object(item, "codebook entry")
    color = _str(data, "color")
    if color not in {c.value for c in Color}:
        raise ParseError(f"unknown colour {color!r} in the codebook")
    return CodebookEntry(Color(color), _str(data, "name"), _opt_str(data, "description") or "")


def _saved_search(item: Any) -> SavedQuery:
    data = _object(item, "saved search")
    filters = data.get("filters")
    if filters is not None and not isinstance(filters, dict):
        raise ParseError("a saved search's 'filters' must be an object")
    return SavedQuery(_str(data, "name"), _str(data, "query"), filters)


def _source(item: Any) -> Source:
    data = _object(item, "source")
    return Source(
        id=_int(data, "id"),
        kind=_opt_str(data, "kind") or "publication",
        name=_str(data, "name"),
        url=_opt_str(data, "url"),
    )


def _feed(item: Any) -> tuple[Subscription, MailboxRow | None]:
    data = _object(item, "feed")
    feed_id = _int(data, "id")
    settings = data.get("mailbox")
    mailbox = None if settings is None else _mailbox(settings, feed_id)
    kind = _opt_str(data, "kind")
    if kind == "mailbox" and mailbox is None:
        raise ParseError(f"feed {feed_id} is a mailbox folder without its 'mailbox' settings")
    feed = Subscription(
        id=feed_id,
        url=_str(data, "url"),
        title=_str(data, "title"),
        created=_required_time(data, "created"),
        site_url=_opt_str(data, "site_url"),
        kind="mailbox" if mailbox is not None else kind,
        etag=_opt_str(data, "etag"),
        last_modified=_opt_str(data, "last_modified"),
        last_fetched=_opt_time(data, "last_fetched"),
        last_success=_opt_time(data, "last_success"),
        last_error=_opt_str(data, "last_error"),
        error_count=_opt_int(data, "error_count") or 0,
        next_attempt=_opt_time(data, "next_attempt"),
        fetch_full_articles=_bool(data, "fetch_full_articles"),
    )
    return feed, mailbox


def _mailbox(item: Any, feed_id: int) -> MailboxRow:
    data = _object(item, "mailbox")
    security = _str(data, "security")
    if security not in {s.value for s in MailSecurity}:
        raise ParseError(f"unknown mailbox security {security!r}")
    port = _int(data, "port")
    if not 0 < port < 65536:
        raise ParseError(f"mailbox port {port} is out of range")
    last_uid = _opt_int(data, "last_uid") or 0
    if last_uid < 0:
        raise ParseError(f"mailbox last_uid {last_uid} is negative")
    return MailboxRow(
        feed_id=feed_id,
        host=_str(data, "host"),
        port=port,
        username=_str(data, "username"),
        folder=_str(data, "folder"),
        security=security,
        ca_file=_opt_str(data, "ca_file"),
        uidvalidity=_opt_int(data, "uidvalidity"),
        last_uid=last_uid,
    )


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParseError(f"a {what} must be an object, not {type(value).__name__}")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{key!r} must be a list")
    return value


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ParseError(f"{key!r} must be text")
    return value


def _opt_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ParseError(f"{key!r} must be text")
    return value


def _str_list(data: dict[str, Any], key: str) -> list[str]:
    values = _list(data, key)
    if not all(isinstance(value, str) and value.strip() for value in values):
        raise ParseError(f"{key!r} must be a list of names")
    return values


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ParseError(f"{key!r} must be a whole number")
    return value


def _opt_int(data: dict[str, Any], key: str) -> int | None:
    return None if data.get(key) is None else _int(data, key)


def _bool(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ParseError(f"{key!r} must be true or false")
    return value


def _opt_time(data: dict[str, Any], key: str) -> datetime | None:
    value = _opt_str(data, key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ParseError(f"{key!r} is not an ISO 8601 time: {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _required_time(data: dict[str, Any], key: str) -> datetime:
    value = _opt_time(data, key)
    if value is None:
        raise ParseError(f"{key!r} is missing")
    return value
