"""Saved searches on the facade: saved with their query checked, counted in the index (all
matches, and those that arrived since the search was last opened), reset by opening, kept by a
backup and its restore, and the stories one matches for an export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader._search import counting
from reader.archive import Archive
from reader.errors import InvalidQueryError, SavedSearchError, SavedSearchNotFoundError
from reader.model import Color, SavedSearchCount


def _story(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


@pytest.fixture
def archive(tmp_path: Path, files: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "data") as opened:
        opened.import_paths(
            [
                _story(
                    files,
                    "steel",
                    "Steel duty doubles",
                    "The ministry raised the tariff on rolled steel from the coast ports.",
                ),
                _story(
                    files,
                    "barley",
                    "Barley harvest comes in early",
                    "Dry weather let growers in the upper valley start cutting a week early.",
                ),
            ]
        )
        yield opened


def _counts(archive: Archive) -> dict[str, tuple[int, int]]:
    return {c.search.name: (c.total, c.new) for c in archive.saved_searches()}


def test_a_new_search_has_nothing_new(archive: Archive) -> None:
    events: list[str] = []
    archive.on_change(events.append)

    search = archive.save_search("Tariffs", "tariff OR sanctions")

    assert (search.name, search.query) == ("Tariffs", "tariff OR sanctions")
    assert events == ["saved_searches"]
    assert _counts(archive) == {"Tariffs": (1, 0)}
    assert archive.saved_search("TARIFFS") == search


def test_a_query_that_cannot_parse_or_a_taken_name_is_refused(archive: Archive) -> None:
    archive.save_search("Tariffs", "tariff")

    with pytest.raises(InvalidQueryError):
        archive.save_search("Broken", "tariff AND (steel")
    with pytest.raises(SavedSearchError, match="named 'Tariffs' exists"):
        archive.save_search("tariffs", "duty")
    assert [c.search.name for c in archive.saved_searches()] == ["Tariffs"]


def test_an_import_makes_matches_new_until_the_search_is_opened(
    archive: Archive, files: Path
) -> None:
    archive.save_search("Tariffs", "tariff")
    archive.save_search("Weather", "weather")

    archive.import_paths(
        [
            _story(
                files,
                "copper",
                "Copper tariff talks stall",
                "Negotiators left without a date for the next tariff round.",
            )
        ]
    )
    assert _counts(archive) == {"Tariffs": (2, 1), "Weather": (1, 0)}

    archive.mark_search_seen("tariffs")
    assert _counts(archive) == {"Tariffs": (2, 0), "Weather": (1, 0)}


def test_a_highlight_or_note_written_since_counts_as_new(archive: Archive) -> None:
    barley = next(s.id for s in archive.list_stories() if s.title.startswith("Barley"))
    archive.save_search("Valley", "valley")

    archive.highlight_quote(barley, "upper valley", note="early cut in the valley")
    archive.add_note(barley, "Ask the valley co-op about prices")

    assert _counts(archive) == {"Valley": (3, 2)}, "the story, its highlight and its note"


def test_a_deleted_story_stops_counting(archive: Archive, files: Path) -> None:
    archive.save_search("Tariffs", "tariff")
    archive.import_paths(
        [_story(files, "wool", "Wool tariff lifted", "The tariff on raw wool ends in March.")]
    )
    wool = next(s.id for s in archive.list_stories() if s.title.startswith("Wool"))

    archive.delete_story(wool)

    assert _counts(archive) == {"Tariffs": (1, 0)}


def test_saved_searches_survive_a_backup_and_its_restore(archive: Archive) -> None:
    archive.save_search("Tariffs", "tariff")
    backup = archive.backup()
    archive.delete_saved_search("Tariffs")
    archive.save_search("Weather", "weather")

    archive.restore(backup)

    [restored] = archive.saved_searches()
    assert isinstance(restored, SavedSearchCount)
    assert (restored.search.name, restored.total, restored.new) == ("Tariffs", 1, 0)


def test_rename_delete_and_unknown_names(archive: Archive) -> None:
    archive.save_search("Tariffs", "tariff")

    assert archive.rename_saved_search("tariffs", "Duties").name == "Duties"
    with pytest.raises(SavedSearchNotFoundError, match=r"^no saved search named 'Tariffs'$"):
        archive.mark_search_seen("Tariffs")
    assert archive.delete_saved_search("duties").query == "tariff"
    assert archive.saved_searches() == []


def test_the_stories_a_saved_search_matches(archive: Archive) -> None:
    barley = next(s.id for s in archive.list_stories() if s.title.startswith("Barley"))
    archive.add_note(barley, "Compare with the steel tariff")
    archive.save_search("Tariffs", "tariff")

    steel = next(s.id for s in archive.list_stories() if s.title.startswith("Steel"))
    assert archive.saved_search_story_ids("Tariffs") == sorted([steel, barley])


def test_a_query_the_codebook_no_longer_explains_is_reported_not_raised(
    archive: Archive,
) -> None:
    archive.set_codebook_entry(Color.PINK, "risk")
    archive.save_search("Risks", "color:risk")
    archive.clear_codebook_entry(Color.PINK)

    [counted] = archive.saved_searches()
    assert (counted.total, counted.new) == (0, 0)
    assert counted.error is not None and "risk" in counted.error


def test_more_arrivals_than_are_looked_at_count_at_least(
    archive: Archive, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counting, "NEW_SCAN_LIMIT", 1)
    archive.save_search("Tariffs", "tariff")
    archive.import_paths(
        [
            _story(files, "tin", "Tin tariff", "A tariff on tin ore."),
            _story(files, "zinc", "Zinc tariff", "A tariff on zinc sheet."),
        ]
    )

    [counted] = archive.saved_searches()
    assert (counted.total, counted.new, counted.new_capped) == (3, 1, True)
    archive.mark_search_seen("Tariffs")
    [seen] = archive.saved_searches()
    assert (seen.new, seen.new_capped) == (0, False)
