"""Tags: case-insensitive names, links to stories and highlights, counts."""

from __future__ import annotations

import pytest

from reader._storage import Store
from reader.model import Color

from .factories import add


def test_tags_are_case_insensitive_and_keep_the_first_spelling(store: Store) -> None:
    first = add(store, "First")
    second = add(store, "Second")
    store.tag_story(first, ["Economy", " economy ", "Rates"])
    store.tag_story(second, ["ECONOMY"])

    assert store.get_story(first).tags == ("Economy", "Rates")
    assert store.get_story(second).tags == ("Economy",)
    assert store.tags() == [("Economy", 2), ("Rates", 1)]


def test_tagging_twice_is_harmless(store: Store) -> None:
    story_id = add(store)
    store.tag_story(story_id, ["rates"])
    store.tag_story(story_id, ["Rates"])
    assert store.tags() == [("rates", 1)]


def test_untag_removes_links_and_unused_names(store: Store) -> None:
    first = add(store, "First")
    second = add(store, "Second")
    store.tag_story(first, ["economy", "rates"])
    store.tag_story(second, ["economy"])

    store.untag_story(first, ["ECONOMY", "Rates", "never-used"])

    assert store.get_story(first).tags == ()
    assert store.tags() == [("economy", 1)]
    store.tag_story(first, ["RATES"])
    assert store.get_story(first).tags == ("RATES",)


def test_highlight_tags_count_with_story_tags(store: Store) -> None:
    story_id = add(store)
    highlight = store.add_highlight(
        story_id, start=0, end=5, quote="Rates", prefix="", suffix="", color=Color.YELLOW
    )
    store.tag_story(story_id, ["evidence"])
    store.tag_highlight(highlight.id, ["Evidence", "quote"])

    assert store.get_highlight(highlight.id).tags == ("evidence", "quote")
    assert store.tags() == [("evidence", 2), ("quote", 1)]

    store.untag_highlight(highlight.id, ["QUOTE"])
    assert store.get_highlight(highlight.id).tags == ("evidence",)
    assert store.tags() == [("evidence", 2)]


def test_tags_of_deleted_stories_are_not_counted(store: Store) -> None:
    story_id = add(store)
    store.tag_story(story_id, ["economy"])
    store.delete_story(story_id)
    assert store.tags() == []
    store.undelete_story(story_id)
    assert store.tags() == [("economy", 1)]


def test_empty_tag_name_is_rejected(store: Store) -> None:
    story_id = add(store)
    with pytest.raises(ValueError, match="empty tag name"):
        store.tag_story(story_id, ["fine", "  "])
    assert store.tags() == []
