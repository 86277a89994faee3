"""``import`` on e-mail from the command line: an mbox with a bad message among good ones;
and output cut short by a reader that leaves early."""

from __future__ import annotations

import mailbox
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import ROOT, Runner
from tests.sources.mail_fixtures import DIGEST_TITLES, newsletter

NO_BODY = b"From: desk@harbour.example\nSubject: Scan only\nContent-Type: image/png\n\n\x89PNG\n"


def _mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    try:
        for raw in messages:
            box.add(raw)
        box.flush()
    finally:
        box.close()
    return path


def test_import_mbox_names_each_failed_message_and_exits_3(cli: Runner, tmp_path: Path) -> None:
    digest = newsletter(message_id="<digest@harbour-notes.example>").as_bytes()
    box = _mbox(tmp_path / "box.mbox", [digest, NO_BODY, b"From: x@y.example\nSubject: Empty\n\n"])
    result = cli("import", str(box))
    assert result.code == 3, result.err
    assert result.err.splitlines() == [
        f"error: {box}#2: no readable body",
        f"error: {box}#3: no readable body",
    ]
    for title in DIGEST_TITLES:
        assert title in result.out
    assert "3 imported, 0 duplicate(s) skipped, 2 failed" in result.out

    again = cli("import", str(box), "--json")
    assert again.code == 3
    report = again.json()
    assert (report["imported"], report["duplicates"]) == ([], 3)
    assert [f["path"] for f in report["failed"]] == [f"{box}#2", f"{box}#3"]


def test_import_of_an_eml_with_no_body_exits_1(cli: Runner, tmp_path: Path) -> None:
    eml = tmp_path / "scan.eml"
    eml.write_bytes(NO_BODY)
    result = cli("import", str(eml))
    assert result.code == 1
    assert result.err == f"error: {eml}: no readable body\n"


def test_output_cut_short_by_a_closed_pipe_is_no_error(cli: Runner, data_dir: Path) -> None:
    """`export | head -1`: the reader leaves early; no traceback, and the status is ok."""
    letters = sorted((ROOT / "tests" / "parse" / "fixtures" / "newsletters").glob("*/*.html"))
    assert cli("import", *map(str, letters[:12])).code == 0
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "export", "--format", "json",
         "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # more than a pipe's buffer is still to come
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err
