"""The tag editor on its own: chips for the saved tags, a tag added by Return, a comma or a
completion (never twice, ignoring case), removed by ×, Backspace or the keyboard alone, chips
wrapping onto more rows, an edit in progress kept, and colours that read in any theme."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS
from ui.core.colors import contrast
from ui.core.undo import retag_text
from ui.reading.tag_chip import TagChip, chip_colors
from ui.reading.tag_editor import TagEditor

NAMES = ["economy", "ecology", "energy", "harbours", "Ports"]
"""The archive's tag names the fake lookup completes from."""
Edit = tuple[object, list[str], list[str]]


class Host(QWidget):
    """The editor between two line edits, as narrow as the window's right panel."""

    def __init__(self) -> None:
        super().__init__()
        self.before = QLineEdit(self)
        self.editor = TagEditor("Tag this story…", self)
        self.after = QLineEdit(self)
        layout = QVBoxLayout(self)
        for widget in (self.before, self.editor, self.after):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.edits: list[Edit] = []
        self.editor.edited.connect(lambda *args: self.edits.append(args))
        self.editor.lookup = self.lookup
        self.resize(200, 300)

    def lookup(self, prefix: str, done: Callable[[list[str]], None]) -> None:
        # As the worker does: the answer comes later, on the GUI thread.
        found = [n for n in NAMES if n.casefold().startswith(prefix.casefold())]
        QTimer.singleShot(0, lambda: done(found))


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[Host]:
    widget = Host()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    yield widget


def typing(qtbot: QtBot, editor: TagEditor) -> QLineEdit:
    editor.setFocus()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=WAIT_MS)
    return editor.edit


def cross(chip: TagChip) -> QPoint:
    return chip.cross_rect().center()


def test_return_turns_the_typed_text_into_a_chip(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["ports"])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "  dry   docks ")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert editor.tags() == ["ports", "dry docks"]
    assert edit.text() == "" and edit.hasFocus()
    assert host.edits == [(1, ["ports"], ["ports", "dry docks"])]


def test_a_comma_turns_the_typed_text_into_a_chip(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, [])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "maintenance, cos")
    assert editor.tags() == ["maintenance"]
    assert edit.text() == "cos", "the space after the comma is not kept"
    assert host.edits == [(1, [], ["maintenance"])]
    qtbot.keyClicks(edit, "ts,")
    assert editor.tags() == ["maintenance", "costs"] and edit.text() == ""
    assert len(host.edits) == 2, "each tag is an edit of its own"


def test_choosing_a_completion_adds_it(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["Energy"])
    edit = typing(qtbot, editor)
    with qtbot.waitSignal(editor.completionsShown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(edit, "e")
    assert shown.args[0] == ["economy", "ecology"], "a tag already there is not offered"
    popup = editor.tag_completer.popup()
    assert popup is not None and popup.isVisible()
    assert popup.width() >= editor.width() - 4, "the list is as wide as the editor"
    popup.setCurrentIndex(editor.tag_completer.completionModel().index(1, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.tags() == ["Energy", "ecology"] and edit.text() == ""
    assert host.edits == [(1, ["Energy"], ["Energy", "ecology"])]
    assert not popup.isVisible()


def test_return_with_the_list_open_but_nothing_chosen_takes_the_text(
    qtbot: QtBot, host: Host
) -> None:
    editor = host.editor
    editor.set_tags(1, [])
    edit = typing(qtbot, editor)
    with qtbot.waitSignal(editor.completionsShown, timeout=WAIT_MS):
        qtbot.keyClicks(edit, "eco")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert editor.tags() == ["eco"]


def test_a_tag_already_there_is_not_added_again(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["Ports", "tariffs"])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "ports")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "TARIFFS, tariffs,")
    assert editor.tags() == ["Ports", "tariffs"]
    assert host.edits == []
    assert edit.text() == ""
    editor.add(["wharves", "Wharves", " wharves "])
    assert host.edits == [(1, ["Ports", "tariffs"], ["Ports", "tariffs", "wharves"])]


def test_backspace_in_the_empty_edit_selects_then_removes_the_last_chip(
    qtbot: QtBot, host: Host
) -> None:
    editor = host.editor
    editor.set_tags(1, ["canals", "locks", "upkeep"])
    edit = typing(qtbot, editor)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert editor.chips[-1].hasFocus() and editor.tags() == ["canals", "locks", "upkeep"]
    assert host.edits == [], "the first Backspace only selects"
    qtbot.keyClick(editor.chips[-1], Qt.Key.Key_Backspace)
    assert editor.tags() == ["canals", "locks"]
    assert edit.hasFocus(), "back in the edit, the next Backspace selects the next chip"
    assert host.edits == [(1, ["canals", "locks", "upkeep"], ["canals", "locks"])]
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.hasFocus() and edit.text() == "", "Backspace in text deletes a letter"


def test_the_cross_removes_its_chip_and_leaves_the_typing_alone(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["canals", "locks", "upkeep"])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "sluic")
    chip = editor.chips[1]
    assert "locks" in chip.toolTip() or not chip.elided
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton, pos=cross(chip))
    assert editor.tags() == ["canals", "upkeep"]
    assert host.edits == [(1, ["canals", "locks", "upkeep"], ["canals", "upkeep"])]
    assert edit.hasFocus() and edit.text() == "sluic"


