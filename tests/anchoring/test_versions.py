"""Story versions through the facade: importing a changed story makes a new version and moves
its highlights; the show-time check repairs highlights that no longer fit; orphans get
candidates and can be reattached; versions and their word diff can be read back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from reader.archive import DB_FILENAME, Archive
from reader.errors import NotFoundError
from reader.model import DiffOp, VersionReport
from tests.anchoring.digests import CHANGES, DIGEST, MOVES, TITLE, VANISHES


def highlighted(archive: Archive, first: Path) -> int:
    report = archive.import_paths([first])
    story_id = report.imported[0]
    for quote in (MOVES, CHANGES, VANISHES):
        archive.highlight_quote(story_id, quote)
    return story_id


def test_importing_a_changed_story_makes_a_new_version(
    archive: Archive, versions: tuple[Path, Path]
) -> None:
    first, second = versions
    story_id = highlighted(archive, first)
    events: list[str] = []
    archive.on_change(events.append)

    report = archive.import_paths([second])
    assert report.imported == [] and report.duplicates == 1, "the seawall story is unchanged"
    assert report.versions == [VersionReport(story_id, 2, TITLE, moved=1, changed=1, orphaned=1)]
    assert events == ["stories", "highlights"]

    story = archive.story(story_id)
    assert (story.version, story.revisions) == (2, 1)
    assert "a quarter less grain" in story.text and "Two lock repairs" not in story.text
    [earlier] = archive.versions(story_id)
    assert (earlier.version, earlier.title) == (1, TITLE)
    assert "a fifth less grain" in earlier.text

    by_quote = {h.quote: h for h in archive.highlights(story_id)}
    moved, changed, orphan = by_quote[MOVES], by_quote[CHANGES], by_quote[VANISHES]
    assert moved.status == "anchored" and story.text[moved.start : moved.end] == MOVES
    assert changed.status == "changed"
    assert story.text[changed.start : changed.end] == "carry about a quarter less grain"
    assert orphan.status == "orphan" and orphan.start == orphan.end
    assert story.text[orphan.start :].startswith("The river authority"), "where the bullet was"


def test_the_same_or_an_older_text_is_a_duplicate(
    archive: Archive, versions: tuple[Path, Path]
) -> None:
    first, second = versions
    story_id = highlighted(archive, first)
    assert len(archive.import_paths([second]).versions) == 1
    again = archive.import_paths([second, first])
    assert (again.imported, again.duplicates, again.versions) == ([], 4, [])
    assert archive.story(story_id).version == 2


def test_two_parts_of_one_document_are_not_versions_of_each_other(
    archive: Archive, tmp_path: Path
) -> None:
    page = tmp_path / "twins.html"
    page.write_text(
        DIGEST.read_text(encoding="utf-8").replace(
            "https://example.com/ansel/seawall-bond",
            "https://example.com/river/low-water-surcharges",
        ),
        encoding="utf-8",
    )
    report = archive.import_paths([page])
    assert (len(report.imported), report.duplicates, report.versions) == (1, 1, [])


def test_version_diff_is_word_level(archive: Archive, versions: tuple[Path, Path]) -> None:
    first, second = versions
    story_id = highlighted(archive, first)
    archive.import_paths([second])
    changes = [op for op in archive.version_diff(story_id, 1) if op.op != "equal"]
    assert changes == [
        DiffOp("replace", "fifth", "quarter"),
        DiffOp(
            "replace",
            "Two lock repairs downstream are running late",
            "The river authority expects rain in October",
        ),
    ]
    assert archive.version_diff(story_id, 1, 2) == archive.version_diff(story_id, 1)
    assert {op.op for op in archive.version_diff(story_id, 2, 2)} == {"equal"}
    with pytest.raises(NotFoundError, match="has no version 3"):
        archive.version_diff(story_id, 3)


def test_an_orphan_gets_candidates_and_can_be_reattached(
    archive: Archive, versions: tuple[Path, Path]
) -> None:
    first, second = versions
    story_id = highlighted(archive, first)
    archive.import_paths([second])
    [orphan] = [h for h in archive.highlights(story_id) if h.status == "orphan"]

    candidates = archive.orphan_candidates(orphan.id, limit=2)
    assert len(candidates) == 2
    text = archive.story(story_id).text
    best = candidates[0]
    assert (
        best.text == text[best.start : best.end] == "The river authority expects rain in October."
    )
    assert best.score > candidates[1].score

    pending = archive.index_backlog()
    reattached = archive.reattach_highlight(orphan.id, best.start, best.end)
    assert (reattached.status, reattached.quote) == ("anchored", best.text)
    assert reattached.prefix == text[best.start - 32 : best.start]
    assert reattached.suffix == text[best.end : best.end + 32]
    assert (reattached.color, reattached.created) == (orphan.color, orphan.created)
    assert archive.index_backlog() == pending + 1, "the search index hears of it"
    with pytest.raises(ValueError, match="outside the story's text"):
        archive.reattach_highlight(orphan.id, 0, len(text) + 1)


def test_opening_a_story_repairs_highlights_that_no_longer_fit(
    archive: Archive, versions: tuple[Path, Path]
) -> None:
    story_id = highlighted(archive, versions[0])
    before = {h.quote: h for h in archive.highlights(story_id)}
    archive.sync_index()
    # The canonical text changes under the highlights, as a new parser version might do.
    with closing(sqlite3.connect(archive.data_dir / DB_FILENAME)) as db, db:
        db.execute("UPDATE stories SET text = 'Editor’s note: updated. ' || text WHERE id = ?",
                   [story_id])  # fmt: skip
    events: list[str] = []
    archive.on_change(events.append)

    repaired = archive.highlights(story_id)
    text = archive.story(story_id).text
    assert all(h.status == "anchored" and text[h.start : h.end] == h.quote for h in repaired)
    assert [h.start for h in repaired] == [h.start + 24 for h in before.values()]
    assert events == ["highlights"]
    # The text change behind the archive's back queued the story (by trigger); a highlight
    # that only moves looks the same to the index (it shows the quote, not where it sits).
    assert archive.index_backlog() == 1

    assert archive.highlights(story_id) == repaired
    assert events == ["highlights"] and archive.index_backlog() == 1, "nothing to write"
    assert archive.bundle(story_id).highlights == repaired


def test_a_bundle_repairs_too_and_writes_nothing_when_all_fit(
    archive: Archive, versions: tuple[Path, Path]
) -> None:
    story_id = highlighted(archive, versions[0])
    fitting = archive.bundle(story_id).highlights
    archive.sync_index()
    with closing(sqlite3.connect(archive.data_dir / DB_FILENAME)) as db, db:
        db.execute("UPDATE stories SET text = 'Editor’s note: updated. ' || text WHERE id = ?",
                   [story_id])  # fmt: skip
    events: list[str] = []
    archive.on_change(events.append)

    bundle = archive.bundle(story_id)
    assert [h.start for h in bundle.highlights] == [h.start + 24 for h in fitting]
    assert all(bundle.story.text[h.start : h.end] == h.quote for h in bundle.highlights)
    assert events == ["highlights"]
    archive.bundle(story_id)
    assert events == ["highlights"], "once fitted, opening again writes nothing"
