"""Importing e-mail through the archive: .eml files, mbox files and Maildir folders, one bad
message failing alone, and a message delivered twice importing nothing new."""

from __future__ import annotations

import mailbox
from pathlib import Path

from reader._sources.files import FileKind, collect_files
from reader.archive import Archive
from tests.sources.mail_fixtures import DIGEST_TITLES, PLAIN_LETTER, newsletter


def _mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    try:
        for raw in messages:
            box.add(raw)
        box.flush()
    finally:
        box.close()
    return path


def _issue(number: int) -> bytes:
    """A one-story issue of a weekly newsletter."""
    html = (
        f"<html><body><h2>Weekly tide table, week {number}</h2>"
        f"<p>High water on Monday of week {number} is at {number % 12 + 1} o'clock; the spring "
        "tides bring the quay steps under water twice.</p></body></html>"
    )
    return newsletter(
        html, subject=f"Tides, week {number}", message_id=f"<tides-{number}@tides.example>"
    ).as_bytes()


BROKEN = b"From: tides@tides.example\nSubject: Broken issue\nContent-Type: image/gif\n\nGIF89a\n"


def test_an_eml_file_imports_its_stories_and_again_imports_nothing(
    archive: Archive, tmp_path: Path
) -> None:
    eml = tmp_path / "issue.eml"
    eml.write_bytes(newsletter().as_bytes())
    first = archive.import_paths([eml])
    assert first.failed == []
    stories = [archive.story(i) for i in first.imported]
    assert [s.title for s in stories] == DIGEST_TITLES
    assert {s.origin for s in stories} == {"mail:harbour-notes.list.example"}
    assert [s.source for s in stories] == ["Coastal Herald", "Harbour Notes", "Harbour Notes"]

    copy = tmp_path / "delivered-again.eml"
    copy.write_bytes(eml.read_bytes())
    again = archive.import_paths([copy, eml])
    assert (again.imported, again.versions, again.failed) == ([], [], [])
    assert again.duplicates == 2 * len(DIGEST_TITLES)


def test_the_same_message_in_an_mbox_and_a_maildir_is_one_set_of_stories(
    archive: Archive, tmp_path: Path
) -> None:
    raw = newsletter(message_id="<same@harbour-notes.example>").as_bytes()
    _mbox(tmp_path / "box.mbox", [raw])
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(raw)
    assert len(archive.import_paths([tmp_path / "box.mbox"]).imported) == 3
    second = archive.import_paths([tmp_path / "Maildir"])
    assert (second.imported, second.duplicates) == ([], 3)


def test_one_bad_message_in_an_mbox_fails_alone(archive: Archive, tmp_path: Path) -> None:
    messages = [_issue(n) for n in range(1, 21)]
    messages[16] = BROKEN
    box = _mbox(tmp_path / "box.mbox", messages)
    report = archive.import_paths([box])
    assert [(f.path, f.error) for f in report.failed] == [(f"{box}#17", "no readable body")]
    assert len(report.imported) == 19
    titles = {archive.story(i).title for i in report.imported}
    assert "Weekly tide table, week 20" in titles
    assert "Weekly tide table, week 17" not in titles


def test_a_maildir_gives_the_messages_in_new_and_cur(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "Mail" / "Newsletters"
    folder.parent.mkdir()
    maildir = mailbox.Maildir(folder)
    maildir.add(mailbox.MaildirMessage(_issue(1)))  # delivered: in new/
    seen = mailbox.MaildirMessage(_issue(2))
    seen.set_subdir("cur")
    seen.add_flag("S")
    maildir.add(seen)
    (folder / "tmp" / "half-delivered").write_bytes(_issue(3)[:40])
    items = collect_files([tmp_path / "Mail"])
    assert [item.path.parent.name for item in items] == ["new", "cur"]
    assert {item.kind for item in items} == {FileKind.MAIL}

    report = archive.import_paths([tmp_path / "Mail"])
    assert report.failed == []
    assert sorted(archive.story(i).title for i in report.imported) == [
        "Weekly tide table, week 1",
        "Weekly tide table, week 2",
    ]


def test_mail_inside_walked_folders_and_named_files_that_start_with_headers(
    archive: Archive, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "issue.eml").write_bytes(_issue(5))
    (inbox / "boxes.mbox").write_bytes(b"")
    (inbox / "saved-message").write_bytes(_issue(6))  # no suffix: not taken inside a folder
    named = tmp_path / "letter.txt"
    named.write_bytes(newsletter(None, text=PLAIN_LETTER, subject="Winter dinner").as_bytes())
    kinds = {item.path.name: item.kind for item in collect_files([inbox, named])}
    assert kinds == {"boxes.mbox": FileKind.MBOX, "issue.eml": FileKind.MAIL, "letter.txt": "mail"}

    report = archive.import_paths([inbox, named])
    assert [(Path(f.path).name, f.error) for f in report.failed] == [
        ("boxes.mbox", "no messages in the mailbox")
    ]
    titles = sorted(archive.story(i).title for i in report.imported)
    assert titles == ["Weekly tide table, week 5", "Winter dinner"]


def test_a_named_file_that_starts_like_an_mbox_is_one(tmp_path: Path) -> None:
    box = _mbox(tmp_path / "saved", [_issue(1), _issue(2)])
    assert [item.kind for item in collect_files([box])] == [FileKind.MBOX]
    text = tmp_path / "notes.txt"
    text.write_text("From the quay, the ferry looked small.\n\nSubject: boats.\n")
    assert [item.kind for item in collect_files([text])] == [FileKind.DOCUMENT]


def test_an_eml_that_is_not_mail_fails_in_one_line(archive: Archive, tmp_path: Path) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    (failure,) = archive.import_paths([empty]).failed
    assert (failure.path, failure.error) == (str(empty), "empty message")


def test_a_saved_message_named_txt_inside_a_folder_is_read_as_mail(
    archive: Archive, tmp_path: Path
) -> None:
    inbox = tmp_path / "saved"
    inbox.mkdir()
    (inbox / "copy.txt").write_bytes(_issue(7))
    (inbox / "notes.txt").write_text("Ferry times\n\nThe dawn crossing leaves at 6.10.\n")
    kinds = {item.path.name: item.kind for item in collect_files([inbox])}
    assert kinds == {"copy.txt": FileKind.MAIL, "notes.txt": FileKind.DOCUMENT}
    report = archive.import_paths([inbox])
    titles = sorted(archive.story(i).title for i in report.imported)
    assert "Weekly tide table, week 7" in titles
    assert not any(t.startswith("Content-Type") for t in titles)