def test_a_click_on_the_chip_beside_its_cross_selects_it(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["canals", "locks"])
    chip = editor.chips[0]
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton, pos=QPoint(6, chip.height() // 2))
    assert chip.hasFocus() and editor.tags() == ["canals", "locks"]
    qtbot.keyClick(chip, Qt.Key.Key_Delete)
    assert editor.tags() == ["locks"] and editor.chips[0].hasFocus()


def test_chips_are_removed_with_the_keyboard_alone(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["canals", "locks", "upkeep"])
    host.before.setFocus()
    qtbot.waitUntil(host.before.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(host.before, Qt.Key.Key_Tab)
    first, second, third = editor.chips
    assert first.hasFocus(), "Tab reaches the first chip"
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert second.hasFocus()
    qtbot.keyClick(second, Qt.Key.Key_Delete)
    assert editor.tags() == ["canals", "upkeep"] and third.hasFocus(), "the next chip is next"
    qtbot.keyClick(third, Qt.Key.Key_Delete)
    assert editor.tags() == ["canals"] and editor.edit.hasFocus(), "after the last: the edit"
    qtbot.keyClick(editor.edit, Qt.Key.Key_Left)
    assert first.hasFocus(), "Left from the empty edit"
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    assert editor.edit.hasFocus()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert host.after.hasFocus(), "the edit comes after the chips, before what follows"
    assert [e[2] for e in host.edits] == [["canals", "upkeep"], ["canals"]]


def test_tab_order_follows_the_chips_after_they_change(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["b"])
    editor.set_tags(1, ["a", "b", "c"])
    host.before.setFocus()
    qtbot.waitUntil(host.before.hasFocus, timeout=WAIT_MS)
    reached: list[QWidget] = []
    widget: QWidget = host.before
    for _ in range(5):
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        focused = host.focusWidget()
        assert focused is not None
        widget = focused
        reached.append(widget)
    assert reached == [*editor.chips, editor.edit, host.after]
    assert editor.tags() == ["b", "a", "c"], "the chip shown already keeps its place"


def test_many_chips_wrap_and_the_editor_grows(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["ports"])
    qtbot.waitUntil(lambda: editor.chips[0].isVisible(), timeout=WAIT_MS)
    one_row = editor.height()
    many = ["ports", "tariffs", "labour", "cranes", "automation", "unions", "Quay 7"]
    editor.set_tags(1, many)
    qtbot.waitUntil(lambda: editor.height() > one_row * 2, timeout=WAIT_MS)
    rows = {chip.y() for chip in editor.chips}
    assert len(rows) >= 3
    for widget in [*editor.chips, editor.edit]:
        assert widget.geometry().right() < editor.width(), "nothing is cut off at the right"
        assert widget.geometry().bottom() < editor.height(), "nor at the bottom"
    assert host.after.y() >= editor.geometry().bottom(), "what follows moves down"


def test_a_long_name_is_elided_with_the_whole_name_in_its_tooltip(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    long = "Varena Port Authority capital programme to 2029"
    editor.set_tags(1, ["ports", long])
    qtbot.waitUntil(lambda: editor.chips[1].isVisible(), timeout=WAIT_MS)
    short, elided = editor.chips
    assert not short.elided and short.toolTip() == ""
    assert elided.elided and elided.shown.endswith("…") and elided.toolTip() == long
    assert elided.geometry().right() < editor.width()
    host.resize(400, 300)
    qtbot.waitUntil(lambda: editor.width() > 300, timeout=WAIT_MS)
    assert elided.width() <= elided.fontMetrics().averageCharWidth() * 30, "capped when wide"


def test_an_edit_in_progress_is_kept_when_the_tags_come_again(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["ports"])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "harb")
    editor.set_tags(1, ["ports", "tariffs"])
    assert edit.text() == "harb" and edit.hasFocus()
    assert editor.tags() == ["ports", "tariffs"]
    editor.set_tags(2, ["canals"])
    assert edit.text() == "" and editor.tags() == ["canals"], "another owner starts afresh"
    assert host.edits == []


def test_a_resend_keeps_the_order_and_takes_the_archive_spelling(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["tariffs"])
    edit = typing(qtbot, editor)
    qtbot.keyClicks(edit, "Economy,")
    editor.set_tags(1, ["economy", "tariffs"])  # as the archive sends them back: sorted
    assert editor.tags() == ["tariffs", "economy"]


def test_no_owner_no_editing(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_tags(1, ["ports"])
    editor.set_tags(None, ())
    assert not editor.isEnabled() and not editor.edit.isEnabled()
    assert editor.tags() == []
    editor.add(["ports"])
    assert editor.tags() == [] and host.edits == []
    assert editor.edit.placeholderText() == "Tag this story…"


RGB = tuple[int, int, int]
THEMES: dict[str, tuple[RGB, RGB, RGB]] = {
    "light": ((0, 0, 0), (255, 255, 255), (48, 140, 198)),
    "dark": ((220, 220, 220), (30, 30, 32), (42, 130, 218)),
    "dark, pale highlight": ((230, 230, 230), (40, 40, 40), (200, 220, 255)),
}


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_chips_read_in_light_and_dark_themes(theme: tuple[RGB, RGB, RGB]) -> None:
    text, base, highlight = (QColor(*rgb) for rgb in theme)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, text)
    palette.setColor(QPalette.ColorRole.Base, base)
    palette.setColor(QPalette.ColorRole.Highlight, highlight)
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    plain = chip_colors(palette, selected=False)
    assert contrast(plain.text, plain.background) >= 4.5
    assert plain.background != base, "a chip stands out from the field"
    selected = chip_colors(palette, selected=True)
    assert selected.background == highlight and selected.background != plain.background


def test_what_an_edit_is_called() -> None:
    assert retag_text("story", ["a"], ["a", "b"]) == "Add tag “b” to the story"
    assert retag_text("highlight", ["a", "b"], ["a"], done=True) == (
        "Removed tag “b” from the highlight"
    )
    assert retag_text("story", [], ["a", "b"]) == "Add 2 tags to the story"
    assert retag_text("story", ["a"], ["b"]) == "Edit the story’s tags"
