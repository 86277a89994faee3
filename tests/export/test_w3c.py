"""W3C Web Annotation: the JSON-LD shape, a round trip into an archive holding the same stories
but no highlights, annotations from other tools, and every annotation that cannot be placed
reported rather than dropped."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

from reader._export.w3c_format import CONTEXT
from reader.archive import Archive
from reader.model import Color, Highlight

from .conftest import FIXTURES, Filled, story_id


def w3c_export(archive: Archive, **selection: object) -> dict[str, Any]:
    out = io.StringIO()
    archive.export("w3c", out, **selection)  # type: ignore[arg-type]
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def save(tmp_path: Path, data: object, name: str = "notes.jsonld") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def essence(h: Highlight) -> tuple[object, ...]:
    return (
        h.start,
        h.end,
        h.quote,
        h.prefix,
        h.suffix,
        h.color,
        h.note,
        h.tags,
        h.created,
        h.updated,
    )


def test_json_ld_shape(filled: Filled) -> None:
    data = w3c_export(filled.archive)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 5 + 2, "five highlights and two story notes"
    lock = next(
        i
        for i in items
        if i.get("target", {}).get("selector", [{}])[0].get("exact") == "lock repairs"
    )
    assert lock["type"] == "Annotation" and lock["motivation"] == "highlighting"
    assert lock["target"]["source"] == "https://example.com/river/low-water-surcharges"
    quote, position = lock["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["prefix"] and quote["suffix"]
    assert position["type"] == "TextPositionSelector" and position["end"] > position["start"]
    purposes = {(b["purpose"], b["value"]) for b in lock["body"]}
    assert purposes == {
        ("commenting", "=cause?"),
        ("tagging", "freight"),
        ("tagging", "supply chain"),
        ("classifying", "evidence"),
    }
    assert lock["target"]["styleClass"] == "green"
    assert lock["stylesheet"]["type"] == "CssStylesheet" and ".green" in lock["stylesheet"]["value"]
    assert lock["created"].endswith("Z") and lock["modified"].endswith("Z")
    note = next(i for i in items if i["motivation"] == "commenting")
    assert isinstance(note["target"], str) and note["body"]["purpose"] == "commenting"


def test_a_story_without_url_is_named_by_its_content_hash(filled: Filled) -> None:
    # The feed story has a URL; take it away to see the fallback.
    archive = filled.archive
    story = archive.story(filled.copper)
    from reader._export.w3c_format import target_source

    assert target_source(story) == story.url
    bare = dataclasses.replace(story, url=None)
    assert target_source(bare) == f"urn:story-reader:story:{story.content_hash}"


def test_round_trip_into_the_same_stories_without_highlights(
    filled: Filled, tmp_path: Path
) -> None:
    path = save(tmp_path, w3c_export(filled.archive))
    with Archive(tmp_path / "bare") as bare:
        bare.import_paths([FIXTURES, tmp_path / "quiet-markets-updated.md"])
        assert all(not bare.highlights(i) for i in bare.story_ids())
        report = bare.import_export(path)
        assert report.kind == "annotations"
        # The feed story is not in this archive: its highlight is reported, not dropped.
        assert report.highlights_added == 4 and report.notes_added == 2
        [missing] = report.unplaced
        assert missing.quote == "outer channel" and not missing.kept
        assert missing.target == "https://example.net/dredging"
        for title in ("Copper", "Barge", "Coastal"):
            theirs = filled.archive.highlights(story_id(filled.archive, title))
            ours = bare.highlights(story_id(bare, title))
            assert [essence(h) for h in ours] == [essence(h) for h in theirs]
        barge = story_id(bare, "Barge")
        assert [n.body for n in bare.notes(barge)] == ["Follow up *next* week"]
        again = bare.import_export(path)
        assert again.highlights_added == 0 and again.highlights_skipped == 4
        assert again.notes_skipped == 2


def test_annotations_from_another_tool(empty: Archive, tmp_path: Path) -> None:
    empty.import_paths([FIXTURES])
    empty.set_codebook_entry(Color.PINK, "risk")
    barge = story_id(empty, "Barge")
    text = empty.story(barge).text
    document = [
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://annotations.example/1",
            "type": "Annotation",
            "bodyValue": "worth a call",
            "target": {
                "source": "https://example.com/river/low-water-surcharges",
                "selector": {"type": "TextQuoteSelector", "exact": "rail  alternatives"},
            },
        },
        {
            "type": "Annotation",
            "body": [{"type": "TextualBody", "value": "Risk", "purpose": "classifying"}],
            "target": {
                "source": "https://example.com/river/low-water-surcharges",
                "selector": [
                    {"type": "TextPositionSelector", "start": 0, "end": 3},
                    {"type": "TextQuoteSelector", "exact": "Grain co-ops", "prefix": "x"},
                ],
            },
        },
        {"type": "Annotation", "target": {"source": "https://nowhere.example/story"}},
        {"type": "Note", "body": "not an annotation"},
        {
            "type": "Annotation",
            "target": {
                "source": "https://example.com/river/low-water-surcharges",
                "selector": {"type": "TextQuoteSelector", "exact": "a sentence that is not there"},
            },
        },
    ]
    path = save(tmp_path, document, name="hypothesis.json")
    report = empty.import_paths([path]).merges[0]
    assert report.highlights_added == 3
    reasons = sorted(u.reason for u in report.unplaced)
    assert len(reasons) == 3, "the empty one, the non-annotation and the missing quote"
    assert any(u.kept and u.quote == "a sentence that is not there" for u in report.unplaced)
    placed = {h.quote: h for h in empty.highlights(barge)}
    rail = placed["rail alternatives"]
    assert text[rail.start : rail.end] == "rail alternatives" and rail.note == "worth a call"
    assert rail.color == Color.YELLOW
    grain = placed["Grain co-ops"]
    assert text[grain.start : grain.end] == "Grain co-ops" and grain.color == Color.PINK
    assert placed["a sentence that is not there"].status == "orphan"


def test_selected_highlights_only(filled: Filled) -> None:
    wanted = filled.archive.highlights(filled.copper)[0]
    data = w3c_export(filled.archive, highlight_ids=[wanted.id])
    [item] = data["first"]["items"]
    assert item["id"] == f"urn:story-reader:highlight:{wanted.id}" and data["total"] == 1


IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip


def test_the_export_meets_the_models_musts(filled: Filled) -> None:
    """The MUST assertions of the W3C annotation model (as web-platform-tests' annotation-model
    checks them) for the collection, its page and every annotation in it; the collection and
    page lacked an id, and embedded annotations relied on the collection's @context."""
    data = w3c_export(filled.archive)
    assert data["@context"] == CONTEXT
    assert data["type"] == "AnnotationCollection" and IRI.match(data["id"])
    assert isinstance(data["label"], str) and data["label"]
    page = data["first"]
    assert page["type"] == "AnnotationPage" and IRI.match(page["id"])
    assert page["id"] != data["id"]
    assert isinstance(page["startIndex"], int) and page["startIndex"] >= 0
    items = page["items"]
    assert data["total"] == len(items) > 0
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    for item in items:
        assert item["@context"] == CONTEXT, "an annotation stands alone"
        assert item["type"] == "Annotation" and IRI.match(item["id"])
        assert item["motivation"] in MOTIVATIONS
        assert DATETIME.match(item["created"]) and DATETIME.match(item["modified"])
        target = item["target"]
        if isinstance(target, str):
            assert IRI.match(target)
        else:
            assert IRI.match(target["source"])
            for selector in target["selector"]:
                assert selector["type"] in {"TextQuoteSelector", "TextPositionSelector"}
                if selector["type"] == "TextQuoteSelector":
                    assert isinstance(selector["exact"], str) and selector["exact"]
                else:
                    assert 0 <= selector["start"] <= selector["end"]
        bodies = item.get("body", [])
        for body in bodies if isinstance(bodies, list) else [bodies]:
            assert body["type"] == "TextualBody" and isinstance(body["value"], str)
            assert body["purpose"] in MOTIVATIONS


def test_the_collection_id_follows_the_annotations_not_the_archive(
    filled: Filled, tmp_path: Path
) -> None:
    first = w3c_export(filled.archive)
    assert w3c_export(filled.archive)["id"] == first["id"], "the same annotations, the same id"
    barge = story_id(filled.archive, "Barge")
    filled.archive.highlight_quote(barge, "Grain co-ops", color=Color.PINK)
    assert w3c_export(filled.archive)["id"] != first["id"]
