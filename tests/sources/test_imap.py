"""Mailbox folders as sources, against a real IMAP server (Dovecot, see tests/dovecot.py):
subscribing, reading only new mail, leaving the server as it was, a restart, a renumbered
folder, and every failure as one line. The error paths a server cannot be made to produce use
a fake connection typed against the client's Protocol."""

from __future__ import annotations

import contextlib
import imaplib
import io
import json
import os
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

import main
from reader._sources.imap import (
    ImapConnection,
    MailboxAddress,
    connect,
    parse_address,
    quote_mailbox,
    read_folder,
)
from reader._sources.mail import message_stories
from reader.archive import Archive, MailSecurity
from reader.errors import (
    MailboxAddressError,
    MailboxAuthError,
    MailboxError,
    PasswordRequiredError,
)
from tests.dovecot import PASSWORD, USER, Dovecot, free_port, newsletter
from tests.keyring_backends import FileKeyring, MemoryKeyring


def _issue(number: int) -> EmailMessage:
    return newsletter(
        f"The Harbour Ledger, issue {number}",
        [
            (
                f"Quay {number} reopens after dredging",
                f"Work boats finished clearing silt from berth {number} on Tuesday, and the"
                " first coaster tied up there before noon. The harbour master said the depth"
                " now matches the charts again.",
            ),
            (
                f"Ferry crossing {number} moves to the evening",
                "From next month the island ferry leaves at six in the evening instead of four,"
                " so that commuters can make the crossing after work. Fares stay the same.",
            ),
        ],
        message_id=f"<issue-{number}@harbour-ledger.example>",
    )


def stories_in(*messages: EmailMessage) -> int:
    return sum(len(message_stories(m.as_bytes())) for m in messages)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.json"


@pytest.fixture(autouse=True)
def _no_keyring(no_keyring: None) -> None:
    """Tests in this process never reach the user's keyring; some swap in a memory one."""


