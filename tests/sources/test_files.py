"""Collecting files for import: recursion, kinds, folder furniture, and one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader._sources.files import collect_files, read_file
from reader.errors import SourceError


def test_folders_recurse_and_keep_only_story_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in (
        "a/one.html",
        "a/b/two.md",
        "a/b/three.TXT",
        "a/four.htm",
        "a/pic.png",
        "a/README.md",
        "a/.hidden.html",
        "a/LICENSE.txt",
    ):
        (tmp_path / name).write_text("x")
    found = [p.path.relative_to(tmp_path).as_posix() for p in collect_files([tmp_path / "a"])]
    assert found == ["a/b/three.TXT", "a/b/two.md", "a/four.htm", "a/one.html"]


def test_a_file_named_explicitly_is_taken_whatever_it_is(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# A story after all")
    assert [item.path for item in collect_files([readme])] == [readme]


def test_missing_paths_become_failures_not_exceptions(tmp_path: Path) -> None:
    (item,) = collect_files([tmp_path / "gone.html"])
    assert item.error == "no such file or folder"


def test_read_file_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read file") as caught:
        read_file(tmp_path)  # a folder where a file was expected
    assert "\n" not in str(caught.value)
