"""E-mail dropped on the window imports like any file: the drop goes to Archive.import_paths."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from tests.sources.mail_fixtures import DIGEST_TITLES, newsletter
from tests.ui.conftest import WAIT_MS
from tests.ui.test_feeds import drop
from ui.features.importing import FILE_FILTER
from ui.main_window import MainWindow


def test_a_dropped_eml_file_imports_its_stories(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    eml = tmp_path / "Harbour Notes.eml"
    eml.write_bytes(newsletter().as_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(eml))])
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS) as blocker:
        drop(window, mime)
    report = blocker.args[0]
    assert report.failed == []
    with Archive(data_dir) as archive:
        assert [s.title for s in archive.summaries(report.imported)] == DIGEST_TITLES


def test_the_file_dialog_offers_mail_files() -> None:
    assert "*.eml" in FILE_FILTER and "*.mbox" in FILE_FILTER