def cli(
    data_dir: Path,
    *args: str,
    password: str | None = PASSWORD,
    keyring_file: Path | None = None,
) -> Result:
    """The command line in this process (the main() the story-reader script runs), with no
    terminal on stdin and a keyring of our own, or none."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    if password is not None:
        env["READER_IMAP_PASSWORD"] = password
    backend: KeyringBackend = fail.Keyring()  # type: ignore[no-untyped-call]
    if keyring_file is not None:
        env["TEST_KEYRING_FILE"] = str(keyring_file)
        backend = FileKeyring()  # type: ignore[no-untyped-call]
    out, err = io.StringIO(), io.StringIO()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        with (
            mock.patch.dict(os.environ, env, clear=True),
            mock.patch.object(sys, "stdin", io.StringIO()),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main.main([*args, "--data-dir", str(data_dir)])
    finally:
        keyring.set_keyring(previous)
    return Result(code, out.getvalue(), err.getvalue())


def url(dovecot: Dovecot, folder: str, *, port: int | None = None) -> str:
    return f"imap://{USER}@127.0.0.1:{port or dovecot.port}/{quote(folder)}"


def plain_archive(data_dir: Path, *, spy: list[str] | None = None) -> Archive:
    """An archive whose IMAP connections are real, recording every command when ``spy``."""
    if spy is None:
        return Archive(data_dir)

    def spying(address: MailboxAddress) -> ImapConnection:
        return Spy(connect(address), spy)

    return Archive(data_dir, imap_connect=spying)


class Spy:
    """A real connection that notes the commands sent through it."""

    def __init__(self, inner: ImapConnection, log: list[str]) -> None:
        self.inner, self.log = inner, log

    def login(self, user: str, password: str) -> tuple[str, list[Any]]:
        return self.inner.login(user, password)

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[Any]]:
        self.log.append(f"{'EXAMINE' if readonly else 'SELECT'} {mailbox}")
        return self.inner.select(mailbox, readonly)

    def response(self, code: str) -> tuple[str, list[Any]]:
        return self.inner.response(code)

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]:
        self.log.append(" ".join(["UID", command, *args]))
        return self.inner.uid(command, *args)

    def logout(self) -> tuple[str, Any]:
        return self.inner.logout()


# -- the command line against the real server ----------------------------------------------


def test_subscribe_refresh_and_only_new_mail(dovecot: Dovecot, folder: str, data_dir: Path) -> None:
    first = [_issue(1), _issue(2)]
    dovecot.append(folder, *first)

    result = cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls", "--json")
    assert result.code == 0, result.err
    assert '"kind": "mailbox"' in result.out and f'"stories": {stories_in(*first)}' in result.out

    result = cli(data_dir, "refresh")
    assert result.code == 0, result.err
    assert "nothing new" in result.out

    later = _issue(3)
    dovecot.append(folder, later)
    result = cli(data_dir, "refresh")
    assert result.code == 0, result.err
    assert f"+{stories_in(later)} new" in result.out

    result = cli(data_dir, "sources")
    assert url(dovecot, folder) in result.out
    assert f"{stories_in(*first, later)} stories" in result.out
    listed = cli(data_dir, "list").out
    assert "Quay 3 reopens" in listed or "issue 3" in listed


def test_refresh_fetches_only_messages_past_the_last_uid(
    dovecot: Dovecot, folder: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.append(folder, _issue(1), _issue(2))
    spy: list[str] = []
    with plain_archive(data_dir, spy=spy) as archive:
        archive.subscribe_mailbox(
            url(dovecot, folder), password=PASSWORD, security=MailSecurity.NONE
        )
        assert "UID FETCH 1:* (RFC822.SIZE)" in spy
        assert "UID FETCH 1,2 (BODY.PEEK[])" in spy
        dovecot.append(folder, _issue(3))
        spy.clear()
        monkeypatch.setenv("READER_IMAP_PASSWORD", PASSWORD)
        report = archive.refresh()
        assert [f.status for f in report.feeds] == ["ok"]
        assert spy == [
            f"EXAMINE {quote_mailbox(folder)}",
            "UID FETCH 3:* (RFC822.SIZE)",
            "UID FETCH 3 (BODY.PEEK[])",
        ]
        assert len(report.new) == stories_in(_issue(3))


def test_the_server_keeps_every_message_unread(
    dovecot: Dovecot, folder: str, data_dir: Path
) -> None:
    dovecot.append(folder, _issue(1), _issue(2), _issue(3))
    before = dovecot.status(folder)
    assert cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls").code == 0
    dovecot.append(folder, _issue(4))
    assert cli(data_dir, "refresh").code == 0

    after = dovecot.status(folder)
    assert after["MESSAGES"] == before["MESSAGES"] + 1 == 4
    assert after["UNSEEN"] == 4, "a message was marked read"
    assert after["UIDVALIDITY"] == before["UIDVALIDITY"]
    flags = dovecot.flags(folder)
    assert len(flags) == 4 and not any("\\Seen" in f or "\\Deleted" in f for f in flags)


def test_a_server_restart_loses_nothing(dovecot: Dovecot, folder: str, data_dir: Path) -> None:
    dovecot.append(folder, _issue(1))
    assert cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls").code == 0

    dovecot.stop()
    down = cli(data_dir, "refresh", "1")
    assert down.code == 3
    assert "error: cannot connect to 127.0.0.1" in down.out

    dovecot.start()
    dovecot.append(folder, _issue(2))
    up = cli(data_dir, "refresh", "1")
    assert up.code == 0, up.out + up.err
    assert f"+{stories_in(_issue(2))} new" in up.out
    again = cli(data_dir, "refresh", "1")
    assert "nothing new" in again.out


def test_a_renumbered_folder_is_read_again_without_duplicates(
    dovecot: Dovecot, folder: str, data_dir: Path
) -> None:
    dovecot.append(folder, _issue(1), _issue(2))
    assert cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls").code == 0
    validity = dovecot.status(folder)["UIDVALIDITY"]

    dovecot.delete_folder(folder)
    dovecot.create_folder(folder)
    dovecot.append(folder, _issue(2), _issue(1), _issue(5))
    assert dovecot.status(folder)["UIDVALIDITY"] != validity

    result = cli(data_dir, "refresh", "--json")
    assert result.code == 0, result.err
    assert f'"new": {stories_in(_issue(5))}' in result.out
    sources = cli(data_dir, "sources").out
    assert f"{stories_in(_issue(1), _issue(2), _issue(5))} stories" in sources
    assert "nothing new" in cli(data_dir, "refresh").out


def test_a_bad_password_is_one_line_and_saves_nothing(
    dovecot: Dovecot, folder: str, data_dir: Path
) -> None:
    dovecot.append(folder, _issue(1))
    result = cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls", password="wrong")
    assert result.code != 0
    assert result.err == f"error: authentication failed for {USER} on 127.0.0.1:{dovecot.port}\n"
    assert "no subscriptions" in cli(data_dir, "sources").out
    assert cli(data_dir, "list").out.strip() == ""


def test_no_password_and_no_terminal_is_one_line(
    dovecot: Dovecot, folder: str, data_dir: Path
) -> None:
    result = cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls", password=None)
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: no password for {USER} on 127.0.0.1")
    assert "READER_IMAP_PASSWORD" in lines[0]


def test_a_missing_folder_and_a_closed_port(dovecot: Dovecot, data_dir: Path) -> None:
    missing = cli(data_dir, "subscribe", url(dovecot, "NoSuchFolder"), "--no-tls")
    assert missing.code == 1 and missing.err.startswith("error: cannot open folder NoSuchFolder")
    port = free_port()  # bound once, then released: nothing listens there
    closed = cli(data_dir, "subscribe", f"imap://{USER}@127.0.0.1:{port}/INBOX", "--no-tls")
    assert closed.code == 1
    assert closed.err.startswith(f"error: cannot connect to 127.0.0.1:{port}")
    assert len(closed.err.splitlines()) == 1


def test_an_export_carries_the_folder_to_an_empty_archive(
    dovecot: Dovecot, folder: str, tmp_path: Path
) -> None:
    dovecot.append(folder, _issue(1), _issue(2))
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli(first, "subscribe", url(dovecot, folder), "--no-tls").code == 0
    exported = tmp_path / "archive.json"
    result = cli(first, "export", "--format", "json", "-o", str(exported))
    assert result.code == 0, result.err
    assert PASSWORD not in exported.read_text(encoding="utf-8")

    result = cli(second, "import", str(exported))
    assert result.code == 0, result.err
    listed = cli(second, "sources", "--json")
    assert listed.code == 0, listed.err
    [source] = json.loads(listed.out)
    assert (source["kind"], source["url"]) == ("mailbox", url(dovecot, folder))
    assert source["stories"] == stories_in(_issue(1), _issue(2))

    # Reading goes on where the first archive stopped: only the new message is fetched.
    dovecot.append(folder, _issue(3))
    result = cli(second, "refresh", "--json")
    assert result.code == 0, result.out + result.err
    [refreshed] = json.loads(result.out)["sources"]
    assert refreshed["status"] == "ok" and len(refreshed["new"]) == stories_in(_issue(3))
    assert refreshed["unchanged"] == 0, "the messages read before the export were read again"
    assert_not_on_disk(second, PASSWORD)


@pytest.fixture
def tls_folder(dovecot: Dovecot, folder: str) -> str:
    dovecot.append(folder, _issue(1))
    return folder


def test_imaps_and_starttls_with_the_servers_certificate(
    dovecot: Dovecot, tls_folder: str, tmp_path: Path
) -> None:
    imaps = url(dovecot, tls_folder, port=dovecot.tls_port)
    ca = str(dovecot.ca_file)
    untrusted = cli(tmp_path / "a", "subscribe", imaps)
    assert untrusted.code == 1
    assert "certificate verify failed: self-signed certificate" in untrusted.err
    assert cli(tmp_path / "a", "subscribe", imaps, "--ca-file", ca).code == 0

    starttls = cli(
        tmp_path / "b", "subscribe", url(dovecot, tls_folder), "--starttls", "--ca-file", ca
    )
    assert starttls.code == 0, starttls.err
    # The CA file is kept with the source, so a refresh needs no option.
    assert cli(tmp_path / "b", "refresh").code == 0


def test_plain_text_is_refused_for_a_remote_server(data_dir: Path) -> None:
    result = cli(data_dir, "subscribe", "imap://ana@mail.example.org/INBOX", "--no-tls")
    assert result.code == 1
    assert "refusing to send a password in clear to mail.example.org" in result.err
    with pytest.raises(MailboxAddressError):
        parse_address("imap://ana:secret@127.0.0.1/INBOX")
    address = parse_address("imap://ana@mail.example.org/Lists%2FPorts")
    assert (address.port, address.folder, address.security) == (993, "Lists/Ports", "tls")
    assert parse_address("imap://ana@h/", security=MailSecurity.STARTTLS).port == 143


def test_a_folder_name_beyond_ascii(dovecot: Dovecot, data_dir: Path) -> None:
    name = "Übersee Brief & Co"
    assert quote_mailbox(name) == '"&ANw-bersee Brief &- Co"'
    with dovecot.client() as conn:
        assert conn.create(quote_mailbox(name))[0] == "OK"
    try:
        dovecot.append(quote_mailbox(name), _issue(7))
        result = cli(data_dir, "subscribe", url(dovecot, name), "--no-tls")
        assert result.code == 0, result.err
    finally:
        dovecot.delete_folder(quote_mailbox(name))


def test_unsubscribe_keeps_the_stories(dovecot: Dovecot, folder: str, data_dir: Path) -> None:
    dovecot.append(folder, _issue(1))
    assert cli(data_dir, "subscribe", url(dovecot, folder), "--no-tls").code == 0
    result = cli(data_dir, "unsubscribe", "1")
    assert result.code == 0 and "its stories stay" in result.out
    assert "no subscriptions" in cli(data_dir, "sources").out
    assert cli(data_dir, "list").out.strip()


# -- the password: keyring, environment, never the archive ---------------------------------


def test_a_typed_password_goes_to_the_keyring_only(
    dovecot: Dovecot, folder: str, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    dovecot.append(folder, _issue(1))
    with Archive(data_dir) as archive:
        sub = archive.subscribe_mailbox(
            url(dovecot, folder), password=PASSWORD, security=MailSecurity.NONE
        )
        account = f"imap://{USER}@127.0.0.1:{dovecot.port}"
        assert memory_keyring.passwords == {("story-reader", account): PASSWORD}
        assert not archive.messages
        dovecot.append(folder, _issue(2))
        report = archive.refresh()  # no READER_IMAP_PASSWORD: the keyring's is used
        assert [f.status for f in report.feeds] == ["ok"] and report.new
        archive.unsubscribe_feed(sub.id)
        assert memory_keyring.passwords == {}
    assert_not_on_disk(data_dir, PASSWORD)


def test_without_a_keyring_the_password_is_not_kept(
    dovecot: Dovecot, folder: str, data_dir: Path
) -> None:
    dovecot.append(folder, _issue(1))
    with Archive(data_dir) as archive:
        archive.subscribe_mailbox(
            url(dovecot, folder), password=PASSWORD, security=MailSecurity.NONE
        )
        assert any("not kept" in m for m in archive.messages)
        report = archive.refresh()
        [failed] = report.failed
        assert failed.error is not None and failed.error.startswith("no password for ana")
    assert_not_on_disk(data_dir, PASSWORD)


def test_the_command_line_reads_the_keyring(
    dovecot: Dovecot, folder: str, data_dir: Path, keyring_file: Path
) -> None:
    account = f"imap://{USER}@127.0.0.1:{dovecot.port}"
    keyring_file.write_text(f'{{"story-reader {account}": "{PASSWORD}"}}')
    dovecot.append(folder, _issue(1))
    result = cli(
        data_dir, "subscribe", url(dovecot, folder), "--no-tls", password=None,
        keyring_file=keyring_file,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert cli(data_dir, "refresh", password=None, keyring_file=keyring_file).code == 0


def assert_not_on_disk(data_dir: Path, secret: str) -> None:
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"the password is in {path}"


# -- error paths through a fake connection --------------------------------------------------


@dataclass
class FakeConnection:
    """Answers as a server would, or fails where told to."""

    login_error: BaseException | None = None
    select_answer: tuple[str, list[Any]] = ("OK", [b"2"])
    fetch_error: BaseException | None = None
    commands: list[str] = field(default_factory=list)

    def login(self, user: str, password: str) -> tuple[str, list[Any]]:
        if self.login_error is not None:
            raise self.login_error
        return "OK", [b"Logged in"]

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[Any]]:
        self.commands.append(f"{'EXAMINE' if readonly else 'SELECT'} {mailbox}")
        return self.select_answer

    def response(self, code: str) -> tuple[str, list[Any]]:
        return code, [b"7"] if code == "UIDVALIDITY" else [None]

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]:
        self.commands.append(" ".join(["UID", command, *args]))
        if self.fetch_error is not None:
            raise self.fetch_error
        if args[-1] == "(RFC822.SIZE)":
            return "OK", [b"1 (UID 4 RFC822.SIZE 10)", b"2 (UID 9 RFC822.SIZE 99999999)"]
        return "OK", [(b"1 (UID 4 BODY[] {5}", b"hello"), b")"]

    def logout(self) -> tuple[str, Any]:
        self.commands.append("LOGOUT")
        return "BYE", [b""]


ADDRESS = MailboxAddress("127.0.0.1", 1143, "ana", "News", MailSecurity.NONE)


def read_with(conn: FakeConnection, **kwargs: Any) -> Any:
    return read_folder(ADDRESS, "pw", connector=lambda _a: conn, **kwargs)


def test_fake_login_refused_is_an_authentication_error() -> None:
    conn = FakeConnection(login_error=imaplib.IMAP4.error("[AUTHENTICATIONFAILED] no"))
    refused = r"^authentication failed for ana on 127\.0\.0\.1:1143$"
    with pytest.raises(MailboxAuthError, match=refused):
        read_with(conn, uidvalidity=None, last_uid=0)
    assert conn.commands == ["LOGOUT"]


def test_fake_folder_refused_and_connection_lost() -> None:
    refused = FakeConnection(select_answer=("NO", [b"Mailbox doesn't exist: News"]))
    with pytest.raises(MailboxError, match=r"^cannot open folder News: Mailbox doesn't exist"):
        read_with(refused, uidvalidity=None, last_uid=0)
    lost = FakeConnection(fetch_error=imaplib.IMAP4.abort("socket error: EOF"))
    with pytest.raises(MailboxError, match="closed the connection: socket error: EOF"):
        read_with(lost, uidvalidity=None, last_uid=0)
    timed_out = FakeConnection(fetch_error=TimeoutError())
    with pytest.raises(MailboxError, match=r"^timed out reading from 127\.0\.0\.1:1143$"):
        read_with(timed_out, uidvalidity=None, last_uid=0)


def test_fake_large_messages_stay_on_the_server_and_uids_move_on() -> None:
    conn = FakeConnection()
    got = read_with(conn, uidvalidity=7, last_uid=3, max_bytes=1000)
    assert got.messages == ((4, b"hello"),) and got.too_large == 1 and got.last_uid == 9
    assert conn.commands == [
        'EXAMINE "News"',
        "UID FETCH 4:* (RFC822.SIZE)",
        "UID FETCH 4 (BODY.PEEK[])",
        "LOGOUT",
    ]
    renumbered = read_with(FakeConnection(), uidvalidity=6, last_uid=50, max_bytes=1000)
    assert renumbered.rescanned and renumbered.messages == ((4, b"hello"),)


def test_fake_subscribe_error_saves_nothing(tmp_path: Path) -> None:
    conn = FakeConnection(login_error=imaplib.IMAP4.error("no"))
    with Archive(tmp_path, imap_connect=lambda _a: conn) as archive:
        with pytest.raises(MailboxAuthError):
            archive.subscribe_mailbox(
                "imap://ana@127.0.0.1:1143/News", password="pw", security=MailSecurity.NONE
            )
        with pytest.raises(PasswordRequiredError):
            archive.subscribe_mailbox("imap://ana@127.0.0.1:1143/News", security=MailSecurity.NONE)
        assert archive.subscriptions() == []
