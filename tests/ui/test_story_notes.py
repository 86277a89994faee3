"""A story's notes in the panel: the main note in the editor, every further note listed with its
date, deleting one undoable, and edits to the main note never touching the others."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.archive import Archive
from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, read_archive
from ui.core.text import day_date
from ui.main_window import MainWindow
from ui.models.rich_delegate import HTML_ROLE

BODIES = ["Main: compare with the hail reports", "Second: ask the co-op", "Third: prices <up>"]


def add_notes(data_dir: Path, prefix: str) -> int:
    with Archive(data_dir) as archive:
        story_id = next(s.id for s in archive.list_stories() if s.title.startswith(prefix))
        for body in BODIES:
            archive.add_note(story_id, body)
    return story_id


def bodies(window: MainWindow, story_id: int) -> list[str]:
    return [n.body for n in read_archive(window).notes(story_id)]


def test_every_note_of_a_story_is_shown(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory, open_story: Opener
) -> None:
    add_notes(data_dir, "Saffron")
    window = make_window()
    open_story(window, "Saffron")
    notes = window.panel.notes
    assert notes.editor.toPlainText() == BODIES[0]
    assert [n.body for n in notes.other_notes()] == BODIES[1:]
    assert notes.others_box.isVisible() and notes.title.text() == "Story notes (3)"
    second = notes.other_notes()[0]
    assert day_date(second.created.astimezone()) in notes.others.item(0).data(HTML_ROLE)
    assert "prices &lt;up&gt;" in notes.others.item(1).data(HTML_ROLE)
    open_story(window, "Quiet Harbour")
    assert not notes.others_box.isVisible() and notes.editor.toPlainText() == ""


def test_deleting_a_further_note_is_undoable(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory, open_story: Opener
) -> None:
    story_id = add_notes(data_dir, "Saffron")
    window = make_window()
    open_story(window, "Saffron")
    notes = window.panel.notes
    assert not notes.delete_button.isEnabled()
    notes.others.setCurrentRow(0)
    notes.delete_button.click()
    qtbot.waitUntil(lambda: [n.body for n in notes.other_notes()] == BODIES[2:], timeout=WAIT_MS)
    assert bodies(window, story_id) == [BODIES[0], BODIES[2]]
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: [n.body for n in notes.other_notes()] == BODIES[1:], timeout=WAIT_MS)
    assert bodies(window, story_id) == BODIES


def test_main_note_edits_leave_the_others_alone(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory, open_story: Opener
) -> None:
    story_id = add_notes(data_dir, "Saffron")
    window = make_window()
    open_story(window, "Saffron")
    notes = window.panel.notes
    notes.editor.setPlainText("Main, revised")
    notes.flush()
    qtbot.waitUntil(
        lambda: bodies(window, story_id) == ["Main, revised", *BODIES[1:]], timeout=WAIT_MS
    )
    notes.editor.setPlainText("")
    notes.flush()
    qtbot.waitUntil(lambda: bodies(window, story_id) == BODIES[1:], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: notes.editor.toPlainText() == BODIES[1], timeout=WAIT_MS)
    window.undo_stack.undo()
    qtbot.waitUntil(
        lambda: bodies(window, story_id) == ["Main, revised", *BODIES[1:]], timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: notes.editor.toPlainText() == "Main, revised", timeout=WAIT_MS)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: bodies(window, story_id) == BODIES, timeout=WAIT_MS)
