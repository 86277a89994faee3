"""Reading comfort: the Reading settings dialog and the size keys set the story's font, size,
line height and column width live, kept for the user after a restart; the place in each story
is kept in the archive and restored when the story is opened again."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QTextBlockFormat
from PySide6.QtWidgets import QLabel, QMenu
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, read_archive, shown_story
from ui.core.keymap import BY_ACTION
from ui.dialogs.reading_settings import ReadingSettingsDialog
from ui.main_window import MainWindow
from ui.reading.reading_style import ReadingStyle


def body_block_format(window: MainWindow) -> QTextBlockFormat:
    reader = window.reader
    block = reader.document().findBlockByNumber(reader.mapping.first_block_number)
    return block.blockFormat()


def text_column_width(window: MainWindow) -> float:
    reader = window.reader
    root = reader.document().rootFrame().frameFormat()
    return reader.viewport().width() - root.leftMargin() - root.rightMargin()


def open_dialog(window: MainWindow) -> ReadingSettingsDialog:
    window.actions_.actions["reading_settings"].trigger()
    dialog = window.reading.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def other_family(current: str) -> str:
    return next(f for f in QFontDatabase.families() if f != current and not f.startswith("."))


def test_dialog_applies_font_size_line_height_and_width_live(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Saffron Prices")
    reader = window.reader
    dialog = open_dialog(window)
    family = other_family(dialog.family.currentFont().family())
    size_before = reader.reading_font().pointSizeF()

    dialog.family.setCurrentFont(QFont(family))
    dialog.point_size.setValue(dialog.point_size.value() - 3)
    dialog.line_height.setValue(180)
    assert reader.reading_style.family == family
    assert reader.document().defaultFont().families()[0] == family
    assert reader.document().defaultFont().pointSizeF() == size_before - 3
    assert body_block_format(window).lineHeight() == 180

    width_before = text_column_width(window)
    dialog.column.setValue(45)
    assert text_column_width(window) < width_before, "a narrower column"
    root = reader.document().rootFrame().frameFormat()
    assert abs(root.leftMargin() - root.rightMargin()) < 1, "centred"


def test_reading_settings_are_kept_for_the_user_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener
) -> None:
    window = make_window()
    dialog = open_dialog(window)
    dialog.line_height.setValue(160)
    dialog.column.setValue(55)
    window.actions_.actions["zoom_in"].trigger()
    assert dialog.point_size.value() == dialog.base_size + 1, "the dialog follows the keys"
    style = window.reader.reading_style
    window.close()

    again = make_window()
    assert (
        again.reader.reading_style
        == style
        == ReadingStyle(zoom=1, line_height=160, column_chars=55)
    )
    open_story(again, "Saffron Prices")
    assert body_block_format(again).lineHeight() == 160
    again.actions_.actions["zoom_reset"].trigger()
    assert again.reader.reading_style.zoom == 0


def test_size_keys_and_the_dialog_are_declared_and_in_the_help(window: MainWindow) -> None:
    assert "Ctrl+=" in BY_ACTION["zoom_in"].keys and "Ctrl+-" in BY_ACTION["zoom_out"].keys
    shortcut = window.actions_.actions["reading_settings"].shortcut().toString()
    assert shortcut == "Ctrl+Shift+R"
    view = next(m.menu() for m in window.menuBar().actions() if m.text() == "&View")
    assert isinstance(view, QMenu)
    reading = next(a.menu() for a in view.actions() if a.text() == "&Reading")
    assert isinstance(reading, QMenu)
    assert "Reading settings…" in [a.text() for a in reading.actions()]
    window.help.toggle()
    shown = " ".join(label.text() for label in window.help.findChildren(QLabel))
    assert "Reading settings" in shown and "Default text size" in shown


def scroll_down(qtbot: QtBot, window: MainWindow) -> int:
    """Make the story longer than the view and scroll to its middle; returns the offset at the
    top of the view."""
    reader = window.reader
    reader.set_reading_style(ReadingStyle(zoom=12, column_chars=40))
    qtbot.waitUntil(lambda: reader.verticalScrollBar().maximum() > 100, timeout=WAIT_MS)
    bar = reader.verticalScrollBar()
    bar.setValue(bar.maximum() * 3 // 4)
    offset = reader.top_offset()
    assert offset > 0, "the view's top is in the story's body"
    return offset


def test_reading_position_is_restored_on_reopening_and_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener
) -> None:
    window = make_window()
    window.resize(900, 600)
    story_id = open_story(window, "Saffron Prices")
    offset = scroll_down(qtbot, window)
    assert offset > 0
    marker = window.reader.marker
    assert marker.isVisible() and 60 <= (marker.percent or 0) <= 90
    assert marker.toolTip() == f"{marker.percent} % read"
    qtbot.waitUntil(
        lambda: read_archive(window).reading_position(story_id) == offset, timeout=WAIT_MS
    )

    open_story(window, "Lock Gates")
    assert window.reader.top_offset() == 0, "another story opens at its start"
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        window.story_list.select_story(story_id)
    qtbot.waitUntil(lambda: window.reader.top_offset() == offset, timeout=WAIT_MS)
    window.close()

    again = make_window()
    again.resize(900, 600)
    qtbot.waitUntil(lambda: again.opener.story_id == story_id, timeout=WAIT_MS)
    text = shown_story(again).text
    qtbot.waitUntil(lambda: again.reader.top_offset() == offset, timeout=WAIT_MS)
    assert again.reader.marker.isVisible()
    assert 0 < offset < len(text)


def test_closing_keeps_a_position_that_had_not_settled(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener
) -> None:
    window = make_window()
    story_id = open_story(window, "Saffron Prices")
    offset = scroll_down(qtbot, window)
    window.close()
    again = make_window()
    qtbot.waitUntil(
        lambda: read_archive(again).reading_position(story_id) == offset, timeout=WAIT_MS
    )


def test_scrolling_back_to_the_start_forgets_the_position(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Saffron Prices")
    scroll_down(qtbot, window)
    window.reader.flush_position()
    qtbot.waitUntil(lambda: read_archive(window).reading_position(story_id) > 0, timeout=WAIT_MS)
    window.reader.verticalScrollBar().setValue(0)
    window.reader.flush_position()
    qtbot.waitUntil(lambda: read_archive(window).reading_position(story_id) == 0, timeout=WAIT_MS)


def test_a_story_is_laid_out_once_at_its_margins(window: MainWindow, open_story: Opener) -> None:
    """Shown in one edit: the document changes a few times (clearing, its defaults, the edit),
    not once per paragraph with a new layout each time, and the edit brings the column's
    margins with it."""
    open_story(window, "Saffron Prices")
    reader = window.reader
    story = reader.story
    assert story is not None
    changes: list[int] = []
    reader.document().contentsChange.connect(lambda *_args: changes.append(1))
    reader.show_story(story, reader.highlights)
    assert len(changes) <= 3 < reader.document().blockCount()
    root = reader.document().rootFrame().frameFormat()
    assert root.leftMargin() >= 24 and abs(root.leftMargin() - root.rightMargin()) < 1
