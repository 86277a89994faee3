"""Errors that quote what the user typed quote it short: a 10,000-character argument is never
printed back in full, whichever layer (argparse, the runner, the import report) complains."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import DIGEST, Prefill, Runner

HUGE = "x" * 10_000


def test_restore_of_a_folder_says_it_is_a_folder(cli: Runner, tmp_path: Path) -> None:
    result = cli("restore", str(tmp_path))
    assert result.code == 1
    assert f"{tmp_path} is a folder; give a backup file" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ("restore", HUGE),
        ("restore", "/tmp/" + HUGE),
        ("import", HUGE),
        ("import", "/tmp/" + "y" * 200),
        ("show", HUGE),
        ("highlight", "{story}", "--quote", HUGE),
        ("search", "seawall", "--limit", HUGE),
    ],
)
def test_an_error_never_echoes_a_huge_argument(
    cli: Runner, prefilled: Prefill, args: tuple[str, ...]
) -> None:
    [story, _] = prefilled(DIGEST)
    given = [arg.format(story=story) for arg in args]
    result = cli(*given)
    assert result.code in (1, 2), result.err
    assert "Traceback" not in result.err
    assert result.err.startswith(("error:", "usage:"))
    assert len(result.err) < 2000, result.err[:300]
    assert not [arg for arg in given if len(arg) > 80 and arg in result.err]
