"""Mailbox folders into the archive: subscribing (the folder is read first; a failure saves
nothing), refreshing many at once on threads of their own while the archive is written on the
calling thread, and where reading stopped (UIDVALIDITY, last UID) kept with the stories in one
transaction. Each message's stories come from :mod:`reader._sources.mail`; its Message-ID is
their guid, so a message seen again (delivered twice, or a folder renumbered) is a duplicate."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlite_utils import Database

from reader._sources import credentials
from reader._sources.entries import FeedEntry
from reader._sources.imap import (
    Connector,
    FolderMessages,
    MailboxAddress,
    MailSecurity,
    connect,
    read_folder,
)
from reader._sources.mail import message_stories, read_message
from reader._sources.refresh import HostLimiter, run_parallel
from reader._sources.subscriptions import outcome_goes_on, save_entries
from reader._storage import feeds as feed_rows
from reader._storage import mailboxes as mailbox_rows
from reader._storage.db import Connection
from reader._storage.mailboxes import MailboxRow
from reader.errors import (
    AlreadySubscribedError,
    NotFoundError,
    ParseError,
    PasswordRequiredError,
    ReaderError,
)
from reader.model import FeedRefresh, RefreshStatus, Subscription

ENV_CA_FILE = "READER_IMAP_CA_FILE"
MAX_WORKERS = 4
PER_HOST = 2


@dataclass(frozen=True, slots=True)
class MailboxJob:
    """One folder to read; ``password`` None means none was found (the job fails at once)."""

    address: MailboxAddress
    title: str
    password: str | None
    feed_id: int | None = None
    uidvalidity: int | None = None
    last_uid: int = 0


@dataclass(frozen=True, slots=True)
class MailboxOutcome:
    job: MailboxJob
    fetched: datetime
    folder: FolderMessages | None = None
    error: ReaderError | None = None


def address_of(row: MailboxRow, environ: Mapping[str, str] = os.environ) -> MailboxAddress:
    return MailboxAddress(
        host=row.host,
        port=row.port,
        user=row.username,
        folder=row.folder,
        security=MailSecurity(row.security),
        ca_file=row.ca_file or environ.get(ENV_CA_FILE) or None,
    )


def missing_password(address: MailboxAddress) -> PasswordRequiredError:
    return PasswordRequiredError(
        f"no password for {address.user} on {address.host}:{address.port}: none in the system"
        f" keyring and {credentials.ENV_PASSWORD} is not set",
        address.account,
    )


def fetch_mailbox(job: MailboxJob, connector: Connector = connect) -> MailboxOutcome:
    """Read one folder; expected failures come back as the outcome's ``error``."""
    fetched = datetime.now(UTC)
    if job.password is None:
        return MailboxOutcome(job, fetched, error=missing_password(job.address))
    try:
        folder = read_folder(
            job.address,
            job.password,
            uidvalidity=job.uidvalidity,
            last_uid=job.last_uid,
            connector=connector,
        )
    except ReaderError as err:
        return MailboxOutcome(job, fetched, error=err)
    return MailboxOutcome(job, fetched, folder=folder)


def fetch_mailboxes(
    jobs: Sequence[MailboxJob],
    connector: Connector = connect,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[MailboxOutcome]:
    """Outcomes in the order the folders finish, yielded on the calling thread; when
    ``cancelled()`` turns true the iteration ends (reads running finish unseen)."""
    limiter = HostLimiter(PER_HOST)

    def run(job: MailboxJob) -> MailboxOutcome:
        with limiter.slot(job.address.url):
            return fetch_mailbox(job, connector)

    yield from run_parallel(jobs, run, max_workers=MAX_WORKERS, name="mailbox", cancelled=cancelled)


def apply_outcome(conn: Connection, outcome: MailboxOutcome) -> FeedRefresh:
    """Store one folder's new messages and where reading stopped, in one transaction, or
    record its error (with back-off) on the subscription."""
    job = outcome.job
    assert job.feed_id is not None, "only subscribed folders are refreshed"
    report = FeedRefresh(
        feed_id=job.feed_id, title=job.title, url=job.address.url, status=RefreshStatus.OK
    )
    with conn.transaction() as db:
        if not outcome_goes_on(db, report, outcome.error, outcome.fetched):
            return report
        folder = outcome.folder
        assert folder is not None
        for uid, raw in folder.messages:
            try:
                mail = read_message(raw)
                stories = message_stories(mail)
            except ParseError:
                # A message with no readable body has no story; the folder goes on.
                continue
            counts = save_entries(
                conn,
                [FeedEntry(key=str(uid), link=None, stories=tuple(stories))],
                feed_id=job.feed_id,
                origin=mail.origin or job.address.url,
                fetched=outcome.fetched,
            )
            report.new += counts.new
            report.changed += counts.changed
            report.versions += counts.versions
            report.unchanged += counts.unchanged
        mailbox_rows.set_position(
            db, job.feed_id, uidvalidity=folder.uidvalidity, last_uid=folder.last_uid
        )
        feed_rows.record_success(
            db, job.feed_id, fetched=outcome.fetched, etag=None, last_modified=None
        )
    return report


def subscribe(
    conn: Connection, address: MailboxAddress, password: str, connector: Connector = connect
) -> tuple[int, FeedRefresh]:
    """Read the folder and, only if that worked, save the source and its messages' stories
    in one transaction. Returns the new source's id and what was stored."""
    with conn.transaction(write=False) as db:
        existing = feed_rows.feed_id_for_url(db, address.url)
    if existing is not None:
        raise AlreadySubscribedError(f"already subscribed to {address.url} (source {existing})")
    job = MailboxJob(address=address, title=address.label, password=password)
    outcome = fetch_mailbox(job, connector)
    if outcome.error is not None:
        raise outcome.error
    with conn.transaction() as db:
        feed_id = feed_rows.add_feed(db, address.url, title=address.label)
        mailbox_rows.add_mailbox(
            db,
            feed_id,
            host=address.host,
            port=address.port,
            username=address.user,
            folder=address.folder,
            security=address.security.value,
            ca_file=address.ca_file,
        )
        report = apply_outcome(conn, replace(outcome, job=replace(job, feed_id=feed_id)))
    return feed_id, report


def jobs_for(
    conn: Connection, subscriptions: Sequence[Subscription], environ: Mapping[str, str] = os.environ
) -> list[MailboxJob]:
    """A read job per mailbox subscription, each with its password looked up (on this
    thread: the keyring is asked before any connection is made)."""
    jobs = []
    for sub in subscriptions:
        with conn.transaction(write=False) as db:
            row = mailbox_rows.get_mailbox(db, sub.id)
        address = address_of(row, environ)
        jobs.append(
            MailboxJob(
                address=address,
                title=sub.title,
                password=credentials.password_for(address.account, environ),
                feed_id=sub.id,
                uidvalidity=row.uidvalidity,
                last_uid=row.last_uid,
            )
        )
    return jobs


def account_of(db: Database, feed_id: int) -> str | None:
    """The keyring account of a mailbox source, None for a feed."""
    try:
        row = mailbox_rows.get_mailbox(db, feed_id)
    except NotFoundError:
        return None
    return address_of(row, {}).account


def account_in_use(db: Database, account: str) -> bool:
    """Whether a mailbox source (another folder of the same login) still needs the password."""
    return any(address_of(row, {}).account == account for row in mailbox_rows.list_mailboxes(db))
