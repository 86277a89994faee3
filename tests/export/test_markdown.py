"""Markdown: a folder of notes with safe, unique file names and front matter that reads back,
highlights as block quotes with codebook names, notes and #tags; or one notebook."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reader._export.markdown_format import hashtag, unique_filename
from reader.archive import Archive

from .conftest import Filled


def front_matter(text: str) -> dict[str, object]:
    """Our front matter is one ``key: value`` a line, every value JSON (so YAML) quoted."""
    assert text.startswith("---\n")
    head = text[4 : text.index("\n---\n", 4)]
    fields: dict[str, object] = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        fields[key] = json.loads(value)
    return fields


def test_one_note_per_story(filled: Filled, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    files = filled.archive.export_folder(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files)
    assert len(files) == 4
    barge = filled.archive.story(filled.barge)
    note = (folder / f"{barge.title}.md").read_text(encoding="utf-8")
    fields = front_matter(note)
    assert fields["title"] == barge.title and fields["url"] == barge.url
    assert fields["source"] == "Inland Freight Journal" and fields["tags"] == ["rivers"]
    assert fields["fetched"] == barge.fetched.isoformat()  # type: ignore[union-attr]
    assert "published" not in fields, "a missing date is left out, not written as null"
    assert f"\n# {barge.title}\n" in note
    assert "\n> lock repairs\n\n- colour: evidence (green)\n- note: =cause?\n" in note
    assert "- tags: #freight #supply-chain\n" in note
    assert "## Notes\n\nFollow up *next* week\n" in note
    copper = filled.archive.story(filled.copper)
    text = (folder / f"{copper.title}.md").read_text(encoding="utf-8")
    assert "- colour: risk (pink)\n- note: low\n  for how long?\n" in text
    assert "- colour: yellow\n" in text


def test_titles_become_safe_unique_names(empty: Archive, tmp_path: Path) -> None:
    taken: set[str] = set()
    assert unique_filename('Rates: up / down? "Maybe"', taken) == "Rates up down Maybe.md"
    assert unique_filename("rates up down maybe", taken) == "rates up down maybe (2).md"
    assert unique_filename("CON", taken) == "CON_.md"
    assert unique_filename("...", taken) == "Untitled.md"
    long = unique_filename("é" * 200, taken)
    assert len(long.encode("utf-8")) <= 160 and long.endswith(".md")
    assert hashtag("supply chain") == "#supply-chain" and hashtag("a/b") == "#a/b"


def test_same_titles_do_not_overwrite_each_other(filled: Filled, tmp_path: Path) -> None:
    path = tmp_path / "again.txt"
    path.write_text(
        "Copper Traders Brace for a Quiet Quarter\n\nA different story under the same title.\n",
        encoding="utf-8",
    )
    filled.archive.import_paths([path])
    files = filled.archive.export_folder(tmp_path / "notes")
    names = [p.name for p in files]
    assert "Copper Traders Brace for a Quiet Quarter (2).md" in names
    assert len(set(names)) == len(names) == 5


def test_notebook_of_chosen_highlights(filled: Filled) -> None:
    chosen = filled.archive.highlights(filled.copper)[1]
    out = io.StringIO()
    assert filled.archive.export("markdown", out, highlight_ids=[chosen.id]) == 1
    text = out.getvalue()
    assert text.startswith("# Story archive\n\n## Copper Traders Brace for a Quiet Quarter\n")
    assert "> Two smelters" in text and "Spot premiums" not in text
    assert "### Notes" not in text


def test_notebook_of_chosen_highlights_with_their_stories_notes(filled: Filled) -> None:
    chosen = filled.archive.highlights(filled.barge)[0]
    out = io.StringIO()
    written = filled.archive.export(
        "markdown",
        out,
        highlight_ids=[chosen.id],
        with_notes=True,
        title="Notebook — 1 highlight, 2 notes",
        about="Highlights with tag: freight.",
    )
    assert written == 1
    text = out.getvalue()
    assert text.startswith(
        "# Notebook — 1 highlight, 2 notes\n\nHighlights with tag: freight.\n\n## Barge"
    )
    assert "### Notes\n\nFollow up *next* week\n" in text
    assert "- note: =cause?" in text


def test_notes_come_with_chosen_highlights_in_a_folder_too(filled: Filled, tmp_path: Path) -> None:
    chosen = filled.archive.highlights(filled.barge)[0]
    [note] = filled.archive.export_folder(
        tmp_path / "vault", highlight_ids=[chosen.id], with_notes=True
    )
    assert "## Notes\n\nFollow up *next* week\n" in note.read_text(encoding="utf-8")
