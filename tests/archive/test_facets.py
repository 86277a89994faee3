"""Facets of a search and of a list view: counts by kind, source, tag, colour, month and week,
each value's query narrowing a search to exactly its count, and deleted stories left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reader._storage.facets import LIVE_STORIES
from reader.archive import DB_FILENAME, Archive
from reader.archive import facets as facets_module
from reader.archive.facets import facet_query, week_query
from reader.model import Color, FacetField, FacetOthers, Facets
from tests.storage import factories


def day(month: int, dom: int) -> datetime:
    return datetime(2026, month, dom, 9, 30, tzinfo=UTC)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """Five stories, four about ports, in two publications over four weeks, with tags, two
    highlights (one tagged) and a note."""
    data = tmp_path / "data"
    data.mkdir()
    with factories.opened(data / DB_FILENAME) as db:
        ids = [
            factories.add(db, "Port tariffs rise", source="Harbor Ledger", published=day(11, 3)),
            factories.add(db, "Port cranes idle", source="Harbor Ledger", published=day(11, 12)),
            factories.add(db, "Port strike ends", source="Northwind Wire", published=day(10, 20)),
            factories.add(db, "Grid outage spreads", source="Northwind Wire", published=day(11, 4)),
            factories.add(db, "Port fees, undated"),
        ]
    with Archive(data) as opened:
        first, second, third, _grid, _undated = ids
        opened.tag_story(first, ["tariffs"])
        opened.tag_story(second, ["tariffs", "supply chain"])
        made = opened.highlight_quote(first, "central bank", color=Color.YELLOW)
        opened.tag_highlight(made.id, ["ships"])
        opened.highlight_quote(third, "rates unchanged", color=Color.GREEN)
        opened.add_note(second, "Ask the harbour master about the cranes.")
        opened.sync_index()
        yield opened


def counts(facets: Facets, field: FacetField) -> dict[str, int]:
    return {value.value: value.count for value in facets.of(field)}


def test_search_facets_count_every_field(archive: Archive) -> None:
    found = archive.facets("port")
    assert found.total == 7
    assert counts(found, FacetField.KIND) == {"story": 4, "highlight": 2, "note": 1}
    # A highlight or note counts under its story's source and date, as the index finds it.
    assert counts(found, FacetField.SOURCE) == {"Harbor Ledger": 4, "Northwind Wire": 2}
    assert counts(found, FacetField.TAG) == {"tariffs": 2, "ships": 1, "supply chain": 1}
    assert counts(found, FacetField.COLOR) == {"yellow": 1, "green": 1}
    assert counts(found, FacetField.MONTH) == {"2026-10": 2, "2026-11": 4}
    assert [(w.start, w.count) for w in found.weeks] == [
        (date(2026, 10, 19), 2),
        (date(2026, 10, 26), 0),
        (date(2026, 11, 2), 2),
        (date(2026, 11, 9), 2),
    ]
    assert found.others == ()


def test_each_value_query_narrows_the_search_to_its_count(archive: Archive) -> None:
    found = archive.facets("port")
    for value in found.values:
        hits = archive.search(f"port {value.query}", limit=100)
        assert len(hits) == value.count, value
    for week in found.weeks:
        assert len(archive.search(f"port {week.query}", limit=100)) == week.count, week


def test_list_facets_count_everything_a_search_finds(archive: Archive) -> None:
    found = archive.list_facets()
    assert counts(found, FacetField.KIND) == {"story": 5, "highlight": 2, "note": 1}
    # A highlight or note counts under its story's source, date and (a highlight) own tags,
    # as a search by that chip's query finds it.
    assert counts(found, FacetField.SOURCE) == {"Harbor Ledger": 4, "Northwind Wire": 3}
    assert counts(found, FacetField.TAG) == {"tariffs": 2, "ships": 1, "supply chain": 1}
    assert counts(found, FacetField.MONTH) == {"2026-10": 2, "2026-11": 5}
    assert counts(found, FacetField.COLOR) == {"yellow": 1, "green": 1}
    assert len(found.weeks) == 4


def test_each_list_chip_counts_what_its_query_finds(archive: Archive) -> None:
    """A chip clicked above a list searches the whole archive, so the list's facets count what
    that search returns: an archived story and its highlight too, a deleted story not."""
    listed = {s.title: s.id for s in archive.list_stories()}
    archive.set_flags(listed["Port strike ends"], archived=True)
    archive.delete_story(listed["Grid outage spreads"])
    archive.sync_index()
    found = archive.list_facets()
    assert counts(found, FacetField.KIND) == {"story": 4, "highlight": 2, "note": 1}
    for value in found.values:
        assert len(archive.search(value.query, limit=100)) == value.count, value
    for week in found.weeks:
        assert len(archive.search(week.query, limit=100)) == week.count, week


def test_the_lists_stories_are_counted_from_a_small_index(archive: Archive) -> None:
    """The story set the list's facets count never reads the stories table, whose rows hold
    the text (at 100,000 stories each row fills a page)."""
    with archive._reading() as db:
        plan = " ".join(str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + LIVE_STORIES))
    assert re.search(r"(SCAN|SEARCH) s USING (COVERING )?INDEX idx_stories_live_by_source", plan)


def test_deleted_stories_are_not_counted_even_before_the_index_knows(archive: Archive) -> None:
    third = next(s.id for s in archive.list_stories() if s.title == "Port strike ends")
    archive.delete_story(third)
    found = archive.facets("port")
    assert counts(found, FacetField.SOURCE) == {"Harbor Ledger": 4}
    assert counts(found, FacetField.COLOR) == {"yellow": 1}
    assert [w.start for w in found.weeks] == [date(2026, 11, 2), date(2026, 11, 9)]


def test_values_beyond_the_top_are_counted_together(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets_module, "TOP_SOURCES", 1)
    monkeypatch.setattr(facets_module, "TOP_TAGS", 2)
    found = archive.facets("port")
    assert counts(found, FacetField.SOURCE) == {"Harbor Ledger": 4}
    assert counts(found, FacetField.TAG) == {"tariffs": 2, "ships": 1}
    assert set(found.others) == {
        FacetOthers(FacetField.SOURCE, 1, 2),
        FacetOthers(FacetField.TAG, 1, 1),
    }


def test_a_search_with_no_match_has_empty_facets(archive: Archive) -> None:
    found = archive.facets("nonexistentword")
    assert found == Facets(total=0)


def test_queries_quote_what_is_not_one_word() -> None:
    assert facet_query(FacetField.KIND, "highlight") == "kind:highlight"
    assert facet_query(FacetField.SOURCE, "Harbor Ledger") == 'source:"Harbor Ledger"'
    assert facet_query(FacetField.SOURCE, "Reuters") == 'source:"Reuters"'
    assert facet_query(FacetField.TAG, "tariffs") == "tag:tariffs"
    assert facet_query(FacetField.TAG, 'say "no"') == 'tag:"say no"'
    assert facet_query(FacetField.COLOR, "yellow") == "color:yellow"
    assert facet_query(FacetField.MONTH, "2026-11") == "date:2026-11"
    assert week_query(date(2026, 11, 2)) == "date:[2026-11-02 to 2026-11-08]"
