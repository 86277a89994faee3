"""The scale benchmark runs end to end at a toy size and prints its tables (nothing about time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import scale
from bench.generate import BuildReport, Corpus, build_scale_archive, query_words
from reader.archive import Archive


def test_generated_archive_owes_its_missing_index_every_document_once(tmp_path: Path) -> None:
    """The generator leaves an archive whose index is still to build; opening it owes the
    index each story, highlight and note once (the inserts' own queue rows are not counted
    twice)."""
    corpus = Corpus.make(2_000, words_per_story=120)
    report = BuildReport()
    with build_scale_archive(tmp_path / "data", 60, corpus, report=report) as archive:
        assert archive.count_stories() == 60
        assert archive.index_backlog() == report.stories + report.highlights + report.notes
        story = archive.story(archive.story_ids()[0])
        assert 100 <= len(story.text.split()) <= 140
    assert report.stories == 60
    assert report.highlights + report.notes > 0


def test_queries_are_seeded_one_and_two_words() -> None:
    corpus = Corpus.make(2_000)
    queries = query_words(corpus, 10)
    assert queries == query_words(corpus, 10)
    assert {len(q.split()) for q in queries} == {1, 2}


def test_scale_prints_every_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--sizes", "30", "--queries", "4", "--words", "80", "--keep", str(tmp_path)]
    assert scale.main(argv) == 0
    out = capsys.readouterr().out
    for heading in ("### Generating", "### Indexing 30", "### Search at 30", "### Peak memory"):
        assert heading in out
    for system in (
        scale.SYNC,
        scale.IDLE_MERGE,
        scale.REINDEX,
        scale.DIRECT,
        scale.NAIVE,
        scale.FTS5,
    ):
        assert f"| {system} |" in out
    for system in (scale.PROJECT_20, scale.PROJECT_UNMERGED):
        assert f"| {system} |" in out
    with Archive(tmp_path / "archive-30") as archive:
        assert archive.index_backlog() == 0
        assert archive.check().ok
