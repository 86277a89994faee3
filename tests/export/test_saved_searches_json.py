"""Saved searches in the JSON archive: carried by name, query and filters, added on import with
nothing new (the stories came with them), and never replacing one the archive already has."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reader.archive import Archive

from .conftest import Filled


def _export(archive: Archive) -> str:
    out = io.StringIO()
    archive.export("json", out)
    return out.getvalue()


def test_saved_searches_travel_with_the_archive(
    filled: Filled, empty: Archive, tmp_path: Path
) -> None:
    filled.archive.save_search("Copper", "copper OR smelters")
    filled.archive.save_search("Risks", "color:risk", {"source": "Metals Weekly"})
    document = _export(filled.archive)
    assert json.loads(document)["saved_searches"] == [
        {"name": "Copper", "query": "copper OR smelters", "filters": None},
        {"name": "Risks", "query": "color:risk", "filters": {"source": "Metals Weekly"}},
    ]
    path = tmp_path / "archive.json"
    path.write_text(document, encoding="utf-8")

    report = empty.import_export(path)

    counts = {c.search.name: (c.total, c.new, c.search.filters) for c in empty.saved_searches()}
    assert counts == {
        "Copper": (counts["Copper"][0], 0, None),
        "Risks": (1, 0, {"source": "Metals Weekly"}),
    }
    assert counts["Copper"][0] >= 1
    assert report.messages == []


def test_the_archive_keeps_its_own_search_of_the_same_name(
    filled: Filled, empty: Archive, tmp_path: Path
) -> None:
    filled.archive.save_search("Copper", "copper")
    path = tmp_path / "archive.json"
    path.write_text(_export(filled.archive), encoding="utf-8")
    empty.save_search("COPPER", "copper AND zinc")

    report = empty.import_export(path)

    assert [c.search.query for c in empty.saved_searches()] == ["copper AND zinc"]
    assert report.messages == [
        "saved search 'COPPER' stays 'copper AND zinc' (the import has 'copper')"
    ]
