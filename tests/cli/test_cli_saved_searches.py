"""Saved searches on the command line: `search QUERY --save NAME`, `search --saved NAME`,
`searches` (table and JSON, --seen, --delete, --rename) and `export --search NAME`, with one-line
errors for a name that is unknown or taken."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import MARKDOWN, Runner


def _story(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    return path


def test_save_list_arrive_and_see(cli: Runner, tmp_path: Path) -> None:
    assert cli("import", str(MARKDOWN)).code == 0

    saved = cli("search", "copper OR tariff", "--save", "Metals", "--json")
    assert saved.code == 0, saved.err
    assert saved.err.strip() == "saved search 'Metals': copper OR tariff"
    assert [hit["title"] for hit in saved.json()] == ["Copper Traders Brace for a Quiet Quarter"]
    assert cli("searches", "--json").json() == [
        {"name": "Metals", "query": "copper OR tariff", "total": 1, "new": 0}
    ]

    tin = _story(tmp_path, "tin", "Tin tariff talks", "A tariff on tin ore is on the table.")
    assert cli("import", str(tin)).code == 0
    listed = cli("searches")
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == [
        "name      new   total  query",
        "Metals      1       2  copper OR tariff",
    ]

    seen = cli("searches", "--seen", "metals", "--json")
    assert seen.code == 0 and seen.err.strip() == "saved search 'Metals' marked seen"
    assert seen.json()[0]["new"] == 0


def test_run_a_saved_search(cli: Runner) -> None:
    cli("import", str(MARKDOWN))
    cli("search", "smelters", "--save", "Smelters")

    ran = cli("search", "--saved", "SMELTERS", "--json")

    assert ran.code == 0, ran.err
    assert [hit["kind"] for hit in ran.json()] == ["story"]
    assert cli("searches", "--json").json()[0]["new"] == 0, "running is not opening"


def test_unknown_and_taken_names_are_one_line_errors(cli: Runner) -> None:
    cli("import", str(MARKDOWN))
    cli("search", "copper", "--save", "Copper")

    for args in (
        ("search", "--saved", "Zinc"),
        ("searches", "--seen", "Zinc"),
        ("searches", "--delete", "Zinc"),
        ("export", "--search", "Zinc"),
    ):
        result = cli(*args)
        assert (result.code, result.err) == (1, "error: no saved search named 'Zinc'\n"), args

    taken = cli("search", "tin", "--save", "COPPER")
    assert (taken.code, taken.err) == (1, "error: a saved search named 'Copper' exists\n")
    assert taken.out == "", "nothing runs when the save fails"
    neither = cli("search")
    assert neither.code == 1 and "give a QUERY" in neither.err
    both = cli("search", "copper", "--saved", "Copper")
    assert both.code == 1 and "not both" in both.err
    usage = cli("search", "x", "--save", "A", "--saved", "B")
    assert usage.code == 2


def test_rename_and_delete(cli: Runner) -> None:
    cli("search", "copper", "--save", "Copper")

    renamed = cli("searches", "--rename", "copper", "Base metals", "--json")
    assert renamed.code == 0, renamed.err
    assert [s["name"] for s in renamed.json()] == ["Base metals"]
    deleted = cli("searches", "--delete", "base METALS")
    assert deleted.code == 0
    assert deleted.err.strip() == "deleted saved search 'Base metals': copper"
    assert deleted.out.startswith("no saved searches")


def test_export_scoped_to_a_saved_search(cli: Runner, tmp_path: Path) -> None:
    tin = _story(tmp_path, "tin", "Tin tariff talks", "A tariff on tin ore is on the table.")
    rain = _story(tmp_path, "rain", "Rain in the hills", "It rained all week on the hill farms.")
    assert cli("import", str(tin), str(rain)).code == 0
    cli("search", "tariff", "--save", "Tariffs")
    out = tmp_path / "tariffs.json"

    exported = cli("export", "--search", "tariffs", "-o", str(out))

    assert exported.code == 0, exported.err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [story["title"] for story in document["stories"]] == ["Tin tariff talks"]
    mixed = cli("export", "--search", "tariffs", "--story", "1")
    assert mixed.code == 1 and "not both" in mixed.err
