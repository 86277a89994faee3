"""The archive's schema as a list of migration steps, the version check that refuses foreign or
newer files, and the structural checks run after migrating."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from reader import _killpoints
from reader._storage.db import APPLICATION_ID, Connection
from reader._storage.text_stats import text_columns
from reader._storage.versions import move_highlights
from reader.errors import SchemaVersionError, StorageError

_V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'publication',
    name TEXT NOT NULL COLLATE NOCASE,
    url TEXT,
    created TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT,
    url TEXT,
    title TEXT NOT NULL,
    byline TEXT,
    published TEXT,
    fetched TEXT NOT NULL,
    source_id INTEGER REFERENCES sources (id),
    source_qualifier TEXT,
    origin TEXT,
    language TEXT,
    text TEXT NOT NULL,
    sections TEXT NOT NULL DEFAULT '[]',
    html TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    is_starred INTEGER NOT NULL DEFAULT 0 CHECK (is_starred IN (0, 1)),
    is_archived INTEGER NOT NULL DEFAULT 0 CHECK (is_archived IN (0, 1)),
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE highlights (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    CHECK (0 <= start AND start <= "end")
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE story_tags (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE highlight_tags (
    highlight_id INTEGER NOT NULL REFERENCES highlights (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (highlight_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('story', 'highlight', 'note')),
    item_id INTEGER NOT NULL
);

CREATE INDEX idx_stories_sort_date ON stories (COALESCE(published, fetched), id);
CREATE INDEX idx_stories_published ON stories (published);
CREATE INDEX idx_stories_fetched ON stories (fetched);
CREATE INDEX idx_stories_url ON stories (url);
CREATE INDEX idx_stories_guid ON stories (guid);
CREATE INDEX idx_stories_content_hash ON stories (content_hash);
CREATE INDEX idx_stories_flags ON stories (is_archived, is_read, is_starred);
CREATE INDEX idx_stories_source ON stories (source_id);
CREATE INDEX idx_highlights_story ON highlights (story_id, start);
CREATE INDEX idx_highlights_created ON highlights (created);
CREATE INDEX idx_notes_story ON notes (story_id);
CREATE INDEX idx_story_tags_tag ON story_tags (tag_id);
CREATE INDEX idx_highlight_tags_tag ON highlight_tags (tag_id);
"""


def _run_script(db: Database, script: str) -> None:
    """Run DDL statements one at a time: executescript would COMMIT the migration's
    transaction first, and a later failing step could then leave a half-migrated file.
    A statement ends at the ``;`` that completes it, so a trigger's body stays whole."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete statement in migration: {statement.strip()[:60]}")


def _create_tables(db: Database) -> None:
    _run_script(db, _V1)


def _add_soft_delete(db: Database) -> None:
    """Deleting a story hides it until it is purged, so that the delete can be undone."""
    db.table("stories").add_column("deleted_at", str)
    # Partial: nearly every row is live, and only purge and undelete look deleted rows up.
    db.execute(
        "CREATE INDEX idx_stories_deleted ON stories (deleted_at) WHERE deleted_at IS NOT NULL"
    )


_FEEDS = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    site_url TEXT,
    kind TEXT CHECK (kind IN ('rss', 'atom', 'jsonfeed')),
    etag TEXT,
    last_modified TEXT,
    last_fetched TEXT,
    last_success TEXT,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    fetch_full_articles INTEGER NOT NULL DEFAULT 0 CHECK (fetch_full_articles IN (0, 1)),
    created TEXT NOT NULL
);

ALTER TABLE stories ADD COLUMN feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL;

CREATE TABLE story_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    fetched TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    sections TEXT NOT NULL DEFAULT '[]',
    html TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL
);

CREATE INDEX idx_stories_feed ON stories (feed_id);
CREATE INDEX idx_story_revisions_story ON story_revisions (story_id, id);
"""


def _add_feeds(db: Database) -> None:
    """Subscriptions, the feed each story came from, and changed versions of feed entries
    kept beside the story that highlights point into."""
    _run_script(db, _FEEDS)


