"""Story versions on the command line: re-importing an edited story reports how its highlights
fared, and ``show --json`` gives each highlight's status and the story's versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._storage import schema
from reader._storage.db import Connection
from reader.archive import DB_FILENAME
from reader.cli.runner import UPGRADING_NOTE
from tests.anchoring.digests import CHANGES, MOVES, TITLE, VANISHES, write_versions
from tests.cli.conftest import Runner
from tests.sources.server import FeedServer, serve
from tests.sources.test_subscriptions import TIDE_V1, TIDE_V2, one_item_feed


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def import_and_highlight(cli: Runner, first: Path) -> int:
    result = cli("import", str(first), "--json")
    assert result.code == 0, result.err
    story_id: int = result.json()["imported"][0]
    for quote in (MOVES, CHANGES, VANISHES):
        assert cli("highlight", str(story_id), "--quote", quote).code == 0
    return story_id


def test_reimporting_an_edited_story_reports_the_new_version(cli: Runner, tmp_path: Path) -> None:
    first, second = write_versions(tmp_path)
    story_id = import_and_highlight(cli, first)

    result = cli("import", str(second), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert (report["imported"], report["duplicates"], report["failed"]) == ([], 1, [])
    assert report["versions"] == [
        {"story_id": story_id, "version": 2, "moved": 1, "changed": 1, "orphaned": 1}
    ]

    story = cli("show", str(story_id), "--json").json()
    assert story["version"] == 2
    assert [(v["version"], v["title"]) for v in story["versions"]] == [(1, TITLE), (2, TITLE)]
    assert all(v["fetched"] for v in story["versions"])
    statuses = {h["quote"]: h["status"] for h in story["highlights"]}
    assert statuses == {MOVES: "anchored", CHANGES: "changed", VANISHES: "orphan"}
    placed = {h["status"]: story["text"][h["start"] : h["end"]] for h in story["highlights"]}
    assert placed == {
        "anchored": MOVES,
        "changed": "carry about a quarter less grain",
        "orphan": "",
    }


def test_text_mode_prints_one_line_per_updated_story(cli: Runner, tmp_path: Path) -> None:
    first, second = write_versions(tmp_path)
    story_id = import_and_highlight(cli, first)

    result = cli("import", str(second))
    assert result.code == 0, result.err
    assert (
        f"updated   {story_id:>6}  {TITLE} (version 2: 1 moved, 1 changed, 1 orphaned)"
        in result.out.splitlines()
    )
    assert "0 imported, 1 updated, 1 duplicate(s) skipped, 0 failed" in result.out

    shown = cli("show", str(story_id)).out
    assert f"(orphan)] “{VANISHES}”" in shown and f"(changed)] “{CHANGES}”" in shown


def test_refresh_counts_new_versions_and_their_highlights(cli: Runner, server: FeedServer) -> None:
    url = server.add("/wire.xml", one_item_feed(TIDE_V1))
    assert cli("subscribe", url).code == 0
    [story] = cli("list", "--json").json()
    assert cli("highlight", str(story["id"]), "--quote", "closed the low quay").code == 0

    server.add("/wire.xml", one_item_feed(TIDE_V2))
    result = cli("refresh", "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert (report["new"], report["versions"]) == (0, 1)
    [source] = report["sources"]
    assert source["changed"] == [story["id"]]
    assert source["versions"] == [
        {"story_id": story["id"], "version": 2, "moved": 0, "changed": 1, "orphaned": 0}
    ]
    shown = cli("show", str(story["id"]), "--json").json()
    assert shown["version"] == 2 and shown["highlights"][0]["status"] == "changed"

    server.add("/wire.xml", one_item_feed(TIDE_V2.replace("Sunday", "Monday")))
    text = cli("refresh")
    assert "+0 new, 1 changed (highlights: 0 moved, 1 changed, 0 orphaned)" in text.out


def test_an_orphan_is_listed_with_candidates_and_reattached(cli: Runner, tmp_path: Path) -> None:
    first = tmp_path / "v1.md"
    first.write_text(
        "## Ferry Pier Reopens\n\nThe north pier reopened on Monday after repairs (Bay Post).\n\n"
        "**Why it matters:** Commuters lost the early crossing for six weeks.\n\n"
        "- The harbour master blamed a cracked pile.\n\n"
        "[View More](https://example.com/bay/pier)\n",
        encoding="utf-8",
    )
    story_id = cli("import", str(first), "--json").json()["imported"][0]
    made = cli("highlight", str(story_id), "--quote", "blamed a cracked pile", "--json").json()
    second = tmp_path / "v2.md"
    second.write_text(
        first.read_text(encoding="utf-8").replace(
            "- The harbour master blamed a cracked pile.\n\n", ""
        ),
        encoding="utf-8",
    )
    assert cli("import", str(second)).code == 0
    shown = cli("show", str(story_id))
    assert f"#{made['id']} (orphan)" in shown.out
    assert "candidate 1" in shown.out

    bad = cli("reattach", str(made["id"]), "--candidate", "99")
    assert bad.code == 1 and "candidate place(s)" in bad.err
    result = cli("reattach", str(made["id"]), "--quote", "lost the early crossing", "--json")
    assert result.code == 0, result.err
    assert result.json()["status"] == "anchored"
    assert result.json()["quote"] == "lost the early crossing"


def test_an_archive_of_an_older_schema_is_upgraded_with_a_note_first(
    cli: Runner, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = Connection(data_dir / DB_FILENAME)
    try:
        schema.migrate(conn, target=schema.SCHEMA_VERSION - 1)
    finally:
        conn.close()
    result = cli("list")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == f"note: {UPGRADING_NOTE}"
    again = cli("list")
    assert again.code == 0 and UPGRADING_NOTE not in again.err
