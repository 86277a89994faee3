"""CSV: a row per highlight that reads back with the csv module, a BOM for Excel unless asked
not to, codebook names, and cells a spreadsheet would run as formulas defused."""

from __future__ import annotations

import csv
import io

from reader._export.csv_format import COLUMNS, cell_value

from .conftest import Filled


def rows(filled: Filled, **options: object) -> tuple[str, list[dict[str, str]]]:
    out = io.StringIO()
    count = filled.archive.export("csv", out, **options)  # type: ignore[arg-type]
    text = out.getvalue()
    parsed = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert count == len(parsed)
    return text, parsed


def test_one_row_per_highlight_with_its_story(filled: Filled) -> None:
    text, parsed = rows(filled)
    assert text.startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    assert len(parsed) == 5
    by_quote = {row["quote"]: row for row in parsed}
    spot = by_quote["Spot premiums slipped"]
    story = filled.archive.story(filled.copper)
    assert spot["story_id"] == str(filled.copper) and spot["title"] == story.title
    assert spot["url"] == story.url and spot["source"] == "Metals Weekly"
    assert (spot["color"], spot["color_name"], spot["status"]) == ("pink", "risk", "anchored")
    assert spot["note"] == "low\nfor how long?", "line breaks survive inside a quoted cell"
    assert story.text[int(spot["start"]) : int(spot["end"])] == spot["quote"]
    start, end = int(spot["start"]), int(spot["end"])
    assert story.text[:start].endswith(spot["prefix"]) and spot["prefix"]
    assert story.text[end:].startswith(spot["suffix"]) and spot["suffix"]
    lock = by_quote["lock repairs"]
    assert lock["tags"] == "freight; supply chain" and lock["color_name"] == "evidence"
    assert by_quote["Two smelters"]["color_name"] == ""
    highlight = filled.archive.highlight(int(lock["highlight_id"]))
    assert lock["created"] == highlight.created.isoformat()


def test_formula_cells_are_defused_and_read_back(filled: Filled) -> None:
    _, parsed = rows(filled)
    lock = next(row for row in parsed if row["quote"] == "lock repairs")
    assert lock["note"] == "'=cause?"
    assert cell_value(lock["note"]) == "=cause?"
    assert cell_value("plain") == "plain" and cell_value("'quoted") == "'quoted"


def test_without_bom_and_for_chosen_highlights(filled: Filled) -> None:
    chosen = filled.archive.highlights(filled.barge)[0]
    text, parsed = rows(filled, highlight_ids=[chosen.id], bom=False)
    assert text.startswith("highlight_id,")
    assert [row["highlight_id"] for row in parsed] == [str(chosen.id)]


def test_an_archive_without_highlights_is_a_header(empty: object) -> None:
    out = io.StringIO()
    assert empty.export("csv", out) == 0  # type: ignore[attr-defined]
    assert out.getvalue() == "\ufeff" + ",".join(COLUMNS) + "\r\n"