_ANNOTATIONS_THAT_LAST = """
CREATE TABLE story_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    fetched TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    sections TEXT NOT NULL DEFAULT '[]',
    html TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    UNIQUE (story_id, version)
);

ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE highlights ADD COLUMN status TEXT NOT NULL DEFAULT 'anchored'
    CHECK (status IN ('anchored', 'changed', 'orphan'));

CREATE INDEX idx_highlights_unplaced ON highlights (story_id) WHERE status != 'anchored';

CREATE TABLE codebook (
    color TEXT PRIMARY KEY CHECK (color IN ('yellow', 'green', 'blue', 'pink', 'purple')),
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _add_versions_and_codebook(db: Database) -> None:
    """Earlier versions of a story's text (the stories row stays the current version),
    where each highlight stands after re-anchoring, the colour codebook, and app settings
    that belong with the archive (backup schedule)."""
    _run_script(db, _ANNOTATIONS_THAT_LAST)


def _revisions_become_versions(db: Database) -> None:
    """Changed feed entries were kept as revisions beside the story highlights pointed into;
    now the latest is the current text, the story and the revisions before it are earlier
    versions, and the highlights move onto the current text."""
    columns = "fetched, title, text, sections, html, content_hash"
    story_ids = [
        row[0] for row in db.execute("SELECT DISTINCT story_id FROM story_revisions").fetchall()
    ]
    for story_id in sorted(story_ids):
        [story] = db.query(f"SELECT version, {columns} FROM stories WHERE id = ?", [story_id])
        revisions = list(
            db.query(
                f"SELECT {columns} FROM story_revisions WHERE story_id = ? ORDER BY id",
                [story_id],
            )
        )
        *earlier, latest = [story, *revisions]
        version = int(story["version"])
        for kept in earlier:
            db.execute(
                f"INSERT INTO story_versions (story_id, version, {columns})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [story_id, version, *(kept[name] for name in columns.split(", "))],
            )
            version += 1
        db.execute(
            "UPDATE stories SET version = ?, fetched = ?, title = ?, text = ?, sections = ?,"
            " html = ?, content_hash = ? WHERE id = ?",
            [version, *(latest[name] for name in columns.split(", ")), story_id],
        )
        move_highlights(db, story_id, story["text"], latest["text"])
        # The change-queue triggers come at a later step, so this one queues by hand.
        db.execute(
            "INSERT INTO changes (kind, item_id) VALUES ('story', ?)"
            " UNION ALL SELECT 'highlight', id FROM highlights WHERE story_id = ?"
            " UNION ALL SELECT 'note', id FROM notes WHERE story_id = ?",
            [story_id, story_id, story_id],
        )
    db.execute("DROP TABLE story_revisions")


_LIST_INDEXES = """
CREATE INDEX idx_stories_live_by_date
    ON stories (is_archived, COALESCE(published, fetched), id, is_read, is_starred)
    WHERE deleted_at IS NULL;

CREATE INDEX idx_stories_live_by_title
    ON stories (is_archived, title COLLATE NOCASE, id, is_read, is_starred)
    WHERE deleted_at IS NULL;
