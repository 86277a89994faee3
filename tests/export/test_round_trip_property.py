"""Round trips that keep everything, for any set of annotations: JSON and W3C export, import
into an archive holding the same stories but no annotations, export again: nothing lost, and the
JSON is identical. Same-quote highlights, highlights with identical notes, and notes with
identical text were the cases that once merged into one (a second note silently dropped)."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.model import Color

from .conftest import FIXTURES, story_id

BARGE = FIXTURES / "river-digest.html"
WORDS = ["lock repairs", "Grain co-ops", "barge", "river"]
"""Quotes in the digest's barge story; the same one comes up again and again."""

highlights = st.lists(
    st.tuples(
        st.sampled_from(WORDS), st.sampled_from(list(Color)), st.sampled_from(["", "a", "b"])
    ),
    max_size=6,
)
notes = st.lists(st.sampled_from(["check", "call the port", ""]).filter(bool), max_size=3)


@pytest.fixture(scope="module")
def stories_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the digest's stories and nothing else, copied for each example."""
    folder = tmp_path_factory.mktemp("stories-only")
    with Archive(folder) as archive:
        archive.import_paths([BARGE])
    return folder


@contextmanager
def _copy(folder: Path) -> Iterator[Archive]:
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "archive"
        shutil.copytree(folder, target)
        with Archive(target) as archive:
            yield archive


@contextmanager
def _empty() -> Iterator[Archive]:
    with tempfile.TemporaryDirectory() as scratch, Archive(Path(scratch) / "empty") as archive:
        yield archive


def _export(archive: Archive, fmt: str) -> str:
    out = io.StringIO()
    archive.export(fmt, out)
    return out.getvalue()


def _essence(archive: Archive) -> list[tuple[str, str, str, int]]:
    found = []
    for sid in archive.story_ids():
        found += [(h.quote, h.color.value, h.note, h.start) for h in archive.highlights(sid)]
        found += [("note", "", n.body, 0) for n in archive.notes(sid)]
    return sorted(found)


def _comparable(document: str) -> list[str]:
    """The export without its timestamp line and, for W3C, without the annotations' own ids:
    an import into an archive that already has stories numbers what it adds itself."""
    lines = [line for line in document.splitlines() if not line.startswith('  "exported": ')]
    return [_OWN_ID.sub("", line) for line in lines]


_OWN_ID = re.compile(r'"id": "urn:story-reader:(?:highlight|note):\d+", ')


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(highlights, notes, st.sampled_from(["json", "w3c"]))
def test_export_import_export_keeps_every_annotation(
    stories_only: Path,
    tmp_path: Path,
    marks: list[tuple[str, Color, str]],
    bodies: list[str],
    fmt: str,
) -> None:
    # JSON carries the stories, so it goes into an empty archive; W3C carries annotations only,
    # so it goes into one that has the same stories and nothing else.
    with (
        _copy(stories_only) as source,
        _empty() if fmt == "json" else _copy(stories_only) as target,
    ):
        story = story_id(source, "Barge")
        for quote, color, note in marks:
            source.highlight_quote(story, quote, color=color, note=note)
        for body in bodies:
            source.add_note(story, body)
        path = tmp_path / f"out.{fmt}"
        path.write_text(_export(source, fmt), encoding="utf-8")
        report = target.import_export(path)
        assert report.highlights_added == len(marks)
        assert report.notes_added == len(bodies)
        assert _essence(target) == _essence(source)
        assert _comparable(_export(target, fmt)) == _comparable(_export(source, fmt))
        repeat = target.import_export(path)
        assert repeat.highlights_added == 0 and repeat.notes_added == 0
