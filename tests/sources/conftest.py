"""Fixtures for fetching tests: the local feed server, a fetcher with short limits, and an
archive that fetches through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._sources.http import HttpFetcher
from reader.archive import Archive
from tests.sources.server import FeedServer, serve

TEST_CAP = 1024 * 1024
"""The size cap in tests: small, so oversized bodies and bombs stay cheap."""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


GENEROUS_SECONDS = 30.0
"""A read timeout no busy machine reaches on our loopback server: never the thing tested."""
IMPATIENT_SECONDS = 0.5
"""The read timeout of the two tests that are about timing out. /slow never answers, so they
reach it on any machine; a short one keeps them quick."""


def _fetcher(read_timeout: float) -> Iterator[HttpFetcher]:
    client = HttpFetcher(
        connect_timeout=GENEROUS_SECONDS, read_timeout=read_timeout, max_bytes=TEST_CAP
    )
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def fetcher() -> Iterator[HttpFetcher]:
    yield from _fetcher(GENEROUS_SECONDS)


@pytest.fixture
def impatient_fetcher() -> Iterator[HttpFetcher]:
    yield from _fetcher(IMPATIENT_SECONDS)


@pytest.fixture
def archive(tmp_path: Path, fetcher: HttpFetcher) -> Iterator[Archive]:
    with Archive(tmp_path / "data", fetcher=fetcher) as opened:
        yield opened


@pytest.fixture
def impatient_archive(tmp_path: Path, impatient_fetcher: HttpFetcher) -> Iterator[Archive]:
    with Archive(tmp_path / "data", fetcher=impatient_fetcher) as opened:
        yield opened
