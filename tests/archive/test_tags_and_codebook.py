"""Tags on highlights and stories, completion by use, the codebook, and both in search."""

from __future__ import annotations

import pytest

from reader.archive import Archive
from reader.errors import CodebookError, InvalidQueryError, NotFoundError
from reader.model import CodebookEntry, Color


@pytest.fixture
def archive(imported: Archive) -> Archive:
    return imported


def story(archive: Archive, title_start: str) -> int:
    return next(s.id for s in archive.list_stories() if s.title.startswith(title_start))


def test_highlights_carry_their_tags(archive: Archive) -> None:
    events: list[str] = []
    archive.on_change(events.append)
    barge = story(archive, "Barge")
    made = archive.highlight_quote(barge, "lock repairs")
    archive.tag_highlight(made.id, ["freight", " Locks ", "freight", ""])
    assert archive.highlights(barge)[0].tags == ("freight", "Locks")
    archive.untag_highlight(made.id, ["locks"])
    assert archive.highlight(made.id).tags == ("freight",)
    assert events.count("tags") == 2
    with pytest.raises(NotFoundError):
        archive.tag_highlight(9999, ["x"])


def test_tag_names_complete_by_use(archive: Archive) -> None:
    barge, copper = story(archive, "Barge"), story(archive, "Copper")
    seawall = story(archive, "Coastal")
    archive.tag_story(barge, ["shipping", "supply chain"])
    archive.tag_story(copper, ["supply chain", "metals"])
    made = archive.highlight_quote(barge, "lock repairs")
    archive.tag_highlight(made.id, ["supply chain", "ships"])
    archive.tag_story(seawall, ["shipping"])
    assert archive.tag_names() == ["supply chain", "shipping", "metals", "ships"]
    assert archive.tag_names("SHI") == ["shipping", "ships"]
    assert archive.tag_names("su") == ["supply chain"]
    assert archive.tag_names("zzz") == []
    archive.delete_story(barge)
    assert archive.tag_names("s") == ["shipping", "supply chain"], "deleted stories do not count"


def test_tags_are_searchable_on_stories_and_highlights(archive: Archive) -> None:
    barge, copper = story(archive, "Barge"), story(archive, "Copper")
    archive.tag_story(copper, ["watch"])
    made = archive.highlight_quote(barge, "lock repairs")
    archive.tag_highlight(made.id, ["watch"])
    hits = {(hit.kind, hit.item_id) for hit in archive.search("tag:watch")}
    assert hits == {("story", copper), ("highlight", made.id)}
    archive.untag_highlight(made.id, ["watch"])
    assert {hit.kind for hit in archive.search("tag:watch")} == {"story"}


def test_codebook_names_colours(archive: Archive) -> None:
    events: list[str] = []
    archive.on_change(events.append)
    assert archive.codebook() == []
    archive.set_codebook_entry(Color.PINK, "  risk ", "what could go wrong")
    archive.set_codebook_entry(Color.YELLOW, "claim")
    assert archive.codebook() == [
        CodebookEntry(Color.YELLOW, "claim"),
        CodebookEntry(Color.PINK, "risk", "what could go wrong"),
    ]
    archive.set_codebook_entry(Color.PINK, "Risk")
    assert archive.color_names() == {Color.YELLOW: "claim", Color.PINK: "Risk"}
    assert archive.color_for("RISK") == Color.PINK and archive.color_for("blue") == Color.BLUE
    assert archive.clear_codebook_entry(Color.YELLOW) is True
    assert archive.clear_codebook_entry(Color.YELLOW) is False
    assert archive.color_names() == {Color.PINK: "Risk"}
    assert events == ["codebook"] * 4


@pytest.mark.parametrize(
    ("color", "name", "message"),
    [
        (Color.GREEN, "risk", "pink is already called 'risk'"),
        (Color.GREEN, "Pink", "another colour"),
        (Color.GREEN, "   ", "empty"),
        (Color.GREEN, "x" * 41, "at most 40"),
        (Color.GREEN, 'say "what"', "letters, digits"),
        (Color.GREEN, "a:b", "letters, digits"),
    ],
)
def test_codebook_refuses_names_that_cannot_be_one(
    archive: Archive, color: Color, name: str, message: str
) -> None:
    archive.set_codebook_entry(Color.PINK, "risk")
    with pytest.raises(CodebookError, match=message):
        archive.set_codebook_entry(color, name)


def test_search_by_codebook_name(archive: Archive) -> None:
    barge = story(archive, "Barge")
    risky = archive.highlight_quote(barge, "lock repairs", color=Color.PINK)
    archive.highlight_quote(barge, "Grain co-ops", color=Color.GREEN)
    archive.set_codebook_entry(Color.PINK, "risk")
    archive.set_codebook_entry(Color.GREEN, "open question")
    assert [hit.item_id for hit in archive.search("color:risk")] == [risky.id]
    assert [hit.item_id for hit in archive.search("color:pink")] == [risky.id]
    assert len(archive.search('color:"Open Question"')) == 1
    with pytest.raises(InvalidQueryError, match="names: open question, risk"):
        archive.search("color:danger")
    # Renaming needs no reindexing: the index holds colours, names are read at query time.
    archive.set_codebook_entry(Color.PINK, "hazard")
    assert [hit.item_id for hit in archive.search("color:hazard")] == [risky.id]
    with pytest.raises(InvalidQueryError):
        archive.search("color:risk")


def test_a_renamed_tag_is_found_by_its_new_name_only(archive: Archive) -> None:
    barge = story(archive, "Barge")
    made = archive.highlight_quote(barge, "lock repairs")
    archive.tag_highlight(made.id, ["freight"])
    archive.tag_story(barge, ["freight"])
    assert {hit.item_id for hit in archive.search("tag:freight")} >= {barge, made.id}
    events: list[str] = []
    archive.on_change(events.append)
    archive.rename_tag("freight", "shipping")
    assert events == ["tags"], "one change event"
    assert archive.search("tag:freight") == []
    found = {(hit.kind, hit.item_id) for hit in archive.search("tag:shipping")}
    assert found == {("story", barge), ("highlight", made.id)}


def test_a_merge_is_searchable_and_its_undo_too(archive: Archive) -> None:
    barge = story(archive, "Barge")
    copper = story(archive, "Copper")
    archive.tag_story(barge, ["rivers"])
    archive.tag_story(copper, ["waterways"])
    done = archive.rename_tag("waterways", "Rivers")
    assert done.merged
    assert archive.tag_uses()[0].name == "rivers" and archive.tag_uses()[0].stories == 2
    assert {hit.item_id for hit in archive.search("tag:rivers")} == {barge, copper}
    archive.undo_rename_tag(done)
    assert {hit.item_id for hit in archive.search("tag:rivers")} == {barge}
    assert {hit.item_id for hit in archive.search("tag:waterways")} == {copper}
