"""Skipping by binary search within a block reaches exactly the postings Whoosh's stepping does,
across blocks, at their edges and past the end."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import KEYWORD, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import ReadTooFar

from reader._search import skipping

DOCS = 3_000


@pytest.fixture(scope="module")
def index() -> Iterator[Any]:
    """One field; "some" is in a random third of the documents (many blocks of 128 postings),
    "every" in all of them, "few" in a handful far apart."""
    rng = random.Random(5)
    ix = RamStorage().create_index(Schema(w=KEYWORD()))
    with ix.writer() as writer:
        for n in range(DOCS):
            words = ["every"]
            if rng.random() < 0.33:
                words.append("some")
            if n % 997 == 0:
                words.append("few")
            writer.add_document(w=" ".join(words))
    yield ix
    ix.close()


def reached(ix: Any, word: str, targets: list[int]) -> list[tuple[bool, int | None]]:
    """Where the postings of ``word`` are after skipping to each target in turn."""
    out: list[tuple[bool, int | None]] = []
    with ix.reader() as reader:
        matcher = reader.postings("w", word)
        for target in targets:
            try:
                matcher.skip_to(target)
            except ReadTooFar:
                out.append((False, None))
                break
            out.append((matcher.is_active(), matcher.id() if matcher.is_active() else None))
    return out


def both(ix: Any, word: str, targets: list[int]) -> tuple[list[Any], list[Any]]:
    skipping.uninstall()
    try:
        whoosh = reached(ix, word, targets)
    finally:
        skipping.install()
    return whoosh, reached(ix, word, targets)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["some", "every", "few"]),
    st.lists(st.integers(0, DOCS + 50), min_size=1, max_size=30).map(sorted),
)
def test_binary_search_reaches_what_stepping_reaches(
    index: Any, word: str, targets: list[int]
) -> None:
    whoosh, ours = both(index, word, targets)
    assert ours == whoosh


def test_block_edges_and_the_end(index: Any) -> None:
    # Every id in turn (each posting and the gaps), then past the last document.
    targets = [*range(0, 400), 127, 128, 129, 255, 256, DOCS - 1, DOCS, DOCS + 10]
    for word in ("some", "every", "few"):
        whoosh, ours = both(index, word, sorted(targets))
        assert ours == whoosh, word


def test_the_index_installs_it_for_every_search() -> None:
    """Not only where a test imports this module: the index itself puts it in place."""
    probe = (
        "from whoosh.codec.whoosh3 import W3LeafMatcher\n"
        "import reader._search\n"
        "from reader._search import skipping\n"
        "print(W3LeafMatcher.skip_to is skipping.skip_to)"
    )
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "True"
