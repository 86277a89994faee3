"""Every export file (one file, or each file of a Markdown folder) is written aside under a
name that carries the writer's pid, then renamed: a failure leaves the old file as it was and
no half-written copy, and two writers never share one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

import pytest

from reader.archive import Archive, write_atomically
from reader.errors import ExportError


def test_the_part_file_names_the_writer_and_is_renamed_into_place(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    seen: list[list[str]] = []

    def write(fh: TextIO) -> int:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        return fh.write("{}")

    assert write_atomically(target, write) == 2
    assert seen == [[f"out.json.{os.getpid()}.part"]]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def write(fh: TextIO) -> int:
        fh.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="No space left on device"):
        write_atomically(target, write)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_markdown_folder_export_writes_each_file_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader._export import files

    parts: list[str] = []
    real = files.write_atomically

    def spy(target: Path, write: object) -> int:
        def watched(fh: TextIO) -> int:
            parts.append(Path(fh.name).name)
            return write(fh)  # type: ignore[operator, no-any-return]

        return real(target, watched)

    monkeypatch.setattr("reader._export.markdown_format.write_atomically", spy)
    with Archive(tmp_path / "data") as archive:
        archive.seed_samples()
        written = archive.export_folder(tmp_path / "notes")
    assert written and len(parts) == len(written)
    assert all(part.endswith(f".{os.getpid()}.part") for part in parts)
    assert not list((tmp_path / "notes").glob("*.part"))
