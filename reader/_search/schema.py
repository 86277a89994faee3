"""The index schema, its version number, and the mapping from an IndexDocument to index fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from reader._protocols import IndexDocument, fingerprint
from reader._search.analysis import PART_BREAK, all_text_analyzer, tag_analyzer, text_analyzer
from reader._search.formats import CompactCharacters

# Bump whenever the schema or the analyzer changes what is indexed: an index with another
# version is recreated on open and rebuilt from the database.
SCHEMA_VERSION = 8
# (Version 8: Snowball 3's English stemmer, PyStemmer, instead of Whoosh's port of an older one.)

# Title, body, source and labels in one field, which an unqualified query word searches instead
# of OR-ing four fields (scoring four matchers per word was most of a search's time). Its
# postings keep character offsets, so snippets need not re-tokenize the text. The body is
# analysed here only (version 5; indexing it in a field of its own as well cost 60 % of all
# indexing time), so ``body:`` and ``text:`` search this field: the whole text. The hyphen
# keeps the name out of the query language: a field a query names must be a plain word.
ALL_TEXT = "all-text"
# Fields an unqualified query word searches, and every field a query may name.
DEFAULT_FIELDS = (ALL_TEXT, "tags")
NAMED_FIELDS = frozenset({"title", "body", "source", "labels", "tags"})
QUERY_FIELDS = frozenset({*NAMED_FIELDS, "text", "kind", "color", "published", "fetched"})
FIELD_ALIASES = {
    "tags": ["tag"],
    "labels": ["label"],
    "published": ["date"],
    ALL_TEXT: ["body", "text"],
}
TITLE_BOOST = 2.0
# Bits per tier of an indexed number or date (ranges over them still match exactly).
NUMBER_SHIFT = 16
KINDS = ("story", "highlight", "note")


def _all_text() -> Any:
    field = TEXT(analyzer=all_text_analyzer(TITLE_BOOST), multitoken_query="phrase", chars=True)
    # Positions and character offsets as Whoosh's Characters keeps them, encoded compactly
    # (version 7): pickling them was a fifth of all indexing time.
    field.format = CompactCharacters(field_boost=field.format.field_boost)
    return field


def build_schema() -> Any:
    analyzer = text_analyzer()

    def text(**kwargs: Any) -> Any:
        # A word the analyzer splits into several tokens (a CJK word becomes bigrams,
        # "e-mail" becomes two words) must match them in order, not anywhere in the text.
        return TEXT(analyzer=analyzer, multitoken_query="phrase", **kwargs)

    def keyword_id(**kwargs: Any) -> Any:
        return ID(analyzer=IDTokenizer() | LowercaseFilter(), **kwargs)

    tags = KEYWORD(lowercase=True, commas=True, scorable=True)
    tags.analyzer = tag_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        kind=keyword_id(stored=True),
        # Numbers are indexed once per tier of shift_step bits: Whoosh's default of 4 made 16
        # terms of each id (version 6: 4). The story id is only shown, never searched.
        item_id=NUMERIC(numtype=int, bits=64, stored=True, shift_step=NUMBER_SHIFT),
        story_id=STORED(),
        title=text(stored=True, field_boost=TITLE_BOOST),
        # Stored for the snippet, searched through ALL_TEXT, whose postings give the offsets.
        body=STORED(),
        source=text(stored=True),
        labels=text(),
        **{ALL_TEXT: _all_text()},
        tags=tags,
        color=keyword_id(),
        # Whoosh stores datetimes naive; the exact value, time zone included, is kept as text.
        published=_datetime(),
        published_iso=STORED(),
        fetched=_datetime(),
        # reader._protocols.fingerprint of the document as given: check compares it with the
        # database's (version 4).
        fingerprint=STORED(),
    )


def _datetime() -> Any:
    field = DATETIME()
    field.shift_step = NUMBER_SHIFT
    return field


def _utc_naive(value: datetime) -> datetime:
    # Whoosh compares naive datetimes only; aware ones are indexed as their UTC wall time.
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def document_fields(doc: IndexDocument) -> dict[str, Any]:
    """The keyword arguments for ``writer.add_document``/``update_document``. Empty values are
    left out so they index nothing (an empty ID would be a searchable empty term)."""
    title, body, source, labels = (
        _unbroken(part) for part in (doc.title, doc.body, doc.source, doc.labels)
    )
    fields: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "kind": doc.kind,
        "item_id": doc.item_id,
        "story_id": doc.story_id,
        "title": title,
        "body": body,
        "source": source,
        ALL_TEXT: PART_BREAK.join((title, body, source, labels)),
        "fingerprint": fingerprint(doc),
    }
    if labels:
        fields["labels"] = labels
    tags = [tag.replace(",", " ").strip() for tag in doc.tags]
    if any(tags):
        fields["tags"] = ",".join(tag for tag in tags if tag)
    if doc.color:
        fields["color"] = doc.color
    if doc.published is not None:
        fields["published"] = _utc_naive(doc.published)
        fields["published_iso"] = doc.published.isoformat()
    if doc.fetched is not None:
        fields["fetched"] = _utc_naive(doc.fetched)
    return fields


def _unbroken(text: str) -> str:
    # Same length, so the offsets into ALL_TEXT still point into the stored title and body.
    return text.replace(PART_BREAK, " ")


def body_offset(title: str) -> int:
    """Where the body starts in a document's ALL_TEXT value."""
    return len(title) + len(PART_BREAK)
