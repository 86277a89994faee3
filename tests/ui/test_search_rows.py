"""What a search hit's row shows (issue 12): words marked only where the field they were asked of
is shown, why a highlight or note found through its story's title is there, a highlight's
quote and its note apart, notes' Markdown as formatted text, and a highlight's colour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QFont, QTextCursor, QTextDocument, QTextFragment
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import Color, SearchHit
from tests.ui.conftest import WAIT_MS, WindowFactory
from ui.core.colors import swatch
from ui.main_window import MainWindow
from ui.models.hit_text import NOTE_LABEL, HitRow, Part, body_parts, note_document
from ui.models.rich_delegate import SWATCH_ROLE
from ui.models.search_results import ROW_ROLE, SNIPPET_LINES

QUOTE = "giving skippers live water levels on their phones"
HIGHLIGHT_NOTE = "Ask the **harbour board** about:\n\n- the *cost*\n- radio range"
STORY_NOTE = "**Hail** damage: check *crocus* yields with Trade contacts weekly"
COLORS = (QColor("black"), QColor("white"))


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, make_window: WindowFactory) -> MainWindow:
    """The fixture archive with a pink highlight with a Markdown note on Quiet Harbour and a
    Markdown note on the saffron story, indexed."""
    with Archive(data_dir) as archive:
        titles = {s.title.split()[0]: s.id for s in archive.list_stories()}
        archive.highlight_quote(titles["Quiet"], QUOTE, color=Color.PINK, note=HIGHLIGHT_NOTE)
        archive.add_note(titles["Saffron"], STORY_NOTE)
        archive.sync_index()
    return make_window()


def search(qtbot: QtBot, window: MainWindow, query: str) -> None:
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.search.edit.setText(query)
        window.search.on_timer_timeout()


def row_of(window: MainWindow, kind: str) -> tuple[int, HitRow]:
    model = window.results_model
    for n in range(model.rowCount()):
        row = model.index(n, 0).data(ROW_ROLE)
        assert isinstance(row, HitRow)
        if row.hit.kind == kind:
            return n, row
    raise AssertionError(f"no {kind} hit")


def parts(row: HitRow) -> list[Part]:
    return body_parts(row, QFont(), COLORS, SNIPPET_LINES)


def fragments(doc: QTextDocument) -> Iterator[QTextFragment]:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()


def marked_words(doc: QTextDocument) -> list[str]:
    """The words of ``doc`` drawn on a background: the search's marks."""
    return [
        f.text()
        for f in fragments(doc)
        if f.charFormat().background().style() != Qt.BrushStyle.NoBrush
    ]


def is_bold(doc: QTextDocument, word: str) -> bool:
    cursor = QTextCursor(doc)
    cursor.setPosition(doc.toRawText().index(word) + 1)
    return cursor.charFormat().fontWeight() >= QFont.Weight.Bold.value


def test_a_word_asked_of_the_source_is_not_marked_in_a_note(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, 'source:"Spice Trade Weekly"')
    _, row = row_of(window, "note")
    assert row.hit.terms == () and row.hit.title_terms == ()
    assert row.hit.source_terms == ("Spice", "Trade", "Weekly"), "marked in the source line"
    reason, note = parts(row)
    assert reason.doc.toPlainText() == "matched in the story's source"
    assert "Trade contacts weekly" in note.doc.toPlainText()
    assert marked_words(note.doc) == []


def test_a_highlight_found_by_its_story_title_says_so(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "gauge")
    _, row = row_of(window, "highlight")
    reason, quote, _note = parts(row)
    assert reason.doc.toPlainText() == "matched in the story's title"
    assert quote.doc.toPlainText() == f"“{QUOTE}”"


def test_a_highlight_row_shows_its_colour_and_its_quote_then_its_note(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "skippers")
    n, row = row_of(window, "highlight")
    index = window.results_model.index(n, 0)
    assert index.data(SWATCH_ROLE) == swatch(Color.PINK)
    assert "pink highlight" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert row.color == Color.PINK and row.quote == QUOTE and row.note == HIGHLIGHT_NOTE
    quote, note = parts(row)
    assert quote.doc.toPlainText() == f"“{QUOTE}”"
    assert marked_words(quote.doc) == ["skippers"]
    assert quote.lines is not None and quote.lines < SNIPPET_LINES, "a line is left for the note"
    assert note.indent > 0, "the note is set in under the quote"
    text = note.doc.toPlainText()
    assert text.startswith(f"{NOTE_LABEL}: Ask the harbour board about:")
    assert "**" not in text and "*cost*" not in text
    assert is_bold(note.doc, "harbour board")
    assert note.doc.blockCount() == 3, "the note's list keeps its items apart"
    assert not window.results.viewport().grab().isNull()


def test_a_note_hit_shows_its_markdown_as_formatted_text(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "crocus")
    _, row = row_of(window, "note")
    (note,) = parts(row)
    assert note.doc.toPlainText() == "Hail damage: check crocus yields with Trade contacts weekly"
    assert is_bold(note.doc, "Hail")
    assert marked_words(note.doc) == ["crocus"]


def test_a_note_never_loads_what_its_markdown_points_to() -> None:
    doc = note_document(
        "See ![the tide chart](http://example.org/chart.png) and <img src=x> [map](file:///m)",
        (),
        QFont(),
        COLORS,
    )
    assert doc.toPlainText() == "See the tide chart and <img src=x> map"
    assert not any(f.charFormat().isImageFormat() for f in fragments(doc))
    assert doc.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("file:///m")) is None


def test_a_hit_without_its_item_shows_the_snippet() -> None:
    hit = SearchHit("highlight", 9, 1, "Gone", 1.0, 'a <b class="match">tide</b>', terms=("tide",))
    (snippet,) = parts(HitRow(hit))
    assert snippet.doc.toPlainText() == "a tide"


def test_a_long_note_is_shown_from_the_paragraph_that_matched() -> None:
    note = "First thoughts.\n\n- stalls\n- **prices**\n\nThe hail hit the crocus fields."
    hit = SearchHit("note", 3, 1, "Saffron", 1.0, "…", terms=("crocus",))
    (shown,) = parts(HitRow(hit, note=note))
    assert shown.doc.toPlainText() == "… The hail hit the crocus fields."
    hit = SearchHit("note", 3, 1, "Saffron", 1.0, "…", terms=("prices",))
    (shown,) = parts(HitRow(hit, note=note))
    assert shown.doc.toPlainText() == "stalls\nprices\nThe hail hit the crocus fields."
