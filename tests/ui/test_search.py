"""Search from the toolbar box: results replace the list, opening one scrolls to the match."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import SearchResults
from tests.ui.conftest import WAIT_MS, Opener, WindowFactory, shown_story
from ui.features.search import SEARCH_LIMIT
from ui.main_window import MainWindow
from ui.models.hit_text import mark_terms
from ui.models.search_results import HIT_ROLE, SearchResultsModel, count_text
from ui.panes.middle import LIST_PAGE, RESULTS_PAGE


def search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search.edit.setFocus()
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        qtbot.keyClicks(window.search.edit, text)


def test_typing_shows_results_and_opening_one_scrolls_to_it(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    open_story(window, "Quiet Harbour")
    window.reader.resize(window.reader.width(), 200)
    search(qtbot, window, "cardamom")
    assert window.middle.currentIndex() == RESULTS_PAGE
    model = window.results_model
    assert model.rowCount() >= 1
    hit = model.hit(0)
    assert hit is not None
    assert hit.title.startswith("Saffron")
    assert '<b class="match">' in hit.snippet

    qtbot.keyClick(window.search.edit, Qt.Key.Key_Down)
    assert window.results.hasFocus()
    qtbot.waitUntil(lambda: window.opener.story_id == hit.story_id, timeout=WAIT_MS)
    reader = window.reader
    ranges = reader.term_ranges
    assert [shown_story(window).text[s:e].lower() for s, e in ranges] == ["cardamom"]
    rect = reader.cursorRect(reader.cursor_for(*ranges[0]))
    assert reader.viewport().rect().contains(rect)
    assert "cardamom" in [t.lower() for t in reader.extra_selection_texts()]


def test_invalid_query_shows_a_message_not_a_dialog(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "tide AND (")
    assert window.search.message.isVisible()
    assert window.search.message.text()
    search(qtbot, window, ")")
    window.search.edit.clear()
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        qtbot.keyClicks(window.search.edit, "tide")
    assert not window.search.message.isVisible()


INVALID = {
    "date:>banana": "cannot read the date 'banana'",
    "title:(port OR": "unbalanced parentheses",
    "color:chartreuse": "unknown color 'chartreuse'",
    '"unclosed': "unbalanced quotes",
}


def run_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.search.edit.setText(text)
        window.search.on_timer_timeout()


def left_in(window: MainWindow, widget: QWidget) -> int:
    return widget.mapTo(window, QPoint(0, 0)).x()


@pytest.mark.parametrize("width", [1280, 760])
def test_an_invalid_query_clears_the_results_and_shows_its_whole_error(
    qtbot: QtBot, window: MainWindow, width: int
) -> None:
    """Issue 12.6: no previous hits under the error, the message never cut at the window's
    edge (whole in the tooltip and wrapped over the results), the box keeping its size."""
    window.resize(width, 700)
    bar, notice, edit = window.search.message, window.searcher.notice, window.search.edit
    run_query(qtbot, window, "tide")
    box = edit.width()
    for query, message in INVALID.items():
        run_query(qtbot, window, "tide")
        assert window.results_model.rowCount() > 0
        run_query(qtbot, window, query)
        assert window.results_model.rowCount() == 0, "the previous query's hits are gone"
        assert window.middle.currentIndex() == RESULTS_PAGE
        assert message in bar.text() and bar.toolTip() == bar.text()
        shown = bar.shown_text()
        assert bar.isVisible() and bar.text().startswith(shown.removesuffix("…")), "elided"
        assert left_in(window, bar) + bar.width() <= left_in(window, edit)
        assert notice.isVisible() and notice.text().endswith(bar.text())
        assert notice.width() == window.results.viewport().width()
        assert notice.height() >= notice.heightForWidth(notice.width()), "nothing cut off"
        assert edit.width() == box, "the search box keeps its size"
        assert left_in(window, edit) + edit.width() <= window.width()
    run_query(qtbot, window, "tide")
    assert not bar.isVisible() and not notice.isVisible()
    assert window.results_model.rowCount() > 0


def test_escape_clears_the_search(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "gauge")
    assert window.middle.currentIndex() == RESULTS_PAGE
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Escape)
    assert window.search.edit.text() == ""
    assert window.middle.currentIndex() == LIST_PAGE


def test_stale_results_are_discarded(qtbot: QtBot, window: MainWindow) -> None:
    window.search.edit.setText("saffron")
    window.search.on_timer_timeout()
    window.search.edit.setText("drones")
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS) as blocker:
        window.search.on_timer_timeout()
    assert blocker.args == ["drones"]
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    assert window.results_model.query == "drones"
    assert all(h.title.startswith("Orchard") for h in window.results_model.hits)


def test_results_use_the_full_width_and_show_title_tag_and_snippet(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "tide")
    results, model = window.results, window.results_model
    assert model.rowCount() >= 1
    assert model.columnCount() == 1
    header = results.horizontalHeader()
    assert header.sectionSize(0) >= results.viewport().width() - 2
    # Counted apart from the model: the same search asked of the archive directly.
    answers: list[SearchResults] = []
    window.worker.run(
        lambda a: a.search_results("tide", limit=SEARCH_LIMIT, sync=False), done=answers.append
    )
    qtbot.waitUntil(lambda: bool(answers), timeout=WAIT_MS)
    label = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    n = len(answers[0].hits)
    assert not answers[0].capped
    assert label == ("1 result" if n == 1 else f"{n} results") + " for “tide”"
    line = QFontMetrics(results.font()).lineSpacing()
    assert results.rowHeight(0) >= 5 * line, "title, kind and source, and three snippet lines"


def test_a_capped_count_says_there_were_more(qtbot: QtBot, window: MainWindow) -> None:
    answers: list[SearchResults] = []
    window.worker.run(
        lambda a: a.search_results("kind:story", limit=1, sync=False), done=answers.append
    )
    qtbot.waitUntil(lambda: bool(answers), timeout=WAIT_MS)
    assert len(answers[0].hits) == 1 and answers[0].capped, "the samples hold more than one story"
    model = SearchResultsModel()
    model.set_results("kind:story", answers[0])
    label = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert label == "1+ results for “kind:story”"
    many = SearchResults(answers[0].hits * 200, capped=True)
    assert count_text("harbour", len(many.hits), many.capped) == "200+ results for “harbour”"
    assert count_text("harbour", 200) == "200 results for “harbour”"


def test_matched_words_in_a_title_are_marked_and_the_rest_escaped() -> None:
    marked = mark_terms("Tides & tidal <gauges>", ("tide", "tidal"))
    assert marked == (
        '<span class="match">Tides</span> &amp; <span class="match">tidal</span> &lt;gauges&gt;'
    )
    assert mark_terms("No <match>", ()) == "No &lt;match&gt;"


def test_a_search_index_backlog_is_worked_off_in_the_background(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory
) -> None:
    """A lost index is refilled batch by batch, with the backlog shown, and search works after."""
    import shutil

    shutil.rmtree(data_dir / "index")
    window = make_window()
    seen: list[int] = []
    window.worker.indexing.connect(seen.append)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == 0, timeout=WAIT_MS)
    assert not window.indexing_label.isVisible()
    window.on_worker_indexing(1234)
    assert window.indexing_label.isVisibleTo(window)
    assert window.indexing_label.text() == "Indexing for search: 1,234 left"
    window.on_worker_indexing(0)
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.search.edit.setText("harbour")
    assert window.results_model.rowCount() > 0


def highlight_word(archive: Archive, story_id: int, word: str) -> None:
    text = archive.story(story_id).text
    at = text.lower().index(word)
    archive.highlight_quote(story_id, text[at : at + len(word)], note="check the price")


def test_the_results_follow_a_change_once_the_index_has_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A highlight made while the results are shown joins them once it is indexed; the hit
    the analyst is on stays current, and its story is not opened again."""
    search(qtbot, window, "cardamom")
    model = window.results_model
    before = [(h.kind, h.item_id) for h in model.hits]
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Down)
    current = model.hits[0]
    qtbot.waitUntil(lambda: window.opener.story_id == current.story_id, timeout=WAIT_MS)
    opened: list[int] = []
    window.opener.storyOpened.connect(lambda *args: opened.append(1))
    story_id = current.story_id
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.worker.run(lambda a: highlight_word(a, story_id, "cardamom"), write=True)
    kinds = [h.kind for h in model.hits]
    assert len(model.hits) == len(before) + 1 and "highlight" in kinds
    hit = window.results.currentIndex().data(HIT_ROLE)
    assert (hit.kind, hit.item_id) == (current.kind, current.item_id)
    assert opened == []
