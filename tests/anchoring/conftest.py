"""Fixtures for re-anchoring through the facade: two versions of a digest, and an archive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.archive import Archive
from tests.anchoring.digests import write_versions


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return write_versions(tmp_path)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "data") as opened:
        yield opened
