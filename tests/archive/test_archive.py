"""The facade: imports are atomic per file, duplicates are skipped, annotations round-trip,
and listeners hear about every change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._paths import reference_example
from reader.archive import Archive
from reader.archive.samples import sample_files
from reader.errors import NotFoundError, QuoteNotFoundError
from reader.model import Color, View

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "data") as opened:
        yield opened


def test_import_emits_and_skips_duplicates(archive: Archive) -> None:
    events: list[str] = []
    archive.on_change(events.append)
    first = archive.import_paths([FIXTURES])
    assert len(first.imported) == 3 and not first.failed
    assert events == ["stories"]
    second = archive.import_paths([FIXTURES])
    assert second.imported == [] and second.duplicates == 3
    assert events == ["stories"], "nothing new, nothing to announce"


def test_progress_and_cancel(archive: Archive) -> None:
    seen: list[tuple[int, int]] = []
    report = archive.import_paths(
        [FIXTURES / "river-digest.html", FIXTURES / "quiet-markets.md"],
        progress=lambda done, total, path: seen.append((done, total)),
        cancelled=lambda: len(seen) >= 1,
    )
    assert seen == [(0, 2), (1, 2)], "progress for the first file, then where it stopped"
    assert len(report.imported) == 2, "the first file's two stories; the second was cancelled"
    assert {s.source for s in archive.summaries(report.imported)} == {
        "Inland Freight Journal",
        "Ansel Gazette",
    }


def test_highlight_range_and_quote_agree(archive: Archive) -> None:
    story_id = archive.import_paths([FIXTURES / "quiet-markets.md"]).imported[0]
    text = archive.story(story_id).text
    start = text.index("Spot premiums")
    by_range = archive.highlight_range(story_id, start, start + 13, color=Color.BLUE)
    by_quote = archive.highlight_quote(story_id, "Spot premiums", color=Color.PINK)
    assert (by_range.start, by_range.end) == (by_quote.start, by_quote.end)
    assert by_range.quote == "Spot premiums"
    assert by_range.prefix == text[max(0, start - 32) : start]
    assert [h.color for h in archive.highlights(story_id)] == [Color.BLUE, Color.PINK]
    with pytest.raises(QuoteNotFoundError):
        archive.highlight_quote(story_id, "gold bullion")
    with pytest.raises(ValueError):
        archive.highlight_range(story_id, 5, 5)


def test_delete_and_restore_keep_ids(archive: Archive) -> None:
    story_id = archive.import_paths([FIXTURES / "quiet-markets.md"]).imported[0]
    highlight = archive.highlight_quote(story_id, "Two smelters", note="which ones?")
    note = archive.add_note(story_id, "watch the tender")
    archive.delete_highlight(highlight.id)
    archive.delete_note(note.id)
    assert archive.highlights(story_id) == [] and archive.notes(story_id) == []
    assert archive.restore_highlight(highlight).id == highlight.id
    assert archive.restore_note(note).id == note.id
    assert archive.search("which")[0].kind == "highlight"


def test_deleted_story_leaves_search_and_comes_back(archive: Archive) -> None:
    story_id = archive.import_paths([FIXTURES / "quiet-markets.md"]).imported[0]
    archive.highlight_quote(story_id, "Two smelters")
    assert archive.search("smelters")
    archive.delete_story(story_id)
    assert archive.search("smelters") == []
    with pytest.raises(NotFoundError):
        archive.story(story_id)
    archive.undelete_story(story_id)
    assert {hit.kind for hit in archive.search("smelters")} == {"story", "highlight"}


def test_samples_seed_once_with_annotations(archive: Archive) -> None:
    report = archive.seed_samples()
    assert report is not None and not report.failed, report and report.failed
    assert len(report.imported) >= 12
    titles = {s.title for s in archive.list_stories()}
    example = reference_example()
    if example is not None and example.is_file():
        assert "China’s AI Development Picks Up Speed" in titles
    highlighted = archive.list_stories(view=View.HIGHLIGHTED)
    colours = {h.color for s in highlighted for h in archive.highlights(s.id)}
    assert len(colours) >= 4
    assert not any("sample highlight skipped" in m for m in archive.messages), archive.messages
    assert archive.seed_samples() is None
    assert len(sample_files()) >= 5


def test_a_lost_index_is_refilled_through_the_queue_in_batches(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    with Archive(data) as archive:
        ids = archive.import_paths([FIXTURES]).imported
        archive.highlight_quote(ids[0], archive.story(ids[0]).text[:8])
        archive.sync_index()
    shutil.rmtree(data / "index")
    with Archive(data) as archive:
        assert archive._index.document_count() == 0
        assert archive.index_backlog() == 4, "three stories and a highlight re-queued"
        assert archive.sync_index(batch_size=1, max_batches=1) == 1
        assert archive.index_backlog() == 3
        assert [h.title for h in archive.search("seawall")] == [
            "Coastal Town Votes to Rebuild Its Seawall"
        ]
        assert archive.index_backlog() == 0 and archive.check().ok
        assert any("search index was missing" in m for m in archive.messages)


def test_an_archived_favourite_stays_in_starred(archive: Archive) -> None:
    archive.seed_samples()
    story_id = archive.story_ids()[0]
    archive.set_flags(story_id, starred=True)
    archive.set_flags(story_id, archived=True)
    assert story_id in archive.story_ids(view=View.STARRED)
    assert story_id in archive.story_ids(view=View.ARCHIVED)
    assert story_id not in archive.story_ids(view=View.ALL)
    assert archive.count_stories(view=View.STARRED) == len(archive.story_ids(view=View.STARRED))
