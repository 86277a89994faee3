"""Mailbox passwords: the system keyring (through ``keyring``) when it has a backend, else the
``READER_IMAP_PASSWORD`` environment variable. A password is kept only in the keyring, never in
the archive or the settings file; on a machine without a keyring backend it is not kept."""

from __future__ import annotations

import os
from collections.abc import Mapping

import keyring
import keyring.errors
from keyring.backends import fail

SERVICE = "story-reader"
"""The keyring service name; the user name is the account (``imap://user@host:port``)."""
ENV_PASSWORD = "READER_IMAP_PASSWORD"


def keyring_available() -> bool:
    """Whether a real keyring backend is there (a headless machine often has none)."""
    try:
        backend = keyring.get_keyring()
    except keyring.errors.KeyringError:
        return False
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def stored_password(account: str) -> str | None:
    if not keyring_available():
        return None
    try:
        return keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError:
        return None


def password_for(account: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The keyring's password for ``account``, else ``READER_IMAP_PASSWORD``, else None."""
    return stored_password(account) or environ.get(ENV_PASSWORD) or None


def remember(account: str, password: str) -> bool:
    """Keep the password in the keyring; False when there is no keyring to keep it in."""
    if not keyring_available():
        return False
    try:
        keyring.set_password(SERVICE, account, password)
    except keyring.errors.KeyringError:
        return False
    return True


def forget(account: str) -> None:
    """Remove the account's password from the keyring, if it is there."""
    if not keyring_available():
        return
    try:
        keyring.delete_password(SERVICE, account)
    except keyring.errors.KeyringError:
        # PasswordDeleteError (nothing stored) is one; nothing to forget is fine.
        return
