"""Shared helpers for the parser tests: fixture loading and the words boilerplate leaves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

# Page furniture every reader must keep out of story text, in any letter case.
BOILERPLATE = (
    "unsubscribe",
    "sponsored",
    "view more",
    "read more",
    "read the full story",
    "manage preferences",
    "view in browser",
    "forward to a friend",
    "copyright",
    "©",
    "presented by",
    "together with",
    "all rights reserved",
)


@pytest.fixture
def boilerplate() -> tuple[str, ...]:
    return BOILERPLATE


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
