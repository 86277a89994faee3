"""Stories and sources: round-trips, duplicates, list views and orders, flags, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader._storage import Store
from reader.errors import NotFoundError
from reader.model import Color, Section

from .factories import FETCHED, add, parsed


def _highlight(store: Store, story_id: int, start: int = 0) -> None:
    store.add_highlight(
        story_id, start=start, end=start + 5, quote="Rates", prefix="", suffix="", color=Color.GREEN
    )


def test_story_round_trip(store: Store) -> None:
    published = datetime(2024, 4, 30, 9, 30, tzinfo=timezone(timedelta(hours=-4)))
    sections = (
        Section(None, ("Lead paragraph.",)),
        Section("Why it matters:", ("First.", "Second."), ("One", "Two")),
        Section(None, (), ("Only a bullet",)),
    )
    story_id = store.add_story(
        parsed(
            "Rates hold steady",
            sections=sections,
            html="<p>Lead paragraph.</p>",
            source="The Ledger",
            source_qualifier="subscription",
            url="https://example.org/rates",
            guid="guid-1",
            byline="By A. Writer",
            published=published,
            language="en",
        ),
        text="Lead paragraph.\nWhy it matters: First.",
        content_hash="abc123",
        origin="/tmp/digest.html",
        fetched=FETCHED,
    )

    story = store.get_story(story_id)

    assert story.id == story_id
    assert story.title == "Rates hold steady"
    assert story.sections == sections
    assert story.text == "Lead paragraph.\nWhy it matters: First."
    assert story.html == "<p>Lead paragraph.</p>"
    assert story.content_hash == "abc123"
    assert story.source == "The Ledger"
    assert story.source_qualifier == "subscription"
    assert story.url == "https://example.org/rates"
    assert story.guid == "guid-1"
    assert story.byline == "By A. Writer"
    assert story.published == published
    assert story.published is not None and story.published.tzinfo == UTC
    assert story.fetched == FETCHED
    assert story.origin == "/tmp/digest.html"
    assert story.language == "en"
    assert (story.is_read, story.is_starred, story.is_archived) == (False, False, False)
    assert story.tags == ()
    assert story.highlight_count == 0


def test_naive_datetimes_are_taken_as_utc(store: Store) -> None:
    story_id = add(store, published=datetime(2024, 1, 2, 3, 4), fetched=datetime(2024, 1, 3))
    story = store.get_story(story_id)
    assert story.published == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    assert story.fetched == datetime(2024, 1, 3, tzinfo=UTC)


def test_get_story_counts_highlights_and_lists_tags(store: Store) -> None:
    story_id = add(store)
    _highlight(store, story_id)
    _highlight(store, story_id, start=10)
    store.tag_story(story_id, ["rates", "Economy"])

    story = store.get_story(story_id)

    assert story.highlight_count == 2
    assert story.tags == ("Economy", "rates")


def test_flags_round_trip(store: Store) -> None:
    story_id = add(store)
    store.set_flags(story_id, read=True, starred=True)
    story = store.get_story(story_id)
    assert (story.is_read, story.is_starred, story.is_archived) == (True, True, False)

    store.set_flags(story_id, starred=False, archived=True)
    story = store.get_story(story_id)
    assert (story.is_read, story.is_starred, story.is_archived) == (True, False, True)


def test_stories_of_one_source_share_its_row(store: Store) -> None:
    first = add(store, "One", source="The Ledger")
    second = add(store, "Two", source="the ledger")
    add(store, "Three", source="Daily Wire Service")
    add(store, "Loose")

    listed = [(source.name, source.kind, count) for source, count in store.sources()]
    assert listed == [("Daily Wire Service", "publication", 1), ("The Ledger", "publication", 2)]
    assert store.get_story(second).source == "The Ledger"
    ids = {source.name: source.id for source, _ in store.sources()}
    ledger = ids["The Ledger"]
    assert store.story_ids(source_id=ledger, order="title", descending=False) == [first, second]
    assert store.story_count_by_source() == {ledger: 2, ids["Daily Wire Service"]: 1, None: 1}
    store.set_flags(second, archived=True)
    assert store.story_count_by_source("archived") == {ledger: 1}


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        ({"url": "https://example.org/a"}, True),
        ({"guid": "guid-a"}, True),
        ({"url": "https://example.org/other", "guid": "guid-a"}, True),
        ({"content_hash": "hash-a"}, True),
        ({"url": "https://example.org/other", "content_hash": "hash-a"}, False),
        ({"url": "https://example.org/other"}, False),
        ({"content_hash": "hash-b"}, False),
        ({}, False),
    ],
)
def test_find_duplicate(store: Store, lookup: dict[str, str], expected: bool) -> None:
    story_id = add(store, url="https://example.org/a", guid="guid-a", content_hash="hash-a")
    assert store.find_duplicate(**lookup) == (story_id if expected else None)


def test_deleted_story_is_not_a_duplicate(store: Store) -> None:
    story_id = add(store, url="https://example.org/a", content_hash="hash-a")
    store.delete_story(story_id)
    assert store.find_duplicate(url="https://example.org/a", guid=None, content_hash=None) is None
    assert store.find_duplicate(url=None, guid=None, content_hash="hash-a") is None


def test_views(store: Store) -> None:
    plain = add(store, "Plain")
    read = add(store, "Read")
    starred = add(store, "Starred")
    archived = add(store, "Archived")
    highlighted = add(store, "Highlighted")
    store.set_flags(read, read=True)
    store.set_flags(starred, starred=True)
    store.set_flags(archived, archived=True, starred=True)
    _highlight(store, highlighted)

    def view(name: str) -> set[int]:
        ids = store.story_ids(view=name)
        assert store.count_stories(name) == len(ids)
        return set(ids)

    assert view("all") == {plain, read, starred, highlighted}
    assert view("unread") == {plain, starred, highlighted}
    assert view("starred") == {starred}
    assert view("highlighted") == {highlighted}
    assert view("archived") == {archived}


def test_orders_break_ties_by_id(store: Store) -> None:
    day = timedelta(days=1)
    old = add(store, "Bravo", source="Zeta", published=FETCHED - 3 * day)
    undated = add(store, "alpha", source="Alpha", fetched=FETCHED - 2 * day)
    new = add(store, "Charlie", published=FETCHED - day, fetched=FETCHED - 5 * day)
    same_day = add(store, "Delta", source="Alpha", published=FETCHED - day)
    _highlight(store, old)
    _highlight(store, old, start=10)
    _highlight(store, new)

    def ids(order: str, descending: bool = False) -> list[int]:
        return store.story_ids(order=order, descending=descending)

    assert ids("published") == [old, undated, new, same_day]
    assert ids("published", descending=True) == [same_day, new, undated, old]
    assert store.story_ids() == [same_day, new, undated, old]
    assert ids("title") == [undated, old, new, same_day]
    assert ids("source") == [new, undated, same_day, old]
    assert ids("highlights", descending=True) == [old, new, same_day, undated]
    assert ids("fetched") == [new, undated, old, same_day]


def test_story_ids_filter_by_tag_case_insensitively(store: Store) -> None:
    tagged = add(store, "Tagged")
    add(store, "Untagged")
    store.tag_story(tagged, ["Economy"])
    assert store.story_ids(tag="economy") == [tagged]
    assert store.story_ids(tag="ECONOMY ", view="unread") == [tagged]
    assert store.story_ids(tag="politics") == []


def test_summaries_follow_the_order_of_ids(store: Store) -> None:
    ids = [add(store, f"Story {n}", source="The Ledger") for n in range(5)]
    store.set_flags(ids[1], read=True)
    _highlight(store, ids[3])
    deleted = ids[4]
    store.delete_story(deleted)
    wanted = [ids[3], 999, ids[0], deleted, ids[1]]

    summaries = store.summaries(wanted)

    assert [summary.id for summary in summaries] == [ids[3], ids[0], ids[1]]
    assert [summary.highlight_count for summary in summaries] == [1, 0, 0]
    assert [summary.is_read for summary in summaries] == [False, False, True]
    assert summaries[0].title == "Story 3"
    assert summaries[0].source == "The Ledger"
    assert summaries[0].fetched == FETCHED
    assert store.summaries([]) == []


def test_delete_undelete_and_purge(store: Store) -> None:
    kept = add(store, "Kept")
    story_id = add(store, "Doomed")
    store.tag_story(story_id, ["doomed-only"])
    store.delete_story(story_id)

    with pytest.raises(NotFoundError):
        store.get_story(story_id)
    with pytest.raises(NotFoundError):
        store.delete_story(story_id)
    assert store.story_ids() == [kept]
    assert store.tags() == []

    store.undelete_story(story_id)
    assert store.get_story(story_id).tags == ("doomed-only",)
    with pytest.raises(NotFoundError, match="no deleted story"):
        store.undelete_story(story_id)

    store.delete_story(story_id)
    assert store.purge_deleted() == 1
    assert store.purge_deleted() == 0
    with pytest.raises(NotFoundError):
        store.undelete_story(story_id)
    assert store.story_ids() == [kept]
    assert store.integrity_check() == []


def test_ids_are_not_reused_after_purge(store: Store) -> None:
    story_id = add(store, "First")
    store.delete_story(story_id)
    store.purge_deleted()
    assert add(store, "Second") > story_id


def test_update_story_replaces_content_and_keeps_the_rest(store: Store) -> None:
    story_id = add(store, "Draft title", source="The Ledger")
    store.set_flags(story_id, starred=True)
    store.tag_story(story_id, ["rates"])
    _highlight(store, story_id)

    store.update_story(
        story_id,
        parsed("Final title", source="The Ledger", url="https://example.org/final"),
        text="Final text",
        content_hash="final",
        origin="https://example.org/final",
        fetched=FETCHED + timedelta(hours=1),
    )

    story = store.get_story(story_id)
    assert (story.title, story.text) == ("Final title", "Final text")
    assert story.url == "https://example.org/final"
    assert story.content_hash == "final"
    assert story.fetched == FETCHED + timedelta(hours=1)
    assert story.is_starred
    assert story.tags == ("rates",)
    assert story.highlight_count == 1
