"""The one facade the window and the command line talk to: open an archive, import files and
URLs, subscribe to feeds and refresh them, read, highlight, annotate, search, export and check.
Nothing outside ``reader`` reaches below it.

An :class:`Archive` owns one database connection and must be used from one thread; the window
gives its worker thread an archive of its own, and its search indexing a
:class:`BackgroundIndexer` on another thread. A refresh fetches on threads of its own but
writes only on the archive's thread.

Besides the class, the faces get their vocabulary here: the export formats, the plain-data
records that ``--json`` output shares with the exports, and where the data directory is.
"""

from reader._export import FORMATS as EXPORT_FORMATS
from reader._export import UNITS as EXPORT_UNITS
from reader._export.files import write_atomically
from reader._export.records import (
    highlight_record,
    hit_record,
    iso,
    note_record,
    story_record,
    summary_record,
)
from reader._killpoints import step as kill_point
from reader._paths import REFERENCE_ENV_VAR, resolve_data_dir
from reader._processes import lower_priority
from reader._sources.imap import MailSecurity
from reader.archive.checking import CheckReport
from reader.archive.core import (
    DB_FILENAME,
    INDEX_DIRNAME,
    Listener,
    ProgressCallback,
    upgrade_pending,
)
from reader.archive.facade import Archive, StoryBundle
from reader.archive.importing import UrlProbe
from reader.archive.indexing import BackgroundIndexer, Turns
from reader.archive.layout import text_layout
from reader.archive.triage import StoryFlag, TagLinks

__all__ = [
    "DB_FILENAME",
    "EXPORT_FORMATS",
    "EXPORT_UNITS",
    "INDEX_DIRNAME",
    "REFERENCE_ENV_VAR",
    "Archive",
    "BackgroundIndexer",
    "CheckReport",
    "Listener",
    "MailSecurity",
    "ProgressCallback",
    "StoryBundle",
    "StoryFlag",
    "TagLinks",
    "Turns",
    "UrlProbe",
    "highlight_record",
    "hit_record",
    "iso",
    "kill_point",
    "lower_priority",
    "note_record",
    "resolve_data_dir",
    "story_record",
    "summary_record",
    "text_layout",
    "upgrade_pending",
    "write_atomically",
]
