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


def test_links_back_up_the_tree_are_walked_once(tmp_path: Path) -> None:
    """``a -> .`` and ``b -> .`` once made the walk exponential; ``up -> ..`` walked the
    parent again and again."""
    top = tmp_path / "top"
    (top / "inner").mkdir(parents=True)
    (top / "one.html").write_text("x")
    (top / "inner" / "two.md").write_text("x")
    (top / "a").symlink_to(".")
    (top / "b").symlink_to(".")
    (top / "inner" / "up").symlink_to("..")
    (top / "inner" / "loop").symlink_to(top)
    found = sorted(p.path.resolve().relative_to(tmp_path).as_posix() for p in collect_files([top]))
    assert found == ["top/inner/two.md", "top/one.html"]


def test_a_dangling_link_is_a_failure_line(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text("x")
    (tmp_path / "gone.html").symlink_to(tmp_path / "nowhere.html")
    items = collect_files([tmp_path, tmp_path / "gone.html"])
    failures = [(i.path.name, i.error) for i in items if i.error]
    dangling = "a link to something that does not exist"
    assert failures == [("gone.html", dangling), ("gone.html", dangling)]
    assert [i.path.name for i in items if not i.error] == ["story.html"]


def test_the_size_limit_message_tells_size_and_limit_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader._sources.files as files

    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 3000)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 2048)
    monkeypatch.setattr(files, "_MB", 1024)
    with pytest.raises(SourceError) as caught:
        read_file(big)
    assert str(caught.value) == "file is too large (2.9 MB; the limit is 2 MB)"
