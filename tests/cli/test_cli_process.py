"""The command line as a real process, ``python main.py …``: what only a process shows — the
exit status the shell sees, output to a real pipe, and no display. Everything else runs in
this process (``cli``), which is many times faster."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import DIGEST, Runner
from tests.cli.test_cli import assert_one_line_error


def test_help_lists_the_commands_and_opens_no_window(real_cli: Runner) -> None:
    result = real_cli("--help", pass_data_dir=False)
    assert result.code == 0, result.err
    for command in ("import", "list", "show", "search", "highlight", "note", "export", "check"):
        assert command in result.out


def test_no_display_is_one_clear_line_not_a_qt_abort(real_cli: Runner) -> None:
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    result = real_cli(env=env)
    assert result.code == 1
    assert_one_line_error(result.err, "no display")


def test_import_then_search_with_the_exit_statuses_a_script_sees(
    real_cli: Runner, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    partial = real_cli("import", str(DIGEST), str(empty), "--json")
    assert partial.code == 3, "some files imported, one failed"
    assert len(partial.json()["imported"]) == 2
    assert_one_line_error(partial.err, "empty.txt")

    found = real_cli("search", "surcharges", "--json")
    assert found.code == 0, found.err
    assert [hit["title"] for hit in found.json()] == [
        "Barge Operators Warn of Low-Water Surcharges"
    ]

    missing = real_cli("show", "999")
    assert missing.code == 1 and missing.out == ""
    assert_one_line_error(missing.err, "999")
