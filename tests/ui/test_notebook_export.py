"""The notebook's Markdown export from the window: story notes in the file, a heading that says
what the notebook held, the format remembered for next time, and a destination checked before
the dialog closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import Color
from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, on_worker
from ui.dialogs.export_dialog import BY_KEY, ExportDialog
from ui.main_window import MainWindow

STORY_NOTE = "Ask the harbour master when the gauge was last calibrated."


def open_notebook_export(qtbot: QtBot, window: MainWindow, highlights: int) -> ExportDialog:
    window.sidebar.select_key("view:notebook")
    qtbot.waitUntil(lambda: window.notebook.model.rowCount() == highlights, timeout=WAIT_MS)
    window.export.ask_export("notebook")
    dialog = window.export.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def click_export(dialog: ExportDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()


def export_markdown(qtbot: QtBot, window: MainWindow, dialog: ExportDialog, target: Path) -> str:
    """Export as one Markdown file to ``target`` through the dialog; the file's text."""
    dialog.set_format("markdown")
    dialog.path.setText(str(target))
    with qtbot.waitSignal(window.export.exported, timeout=WAIT_MS):
        click_export(dialog)
    return target.read_text(encoding="utf-8")


def annotate(qtbot: QtBot, window: MainWindow, open_story: Opener) -> None:
    story_id = open_story(window, "Quiet Harbour")

    def add(archive: Archive) -> None:
        text = archive.story(story_id).text
        words = text.split()
        archive.highlight_quote(story_id, " ".join(words[2:5]), note="Check the depth figure")
        archive.highlight_quote(story_id, " ".join(words[8:10]), color=Color.GREEN)
        archive.add_note(story_id, STORY_NOTE)

    on_worker(qtbot, window, add)


def test_markdown_export_has_the_story_notes_and_a_notebook_heading(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    annotate(qtbot, window, open_story)
    dialog = open_notebook_export(qtbot, window, 2)
    text = export_markdown(qtbot, window, dialog, tmp_path / "notebook.md")
    assert text.startswith(
        "# Notebook — 2 highlights, 2 notes\n\nEvery highlight in the archive.\n"
    )
    assert "Story archive" not in text
    assert STORY_NOTE in text
    assert "- note: Check the depth figure" in text


def test_the_heading_says_which_filter_the_notebook_had(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    annotate(qtbot, window, open_story)
    window.sidebar.select_key("view:notebook")
    notebook = window.notebook
    qtbot.waitUntil(lambda: notebook.model.rowCount() == 2, timeout=WAIT_MS)
    with qtbot.waitSignal(notebook.loaded, timeout=WAIT_MS):
        notebook.color.setCurrentIndex(notebook.color.findData(Color.GREEN))
    dialog = open_notebook_export(qtbot, window, 1)
    head = export_markdown(qtbot, window, dialog, tmp_path / "green.md").split("\n\n")[:2]
    assert head[0] == "# Notebook — 1 highlight, 1 note"
    assert head[1].startswith("Highlights with colour: ") and "Green" in head[1]


def test_the_format_chosen_last_is_chosen_again(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener, tmp_path: Path
) -> None:
    window = make_window()
    annotate(qtbot, window, open_story)
    dialog = open_notebook_export(qtbot, window, 2)
    assert dialog.chosen is BY_KEY["json"], "JSON the first time"
    export_markdown(qtbot, window, dialog, tmp_path / "first.md")
    again = open_notebook_export(qtbot, window, 2)
    assert again.chosen is BY_KEY["markdown"]
    assert again.target.parent == tmp_path, "in the folder used last"
    again.reject()
    window.close()
    restarted = make_window()
    third = open_notebook_export(qtbot, restarted, 2)
    assert third.chosen is BY_KEY["markdown"], "remembered across a restart"


def refused(dialog: ExportDialog, key: str, target: Path) -> str:
    """Export as ``key`` to ``target``, which the dialog refuses: it stays open; the reason."""
    dialog.set_format(key)
    dialog.path.setText(str(target))
    click_export(dialog)
    assert dialog.isVisible(), "the dialog stays open"
    assert dialog.problem.isVisible()
    return dialog.problem.text()


def test_a_missing_folder_keeps_the_dialog_open_and_can_be_made(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    annotate(qtbot, window, open_story)
    dialog = open_notebook_export(qtbot, window, 2)
    target = tmp_path / "not" / "there" / "notebook.md"
    problem = refused(dialog, "markdown", target)
    assert "does not exist" in problem and str(target.parent) in problem
    assert dialog.create_folder.isVisible()
    assert window.export.export_dialog is dialog and not target.parent.exists()
    qtbot.mouseClick(dialog.create_folder, Qt.MouseButton.LeftButton)
    assert target.parent.is_dir() and not dialog.problem.isVisible()
    with qtbot.waitSignals([dialog.accepted, window.export.exported], timeout=WAIT_MS):
        click_export(dialog)
    assert STORY_NOTE in target.read_text(encoding="utf-8")


def test_a_folder_given_as_the_file_is_refused_in_the_dialog(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    annotate(qtbot, window, open_story)
    dialog = open_notebook_export(qtbot, window, 2)
    assert "is a folder" in refused(dialog, "csv", tmp_path)
    assert not dialog.create_folder.isVisible()
