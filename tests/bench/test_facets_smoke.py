"""The facets benchmark runs end to end at a toy size and prints its table (nothing about time)."""

from __future__ import annotations

import pytest

from bench import facets


def test_facets_bench_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert facets.main(["--size", "30", "--words", "80", "--queries", "4"]) == 0
    out = capsys.readouterr().out
    assert "### Facets at 30 generated stories" in out
    for row in ("| first match", "| a search: both |", "| a list (the whole archive) |"):
        assert row in out
