"""Bulk triage in the core: flags, deletion, tags and colours on many items in one transaction and
one change event, each returning exactly what its undo puts back; a failure part-way changes
nothing."""

from __future__ import annotations

import sqlite3

import pytest

from reader.archive import DB_FILENAME, Archive
from reader.errors import NotFoundError
from reader.model import Color, View


@pytest.fixture
def archive(imported: Archive) -> Archive:
    return imported


def test_archive_many_in_one_event_and_back(archive: Archive) -> None:
    ids = archive.story_ids()
    assert len(ids) >= 3
    archive.set_flags(ids[0], archived=True)
    events: list[str] = []
    archive.on_change(events.append)
    changed = archive.set_stories_flag(ids, "archived", True)
    assert events == ["stories"]
    assert changed == ids[1:], "the story archived already is not the undo's to restore"
    assert archive.story_ids() == []
    archive.set_stories_flag(changed, "archived", False)
    assert archive.story_ids() == ids[1:]
    assert archive.story_ids(view=View.ARCHIVED) == [ids[0]]


def test_star_and_read_many(archive: Archive) -> None:
    ids = archive.story_ids()
    events: list[str] = []
    archive.on_change(events.append)
    assert archive.set_stories_flag(ids, "starred", True) == ids
    assert archive.set_stories_flag(ids, "read", True) == ids
    assert events == ["stories", "read"], "reading changes no list's rows"
    assert all(s.is_starred and s.is_read for s in archive.summaries(ids))
    assert archive.count_stories(View.UNREAD) == 0
    assert archive.count_flagged(ids, "starred") == len(ids)
    archive.set_stories_flag(ids[:1], "starred", False)
    assert archive.count_flagged(ids, "starred") == len(ids) - 1


def test_delete_many_and_undelete(archive: Archive) -> None:
    ids = archive.story_ids()
    events: list[str] = []
    archive.on_change(events.append)
    assert sorted(archive.delete_stories(ids[:2])) == sorted(ids[:2])
    assert archive.story_ids() == ids[2:]
    archive.undelete_stories(ids[:2])
    assert archive.story_ids() == ids
    assert events == ["stories", "stories"]


def test_tag_many_undoes_only_the_links_it_made(archive: Archive) -> None:
    ids = archive.story_ids()
    archive.tag_story(ids[0], ["Watch"])
    links = archive.tag_stories(ids, ["watch", "energy", " "])
    assert links == {"watch": ids[1:], "energy": ids}
    assert all("energy" in archive.story(i).tags for i in ids)
    archive.untag_stories(links)
    assert archive.story(ids[0]).tags == ("Watch",), "the tag it had before stays"
    assert all(archive.story(i).tags == () for i in ids[1:])
    assert archive.tag_names() == ["Watch"], "names nothing carries are forgotten"


def test_highlights_recolour_tag_delete_and_restore(archive: Archive) -> None:
    story = archive.story_ids()[0]
    words = archive.story(story).text.split()
    made = [archive.highlight_quote(story, w) for w in dict.fromkeys(words[:3])]
    ids = [h.id for h in made]
    archive.tag_highlight(ids[0], ["kept"])
    before = archive.recolor_highlights({i: Color.PINK for i in ids})
    assert before == {h.id: h.color for h in made}
    assert {h.color for h in archive.highlights(story)} == {Color.PINK}
    archive.recolor_highlights(before)
    assert {h.color for h in archive.highlights(story)} == {Color.YELLOW}
    links = archive.tag_highlights(ids, ["claim"])
    assert links == {"claim": ids}
    deleted = archive.delete_highlights(ids)
    assert archive.highlights(story) == []
    archive.restore_highlights(deleted)
    restored = archive.highlights(story)
    assert [h.id for h in restored] == ids
    assert restored[0].tags == ("claim", "kept")


def test_a_missing_story_changes_nothing(archive: Archive) -> None:
    ids = archive.story_ids()
    archive.delete_story(ids[-1])
    with pytest.raises(NotFoundError, match=f"no story with id {ids[-1]}"):
        archive.set_stories_flag(ids, "archived", True)
    with pytest.raises(NotFoundError):
        archive.tag_stories(ids, ["x"])
    assert archive.story_ids() == ids[:-1]
    assert archive.tag_names() == []


def _fail_when(archive: Archive, trigger: str) -> None:
    """A trigger that aborts the statement ``trigger`` describes, part-way through a call."""
    with sqlite3.connect(archive.data_dir / DB_FILENAME) as db:
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS test_failure_{abs(hash(trigger))} {trigger}"
            " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )


def test_a_failure_in_the_middle_leaves_nothing_half_done(archive: Archive) -> None:
    """The second tag fails after the first was linked to every story, and the third
    highlight's deletion after two were deleted: each call takes back all it did."""
    ids = archive.story_ids()
    story = ids[0]
    words = list(dict.fromkeys(archive.story(story).text.split()))[:4]
    highlights = [archive.highlight_quote(story, w).id for w in words]
    _fail_when(archive, "BEFORE INSERT ON tags WHEN new.name = 'boom'")
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        archive.tag_stories(ids, ["energy", "boom"])
    assert all(archive.story(i).tags == () for i in ids)
    assert archive.tag_names() == []
    _fail_when(archive, f"BEFORE DELETE ON highlights WHEN old.id = {highlights[2]}")
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        archive.delete_highlights(highlights)
    assert [h.id for h in archive.highlights(story)] == highlights
