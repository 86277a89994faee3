"""Highlights take whole words: the snapping rule on its own, a real mouse drag in the reader,
the quote shown once in the panel, and the selection toolbar kept off the line above."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.model import Color, Highlight
from tests.ui.conftest import WAIT_MS, Opener, shown_story
from ui.main_window import MainWindow
from ui.models.highlight_list import HighlightListModel
from ui.models.rich_delegate import HTML_ROLE
from ui.reading.word_snap import snap_to_words

TEXT = (
    "Traders waited for the “winter fair,” said Ana; don't rush. 北京市政府 said 今日"
    " about 1,300 in 2.6 days."
)


def snapped(selected: str, within: str = TEXT) -> str | None:
    start = within.index(selected)
    span = snap_to_words(within, start, start + len(selected))
    return within[span[0] : span[1]] if span else None


@pytest.mark.parametrize(
    ("selected", "words"),
    [
        ("waited fo", "waited for"),  # ends inside "for"
        ("aders wait", "Traders waited"),  # starts and ends inside words
        ("ite", "waited"),  # inside one word: that word
        ("“winter fair,” ", "winter fair"),  # punctuation and spaces at the ends trimmed
        ("on't ru", "don't rush"),  # an apostrophe inside a word is part of it
        ("; ", None),  # nothing but punctuation
        ("京市", "京市"),  # no spaces between words: the characters themselves
        ("府 sa", "府 said"),
        ("about 1", "about 1,300"),  # a number's separators are part of it
        ("2.", "2.6"),
        ("rush.", "rush"),  # a full stop after a word is not
    ],
)
def test_snapping_takes_whole_words(selected: str, words: str | None) -> None:
    assert snapped(selected) == words


def test_snapping_knows_letters_of_every_spaced_script() -> None:
    greek = "Η κυβέρνηση ανακοίνωσε νέα μέτρα"
    assert snapped("βέρνη", greek) == "κυβέρνηση"
    combining = "cafe\u0301 au lait"
    assert snapped("caf", combining) == "cafe\u0301"


@given(st.text(), st.integers(0, 60), st.integers(0, 60))
def test_snapping_only_widens_to_word_edges(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    span = snap_to_words(text, start, end)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(text)
        assert snap_to_words(text, *span) == span, "snapping twice changes nothing"


def drag(qtbot: QtBot, window: MainWindow, start: int, end: int) -> None:
    """Press at canonical offset ``start``, move with the button held, release at ``end``."""
    reader = window.reader
    viewport = reader.viewport()

    def point(offset: int) -> QPoint:
        rect = reader.cursorRect(reader.cursor_for(offset, offset))
        return QPoint(rect.left() + 1, rect.center().y())

    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(start))
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(point(end)),
        QPointF(viewport.mapToGlobal(point(end))),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(end))


def test_drag_ending_inside_a_word_highlights_the_whole_word(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Saffron Prices")
    text = shown_story(window).text
    start = text.index("ould wait for")  # inside "would"
    end = text.index("for the winter") + 2  # inside "for"
    drag(qtbot, window, start, end)
    reader = window.reader
    assert text[start:end] == "ould wait fo", "the drag itself ends inside the words"
    assert reader.textCursor().selectedText() == "would wait for", "the selection shows it"
    qtbot.waitUntil(reader.toolbar.isVisible, timeout=WAIT_MS)
    yellow = reader.toolbar.buttons[Color.YELLOW]
    yellow.click()
    qtbot.waitUntil(lambda: len(reader.highlights) == 1, timeout=WAIT_MS)
    assert reader.highlights[0].quote == "would wait for"
    assert reader.extra_selection_texts() == ["would wait for"]


def test_selection_toolbar_stays_below_the_line_above(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Saffron Prices")
    text = shown_story(window).text
    reader = window.reader
    for quote in ("reported saffron prices", "Cardamom and clove prices were steady"):
        start = text.index(quote)
        drag(qtbot, window, start, start + len(quote))
        qtbot.waitUntil(reader.toolbar.isVisible, timeout=WAIT_MS)
        selection = reader.selection_rect()
        bar = reader.toolbar.geometry()
        assert bar.top() > selection.bottom(), (bar, selection)
        assert reader.viewport().rect().contains(bar), "the toolbar is in view"


def test_reader_scrolls_to_show_the_toolbar_under_a_selection_at_the_bottom(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Saffron Prices")
    reader = window.reader
    text = shown_story(window).text
    reader.resize(reader.width(), 160)
    quote = "before committing"
    start = text.index(quote)
    reader.scroll_to_offset(0)
    drag(qtbot, window, start, start + len(quote))
    qtbot.waitUntil(reader.toolbar.isVisible, timeout=WAIT_MS)
    assert reader.toolbar.geometry().top() > reader.selection_rect().bottom()
    assert reader.viewport().rect().contains(reader.toolbar.geometry())


def quote_html(quote: str) -> str:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    model = HighlightListModel()
    model.set_items([Highlight(1, 1, 0, len(quote), quote, "", "", Color.YELLOW, "", now, now)])
    return str(model.data(model.index(0), HTML_ROLE))


@pytest.mark.parametrize(
    "quote",
    [
        "Beijing will wait for",
        "“Beijing will wait for”",
        '"“Beijing will wait for',
        "«Beijing will wait for»",
    ],
)
def test_panel_shows_the_quote_once_in_typographic_quotes(quote: str) -> None:
    shown = quote_html(quote)
    assert shown.startswith("“Beijing will wait for”")
    assert shown.count("“") == 1 and shown.count("”") == 1
    assert "&quot;" not in shown and '"' not in shown


def test_panel_keeps_quote_marks_inside_the_quote() -> None:
    assert quote_html("he called it “temporary” twice").startswith(
        "“he called it “temporary” twice”"
    )
