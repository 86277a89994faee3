"""What the command line says of an imported file's metadata: front matter read (or, when it
cannot be, a warning), and an undated story's date told apart from when it was added."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Runner

DATED = """---
title: Ferry fares rise in the new year
date: 2026-11-30
source: Island Courier
tags: [transport, fares]
---

The island ferry will charge a fifth more for a car from January, the operator said.
"""
UNDATED = """# Library extends its evening hours

The central library will stay open until nine on weekdays from next month.
"""
BROKEN = """---
title: "Council agenda
---

The council meets on Thursday to set next year's rates.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_tells_published_from_added(cli: Runner, tmp_path: Path) -> None:
    dated = _write(tmp_path, "ferry.md", DATED)
    undated = _write(tmp_path, "library.md", UNDATED)
    result = cli("import", str(dated), str(undated), "--json")
    assert result.code == 0, result.err
    ferry, library = result.json()["imported"]

    rows = {row["id"]: row for row in cli("list", "--json").json()}
    assert rows[library]["published"] is None and rows[library]["fetched"]
    assert rows[ferry]["published"].startswith("2026-11-")
    assert rows[ferry]["source"] == "Island Courier"

    lines = {int(line.split()[0]): line for line in cli("list").out.splitlines()}
    assert " added 20" in lines[library]
    assert "2026-11-30" in lines[ferry] and "added" not in lines[ferry]

    shown = cli("show", str(ferry), "--json").json()
    assert shown["title"] == "Ferry fares rise in the new year"
    assert shown["tags"] == ["fares", "transport"]
    assert "undated, added" in cli("show", str(library)).out


def test_front_matter_that_cannot_be_read_is_a_warning_not_a_failure(
    cli: Runner, tmp_path: Path
) -> None:
    broken = _write(tmp_path, "agenda.md", BROKEN)
    result = cli("import", str(broken))
    assert result.code == 0
    assert "1 imported" in result.out
    [warning] = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert "agenda.md" in warning and "front matter not read" in warning

    report = cli("import", str(_write(tmp_path, "agenda2.md", BROKEN + "More.\n")), "--json")
    assert report.json()["warnings"][0]["path"].endswith("agenda2.md")
