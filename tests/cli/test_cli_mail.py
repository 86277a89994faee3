"""``import`` on e-mail from the command line: an mbox with a bad message among good ones."""

from __future__ import annotations

import mailbox
from pathlib import Path

from tests.cli.conftest import Runner
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
