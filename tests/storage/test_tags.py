"""Tags: case-insensitive names, links to stories and highlights, counts."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from reader._storage import annotations as highlights_and_notes
from reader._storage import stories
from reader._storage import tags as tagging
from reader.model import Color

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
