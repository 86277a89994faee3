"""The command line end to end (in this process, through main()), including every kind of bad
input."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from reader.archive import Archive
from tests.cli.conftest import DIGEST, MARKDOWN, Prefill, Runner


def imported_ids(cli: Runner, *paths: Path) -> list[int]:
    result = cli("import", *map(str, paths), "--json")
    assert result.code == 0, result.err
    ids: list[int] = result.json()["imported"]
    return ids


def test_import_reports_stories_then_skips_duplicates(cli: Runner) -> None:
    first = cli("import", str(DIGEST), str(MARKDOWN), "--json")
    assert first.code == 0, first.err
    report = first.json()
    assert len(report["imported"]) == 3
    assert report == {
        "imported": report["imported"],
        "duplicates": 0,
        "failed": [],
        "versions": [],
        "merged": [],
        "warnings": [],
    }

    again = cli("import", str(DIGEST), "--json").json()
    assert again == {
        "imported": [],
        "duplicates": 2,
        "failed": [],
        "versions": [],
        "merged": [],
        "warnings": [],
    }


def test_import_folder_is_recursive_and_prints_a_summary(cli: Runner, tmp_path: Path) -> None:
    nested = tmp_path / "inbox" / "deeper"
    nested.mkdir(parents=True)
    (nested / "markets.md").write_bytes(MARKDOWN.read_bytes())
    (tmp_path / "inbox" / "river.htm").write_bytes(DIGEST.read_bytes())
    (tmp_path / "inbox" / "picture.jpg").write_bytes(b"\xff\xd8\xff\x00")
    result = cli("import", str(tmp_path / "inbox"))
    assert result.code == 0, result.err
    assert "3 imported, 0 duplicate(s) skipped, 0 failed" in result.out
    assert "Copper Traders Brace for a Quiet Quarter" in result.out


def test_list_is_newest_first_with_highlight_counts(cli: Runner, prefilled: Prefill) -> None:
    ids = prefilled(DIGEST, MARKDOWN)
    assert cli("highlight", str(ids[0]), "--quote", "carry about a fifth less grain").code == 0
    rows = cli("list", "--json").json()
    assert {row["id"] for row in rows} == set(ids)
    by_id = {row["id"]: row for row in rows}
    assert by_id[ids[0]]["highlights"] == 1
    assert by_id[ids[0]]["source"] == "Inland Freight Journal"
    assert all(row["read"] is False for row in rows)


def test_list_view_later_shows_only_the_stories_set_aside(
    cli: Runner, prefilled: Prefill, data_dir: Path
) -> None:
    ids = prefilled(DIGEST, MARKDOWN)
    with Archive(data_dir) as archive:
        archive.set_flags(ids[1], later=True)
    rows = cli("list", "--view", "later", "--json").json()
    assert [(row["id"], row["later"], row["starred"]) for row in rows] == [(ids[1], True, False)]
    assert rows[0]["words"] > 0
    assert cli("list", "--view", "starred", "--json").json() == []
    plain = cli("list", "--view", "later")
    assert plain.code == 0 and plain.out.split()[:2] == [str(ids[1]), "L•"]


def test_show_gives_sections_source_and_url(cli: Runner, prefilled: Prefill) -> None:
    story_id = prefilled(DIGEST)[0]
    story = cli("show", str(story_id), "--json").json()
    assert story["title"] == "Barge Operators Warn of Low-Water Surcharges"
    assert story["source"] == "Inland Freight Journal"
    assert story["source_qualifier"] == "subscription"
    assert story["url"] == "https://example.com/river/low-water-surcharges"
    labels = [s["label"] for s in story["sections"]]
    assert labels == [None, "What’s going on:", "Why it matters:"]
    assert story["sections"][1]["bullets"] == [
        "Surcharges of up to 14 percent start in the first week of the harvest.",
        "Two lock repairs downstream are running late.",
    ]
    assert "View More" not in story["text"]
    assert "Sponsored" not in story["text"]
    assert story["highlights"] == [] and story["notes"] == []


def test_highlight_note_and_search_find_all_three_kinds(cli: Runner, prefilled: Prefill) -> None:
    story_id = prefilled(DIGEST, MARKDOWN)[0]
    made = cli(
        "highlight",
        str(story_id),
        "--quote",
        "few rail alternatives",
        "--color",
        "green",
        "--note",
        "check the sidings survey",
        "--json",
    )
    assert made.code == 0, made.err
    highlight = made.json()
    assert highlight["color"] == "green"
    story = cli("show", str(story_id), "--json").json()
    assert story["text"][highlight["start"] : highlight["end"]] == "few rail alternatives"

    assert cli("note", str(story_id), "Ask the co-op about **storage** contracts").code == 0

    def kinds(query: str) -> set[tuple[str, int]]:
        result = cli("search", query, "--json")
        assert result.code == 0, result.err
        return {(hit["kind"], hit["story_id"]) for hit in result.json()}

    assert ("story", story_id) in kinds("surcharges")
    assert ("highlight", story_id) in kinds("sidings")
    assert ("note", story_id) in kinds("storage")
    hit = cli("search", "cafe", "--json").json()[0]
    assert hit["story_id"] == story_id
    assert '<b class="match">' in hit["snippet"]
    assert {"kind", "story_id", "title", "score", "snippet"} <= hit.keys()


def test_highlight_is_exact_after_whitespace_in_the_quote(cli: Runner, prefilled: Prefill) -> None:
    story_id = prefilled(DIGEST)[0]
    made = cli("highlight", str(story_id), "--quote", "few  rail\u00a0alternatives", "--json")
    assert made.code == 0, made.err
    assert made.json()["quote"] == "few rail alternatives"


def test_export_json_and_markdown(cli: Runner, prefilled: Prefill, tmp_path: Path) -> None:
    story_id = prefilled(DIGEST)[0]
    cli("highlight", str(story_id), "--quote", "Two lock repairs", "--note", "which locks?")
    cli("note", str(story_id), "Follow up next week")
    out = tmp_path / "archive.json"
    assert cli("export", "--format", "json", "-o", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    story = next(s for s in data["stories"] if s["id"] == story_id)
    assert story["highlights"][0]["quote"] == "Two lock repairs"
    assert story["highlights"][0]["note"] == "which locks?"
    assert story["notes"][0]["body"] == "Follow up next week"
    markdown = cli("export", "--format", "markdown")
    assert markdown.code == 0
    assert "> Two lock repairs" in markdown.out
    assert "Follow up next week" in markdown.out


def test_reindex_and_check(cli: Runner, prefilled: Prefill) -> None:
    prefilled(DIGEST, MARKDOWN)
    check = cli("check", "--json")
    assert check.code == 0, check.err
    report = check.json()
    assert report["ok"] is True and report["stories"] == 3
    assert report["indexed_documents"] == 3
    reindex = cli("reindex", "--json")
    assert reindex.json() == {"documents": 3}
    assert cli("search", "seawall", "--json").json()[0]["title"] == (
        "Coastal Town Votes to Rebuild Its Seawall"
    )


def test_data_dir_from_environment(cli: Runner, tmp_path: Path) -> None:
    env = {"READER_DATA_DIR": str(tmp_path / "from-env")}
    assert cli("import", str(MARKDOWN), env=env, pass_data_dir=False).code == 0
    assert (tmp_path / "from-env" / "archive.sqlite3").exists()
    listed = cli("list", "--json", env=env, pass_data_dir=False).json()
    assert len(listed) == 1


# -- bad input: one line on stderr, non-zero exit, nothing else harmed ----------------------


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "expected an error message"
    assert "Traceback" not in err
    for fragment in fragments:
        assert any(fragment in line for line in lines), err


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.html", bytes(range(256)) * 4, "binary"),
        (
            "nostory.html",
            b"<html><body><nav>Home</nav><footer>Unsubscribe</footer></body></html>",
            "no story",
        ),
        ("broken.html", b"<html><body><div><p><b>", "no story"),
    ],
)
def test_bad_files_fail_alone(
    cli: Runner, tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = cli("import", str(MARKDOWN), str(bad), "--json")
    assert result.code != 0
    report = result.json()
    assert len(report["imported"]) == 1
    assert report["failed"][0]["path"] == str(bad)
    assert fragment in report["failed"][0]["error"]
    assert_one_line_error(result.err, name)
    assert len(cli("list", "--json").json()) == 1


def test_missing_file_and_only_bad_input(cli: Runner, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.html"))
    assert result.code == 1
    assert_one_line_error(result.err, "no such file")


def test_unreadable_file(cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the OS refuses to read. Mode 000 is no refusal for root (CI runs as root), so
    the refusal is the OS's own error, raised for this one file."""
    secret = tmp_path / "secret.html"
    secret.write_bytes(DIGEST.read_bytes())
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == secret:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = cli("import", str(secret))
    assert result.code == 1
    assert_one_line_error(result.err, "cannot read file: Permission denied")


