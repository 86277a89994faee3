"""The command line never waits long for the search index: a small backlog is indexed before a
command answers, a large one is left, said on stderr, and applied by ``index``."""

from __future__ import annotations

import pytest

from reader.cli import context
from tests.cli.conftest import DIGEST, MARKDOWN, Runner


def test_import_then_search_finds_what_was_imported(cli: Runner) -> None:
    assert cli("import", str(DIGEST), str(MARKDOWN)).code == 0
    found = cli("search", "seawall", "--json")
    assert found.code == 0 and "not yet searchable" not in found.err
    assert found.json()[0]["title"] == "Coastal Town Votes to Rebuild Its Seawall"


def test_a_large_backlog_is_left_and_said_then_index_applies_it(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "INDEX_NOW_LIMIT", 1)
    imported = cli("import", str(DIGEST), str(MARKDOWN))
    assert imported.code == 0
    assert "3 changes are not yet searchable" in imported.err
    search = cli("search", "seawall", "--json")
    assert search.code == 0 and search.json() == [], "answered from the index as it stands"
    assert "3 changes are not yet searchable" in search.err and "`index`" in search.err
    index = cli("index", "--json")
    assert index.code == 0 and index.json() == {"applied": 3, "left": 0}
    after = cli("search", "seawall", "--json")
    assert after.json()[0]["title"] == "Coastal Town Votes to Rebuild Its Seawall"
    assert "not yet searchable" not in after.err


def test_index_merge_merges_the_segments_and_searches_find_the_same(cli: Runner) -> None:
    # Each import commits its own segment once it is indexed.
    for path in (DIGEST, MARKDOWN):
        assert cli("import", str(path)).code == 0
    before = cli("search", "seawall OR harbour OR the", "--json").json()
    merged = cli("index", "--merge", "--json")
    assert merged.code == 0
    report = merged.json()
    assert report["left"] == 0 and report["segments_before"] >= 2
    assert report["segments_after"] == 1
    after = cli("search", "seawall OR harbour OR the", "--json").json()
    assert sorted(hit["title"] for hit in after) == sorted(hit["title"] for hit in before)
    text = cli("index", "--merge")
    assert text.code == 0 and "search index merged: from 1 segment to 1" in text.out
