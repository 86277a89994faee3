"""Fixtures shared across test folders: a real IMAP server (Dovecot) for the mailbox tests,
started once per session on 127.0.0.1, with a fresh folder per test."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.dovecot import Dovecot, dovecot_binary
from tests.keyring_backends import MemoryKeyring

_folders = itertools.count(1)


def _missing(reason: str) -> None:
    """Skip on a developer's machine; in CI (CI=true) a missing server is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it in .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    if binary is None:
        _missing("dovecot not installed: apt-get install dovecot-imapd")
    if shutil.which("openssl") is None:
        _missing("openssl not installed (it makes the test server's certificate)")
    assert binary is not None
    server = Dovecot.create(binary)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def folder(dovecot: Dovecot) -> Iterator[str]:
    """A new, empty folder on the test server, for this test alone."""
    name = f"Newsletters{next(_folders)}"
    dovecot.create_folder(name)
    yield name
    if dovecot.process is None:
        dovecot.start()
    dovecot.delete_folder(name)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A keyring in memory for this test (never the user's own)."""
    previous: KeyringBackend = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A machine without a keyring backend, as a headless one often is."""
    from keyring.backends import fail

    previous: KeyringBackend = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)
