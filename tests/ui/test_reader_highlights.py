"""Reader rendering and highlighting: canonical blocks, offsets, drawing, notes and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QToolButton
from pytestqt.qtbot import QtBot

from reader.archive import Archive, text_layout
from reader.model import BlockKind, Color, Story
from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, read_archive, shown_story
from ui.main_window import MainWindow
from ui.reading.story_document import header_line


def select(window: MainWindow, start: int, end: int) -> None:
    window.reader.setTextCursor(window.reader.cursor_for(start, end))


def highlight_with_key(qtbot: QtBot, window: MainWindow, quote: str) -> tuple[int, int]:
    """Select ``quote`` in the reader like a user would and press H."""
    reader = window.reader
    start = shown_story(window).text.index(quote)
    select(window, start, start + len(quote))
    assert reader.textCursor().selectedText() == quote
    assert reader.selected_range() == (start, start + len(quote))
    reader.setFocus()
    before = len(reader.highlights)
    qtbot.keyClick(reader, Qt.Key.Key_H)
    assert not reader.textCursor().hasSelection(), "the new colour must not hide behind it"
    qtbot.waitUntil(lambda: len(reader.highlights) == before + 1, timeout=WAIT_MS)
    return start, start + len(quote)


def drawn(window: MainWindow) -> list[str]:
    return window.reader.extra_selection_texts()


def test_each_canonical_block_is_one_text_block(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Lock Gates")
    reader = window.reader
    blocks = text_layout(shown_story(window)).blocks
    assert "\n".join(b.text for b in blocks) == shown_story(window).text
    assert any(b.kind == BlockKind.BULLET for b in blocks) and any(b.label for b in blocks)
    doc = reader.document()
    for i, block in enumerate(blocks):
        qt_block = doc.findBlockByNumber(reader.mapping.first_block_number + i)
        assert qt_block.text() == block.text
        assert (qt_block.textList() is not None) == (block.kind == BlockKind.BULLET)


def test_selection_across_blocks_maps_to_canonical_offsets(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Lock Gates")
    reader = window.reader
    text = shown_story(window).text
    start = text.index("little upkeep.")
    end = text.index("in shifts") + len("in shifts")
    select(window, start, end)
    assert reader.textCursor().selectedText().replace("\u2029", "\n") == text[start:end]
    assert reader.selected_range() == (start, end)


def test_highlight_survives_reopen_and_restart(
    qtbot: QtBot, make_window: WindowFactory, open_story: Opener, data_dir: Path
) -> None:
    window = make_window()
    story_id = open_story(window, "Lock Gates")
    quote = "ending a six-week closure"
    start, end = highlight_with_key(qtbot, window, quote)
    assert drawn(window) == [quote]
    with Archive(data_dir) as archive:
        (stored,) = archive.highlights(story_id)
    assert (stored.start, stored.end, stored.quote) == (start, end, quote)

    open_story(window, "Quiet Harbour")
    assert drawn(window) == []
    open_story(window, "Lock Gates")
    assert drawn(window) == [quote]
    window.close()

    again = make_window()
    open_story(again, "Lock Gates")
    assert drawn(again) == [quote]


def test_highlight_after_astral_character(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Orchard Growers")
    quote = "in the region fell by a fifth"
    assert "🐝" in shown_story(window).text
    highlight_with_key(qtbot, window, quote)
    assert drawn(window) == [quote]


def test_overlapping_highlights_are_both_drawn(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Quiet Harbour")
    highlight_with_key(qtbot, window, "automatic tide gauge")
    text = shown_story(window).text
    start = text.index("tide gauge this week")
    select(window, start, start + len("tide gauge this week"))
    toolbar = window.reader.toolbar
    window.reader.show_selection_toolbar()
    pink = toolbar.findChild(QToolButton, "highlight-pink")
    assert pink is not None
    pink.click()
    qtbot.waitUntil(lambda: len(window.reader.highlights) == 2, timeout=WAIT_MS)
    assert sorted(drawn(window)) == ["automatic tide gauge", "tide gauge this week"]
    colors = {s.format.background().color().name() for s in window.reader.extraSelections()}
    assert len(colors) == 2


def test_note_edit_delete_and_undo(
    qtbot: QtBot, window: MainWindow, open_story: Opener, data_dir: Path
) -> None:
    story_id = open_story(window, "Quiet Harbour")
    quote = "three moored boats"
    highlight_with_key(qtbot, window, quote)
    panel = window.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT_MS)

    window.reader.setTextCursor(window.reader.cursor_for(0, 0))
    offset = shown_story(window).text.index(quote) + 2
    cursor = window.reader.textCursor()
    cursor.setPosition(window.reader.mapping.to_document(offset), QTextCursor.MoveMode.MoveAnchor)
    window.reader.setTextCursor(cursor)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_N)
    assert panel.note_edit.hasFocus()
    qtbot.keyClicks(panel.note_edit, "Storm surge evidence")
    panel.flush()
    qtbot.waitUntil(lambda: panel.model.items[0].note == "Storm surge evidence", timeout=WAIT_MS)

    panel.note_edit.setPlainText("Storm surge, November")
    panel.flush()
    qtbot.waitUntil(lambda: panel.model.items[0].note == "Storm surge, November", timeout=WAIT_MS)

    panel.delete_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=WAIT_MS)
    assert drawn(window) == []

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT_MS)
    assert panel.model.items[0].note == "Storm surge, November"
    assert drawn(window) == [quote]

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.items[0].note == "Storm surge evidence", timeout=WAIT_MS)
    with Archive(data_dir) as archive:
        assert [h.note for h in archive.highlights(story_id)] == ["Storm surge evidence"]


def test_story_note_saves_after_a_pause_and_undoes(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Saffron")
    panel = window.panel
    panel.story_note.setFocus()
    qtbot.keyClicks(panel.story_note, "Check the hail reports")
    notes = read_archive(window).notes
    qtbot.waitUntil(
        lambda: [n.body for n in notes(story_id)] == ["Check the hail reports"], timeout=WAIT_MS
    )
    window.reader.setFocus()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.story_note.toPlainText() == "", timeout=WAIT_MS)
    assert notes(story_id) == []
    window.undo_stack.redo()
    qtbot.waitUntil(
        lambda: panel.story_note.toPlainText() == "Check the hail reports", timeout=WAIT_MS
    )


def test_change_colour_from_panel(qtbot: QtBot, window: MainWindow, open_story: Opener) -> None:
    open_story(window, "Saffron")
    highlight_with_key(qtbot, window, "hail damaged the crocus fields")
    panel = window.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT_MS)
    panel.select_highlight(panel.model.items[0].id)
    panel.color_buttons[Color.GREEN].click()
    qtbot.waitUntil(lambda: panel.model.items[0].color == Color.GREEN, timeout=WAIT_MS)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.items[0].color == Color.YELLOW, timeout=WAIT_MS)


def test_story_switch_saves_pending_note(
    qtbot: QtBot, window: MainWindow, open_story: Opener, data_dir: Path
) -> None:
    story_id = open_story(window, "Saffron")
    window.panel.story_note.setPlainText("Switched away quickly")
    open_story(window, "Quiet Harbour")
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    with Archive(data_dir) as archive:
        assert [n.body for n in archive.notes(story_id)] == ["Switched away quickly"]


def test_zoom_keeps_highlights_on_their_words(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Quiet Harbour")
    highlight_with_key(qtbot, window, "storm surge")
    size = window.reader.document().defaultFont().pointSizeF()
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.document().defaultFont().pointSizeF() == size + 2
    assert drawn(window) == ["storm surge"]
    qtbot.keyClick(window.reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.zoom_steps == 1


def test_escape_in_the_reader_goes_back_to_the_list(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Quiet Harbour")
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Escape)
    assert window.table.hasFocus()


def test_context_menu_offers_each_colour(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Saffron")
    reader = window.reader
    quote = "winter fair"
    start = shown_story(window).text.index(quote)
    select(window, start, start + len(quote))
    menu = reader.context_menu(reader.cursorRect(reader.cursor_for(start, start)).center())
    (sub,) = [a.menu() for a in menu.actions() if a.text() == "Highlight"]
    assert isinstance(sub, QMenu)
    labels = [a.text() for a in sub.actions()]
    assert labels[:5] == ["Yellow", "Green", "Blue", "Pink", "Purple"]
    sub.actions()[3].trigger()
    qtbot.waitUntil(lambda: len(reader.highlights) == 1, timeout=WAIT_MS)
    assert reader.highlights[0].color == Color.PINK
    assert drawn(window) == [quote]


def test_header_line_names_source_byline_and_a_date() -> None:
    story = Story(
        id=1,
        title="Dockworkers Stall",
        sections=(),
        text="",
        html="",
        content_hash="x",
        source="The Harbor Ledger",
        source_qualifier="digest",
        fetched=datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
    )
    assert header_line(story) == "The Harbor Ledger · digest   Added 29 Nov 2026"
    published = replace(story, byline="Ana Ruiz", published=datetime(2026, 11, 3, tzinfo=UTC))
    assert header_line(published) == "The Harbor Ledger · digest   Ana Ruiz   3 Nov 2026"


def test_header_line_names_the_digest_section_and_reading_time() -> None:
    story = Story(
        id=1,
        title="Why our WAL file grew",
        sections=(),
        text="",
        html="",
        content_hash="x",
        source="Dev Dispatch",
        published=datetime(2026, 12, 3, tzinfo=UTC),
        category="🛠 Code & Tools",
        reading_time="6 minute read",
    )
    assert header_line(story) == "🛠 Code & Tools   Dev Dispatch   3 Dec 2026   6 minute read"


def test_reader_loads_nothing_from_the_network_or_the_disk(
    window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    image = QTextDocument.ResourceType.ImageResource
    for url in ("https://example.com/pixel.png", QUrl.fromLocalFile(str(secret)).toString()):
        assert window.reader.loadResource(image, QUrl(url)) is None
