"""E-mail newsletters: one RFC 5322 message (an .eml file, an mbox or Maildir entry, a message
fetched over IMAP) to its metadata, its best body and its stories.

The API, kept stable for every mail source (files here, IMAP elsewhere):

- ``read_message(raw: bytes) -> MailMessage``: headers decoded (encoded words, raw 8-bit
  headers, wrong charsets), the HTML body preferred over plain text in multipart/alternative,
  multipart/mixed and multipart/related, quoted-printable and base64 undone, every charset
  decoded with a fallback for wrong or missing declarations. Raises ParseError (one line) for
  a message with no readable body. Nothing is fetched: ``cid:`` and remote images are dropped
  by the sanitizer and never loaded.
- ``message_stories(message: bytes | MailMessage) -> list[ParsedStory]``: the stories in the
  message, at least one. An HTML newsletter is read by :func:`reader._parse.parse_bytes` with
  the subject as the title of a story that has no headline of its own; a message with only
  plain text, or whose HTML holds no story, is one story titled by the subject.
- ``MailMessage.origin``: ``"mail:<list-id>"``, else ``"mail:<from address>"``; what groups
  a newsletter's stories (``Story.origin``).
- ``looks_like_mail(head: bytes) -> bool`` and ``looks_like_mbox(head: bytes) -> bool``:
  whether a file's first bytes are a message's headers, or an mbox's first ``From`` line.
- ``mbox_messages(path: Path) -> Iterator[tuple[int, bytes]]``: an mbox's messages with
  their 1-based numbers, in file order.

How a message maps onto its stories: each story's ``guid`` is the Message-ID (``"<id>"``; with
several stories ``"<id>#1"``, ``"<id>#2"`` …), so a message delivered twice is a duplicate;
``published`` is the Date unless the parser found a date; ``source`` is the publication a
story's lead names, else the newsletter (the From display name, else the List-Id's
description), as feeds do with their title.
"""

from __future__ import annotations

import base64
import binascii
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from typing import Any

from reader._days import day_start
from reader._parse import decode_bytes, normalize_text, parse_bytes, sanitize_html
from reader.errors import ParseError, SourceError
from reader.model import ParsedStory, Section

NO_SUBJECT = "(no subject)"
_HEAD_BYTES = 64 * 1024
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_MBOX_FROM = re.compile(rb"^From \S+")
_MAIL_HEADERS = frozenset(
    {b"to", b"subject", b"date", b"message-id", b"mime-version", b"received", b"list-id"}
)
_ANGLE = re.compile(r"<([^<>]+)>")
_SIGNATURE = re.compile(r"^-- ?$", re.M)
_BLANK_LINES = re.compile(r"\n\s*\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message as a newsletter reader needs it. ``html`` and ``text`` are the decoded
    bodies (either may be None, not both); ``date`` is always time-zone aware."""

    subject: str | None
    from_name: str | None
    from_address: str | None
    date: datetime | None
    list_id: str | None
    """The List-Id's identifier, without angle brackets ("weekly.ports.example.net")."""
    list_name: str | None
    """The List-Id's description ("Ports Weekly"), if it has one."""
    message_id: str | None
    """The Message-ID with its angle brackets ("<abc@example.net>")."""
    html: str | None
    text: str | None

    @property
    def publication(self) -> str | None:
        """The newsletter's name: the From display name, else the List-Id's description."""
        return self.from_name or self.list_name

    @property
    def origin(self) -> str | None:
        """What identifies the newsletter: ``mail:`` and its List-Id, else its From address."""
        key = self.list_id or self.from_address
        return f"mail:{key}" if key else None


def read_message(raw: bytes) -> MailMessage:
    """The message in ``raw``; ParseError with a one-line reason if it has no readable body."""
    if not raw.strip():
        raise ParseError("empty message")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    html = _body(message, "html")
    text = _body(message, "plain")
    if html is None and text is None:
        raise ParseError("no readable body")
    name, address = _sender(message)
    list_name, list_id = _list_id(_header(message, "List-Id"))
    message_id = _header(message, "Message-ID")
    match = _ANGLE.search(message_id or "")
    return MailMessage(
        subject=_header(message, "Subject"),
        from_name=name,
        from_address=address,
        date=_date(_header(message, "Date")),
        list_id=list_id,
        list_name=list_name,
        message_id=f"<{match.group(1).strip()}>" if match else None,
        html=html,
        text=text,
    )


def message_stories(message: bytes | MailMessage) -> list[ParsedStory]:
    """The stories in one message (see the module's docstring); raises ParseError."""
    mail = read_message(message) if isinstance(message, bytes) else message
    stories: list[ParsedStory] = []
    if mail.html is not None:
        try:
            stories = parse_bytes(
                mail.html.encode("utf-8"),
                content_type="text/html; charset=utf-8",
                title_hint=mail.subject,
            )
        except ParseError:
            stories = []
    if not stories:
        story = _text_story(mail.subject, mail.text or "")
        if story is None:
            raise ParseError("no readable body")
        stories = [story]
    return _with_metadata(stories, mail)


def looks_like_mail(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) opens with a message's headers: header lines up
    to the first blank line, with From and at least one other header mail always has."""
    names: set[bytes] = set()
    for line in head[:_HEAD_BYTES].splitlines():
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t") and names:
            continue
        if not _HEADER_LINE.match(line):
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    return b"from" in names and bool(names & _MAIL_HEADERS)


def looks_like_mbox(head: bytes) -> bool:
    """Whether ``head`` starts like an mbox: a ``From`` separator line, then headers."""
    first, _, rest = head[:_HEAD_BYTES].partition(b"\n")
    return bool(_MBOX_FROM.match(first)) and bool(_HEADER_LINE.match(rest))


def mbox_messages(path: Path) -> Iterator[tuple[int, bytes]]:
    """The messages of the mbox at ``path`` with their numbers from 1, in file order; raises
    SourceError if the file cannot be read as one."""
    try:
        box = mailbox.mbox(path, create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                yield number, box.get_bytes(key)
        finally:
            box.close()
    except (OSError, mailbox.Error) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        raise SourceError(f"cannot read mailbox: {reason}") from err


def _body(message: EmailMessage, subtype: str) -> str | None:
    """The decoded text of the message's best ``text/<subtype>`` part, or None."""
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return None
    if _broken_base64(part):
        return None  # the stdlib would decode what it can of it into garbage
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return None
    try:
        text = decode_bytes(payload, part.get_content_charset())
    except ParseError:
        return None
    return text if normalize_text(text) else None


def _broken_base64(part: Message) -> bool:
    """A part that says it is base64 but is not: characters outside the alphabet."""
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() != "base64":
        return False
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str):
        return False
    text = "".join(raw.split())
    try:
        base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return True
    return False


