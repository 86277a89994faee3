"""The one facade the window and the command line talk to: open an archive, import files and
URLs, subscribe to feeds and refresh them, read, highlight, annotate, search, export and check.
Nothing outside ``reader`` reaches below it.

An :class:`Archive` owns one database connection and must be used from one thread; the window
gives its worker thread an archive of its own. A refresh fetches on threads of its own but
writes only on the archive's thread.
"""

from reader.archive.core import DB_FILENAME, INDEX_DIRNAME, Listener, ProgressCallback
from reader.archive.facade import Archive, StoryBundle
from reader.archive.maintenance import CheckReport
from reader.sources.imap import MailSecurity

__all__ = [
    "DB_FILENAME",
    "INDEX_DIRNAME",
    "Archive",
    "CheckReport",
    "Listener",
    "MailSecurity",
    "ProgressCallback",
    "StoryBundle",
]
