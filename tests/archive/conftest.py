"""Shared fixtures for the facade tests: an archive holding the command line's fixture stories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.archive import Archive

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[Archive]:
    """A new archive with the command line's fixture stories imported."""
    with Archive(tmp_path / "data") as opened:
        opened.import_paths([FIXTURES])
        yield opened