def _header(message: Message, name: str) -> str | None:
    """A header's decoded value, or None. Raw 8-bit bytes in it are decoded like a body
    (UTF-8, else a Western code page), and UTF-8 read as Latin-1 is mended."""
    raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if raw is None:
        return None
    header = _parsed_header(name, raw)
    value = normalize_text(_CONTROL.sub("", _mended(str(header))))
    return value or None


def _parsed_header(name: str, raw: Any) -> Any:
    text = str(raw)
    if any("\udc80" <= c <= "\udcff" for c in text):
        data = text.encode("ascii", "surrogateescape")
        try:
            text = decode_bytes(data)
        except ParseError:
            text = data.decode("utf-8", "replace")
    try:
        return policy.default.header_factory(name, text)
    except (ValueError, IndexError, TypeError):
        # A header the registry cannot parse is still worth its words.
        return text


def _mended(text: str) -> str:
    """UTF-8 bytes that were decoded as Latin-1 or windows-1252 ("CafÃ©"), decoded again."""
    if text.isascii():
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def _sender(message: Message) -> tuple[str | None, str | None]:
    raw = next((v for k, v in message.raw_items() if k.lower() == "from"), None)
    if raw is None:
        return None, None
    header = _parsed_header("From", raw)
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    if not addresses:
        return None, None
    first = addresses[0]
    name = normalize_text(_CONTROL.sub("", _mended(first.display_name))) or None
    address = first.addr_spec.strip().lower() or None
    return name, address if address and address != "<>" else None


def _list_id(value: str | None) -> tuple[str | None, str | None]:
    """The description and the identifier of a List-Id header ("Ports" <ports.example.net>)."""
    if not value:
        return None, None
    match = _ANGLE.search(value)
    if match is None:
        return None, value.strip().lower() or None
    name = normalize_text(value[: match.start()].strip().strip('"')) or None
    return name, match.group(1).strip().lower() or None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" means "time zone unknown"; the instant is still UTC.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _text_story(subject: str | None, text: str) -> ParsedStory | None:
    """A plain-text message as one story: its paragraphs (blank-line separated, hard line
    breaks joined) up to the signature, under the subject."""
    body = _SIGNATURE.split(text.replace("\r\n", "\n").replace("\r", "\n"), maxsplit=1)[0]
    paragraphs = tuple(
        p for p in (normalize_text(chunk) for chunk in _BLANK_LINES.split(body)) if p
    )
    if not paragraphs:
        return None
    title = subject or NO_SUBJECT
    html = f"<h2>{escape(title)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return ParsedStory(
        title=title, sections=(Section(paragraphs=paragraphs),), html=sanitize_html(html)
    )


def _with_metadata(stories: list[ParsedStory], mail: MailMessage) -> list[ParsedStory]:
    several = len(stories) > 1
    result = []
    for number, story in enumerate(stories, start=1):
        guid = story.guid
        if mail.message_id is not None:
            guid = f"{mail.message_id}#{number}" if several else mail.message_id
        image = story.image_url
        result.append(
            replace(
                story,
                guid=guid,
                source=story.source or mail.publication,
                published=_dated(story.published, mail.date),
                image_url=image if image and image.startswith(("http://", "https://")) else None,
            )
        )
    return result


def _dated(own: datetime | None, sent: datetime | None) -> datetime | None:
    """A story's date: its own (the issue date its letter's header gives), else when the
    message was sent; the send time also when the own date is only that same day, since it
    says the hour too."""
    if own is None or sent is None:
        return own or sent
    day = own.astimezone().date()
    return sent if own == day_start(day) and sent.astimezone().date() == day else own
