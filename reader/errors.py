"""The app's exceptions: one root, specific subclasses that mix in the matching built-ins.

Environmental failures (a locked or full disk, an unreadable file) are wrapped where they leave
a module; programming errors propagate untouched.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Root of every error the core raises on purpose. ``str(err)`` is a one-line message."""


class ParseError(ReaderError, ValueError):
    """Input bytes could not be turned into stories (binary, empty, no story found)."""


class SourceError(ReaderError, OSError):
    """A file or URL could not be read."""


class FetchError(SourceError):
    """A URL could not be fetched: network, TLS, HTTP status, redirects or size."""


class FeedError(ParseError):
    """A response that should be a feed (RSS, Atom, JSON Feed) could not be read as one."""


class AlreadySubscribedError(ReaderError, ValueError):
    """A subscription to the same feed URL exists already."""


class StorageError(ReaderError):
    """The archive database failed (locked, full, corrupt)."""


class SchemaVersionError(StorageError):
    """The database was written by a newer version of the app, or is not ours."""


class NotFoundError(ReaderError, LookupError):
    """An id (story, highlight, note, source) does not exist."""


class QuoteNotFoundError(ReaderError, LookupError):
    """A quote to highlight does not occur in the story's text."""


class SearchError(ReaderError):
    """The search index failed."""


class InvalidQueryError(SearchError, ValueError):
    """A query the query language cannot parse."""


class ExportError(ReaderError):
    """An export could not be written."""


class CodebookError(ReaderError, ValueError):
    """A codebook name that cannot be used (empty, ambiguous, or another colour's)."""


class TagError(ReaderError, ValueError):
    """A tag name that cannot be used (empty)."""


class SavedSearchError(ReaderError, ValueError):
    """A saved search's name that cannot be used (empty, too long, or taken)."""


class SavedSearchNotFoundError(NotFoundError):
    """No saved search has the name asked for."""


class BackupError(StorageError):
    """A backup could not be made, or a file to restore is not a usable archive."""


class MailboxError(SourceError):
    """A mailbox folder could not be read: the server, TLS, the folder, the connection."""


class MailboxAuthError(MailboxError):
    """The mail server refused the user name and password."""


class MailboxAddressError(ReaderError, ValueError):
    """An ``imap://`` address that cannot be used (no user, a password in it, clear text to a
    remote host)."""


class PasswordRequiredError(ReaderError):
    """No password for a mailbox: none in the keyring, none in READER_IMAP_PASSWORD, none
    given. ``account`` is the ``imap://user@host:port`` it is for."""

    def __init__(self, message: str, account: str) -> None:
        super().__init__(message)
        self.account = account
