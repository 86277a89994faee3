"""Fixtures for fetching tests: the local feed server, a fetcher with short limits, and an
archive that fetches through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.archive import Archive
from reader.sources.http import HttpFetcher
from tests.sources.server import FeedServer, serve

TEST_CAP = 1024 * 1024
"""The size cap in tests: small, so oversized bodies and bombs stay cheap."""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[HttpFetcher]:
    client = HttpFetcher(connect_timeout=2.0, read_timeout=0.5, max_bytes=TEST_CAP)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def archive(tmp_path: Path, fetcher: HttpFetcher) -> Iterator[Archive]:
    with Archive(tmp_path / "data", fetcher=fetcher) as opened:
        yield opened
