"""Reading one mailbox folder over IMAP (stdlib ``imaplib``): the folder's address, connecting
with TLS, STARTTLS or (on loopback only, unless forced) none, and fetching the messages past the
last UID seen. The folder is only ever EXAMINEd (read-only) and bodies fetched with
``BODY.PEEK[]``: nothing is marked read, moved or deleted on the server."""

from __future__ import annotations

import base64
import contextlib
import imaplib
import ipaddress
import re
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from reader.errors import MailboxAddressError, MailboxAuthError, MailboxError

TIMEOUT_SECONDS = 30.0
"""Socket timeout for connecting and for each read."""
MAX_MESSAGE_BYTES = 20 * 1024 * 1024
"""A message larger than this is left on the server unread by us (as the HTTP cap)."""
FETCH_BATCH = 50
"""Bodies fetched per UID FETCH command."""
SCHEMES = ("imap", "imaps")

_FETCH_HEAD = re.compile(rb"\(.*?UID (\d+)")
_SIZE_ITEM = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)")


class MailSecurity(StrEnum):
    """How a mailbox connection is protected: IMAPS (TLS from the first byte, port 993),
    STARTTLS (port 143, upgraded before login), or none (a loopback test server only)."""

    TLS = "tls"
    STARTTLS = "starttls"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MailboxAddress:
    """Where a folder lives and how to reach it. ``url`` is the canonical form stored as the
    subscription's address: ``imap://user@host:port/Folder``."""

    host: str
    port: int
    user: str
    folder: str
    security: MailSecurity = MailSecurity.TLS
    ca_file: str | None = None

    @property
    def url(self) -> str:
        return f"{self.account}/{quote(self.folder)}"

    @property
    def account(self) -> str:
        """The key the password is kept under: ``imap://user@host:port``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"imap://{quote(self.user, safe='')}@{host}:{self.port}"

    @property
    def label(self) -> str:
        """``Folder (user@host)``: the subscription's title."""
        return f"{self.folder} ({self.user}@{self.host})"


def is_mailbox_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme.lower() in SCHEMES


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_address(
    url: str,
    *,
    security: MailSecurity = MailSecurity.TLS,
    ca_file: str | None = None,
    allow_insecure: bool = False,
) -> MailboxAddress:
    """The folder at ``imap://user@host[:port]/Folder`` (``imaps://`` is the same); raises
    MailboxAddressError with a one-line reason. Without TLS the host must be a loopback
    address unless ``allow_insecure``: the password would cross the network in clear."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise MailboxAddressError(f"not a mailbox address (imap://user@host/Folder): {url}")
    if parts.password is not None:
        raise MailboxAddressError(
            "the address holds a password; leave it out (it would be stored with the address):"
            " the keyring, READER_IMAP_PASSWORD or the prompt supply it"
        )
    if not parts.hostname:
        raise MailboxAddressError(f"no server in the address: {url}")
    if not parts.username:
        raise MailboxAddressError(f"no user name in the address (imap://USER@{parts.hostname}/…)")
    try:
        port = parts.port
    except ValueError as err:
        raise MailboxAddressError(f"bad port in the address: {url}") from err
    if parts.scheme.lower() == "imaps" and security is not MailSecurity.TLS:
        raise MailboxAddressError("imaps:// is TLS from the start; use imap:// with STARTTLS")
    if parts.query or parts.fragment:
        raise MailboxAddressError(f"unexpected ?query or #fragment in the address: {url}")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    host = parts.hostname
    if security is MailSecurity.NONE and not allow_insecure and not is_loopback(host):
        raise MailboxAddressError(
            f"refusing to send a password in clear to {host}: without TLS only a loopback"
            " server is allowed (force it with --insecure)"
        )
    return MailboxAddress(
        host=host,
        port=port or (993 if security is MailSecurity.TLS else 143),
        user=unquote(parts.username),
        folder=folder,
        security=security,
        ca_file=ca_file,
    )


class ImapConnection(Protocol):
    """The part of :class:`imaplib.IMAP4` this module uses (tests pass fakes of it)."""

    def login(self, user: str, password: str) -> tuple[str, list[Any]]: ...

    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, list[Any]]: ...

    def response(self, code: str) -> tuple[str, list[Any]]: ...

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]: ...

    def logout(self) -> tuple[str, Any]: ...


Connector = Callable[[MailboxAddress], ImapConnection]
"""Opens a connection (TLS negotiated, not yet logged in); raises MailboxError."""


@dataclass(frozen=True, slots=True)
class FolderMessages:
    """What one visit to a folder gave: its UIDVALIDITY, the raw messages past the last UID
    seen (``(uid, bytes)``, in UID order), the highest UID now seen, whether the folder was
    read from the start because its UIDVALIDITY changed, and how many messages were left on
    the server because they were larger than the cap."""

    uidvalidity: int
    messages: tuple[tuple[int, bytes], ...]
    last_uid: int
    rescanned: bool
    too_large: int = 0


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """The system's trusted certificates, plus ``ca_file`` (for a self-signed server)."""
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as err:
        raise MailboxError(f"cannot read the CA file {ca_file}: {_reason(err)}") from err


