"""Where the bundled sample archive is: the sample stories and the annotations that go with them.
:meth:`~reader.archive.Archive.seed_samples` imports them once into an empty archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader._paths import SAMPLES_DIR, reference_example

SAMPLES_MARKER = ".samples-imported"
ANNOTATIONS = "annotations.json"


def sample_files(samples_dir: Path = SAMPLES_DIR) -> list[Path]:
    """The sample stories (without the folder's README), plus the reference example where
    ``READER_REFERENCE_EXAMPLE`` names it (a wrong name shows up as a failed import)."""
    files = sorted(
        p
        for p in samples_dir.iterdir()
        if p.is_file() and p.suffix in {".html", ".md", ".txt"} and p.name != "README.md"
    )
    reference = reference_example()
    if reference is not None:
        files.append(reference)
    return files


def sample_annotations(samples_dir: Path = SAMPLES_DIR) -> list[dict[str, Any]]:
    """The highlights and notes to put on the samples, by story title."""
    path = samples_dir / ANNOTATIONS
    seeds: list[dict[str, Any]] = (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    )
    return seeds
