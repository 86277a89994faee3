"""The bundled sample archive: imported once into an empty data directory so a first start
shows real stories, some already highlighted and annotated."""

from __future__ import annotations

import json
from pathlib import Path

from reader.archive import Archive
from reader.errors import ReaderError
from reader.model import Color, ImportReport
from reader.paths import REFERENCE_EXAMPLE, SAMPLES_DIR

MARKER = ".samples-imported"
ANNOTATIONS = "annotations.json"


def sample_files(samples_dir: Path = SAMPLES_DIR) -> list[Path]:
    """The sample stories (without the folder's README), plus the reference example when the
    shared folder is beside the checkout."""
    files = sorted(
        p
        for p in samples_dir.iterdir()
        if p.is_file() and p.suffix in {".html", ".md", ".txt"} and p.name != "README.md"
    )
    if REFERENCE_EXAMPLE.is_file():
        files.append(REFERENCE_EXAMPLE)
    return files


def seed_samples(archive: Archive, samples_dir: Path = SAMPLES_DIR) -> ImportReport | None:
    """Import the samples and their annotations if this archive has never had them.

    Returns None when nothing was done: the archive already holds stories or was seeded
    before (the analyst may have deleted the samples on purpose).
    """
    marker = archive.data_dir / MARKER
    if marker.exists() or archive.count_stories("all") or archive.count_stories("archived"):
        return None
    report = archive.import_paths(sample_files(samples_dir))
    by_title = {s.title: s.id for s in archive.summaries(report.imported)}
    seed_path = samples_dir / ANNOTATIONS
    seeds = json.loads(seed_path.read_text(encoding="utf-8")) if seed_path.exists() else []
    for entry in seeds:
        story_id = by_title.get(entry["story_title"])
        if story_id is None:
            continue
        for spec in entry.get("highlights", []):
            try:
                archive.highlight_quote(
                    story_id, spec["quote"], color=Color(spec["color"]), note=spec.get("note", "")
                )
            except ReaderError as err:
                archive.messages.append(f"sample highlight skipped: {err}")
        for body in entry.get("notes", []):
            archive.add_note(story_id, body)
    marker.write_text("The bundled sample stories were imported into this archive.\n")
    return report