def connect(address: MailboxAddress) -> ImapConnection:
    """A connection to ``address`` with its security in place, or MailboxError (one line)."""
    where = f"{address.host}:{address.port}"
    conn: imaplib.IMAP4
    try:
        if address.security is MailSecurity.TLS:
            conn = imaplib.IMAP4_SSL(
                address.host,
                address.port,
                ssl_context=tls_context(address.ca_file),
                timeout=TIMEOUT_SECONDS,
            )
        else:
            conn = imaplib.IMAP4(address.host, address.port, timeout=TIMEOUT_SECONDS)
            if address.security is MailSecurity.STARTTLS:
                try:
                    conn.starttls(tls_context(address.ca_file))
                except BaseException:
                    _close(conn)
                    raise
    except MailboxError:
        raise
    except ssl.SSLError as err:
        raise MailboxError(f"TLS failed with {where}: {_reason(err)}") from err
    except imaplib.IMAP4.error as err:
        raise MailboxError(f"{where}: {_reason(err)}") from err
    except TimeoutError as err:
        raise MailboxError(f"timed out connecting to {where}") from err
    except socket.gaierror as err:
        raise MailboxError(f"unknown server {address.host}: {err.strerror or err}") from err
    except OSError as err:
        raise MailboxError(f"cannot connect to {where}: {_reason(err)}") from err
    return conn


