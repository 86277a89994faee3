"""Mailbox folders as sources: subscribing to ``imap://user@host[:port]/Folder`` with its
password found in the keyring, the environment or given by the caller (and then kept in the
keyring only). Refreshing and unsubscribing go through the feeds' calls."""

from __future__ import annotations

import os
from pathlib import Path

from reader._sources import credentials, mailboxes
from reader._sources.imap import MailSecurity, is_mailbox_url, parse_address
from reader._storage import feeds
from reader.archive.core import ArchiveBase
from reader.errors import MailboxAddressError
from reader.model import Changed, Subscription


class MailboxesMixin(ArchiveBase):
    """Mailbox methods of :class:`~reader.archive.Archive`."""

    @staticmethod
    def is_mailbox_address(text: str) -> bool:
        """Whether ``text`` is an ``imap://`` (or ``imaps://``) address."""
        return is_mailbox_url(text)

    @staticmethod
    def keyring_available() -> bool:
        """Whether passwords can be kept in a system keyring on this machine."""
        return credentials.keyring_available()

    def subscribe_mailbox(
        self,
        url: str,
        *,
        password: str | None = None,
        security: MailSecurity = MailSecurity.TLS,
        ca_file: str | Path | None = None,
        allow_insecure: bool = False,
    ) -> Subscription:
        """Subscribe to a mailbox folder and import the stories of the messages it holds.

        The folder is read first: a bad password (MailboxAuthError), an unreachable server
        or a missing folder (MailboxError) raise a one-line error and save nothing. Without
        ``password`` the keyring's, else ``READER_IMAP_PASSWORD``, is used, else
        PasswordRequiredError is raised. A ``password`` given here is kept in the system
        keyring when there is one (``messages`` says so when there is none). ``ca_file``
        (else ``READER_IMAP_CA_FILE``) adds a trusted certificate for a self-signed server;
        ``security`` NONE is refused for a host that is not loopback unless
        ``allow_insecure``.
        """
        ca = str(ca_file) if ca_file is not None else os.environ.get(mailboxes.ENV_CA_FILE)
        if ca:
            path = Path(ca).expanduser()
            if not path.is_file():
                raise MailboxAddressError(f"no CA file at {ca}")
            ca = str(path.resolve())
        address = parse_address(
            url, security=MailSecurity(security), ca_file=ca or None, allow_insecure=allow_insecure
        )
        given = password
        if given is None:
            password = credentials.password_for(address.account)
            if password is None:
                raise mailboxes.missing_password(address)
        assert password is not None
        feed_id, refreshed = mailboxes.subscribe(
            self._db, address, password, connector=self._imap_connect
        )
        fresh = given is not None and given != credentials.stored_password(address.account)
        if fresh and given is not None and not credentials.remember(address.account, given):
            self.messages.append(
                "the password is not kept: there is no system keyring; set"
                f" {credentials.ENV_PASSWORD} for the next refresh"
            )
        self._emit(Changed.SUBSCRIPTIONS)
        if refreshed.new:
            self._emit(Changed.STORIES)
        with self._reading() as db:
            return feeds.get_feed(db, feed_id)
