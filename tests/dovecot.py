"""A throw-away Dovecot IMAP server for the tests: its own config, user, Maildir and
self-signed certificate in a temporary folder, on 127.0.0.1 and free high ports (a plain-text
port that also offers STARTTLS, and an IMAPS port). Seeding and probing go through imaplib.

See shared/notes/dovecot-for-tests.md for why each setting is there."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

USER = "ana"
PASSWORD = "correct horse battery"
START_TIMEOUT = 60.0
"""A generous upper bound on start-up (it takes about a second)."""
POLL_SECONDS = 0.05
"""How long to wait for the server to exit between two tries of its port."""

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is answered at once, and the next login from 127.0.0.1 (the fixture's
# own, cleaning up) is not held back 4 s for it: the tests assert the message, not the
# brute-force penalty (anvil's auth-penalty socket, unusable at mode 0, turns it off).
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
last_valid_uid = 0
mail_location = maildir:{root}/mail/%u
mail_max_userip_connections = 50
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    """One server: ``start``/``stop`` (a restart keeps the mail), and imaplib helpers."""

    binary: str
    root: Path
    port: int
    tls_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def ca_file(self) -> Path:
        return self.root / "cert.pem"

    @classmethod
    def create(cls, binary: str) -> Dovecot:
        root = Path(tempfile.mkdtemp(prefix="reader-dovecot-"))
        # The mail and auth processes run as the dovecot user; they must reach the folder.
        root.chmod(0o755)
        if os.geteuid() == 0:
            account = pwd.getpwnam("dovecot")
            login_user = "dovenull"
        else:
            account = pwd.getpwuid(os.getuid())
            login_user = account.pw_name
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        os.chown(root / "mail", account.pw_uid, account.pw_gid)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
        (root / "passwd").chmod(0o644)
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        server = cls(binary, root, free_port(), free_port())
        (root / "dovecot.conf").write_text(
            _CONFIG.format(
                root=root,
                port=server.port,
                tls_port=server.tls_port,
                uid=account.pw_uid,
                gid=account.pw_gid,
                login_user=login_user,
                internal_user=account.pw_name,
            ),
            encoding="utf-8",
        )
        return server

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._greets():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"dovecot did not answer within {START_TIMEOUT} s: {self.log()}")
            # Between two knocks on the port, wait on the other condition that ends the
            # start: the server exiting (a bad config). The bound paces the polling.
            try:
                self.process.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                continue
            stderr = self.process.stderr
            err = stderr.read().decode(errors="replace") if stderr else ""
            self.process = None
            raise RuntimeError(f"dovecot exited at start: {err.strip()} {self.log()}")

    def _greets(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                return sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    # -- seeding and probing -----------------------------------------------------------------

    @contextlib.contextmanager
    def client(self) -> Iterator[imaplib.IMAP4]:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        try:
            conn.login(USER, PASSWORD)
            yield conn
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def create_folder(self, folder: str) -> None:
        with self.client() as conn:
            typ, data = conn.create(folder)
            assert typ == "OK", data

    def delete_folder(self, folder: str) -> None:
        with self.client() as conn:
            typ, data = conn.delete(folder)
            assert typ == "OK", data

    def append(self, folder: str, *messages: EmailMessage) -> None:
        with self.client() as conn:
            for message in messages:
                typ, data = conn.append(folder, "", None, message.as_bytes())
                assert typ == "OK", data

    def status(self, folder: str) -> dict[str, int]:
        """MESSAGES, UIDVALIDITY, UIDNEXT and UNSEEN of ``folder``."""
        with self.client() as conn:
            typ, data = conn.status(folder, "(MESSAGES UIDVALIDITY UIDNEXT UNSEEN)")
            assert typ == "OK", data
        raw = data[0]
        assert isinstance(raw, bytes)
        inner = raw.decode().rsplit("(", 1)[1].rstrip(")").split()
        return {inner[i]: int(inner[i + 1]) for i in range(0, len(inner), 2)}

    def flags(self, folder: str) -> list[str]:
        """Every message's flags, read without changing them."""
        with self.client() as conn:
            typ, _ = conn.select(folder, readonly=True)
            assert typ == "OK"
            typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            assert typ == "OK", data
        return [item.decode() for item in data if isinstance(item, bytes)]


def newsletter(
    subject: str,
    stories: list[tuple[str, str]],
    *,
    sender: str = "The Harbour Ledger <desk@harbour-ledger.example>",
    message_id: str | None = None,
) -> EmailMessage:
    """A newsletter-shaped message of our own: a plain-text part and an HTML part, each
    story a heading and a paragraph."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"{USER}@reader.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="harbour-ledger.example")
    text = "\n\n".join(f"{title}\n\n{body}" for title, body in stories)
    message.set_content(text)
    html = "".join(f"<h2>{title}</h2><p>{body}</p>" for title, body in stories)
    message.add_alternative(f"<html><body><h1>{subject}</h1>{html}</body></html>", subtype="html")
    return message