@pytest.mark.parametrize(
    "args",
    [("show", "999"), ("highlight", "999", "--quote", "x"), ("note", "999", "text")],
)
def test_unknown_id(cli: Runner, prefilled: Prefill, args: tuple[str, ...]) -> None:
    prefilled(MARKDOWN)
    result = cli(*args)
    assert result.code == 1
    assert_one_line_error(result.err, "999")


def test_absent_quote(cli: Runner, prefilled: Prefill) -> None:
    story_id = prefilled(MARKDOWN)[0]
    result = cli("highlight", str(story_id), "--quote", "not in this story at all")
    assert result.code == 1
    assert_one_line_error(result.err, "quote not found")
    assert cli("show", str(story_id), "--json").json()["highlights"] == []


@pytest.mark.parametrize("query", ['"unbalanced', "(copper", "nosuchfield:copper", "date:notadate"])
def test_invalid_query(cli: Runner, prefilled: Prefill, query: str) -> None:
    prefilled(MARKDOWN)
    result = cli("search", query)
    assert result.code == 1, result.out
    assert_one_line_error(result.err, "error:")


def test_database_from_a_newer_app_is_refused(
    cli: Runner, prefilled: Prefill, data_dir: Path
) -> None:
    import sqlite3

    prefilled(MARKDOWN)
    with sqlite3.connect(data_dir / "archive.sqlite3") as db:
        db.execute("PRAGMA user_version = 999")
    result = cli("list")
    assert result.code == 1
    assert_one_line_error(result.err, "newer")


def test_missing_or_damaged_index_is_rebuilt_with_a_message(
    cli: Runner, prefilled: Prefill, data_dir: Path
) -> None:
    import shutil

    prefilled(MARKDOWN)
    shutil.rmtree(data_dir / "index")
    result = cli("search", "copper", "--json")
    assert result.code == 0 and len(result.json()) == 1
    assert "search index was missing; rebuilt" in result.err

    for segment in (data_dir / "index").glob("*.toc"):
        segment.write_bytes(b"\x00garbage")
    result = cli("search", "copper", "--json")
    assert result.code == 0 and len(result.json()) == 1
    assert "search index was unreadable" in result.err
    assert cli("check", "--json").json()["ok"] is True
