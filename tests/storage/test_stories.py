"""Stories and sources: round-trips, duplicates, list views and orders, flags, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import schema, stories
from reader._storage import tags as tagging
from reader.errors import NotFoundError
from reader.model import Color, Order, Section, View

from .factories import FETCHED, add, parsed


def _highlight(db: Database, story_id: int, start: int = 0) -> None:
    highlights_and_notes.add_highlight(
        db,
        story_id,
        start=start,
        end=start + 5,
        quote="Rates",
        prefix="",
        suffix="",
        color=Color.GREEN,
    )


def test_story_round_trip(db: Database) -> None:
    published = datetime(2024, 4, 30, 9, 30, tzinfo=timezone(timedelta(hours=-4)))
    sections = (
        Section(None, ("Lead paragraph.",)),
        Section("Why it matters:", ("First.", "Second."), ("One", "Two")),
        Section(None, (), ("Only a bullet",)),
    )
    story_id = stories.add_story(
        db,
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

    story = stories.get_story(db, story_id)

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


def test_naive_datetimes_are_taken_as_utc(db: Database) -> None:
    story_id = add(db, published=datetime(2024, 1, 2, 3, 4), fetched=datetime(2024, 1, 3))
    story = stories.get_story(db, story_id)
    assert story.published == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    assert story.fetched == datetime(2024, 1, 3, tzinfo=UTC)


def test_get_story_counts_highlights_and_lists_tags(db: Database) -> None:
    story_id = add(db)
    _highlight(db, story_id)
    _highlight(db, story_id, start=10)
    stories.tag_story(db, story_id, ["rates", "Economy"])

    story = stories.get_story(db, story_id)

    assert story.highlight_count == 2
    assert story.tags == ("Economy", "rates")


def test_flags_round_trip(db: Database) -> None:
    story_id = add(db)
    stories.set_flags(db, story_id, read=True, starred=True)
    story = stories.get_story(db, story_id)
    assert (story.is_read, story.is_starred, story.is_archived) == (True, True, False)

    stories.set_flags(db, story_id, starred=False, archived=True)
    story = stories.get_story(db, story_id)
    assert (story.is_read, story.is_starred, story.is_archived) == (True, False, True)


def test_stories_of_one_source_share_its_row(db: Database) -> None:
    first = add(db, "One", source="The Ledger")
    second = add(db, "Two", source="the ledger")
    add(db, "Three", source="Daily Wire Service")
    add(db, "Loose")

    listed = [(source.name, source.kind, count) for source, count in stories.sources(db)]
    assert listed == [("Daily Wire Service", "publication", 1), ("The Ledger", "publication", 2)]
    assert stories.get_story(db, second).source == "The Ledger"
    ids = {source.name: source.id for source, _ in stories.sources(db)}
    ledger = ids["The Ledger"]
    assert stories.story_ids(db, source_id=ledger, order=Order.TITLE, descending=False) == [
        first,
        second,
    ]
    assert stories.story_count_by_source(db) == {ledger: 2, ids["Daily Wire Service"]: 1, None: 1}
    stories.set_flags(db, second, archived=True)
    assert stories.story_count_by_source(db, view=View.ARCHIVED) == {ledger: 1}


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
def test_find_duplicate(db: Database, lookup: dict[str, str], expected: bool) -> None:
    story_id = add(db, url="https://example.org/a", guid="guid-a", content_hash="hash-a")
    assert stories.find_duplicate(db, **lookup) == (story_id if expected else None)


def test_deleted_story_is_not_a_duplicate(db: Database) -> None:
    story_id = add(db, url="https://example.org/a", content_hash="hash-a")
    stories.delete_story(db, story_id)
    assert (
        stories.find_duplicate(db, url="https://example.org/a", guid=None, content_hash=None)
        is None
    )
    assert stories.find_duplicate(db, url=None, guid=None, content_hash="hash-a") is None


def test_views(db: Database) -> None:
    plain = add(db, "Plain")
    read = add(db, "Read")
    starred = add(db, "Starred")
    archived = add(db, "Archived")
    highlighted = add(db, "Highlighted")
    stories.set_flags(db, read, read=True)
    stories.set_flags(db, starred, starred=True)
    stories.set_flags(db, archived, archived=True, starred=True)
    _highlight(db, highlighted)

    def view(name: View) -> set[int]:
        ids = stories.story_ids(db, view=name)
        assert stories.count_stories(db, view=name) == len(ids)
        return set(ids)

    assert view(View.ALL) == {plain, read, starred, highlighted}
    assert view(View.UNREAD) == {plain, starred, highlighted}
    # An archived favourite stays in Starred.
    assert view(View.STARRED) == {starred, archived}
    assert view(View.HIGHLIGHTED) == {highlighted}
    assert view(View.ARCHIVED) == {archived}


def test_later_is_a_view_apart_from_starred(db: Database) -> None:
    plain = add(db, "Plain")
    later = add(db, "Later")
    both = add(db, "Later and starred")
    done = add(db, "Later, then archived")
    starred = add(db, "Starred only")
    stories.set_flags(db, later, later=True)
    stories.set_flags(db, both, later=True, starred=True)
    stories.set_flags(db, done, later=True, archived=True)
    stories.set_flags(db, starred, starred=True)

    assert stories.story_ids(db, view=View.LATER) == [both, later]
    counts = stories.view_counts(db)
    assert counts[View.LATER] == stories.count_stories(db, view=View.LATER) == 2
    assert counts[View.STARRED] == 2
    assert stories.get_story(db, later).is_later and not stories.get_story(db, plain).is_later
    stories.set_flags(db, later, later=False)
    assert stories.story_ids(db, view=View.LATER) == [both]
    # Archived means done with it: it leaves Later, and comes back with its flag if restored.
    stories.set_flags(db, done, archived=False)
    assert stories.view_counts(db)[View.LATER] == 2


def test_summaries_carry_word_count_preview_byline_and_tags(db: Database) -> None:
    text = "Grain barges waited at the lock for a third day. " * 60
    story_id = add(db, "Barges wait", text=text, byline="R. Okafor", tags=("rivers",))
    [summary] = stories.summaries(db, [story_id])
    assert summary.word_count == 600
    assert (
        summary.preview.startswith("Grain barges waited at the lock")
        and len(summary.preview) <= 141
    )
    assert (summary.byline, summary.tags, summary.is_later) == ("R. Okafor", ("rivers",), False)
    stories.update_story(
        db,
        story_id,
        parsed("Barges wait"),
        text="Short now.",
        content_hash="h2",
        origin=None,
        fetched=FETCHED,
    )
    [summary] = stories.summaries(db, [story_id])
    assert (summary.word_count, summary.preview) == (2, "Short now.")


def test_orders_break_ties_by_id(db: Database) -> None:
    day = timedelta(days=1)
    old = add(db, "Bravo", source="Zeta", published=FETCHED - 3 * day)
    undated = add(db, "alpha", source="Alpha", fetched=FETCHED - 2 * day)
    new = add(db, "Charlie", published=FETCHED - day, fetched=FETCHED - 5 * day)
    same_day = add(db, "Delta", source="Alpha", published=FETCHED - day)
    _highlight(db, old)
    _highlight(db, old, start=10)
    _highlight(db, new)

    def ids(order: Order, descending: bool = False) -> list[int]:
        return stories.story_ids(db, order=order, descending=descending)

    assert ids(Order.PUBLISHED) == [old, undated, new, same_day]
    assert ids(Order.PUBLISHED, descending=True) == [same_day, new, undated, old]
    assert stories.story_ids(db) == [same_day, new, undated, old]
    assert ids(Order.TITLE) == [undated, old, new, same_day]
    assert ids(Order.SOURCE) == [new, undated, same_day, old]
    assert ids(Order.HIGHLIGHTS, descending=True) == [old, new, same_day, undated]
    assert ids(Order.FETCHED) == [new, undated, old, same_day]


def test_an_undated_story_sorts_by_when_it_was_added_but_below_that_days_news(
    db: Database,
) -> None:
    morning = FETCHED.replace(hour=7)
    yesterday = add(db, "Yesterday", published=morning - timedelta(days=1))
    early = add(db, "Early", published=morning)
    late = add(db, "Late", published=morning + timedelta(hours=3))
    # Imported at noon and at one without a date of their own.
    noon = add(db, "Noon import", fetched=FETCHED)
    one = add(db, "One o'clock import", fetched=FETCHED + timedelta(hours=1))
    tomorrow = add(db, "Tomorrow", published=morning + timedelta(days=1))

    assert stories.get_story(db, noon).published is None
    assert stories.get_story(db, noon).fetched == FETCHED
    newest_first = stories.story_ids(db)
    assert newest_first == [tomorrow, late, early, one, noon, yesterday]
    oldest_first = stories.story_ids(db, descending=False)
    assert oldest_first == [yesterday, early, late, noon, one, tomorrow]
    # Sorted by when they were added, they are where they were added.
    assert stories.story_ids(db, order=Order.FETCHED) == [
        one, tomorrow, noon, late, early, yesterday
    ]  # fmt: skip


def test_a_story_is_stored_under_its_newsletter_and_with_its_tags(db: Database) -> None:
    headed = add(db, "Headed", newsletter="Analyst Weekly", tags=("energy", "Energy", "grid"))
    sourced = add(db, "Sourced", source="Reuters", newsletter="Analyst Weekly")
    assert stories.get_story(db, headed).source == "Analyst Weekly"
    assert stories.get_story(db, headed).tags == ("energy", "grid")
    assert stories.get_story(db, sourced).source == "Reuters"


def test_story_ids_filter_by_tag_case_insensitively(db: Database) -> None:
    tagged = add(db, "Tagged")
    add(db, "Untagged")
    stories.tag_story(db, tagged, ["Economy"])
    assert stories.story_ids(db, tag="economy") == [tagged]
    assert stories.story_ids(db, tag="ECONOMY ", view=View.UNREAD) == [tagged]
    assert stories.story_ids(db, tag="politics") == []


def test_summaries_follow_the_order_of_ids(db: Database) -> None:
    ids = [add(db, f"Story {n}", source="The Ledger") for n in range(5)]
    stories.set_flags(db, ids[1], read=True)
    _highlight(db, ids[3])
    deleted = ids[4]
    stories.delete_story(db, deleted)
    wanted = [ids[3], 999, ids[0], deleted, ids[1]]

    summaries = stories.summaries(db, wanted)

    assert [summary.id for summary in summaries] == [ids[3], ids[0], ids[1]]
    assert [summary.highlight_count for summary in summaries] == [1, 0, 0]
    assert [summary.is_read for summary in summaries] == [False, False, True]
    assert summaries[0].title == "Story 3"
    assert summaries[0].source == "The Ledger"
    assert summaries[0].fetched == FETCHED
    assert stories.summaries(db, []) == []


def test_delete_undelete_and_purge(db: Database) -> None:
    kept = add(db, "Kept")
    story_id = add(db, "Doomed")
    stories.tag_story(db, story_id, ["doomed-only"])
    stories.delete_story(db, story_id)

    with pytest.raises(NotFoundError):
        stories.get_story(db, story_id)
    with pytest.raises(NotFoundError):
        stories.delete_story(db, story_id)
    assert stories.story_ids(db) == [kept]
    assert tagging.counts(db) == []

    stories.undelete_story(db, story_id)
    assert stories.get_story(db, story_id).tags == ("doomed-only",)
    with pytest.raises(NotFoundError, match="no deleted story"):
        stories.undelete_story(db, story_id)

    stories.delete_story(db, story_id)
    assert stories.purge_deleted(db) == 1
    assert stories.purge_deleted(db) == 0
    with pytest.raises(NotFoundError):
        stories.undelete_story(db, story_id)
    assert stories.story_ids(db) == [kept]
    assert schema.integrity_problems(db) == []


def test_ids_are_not_reused_after_purge(db: Database) -> None:
    story_id = add(db, "First")
    stories.delete_story(db, story_id)
    stories.purge_deleted(db)
    assert add(db, "Second") > story_id


def test_update_story_replaces_content_and_keeps_the_rest(db: Database) -> None:
    story_id = add(db, "Draft title", source="The Ledger")
    stories.set_flags(db, story_id, starred=True)
    stories.tag_story(db, story_id, ["rates"])
    _highlight(db, story_id)

    stories.update_story(
        db,
        story_id,
        parsed("Final title", source="The Ledger", url="https://example.org/final"),
        text="Final text",
        content_hash="final",
        origin="https://example.org/final",
        fetched=FETCHED + timedelta(hours=1),
    )

    story = stories.get_story(db, story_id)
    assert (story.title, story.text) == ("Final title", "Final text")
    assert story.url == "https://example.org/final"
    assert story.content_hash == "final"
    assert story.fetched == FETCHED + timedelta(hours=1)
    assert story.is_starred
    assert story.tags == ("rates",)
    assert story.highlight_count == 1