"""


def _add_list_indexes(db: Database) -> None:
    """Indexes that serve the story list's views in order, so 100,000 stories list without a
    sort: the planner otherwise filters on the flags index and sorts in a temporary b-tree
    (bench: 370 ms -> about 80 ms for the default list, 140 ms -> 11 ms for the count).
    The flags ride along so the unread and starred views are read from the index alone."""
    _run_script(db, _LIST_INDEXES)


_MAILBOXES = """
CREATE TABLE mailboxes (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    username TEXT NOT NULL,
    folder TEXT NOT NULL,
    security TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
    ca_file TEXT,
    uidvalidity INTEGER,
    last_uid INTEGER NOT NULL DEFAULT 0
);
"""


def _add_mailboxes(db: Database) -> None:
    """Mailbox folders as sources: a feeds row (its url ``imap://user@host:port/Folder``)
    with how to reach the folder and where reading it stopped (UIDVALIDITY and the last UID
    seen). No password: that lives in the system keyring only."""
    _run_script(db, _MAILBOXES)


def _add_digest_details(db: Database) -> None:
    """What a newsletter says about a story besides its text: the section banner it sat
    under (``category``), a link digest's length note (``reading_time``) and the link as the
    e-mail spelled it when ``url`` was unwrapped from a click tracker (``tracking_url``)."""
    for column in ("category", "reading_time", "tracking_url"):
        db.execute(f"ALTER TABLE stories ADD COLUMN {column} TEXT")


# What the search index reads to build a document (reader._storage.documents) is what
# these watch: a story's id, title, text, sections, dates, source and deleted_at; the title,
# dates, source and deleted_at again for its highlights and notes, whose documents repeat them;
# a highlight's quote, note and colour; a note's body; tag links and tag names; source names.
# Only rows of live stories are queued (a soft-deleted story was taken out of the index when
# it was deleted), and only when a watched value really changed, so setting is_read,
# is_starred or is_archived queues nothing. Highlights and notes of a story that is hard
# deleted while live are queued BEFORE the delete: by AFTER time the cascade has removed them.
_CHANGE_TRIGGERS = """
CREATE TRIGGER changes_story_insert AFTER INSERT ON stories
WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('story', new.id);
END;

CREATE TRIGGER changes_story_update
AFTER UPDATE OF id, title, text, sections, published, fetched, source_id, deleted_at ON stories
WHEN (old.deleted_at IS NULL OR new.deleted_at IS NULL) AND (
    old.id IS NOT new.id OR old.title IS NOT new.title OR old.text IS NOT new.text
    OR old.sections IS NOT new.sections OR old.published IS NOT new.published
    OR old.fetched IS NOT new.fetched OR old.source_id IS NOT new.source_id
    OR old.deleted_at IS NOT new.deleted_at
)
BEGIN
    INSERT INTO changes (kind, item_id) SELECT 'story', old.id WHERE old.id != new.id;
    INSERT INTO changes (kind, item_id) VALUES ('story', new.id);
    INSERT INTO changes (kind, item_id)
        SELECT 'highlight', id FROM highlights
        WHERE story_id = new.id AND (
            old.title IS NOT new.title OR old.published IS NOT new.published
            OR old.fetched IS NOT new.fetched OR old.source_id IS NOT new.source_id
            OR old.deleted_at IS NOT new.deleted_at
        )
        ORDER BY id;
    INSERT INTO changes (kind, item_id)
        SELECT 'note', id FROM notes
        WHERE story_id = new.id AND (
            old.title IS NOT new.title OR old.published IS NOT new.published
            OR old.fetched IS NOT new.fetched OR old.source_id IS NOT new.source_id
            OR old.deleted_at IS NOT new.deleted_at
        )
        ORDER BY id;
END;

CREATE TRIGGER changes_story_delete BEFORE DELETE ON stories
WHEN old.deleted_at IS NULL
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('story', old.id);
    INSERT INTO changes (kind, item_id)
        SELECT 'highlight', id FROM highlights WHERE story_id = old.id ORDER BY id;
    INSERT INTO changes (kind, item_id)
        SELECT 'note', id FROM notes WHERE story_id = old.id ORDER BY id;
END;

CREATE TRIGGER changes_source_update AFTER UPDATE OF id, name ON sources
WHEN old.id IS NOT new.id OR old.name IS NOT new.name
BEGIN
    INSERT INTO changes (kind, item_id)
        SELECT 'story', id FROM stories
        WHERE source_id = new.id AND deleted_at IS NULL ORDER BY id;
    INSERT INTO changes (kind, item_id)
        SELECT 'highlight', h.id FROM highlights h JOIN stories s ON s.id = h.story_id
        WHERE s.source_id = new.id AND s.deleted_at IS NULL ORDER BY h.id;
    INSERT INTO changes (kind, item_id)
        SELECT 'note', n.id FROM notes n JOIN stories s ON s.id = n.story_id
        WHERE s.source_id = new.id AND s.deleted_at IS NULL ORDER BY n.id;
END;

CREATE TRIGGER changes_highlight_insert AFTER INSERT ON highlights
WHEN EXISTS (SELECT 1 FROM stories WHERE id = new.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('highlight', new.id);
END;

CREATE TRIGGER changes_highlight_update
AFTER UPDATE OF id, story_id, quote, note, color ON highlights
WHEN old.id IS NOT new.id OR old.story_id IS NOT new.story_id OR old.quote IS NOT new.quote
    OR old.note IS NOT new.note OR old.color IS NOT new.color
BEGIN
    INSERT INTO changes (kind, item_id) SELECT 'highlight', old.id WHERE old.id != new.id;
    INSERT INTO changes (kind, item_id) VALUES ('highlight', new.id);
END;

CREATE TRIGGER changes_highlight_delete AFTER DELETE ON highlights
WHEN EXISTS (SELECT 1 FROM stories WHERE id = old.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('highlight', old.id);
END;

CREATE TRIGGER changes_note_insert AFTER INSERT ON notes
WHEN EXISTS (SELECT 1 FROM stories WHERE id = new.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('note', new.id);
END;

CREATE TRIGGER changes_note_update AFTER UPDATE OF id, story_id, body ON notes
WHEN old.id IS NOT new.id OR old.story_id IS NOT new.story_id OR old.body IS NOT new.body
BEGIN
    INSERT INTO changes (kind, item_id) SELECT 'note', old.id WHERE old.id != new.id;
    INSERT INTO changes (kind, item_id) VALUES ('note', new.id);
END;

CREATE TRIGGER changes_note_delete AFTER DELETE ON notes
WHEN EXISTS (SELECT 1 FROM stories WHERE id = old.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('note', old.id);
END;

CREATE TRIGGER changes_tag_update AFTER UPDATE OF id, name ON tags
WHEN old.id IS NOT new.id OR old.name IS NOT new.name
BEGIN
    INSERT INTO changes (kind, item_id)
        SELECT 'story', story_id FROM story_tags WHERE tag_id = new.id ORDER BY story_id;
    INSERT INTO changes (kind, item_id)
        SELECT 'highlight', highlight_id FROM highlight_tags WHERE tag_id = new.id
        ORDER BY highlight_id;
END;

CREATE TRIGGER changes_story_tag_insert AFTER INSERT ON story_tags
WHEN EXISTS (SELECT 1 FROM stories WHERE id = new.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('story', new.story_id);
END;

CREATE TRIGGER changes_story_tag_update AFTER UPDATE OF story_id, tag_id ON story_tags
WHEN old.story_id IS NOT new.story_id OR old.tag_id IS NOT new.tag_id
BEGIN
    INSERT INTO changes (kind, item_id)
        SELECT 'story', old.story_id WHERE old.story_id != new.story_id;
    INSERT INTO changes (kind, item_id) VALUES ('story', new.story_id);
END;

CREATE TRIGGER changes_story_tag_delete AFTER DELETE ON story_tags
WHEN EXISTS (SELECT 1 FROM stories WHERE id = old.story_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('story', old.story_id);
END;

CREATE TRIGGER changes_highlight_tag_insert AFTER INSERT ON highlight_tags
WHEN EXISTS (
    SELECT 1 FROM highlights h JOIN stories s ON s.id = h.story_id
    WHERE h.id = new.highlight_id AND s.deleted_at IS NULL
)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('highlight', new.highlight_id);
END;

CREATE TRIGGER changes_highlight_tag_update
AFTER UPDATE OF highlight_id, tag_id ON highlight_tags
WHEN old.highlight_id IS NOT new.highlight_id OR old.tag_id IS NOT new.tag_id
BEGIN
    INSERT INTO changes (kind, item_id)
        SELECT 'highlight', old.highlight_id WHERE old.highlight_id != new.highlight_id;
    INSERT INTO changes (kind, item_id) VALUES ('highlight', new.highlight_id);
END;

CREATE TRIGGER changes_highlight_tag_delete AFTER DELETE ON highlight_tags
WHEN EXISTS (
    SELECT 1 FROM highlights h JOIN stories s ON s.id = h.story_id
    WHERE h.id = old.highlight_id AND s.deleted_at IS NULL
)
BEGIN
    INSERT INTO changes (kind, item_id) VALUES ('highlight', old.highlight_id);
END;
"""


def _queue_changes_by_trigger(db: Database) -> None:
    """The change queue is filled by triggers on every table the search index reads, so no
    write can forget to tell the index (each write used to enqueue by hand)."""
    _run_script(db, _CHANGE_TRIGGERS)


_COUNT_INDEXES = """
CREATE INDEX idx_stories_live_starred
    ON stories (is_starred, COALESCE(published, fetched), id, is_read, is_archived)
    WHERE deleted_at IS NULL;

CREATE INDEX idx_stories_live_by_source
    ON stories (source_id, feed_id, is_archived, is_read, is_starred)
    WHERE deleted_at IS NULL;
"""


def _add_count_indexes(db: Database) -> None:
    """Small indexes that answer the sidebar's counts and the Starred view without reading the
    stories table, whose rows hold the text: at 100,000 stories the planner scanned the whole
    table for each count (350 ms each, 6.6 s from a cold cache; 11 ms from the index), and
    Starred, which keeps archived stories, sorted through the table (390 ms)."""
    _run_script(db, _COUNT_INDEXES)


_SAVED_SEARCHES = """
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT NOT NULL,
    filters TEXT CHECK (filters IS NULL OR json_valid(filters)),
    created TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    seen_story_id INTEGER NOT NULL DEFAULT 0,
    seen_highlight_id INTEGER NOT NULL DEFAULT 0,
    seen_note_id INTEGER NOT NULL DEFAULT 0
);
"""


def _add_saved_searches(db: Database) -> None:
    """Queries kept under a name to watch for new matches: when each was last opened, and the
    highest story, highlight and note id then (ids only grow, so what arrived since is what
    lies above them, which the index can answer without reading the stories table)."""
    _run_script(db, _SAVED_SEARCHES)


_LATER_AND_LENGTH = """
ALTER TABLE stories ADD COLUMN is_later INTEGER NOT NULL DEFAULT 0 CHECK (is_later IN (0, 1));
ALTER TABLE stories ADD COLUMN word_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN preview TEXT NOT NULL DEFAULT '';

CREATE INDEX idx_stories_live_later
    ON stories (COALESCE(published, fetched), id, is_read, is_archived)
    WHERE deleted_at IS NULL AND is_later = 1;
"""

_FILL_BATCH = 500


def _add_later_and_length(db: Database) -> None:
    """The Later flag (a reading list apart from Starred; its partial index holds only the
    stories set aside, so its view and count stay small at 100,000 stories), and each story's
    word count and one-line preview, so the list shows reading time and the first words
    without reading texts. Existing stories are filled here, a batch of texts at a time; the
    new columns are not indexed for search, so the change queue stays as it was."""
    _run_script(db, _LATER_AND_LENGTH)
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, text FROM stories WHERE id > ? ORDER BY id LIMIT ?", [last, _FILL_BATCH]
        ).fetchall()
        if not rows:
            return
        db.conn.executemany(
            "UPDATE stories SET word_count = :word_count, preview = :preview WHERE id = :id",
            [{"id": story_id, **text_columns(text)} for story_id, text in rows],
        )
        last = rows[-1][0]


# Step N takes a database at schema N to schema N + 1. Never edit a released step; append one.
MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _create_tables,
    _add_soft_delete,
    _add_feeds,
    _add_versions_and_codebook,
    _revisions_become_versions,
    _add_list_indexes,
    _add_mailboxes,
    _add_digest_details,
    _queue_changes_by_trigger,
    _add_count_indexes,
    _add_saved_searches,
    _add_later_and_length,
)

SCHEMA_VERSION = len(MIGRATIONS)


def open_archive(path: Path) -> Connection:
    """A connection to the archive at ``path``, created or migrated to the current schema."""
    conn = Connection(path)
    try:
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: Connection, *, target: int = SCHEMA_VERSION) -> None:
    """Bring the archive to ``target``: every missing step, then the checks, in one transaction."""
    with conn.transaction(write=False):
        if _checked_version(conn) >= target:
            return
    with conn.transaction() as db:
        # Another process may have migrated while we waited for the write lock.
        version = _checked_version(conn)
        if version >= target:
            return
        for step in MIGRATIONS[version:target]:
            step(db)
        problems = foreign_key_problems(db)
        if problems:
            raise StorageError(
                f"migrating {conn.path} to schema {target} broke references: {problems[0]}"
            )
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {target}")
        _killpoints.step("migrate.before_commit")
    _killpoints.step("migrate.committed")


def upgrade_pending(path: Path) -> bool:
    """Whether opening the archive at ``path`` will migrate it (an archive of ours at an older
    schema), read without opening it for writing: at 100,000 stories a step that fills a new
    column takes most of a minute, which the window and the CLI say before it starts."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # opening it will say what is wrong
    return bool(application_id == APPLICATION_ID and 0 < version < SCHEMA_VERSION)


def schema_version(db: Database) -> int:
    return _pragma_int(db, "user_version")


def integrity_problems(db: Database) -> list[str]:
    rows = db.execute("PRAGMA integrity_check").fetchall()
    return [str(row[0]) for row in rows if row[0] != "ok"] + foreign_key_problems(db)


def foreign_key_problems(db: Database) -> list[str]:
    return [
        f"{table} row {rowid} refers to a missing row in {parent}"
        for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()
    ]


def layout_problems(db: Database, version: int) -> list[str]:
    """How the tables and columns of ``db`` differ from what migrations 1 to ``version`` make:
    a file with our application id and version but another layout must not be restored."""
    expected = _layout(version)
    found = _tables(db)
    problems = [f"it has no table {name}" for name in sorted(expected.keys() - found.keys())]
    problems += [
        f"it has a table this version does not make: {name}"
        for name in sorted(found.keys() - expected.keys())
    ]
    for name in sorted(expected.keys() & found.keys()):
        problems += [
            f"table {name} has no column {column}"
            for column in sorted(expected[name] - found[name])
        ]
        problems += [
            f"table {name} has a column this version does not make: {column}"
            for column in sorted(found[name] - expected[name])
        ]
    return problems


@cache
def _layout(version: int) -> dict[str, frozenset[str]]:
    db = Database(memory=True)
    try:
        for step in MIGRATIONS[:version]:
            step(db)
        return _tables(db)
    finally:
        db.close()


def _tables(db: Database) -> dict[str, frozenset[str]]:
    """Our tables (SQLite's own sqlite_* ones aside) and their columns."""
    names = [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {
        name: frozenset(str(col[1]) for col in db.execute(f"PRAGMA table_info('{name}')"))
        for name in names
    }


def _checked_version(conn: Connection) -> int:
    application_id = _pragma_int(conn.db, "application_id")
    version = _pragma_int(conn.db, "user_version")
    if application_id == 0:
        # A fresh file has no schema yet; anything else without our id belongs to someone else.
        is_empty = conn.db.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()[0] == 0
        if version != 0 or not is_empty:
            raise SchemaVersionError(f"not a story archive: {conn.path}")
    elif application_id != APPLICATION_ID:
        raise SchemaVersionError(f"not a story archive: {conn.path}")
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"archive {conn.path} was written by a newer version "
            f"(schema {version}, this app knows {SCHEMA_VERSION}); upgrade the app"
        )
    return version


def _pragma_int(db: Database, name: str) -> int:
    return int(db.execute(f"PRAGMA {name}").fetchone()[0])