def read_folder(
    address: MailboxAddress,
    password: str,
    *,
    uidvalidity: int | None,
    last_uid: int,
    connector: Connector = connect,
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> FolderMessages:
    """Log in, EXAMINE the folder and fetch the messages past ``last_uid`` (every message
    when ``uidvalidity`` is not the folder's: its UIDs were renumbered). Raises
    MailboxAuthError when the server refuses the login, MailboxError for the rest."""
    where = f"{address.host}:{address.port}"
    conn = connector(address)
    try:
        try:
            _login(conn, address, password)
            return _read(conn, address, uidvalidity, last_uid, max_bytes)
        except MailboxError:
            raise
        except imaplib.IMAP4.abort as err:
            raise MailboxError(f"{where} closed the connection: {_reason(err)}") from err
        except imaplib.IMAP4.error as err:
            raise MailboxError(f"{where}: {_reason(err)}") from err
        except ssl.SSLError as err:
            raise MailboxError(f"TLS failed with {where}: {_reason(err)}") from err
        except TimeoutError as err:
            raise MailboxError(f"timed out reading from {where}") from err
        except OSError as err:
            raise MailboxError(f"lost the connection to {where}: {_reason(err)}") from err
    finally:
        _close(conn)


def _login(conn: ImapConnection, address: MailboxAddress, password: str) -> None:
    try:
        conn.login(address.user, password)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as err:
        raise MailboxAuthError(
            f"authentication failed for {address.user} on {address.host}:{address.port}"
        ) from err


def _read(
    conn: ImapConnection,
    address: MailboxAddress,
    known_validity: int | None,
    last_uid: int,
    max_bytes: int,
) -> FolderMessages:
    typ, data = conn.select(quote_mailbox(address.folder), readonly=True)
    if typ != "OK":
        raise MailboxError(f"cannot open folder {address.folder}: {_text(data)}")
    validity = _number(conn.response("UIDVALIDITY")[1])
    if validity is None:
        raise MailboxError(f"the server gave no UIDVALIDITY for {address.folder}")
    rescanned = known_validity is not None and validity != known_validity
    start = 1 if rescanned or known_validity is None else last_uid + 1
    wanted, too_large = _sizes(conn, start, max_bytes)
    messages: list[tuple[int, bytes]] = []
    for first in range(0, len(wanted), FETCH_BATCH):
        messages.extend(_bodies(conn, wanted[first : first + FETCH_BATCH]))
    messages.sort()
    seen = max([uid for uid, _ in messages] + [*too_large, 0 if rescanned else last_uid])
    return FolderMessages(validity, tuple(messages), seen, rescanned, len(too_large))


def _sizes(conn: ImapConnection, start: int, max_bytes: int) -> tuple[list[int], list[int]]:
    """UIDs from ``start`` on, split into those to fetch and those over the size cap."""
    typ, data = conn.uid("FETCH", f"{start}:*", "(RFC822.SIZE)")
    if typ != "OK":
        raise MailboxError(f"the server refused to list the messages: {_text(data)}")
    wanted: list[int] = []
    too_large: list[int] = []
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if not isinstance(line, bytes):
            continue
        uid = size = None
        for match in _SIZE_ITEM.finditer(line):
            if match.group(1):
                uid = int(match.group(1))
            else:
                size = int(match.group(2))
        # "n:*" names the highest UID even when it is below n: skip what was seen.
        if uid is None or uid < start:
            continue
        (too_large if size is not None and size > max_bytes else wanted).append(uid)
    return sorted(wanted), sorted(too_large)


def _bodies(conn: ImapConnection, uids: Sequence[int]) -> list[tuple[int, bytes]]:
    typ, data = conn.uid("FETCH", ",".join(map(str, uids)), "(BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError(f"the server refused to send messages: {_text(data)}")
    found: list[tuple[int, bytes]] = []
    for item in data:
        if not isinstance(item, tuple) or len(item) < 2:
            continue
        match = _FETCH_HEAD.search(item[0])
        if match is not None and isinstance(item[1], bytes):
            found.append((int(match.group(1)), item[1]))
    return found


def quote_mailbox(name: str) -> str:
    """A folder name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 5.1.3)."""
    encoded = _utf7_imap(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _utf7_imap(name: str) -> str:
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _number(data: Sequence[Any]) -> int | None:
    for item in data:
        if isinstance(item, bytes) and item.strip().isdigit():
            return int(item)
    return None


def _text(data: Sequence[Any]) -> str:
    parts = [item.decode(errors="replace") for item in data if isinstance(item, bytes)]
    return " ".join(" ".join(parts).split()) or "no reason given"


def _reason(err: BaseException) -> str:
    if isinstance(err, ssl.SSLCertVerificationError) and err.verify_message:
        return f"certificate verify failed: {err.verify_message}"
    if isinstance(err, ssl.SSLError) and err.reason:
        return str(err.reason).replace("_", " ").lower()
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    text = err.args[0] if err.args else err
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return " ".join(str(text).split()) or type(err).__name__


def _close(conn: ImapConnection | imaplib.IMAP4) -> None:
    """Log out, ignoring a connection that is gone already."""
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        conn.logout()
