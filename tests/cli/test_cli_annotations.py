"""The command line for exports and imports, the codebook, tags, backups and restore."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import DIGEST, MARKDOWN, Runner
from tests.cli.test_cli import assert_one_line_error


def ok(cli: Runner, *args: str) -> str:
    result = cli(*args)
    assert result.code == 0, result.err
    return result.out


def annotated(cli: Runner) -> int:
    """Two files imported, a named colour, a tagged highlight and a note; the barge story id."""
    report = json.loads(ok(cli, "import", str(DIGEST), str(MARKDOWN), "--json"))
    barge = annotated_story(cli, "Barge")
    assert barge in report["imported"]
    ok(cli, "codebook", "pink", "risk", "--description", "what could go wrong")
    made = json.loads(
        ok(cli, "highlight", str(barge), "--quote", "lock repairs", "--color", "risk", "--json")
    )
    assert made["color"] == "pink"
    ok(cli, "tag", str(made["id"]), "freight", "supply chain", "--highlight")
    ok(cli, "tag", str(barge), "rivers")
    ok(cli, "note", str(barge), "Follow up next week")
    return barge


def test_codebook_list_set_and_clear(cli: Runner) -> None:
    assert ok(cli, "codebook").splitlines()[0].split() == ["yellow", "-"]
    out = ok(cli, "codebook", "yellow", "claim")
    assert "yellow  claim" in out
    listed = json.loads(ok(cli, "codebook", "--json"))
    assert listed[0] == {"color": "yellow", "name": "claim", "description": ""}
    assert len(listed) == 5 and listed[1]["name"] is None
    ok(cli, "codebook", "--clear", "yellow")
    assert json.loads(ok(cli, "codebook", "--json"))[0]["name"] is None
    taken = cli("codebook", "green", "pink")
    assert taken.code == 1
    assert_one_line_error(taken.err, "another colour")
    missing = cli("codebook", "green")
    assert missing.code == 1
    assert_one_line_error(missing.err, "codebook green NAME")


def test_tags_on_stories_and_highlights(cli: Runner) -> None:
    barge = annotated(cli)
    shown = json.loads(ok(cli, "show", str(barge), "--json"))
    assert shown["tags"] == ["rivers"]
    assert shown["highlights"][0]["tags"] == ["freight", "supply chain"]
    out = ok(cli, "tag", str(shown["highlights"][0]["id"]), "freight", "--highlight", "--remove")
    assert out.strip() == f"highlight {shown['highlights'][0]['id']}: supply chain"
    removed = json.loads(ok(cli, "tag", str(barge), "rivers", "--remove", "--json"))
    assert removed == {"kind": "story", "id": barge, "tags": []}
    hits = json.loads(ok(cli, "search", 'tag:"supply chain"', "--json"))
    assert [hit["kind"] for hit in hits] == ["highlight"]
    missing = cli("tag", "999", "x", "--highlight")
    assert missing.code == 1
    assert_one_line_error(missing.err, "no highlight with id 999")


def test_search_by_codebook_name(cli: Runner) -> None:
    annotated(cli)
    hits = json.loads(ok(cli, "search", "color:risk", "--json"))
    assert [hit["kind"] for hit in hits] == ["highlight"]
    assert "lock repairs" in hits[0]["snippet"].replace('<b class="match">', "").replace("</b>", "")
    unknown = cli("search", "color:danger")
    assert unknown.code == 1
    assert_one_line_error(unknown.err, "unknown color 'danger'", "names: risk")


def test_json_export_round_trips_and_merges(cli: Runner, tmp_path: Path, data_dir: Path) -> None:
    annotated(cli)
    first = tmp_path / "archive.json"
    result = cli("export", "--format", "json", "-o", str(first))
    assert result.code == 0 and "exported 3 stories" in result.err
    copy = tmp_path / "copy"
    merged = cli("import", str(first), "--data-dir", str(copy), pass_data_dir=False)
    assert merged.code == 0, merged.err
    assert "stories 3 added, 0 merged; highlights 1 added, 0 skipped, 0 unplaced" in merged.out
    second = tmp_path / "again.json"
    exported = cli(
        "export",
        "--format",
        "json",
        "-o",
        str(second),
        "--data-dir",
        str(copy),
        pass_data_dir=False,
    )
    assert exported.code == 0

    def body(path: Path) -> list[str]:
        return [line for line in path.read_text("utf-8").splitlines() if '"exported"' not in line]

    assert body(first) == body(second)
    again = json.loads(ok(cli, "import", str(first), "--json"))
    [report] = again["merged"]
    assert report["kind"] == "archive" and report["stories_added"] == []
    assert len(report["stories_merged"]) == 3 and report["highlights_skipped"] == 1
    assert again["imported"] == [] and again["failed"] == []


def test_w3c_export_and_import(cli: Runner, tmp_path: Path) -> None:
    barge = annotated(cli)
    target = tmp_path / "notes.jsonld"
    result = cli("export", "--format", "w3c", "-o", str(target))
    assert result.code == 0 and "exported 2 annotations" in result.err
    data = json.loads(target.read_text("utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["total"] == 2
    other = tmp_path / "other"
    cli("import", str(DIGEST), "--data-dir", str(other), pass_data_dir=False)
    stray = dict(data["first"]["items"][0])
    stray["target"] = {**stray["target"], "source": "https://elsewhere.example/x"}
    data["first"]["items"].append(stray)
    target.write_text(json.dumps(data), encoding="utf-8")
    merged = cli("import", str(target), "--data-dir", str(other), "--json", pass_data_dir=False)
    assert merged.code == 3, "one annotation found no story"
    [report] = merged.json()["merged"]
    assert report["highlights_added"] == 1 and report["notes_added"] == 1
    assert report["highlights_unplaced"] == 1
    assert report["unplaced"][0]["target"] == "https://elsewhere.example/x"
    shown = cli("show", str(barge), "--json", "--data-dir", str(other), pass_data_dir=False).json()
    assert shown["highlights"][0]["quote"] == "lock repairs"
    assert shown["highlights"][0]["tags"] == ["freight", "supply chain"]
    text = cli("import", str(target), "--data-dir", str(other), pass_data_dir=False)
    assert "unplaced: https://elsewhere.example/x" in text.out


def test_csv_and_markdown_exports(cli: Runner, tmp_path: Path) -> None:
    annotated(cli)
    out = ok(cli, "export", "--format", "csv")
    assert out.startswith("\ufeffhighlight_id,")
    [row] = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert (row["quote"], row["color_name"], row["tags"]) == (
        "lock repairs",
        "risk",
        "freight; supply chain",
    )
    assert not ok(cli, "export", "--format", "csv", "--no-bom").startswith("\ufeff")
    folder = tmp_path / "vault"
    result = cli("export", "--format", "markdown", "-o", f"{folder}/")
    assert result.code == 0 and "exported 3 stories" in result.err
    note = (folder / "Barge Operators Warn of Low-Water Surcharges.md").read_text("utf-8")
    assert note.startswith('---\ntitle: "Barge Operators Warn of Low-Water Surcharges"\n')
    assert "- colour: risk (pink)" in note and "Follow up next week" in note
    notebook = ok(cli, "export", "--format", "markdown", "--story", "1")
    assert notebook.startswith("# Story archive\n")
    wrong = cli("export", "--format", "csv", "-o", f"{folder}/")
    assert wrong.code == 1
    assert_one_line_error(wrong.err, "is a folder")


def test_backup_and_restore(cli: Runner, tmp_path: Path, data_dir: Path) -> None:
    barge = annotated(cli)
    made = json.loads(ok(cli, "backup", "--json"))
    saved = Path(made["path"])
    assert saved.parent == data_dir / "backups" and made["bytes"] > 0
    explicit = tmp_path / "mine.sqlite3"
    assert f"backed up to {explicit}" in ok(cli, "backup", "-o", str(explicit))
    ok(cli, "note", str(barge), "written after the backup")
    restored = json.loads(ok(cli, "restore", str(explicit), "--json"))
    kept = Path(restored["kept"])
    assert kept.exists() and kept.name.startswith("pre-restore-")
    assert restored["stories"] == 3
    notes = json.loads(ok(cli, "show", str(barge), "--json"))["notes"]
    assert [n["body"] for n in notes] == ["Follow up next week"]
    assert json.loads(ok(cli, "check", "--json"))["ok"] is True
    assert json.loads(ok(cli, "search", "written", "--json")) == []
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("hello", encoding="utf-8")
    refused = cli("restore", str(bad))
    assert refused.code == 1
    assert_one_line_error(refused.err, "not a story archive")


def test_automatic_backup_before_a_change(cli: Runner, data_dir: Path) -> None:
    ok(cli, "import", str(MARKDOWN))
    assert not (data_dir / "backups").exists(), "an empty archive had nothing to back up"
    ok(cli, "list")
    assert not (data_dir / "backups").exists(), "reading commands never back up"
    ok(cli, "note", "1", "a first note")
    [auto] = list((data_dir / "backups").glob("archive-*-auto.sqlite3"))
    ok(cli, "note", "1", "a second note")
    assert list((data_dir / "backups").glob("*-auto.sqlite3")) == [auto], "not due again"


def test_an_export_of_one_story_says_story(cli: Runner, tmp_path: Path) -> None:
    from reader.cli.formatting import counted

    assert [counted(1, "stories"), counted(2, "stories"), counted(1, "annotations")] == [
        "1 story",
        "2 stories",
        "1 annotation",
    ]
    annotated(cli)
    story = json.loads(ok(cli, "list", "--json"))[0]["id"]
    target = tmp_path / "one.json"
    result = cli("export", "--format", "json", "--story", str(story), "-o", str(target))
    assert result.code == 0 and "exported 1 story to" in result.err, result.err


def test_tags_are_listed_with_their_kind_and_counts(cli: Runner) -> None:
    annotated(cli)
    ok(cli, "tag", str(annotated_story(cli, "Copper")), "Freight")
    listed = json.loads(ok(cli, "tags", "--json"))
    assert listed == [
        {"name": "freight", "kind": "both", "stories": 1, "highlights": 1},
        {"name": "rivers", "kind": "story", "stories": 1, "highlights": 0},
        {"name": "supply chain", "kind": "highlight", "stories": 0, "highlights": 1},
    ]
    table = ok(cli, "tags").splitlines()
    assert table[0].split() == ["TAG", "STORIES", "HIGHLIGHTS"]
    assert table[3].split() == ["supply", "chain", "0", "1"]


def test_tags_rename_and_merge(cli: Runner) -> None:
    barge = annotated(cli)
    out = ok(cli, "tags", "rename", "rivers", "waterways")
    assert out.strip() == "renamed tag 'rivers' to 'waterways': 1 story, 0 highlights"
    assert json.loads(ok(cli, "show", str(barge), "--json"))["tags"] == ["waterways"]
    merged = json.loads(ok(cli, "tags", "rename", "Supply Chain", "FREIGHT", "--json"))
    assert merged["merged"] and (merged["old"], merged["new"]) == ("supply chain", "freight")
    assert [t["name"] for t in json.loads(ok(cli, "tags", "--json"))] == ["freight", "waterways"]
    assert json.loads(ok(cli, "search", "tag:waterways", "--json"))[0]["story_id"] == barge
    assert json.loads(ok(cli, "search", "tag:rivers", "--json")) == []
    missing = cli("tags", "rename", "levees", "dams")
    assert missing.code == 1
    assert_one_line_error(missing.err, "no tag named 'levees'")


def annotated_story(cli: Runner, title_start: str) -> int:
    listed = json.loads(ok(cli, "list", "--json"))
    found: int = next(s["id"] for s in listed if s["title"].startswith(title_start))
    return found
