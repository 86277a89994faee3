"""Fixtures for storage tests: a fresh archive on a temporary path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._storage import Store


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "archive.sqlite"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store(path) as opened:
        yield opened
