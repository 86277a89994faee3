"""Fixtures for the search tests: a fresh index in a temporary directory and a fake queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._search import WhooshIndex, open_index
from tests.search.search_fakes import FakeQueue


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WhooshIndex]:
    with open_index(tmp_path / "index", lock_timeout=0) as opened:
        yield opened
