"""Tags: case-insensitive names, links to stories and highlights, counts."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import stories
from reader._storage import tags as tagging
from reader.errors import NotFoundError, TagError
from reader.model import Color, TagUse

from .factories import add


def test_tags_are_case_insensitive_and_keep_the_first_spelling(db: Database) -> None:
    first = add(db, "First")
    second = add(db, "Second")
    stories.tag_story(db, first, ["Economy", " economy ", "Rates"])
    stories.tag_story(db, second, ["ECONOMY"])

    assert stories.get_story(db, first).tags == ("Economy", "Rates")
    assert stories.get_story(db, second).tags == ("Economy",)
    assert tagging.counts(db) == [("Economy", 2), ("Rates", 1)]


def test_tagging_twice_is_harmless(db: Database) -> None:
    story_id = add(db)
    stories.tag_story(db, story_id, ["rates"])
    stories.tag_story(db, story_id, ["Rates"])
    assert tagging.counts(db) == [("rates", 1)]


def test_untag_removes_links_and_unused_names(db: Database) -> None:
    first = add(db, "First")
    second = add(db, "Second")
    stories.tag_story(db, first, ["economy", "rates"])
    stories.tag_story(db, second, ["economy"])

    stories.untag_story(db, first, ["ECONOMY", "Rates", "never-used"])

    assert stories.get_story(db, first).tags == ()
    assert tagging.counts(db) == [("economy", 1)]
    stories.tag_story(db, first, ["RATES"])
    assert stories.get_story(db, first).tags == ("RATES",)


def test_highlight_tags_count_with_story_tags(db: Database) -> None:
    story_id = add(db)
    highlight = highlights_and_notes.add_highlight(
        db, story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.YELLOW
    )
    stories.tag_story(db, story_id, ["evidence"])
    highlights_and_notes.tag_highlight(db, highlight.id, ["Evidence", "quote"])

    assert highlights_and_notes.get_highlight(db, highlight.id).tags == ("evidence", "quote")
    assert tagging.counts(db) == [("evidence", 2), ("quote", 1)]

    highlights_and_notes.untag_highlight(db, highlight.id, ["QUOTE"])
    assert highlights_and_notes.get_highlight(db, highlight.id).tags == ("evidence",)
    assert tagging.counts(db) == [("evidence", 2)]


def test_tags_of_deleted_stories_are_not_counted(db: Database) -> None:
    story_id = add(db)
    stories.tag_story(db, story_id, ["economy"])
    stories.delete_story(db, story_id)
    assert tagging.counts(db) == []
    stories.undelete_story(db, story_id)
    assert tagging.counts(db) == [("economy", 1)]


def test_empty_tag_name_is_rejected(db: Database) -> None:
    story_id = add(db)
    with pytest.raises(ValueError, match="empty tag name"):
        stories.tag_story(db, story_id, ["fine", "  "])
    assert tagging.counts(db) == []


def tagged_pair(db: Database) -> tuple[int, int, int]:
    """Two stories and a highlight: the first story "inflation", the second "prices", the
    highlight "Inflation" and "prices"."""
    first, second = add(db, "First"), add(db, "Second")
    highlight = highlights_and_notes.add_highlight(
        db, first, start=0, end=5, quote="First", prefix="", suffix="", color=Color.BLUE
    )
    stories.tag_story(db, first, ["inflation"])
    stories.tag_story(db, second, ["prices"])
    highlights_and_notes.tag_highlight(db, highlight.id, ["Inflation", "prices"])
    return first, second, highlight.id


def test_uses_count_stories_and_highlights_apart(db: Database) -> None:
    tagged_pair(db)
    assert tagging.uses(db) == [TagUse("inflation", 1, 1), TagUse("prices", 1, 1)]


def test_rename_to_a_new_name_keeps_every_link(db: Database) -> None:
    first, _second, highlight = tagged_pair(db)
    done = tagging.rename(db, "INFLATION", " consumer  prices ")
    assert (done.old, done.new, done.merged) == ("inflation", "consumer prices", False)
    assert stories.get_story(db, first).tags == ("consumer prices",)
    assert highlights_and_notes.get_highlight(db, highlight).tags == ("consumer prices", "prices")
    tagging.undo_rename(db, done)
    assert tagging.uses(db) == [TagUse("inflation", 1, 1), TagUse("prices", 1, 1)]


def test_rename_to_a_tag_in_use_merges_and_undoes(db: Database) -> None:
    first, second, highlight = tagged_pair(db)
    done = tagging.rename(db, "inflation", "PRICES")
    assert (done.new, done.merged) == ("prices", True)
    assert done.story_ids == (first,) and done.highlights_had_new == (highlight,)
    assert tagging.uses(db) == [TagUse("prices", 2, 1)]
    assert stories.get_story(db, first).tags == ("prices",)
    tagging.undo_rename(db, done)
    assert tagging.uses(db) == [TagUse("inflation", 1, 1), TagUse("prices", 1, 1)]
    assert stories.get_story(db, first).tags == ("inflation",)
    assert stories.get_story(db, second).tags == ("prices",)
    assert highlights_and_notes.get_highlight(db, highlight).tags == ("inflation", "prices")


def test_a_change_of_case_respells_the_tag(db: Database) -> None:
    first, _second, _highlight = tagged_pair(db)
    done = tagging.rename(db, "inflation", "Inflation")
    assert not done.merged and stories.get_story(db, first).tags == ("Inflation",)


def test_rename_refuses_a_missing_tag_and_an_empty_name(db: Database) -> None:
    tagged_pair(db)
    with pytest.raises(NotFoundError, match="no tag named 'wages'"):
        tagging.rename(db, "wages", "pay")
    with pytest.raises(TagError):
        tagging.rename(db, "prices", "  ")
