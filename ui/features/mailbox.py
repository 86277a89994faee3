"""Subscribing to a mailbox folder: the worker operation behind the add-link dialog's mailbox
form. The password typed there goes to the facade for this one subscribe, which keeps it in
the system keyring only."""

from __future__ import annotations

from reader.archive import Archive, MailSecurity
from reader.model import Subscription


def subscribe_mailbox(
    archive: Archive, url: str, password: str | None, security: MailSecurity
) -> tuple[Subscription, list[str]]:
    """On the worker: subscribe, and return what the archive had to say meanwhile (e.g. that
    there is no keyring to keep the password in)."""
    before = len(archive.messages)
    subscription = archive.subscribe_mailbox(url, password=password, security=security)
    notes = archive.messages[before:]
    del archive.messages[before:]
    return subscription, notes
