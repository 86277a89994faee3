"""Facet chips and the timeline over the results and the list: they appear after a search,
a chip or a week writes its query text into the search box and narrows the results, clicking
the chip again takes it out, and the chips are reachable from the keyboard."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from reader.archive import DB_FILENAME, Archive
from reader.archive.facets import facet_query
from reader.model import Color, FacetField, Facets, FacetValue
from tests.storage import factories
from tests.ui.conftest import WAIT_MS, WindowFactory, story_id_titled
from ui.core.keymap import BY_ACTION, is_plain
from ui.features.facets import active_terms, query_terms, toggled
from ui.main_window import MainWindow
from ui.panes.facets import FacetBar, chip_text
from ui.panes.middle import LIST_PAGE, RESULTS_PAGE


@pytest.fixture
def window(data_dir: Path, make_window: WindowFactory) -> MainWindow:
    """The fixture stories and three dated tariff stories in two publications over three weeks
    (the middle one empty), one of them highlighted."""
    with factories.opened(data_dir / DB_FILENAME) as db:
        first = factories.add(
            db,
            "Tariff talks resume",
            source="Harbor Ledger",
            published=datetime(2026, 11, 3, 8, tzinfo=UTC),
        )
        for title, source, dom in (
            ("Tariff deal stalls", "Northwind Wire", 17),
            ("Tariff vote set", "Harbor Ledger", 18),
        ):
            published = datetime(2026, 11, dom, 8, tzinfo=UTC)
            factories.add(db, title, source=source, published=published)
    with Archive(data_dir) as archive:
        archive.highlight_quote(first, "central bank", color=Color.PINK)
        archive.sync_index()
    return make_window()


def counted(qtbot: QtBot, window: MainWindow, query: str) -> Any:
    """Wait (in a with block) until the chips count the matches of ``query``."""
    return qtbot.waitSignal(
        window.facet_chips.shown, timeout=WAIT_MS, check_params_cb=lambda q: q == query
    )


def search_and_count(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type ``text`` into the search box and wait until the chips count its matches."""
    with counted(qtbot, window, text):
        window.search.edit.setText(text)


def chip_queries(window: MainWindow) -> list[str]:
    return [str(c.property("query")) for c in window.facet_bar.chips]


def chip(window: MainWindow, query: str) -> QToolButton:
    return next(c for c in window.facet_bar.chips if c.property("query") == query)


def test_chips_appear_after_a_search_and_narrow_it_both_ways(
    qtbot: QtBot, window: MainWindow
) -> None:
    search_and_count(qtbot, window, "tariff")
    assert window.middle.currentIndex() == RESULTS_PAGE
    assert window.results_model.rowCount() == 4
    assert all(c.isVisible() for c in window.facet_bar.chips)
    texts = [c.text() for c in window.facet_bar.chips]
    assert texts[:2] == ["Stories 3", "Highlights 1"]
    assert "Harbor Ledger 3" in texts and "Northwind Wire 1" in texts
    assert "pink 1" in texts and "Nov 2026 4" in texts
    assert not any(c.isChecked() for c in window.facet_bar.chips)

    with counted(qtbot, window, 'tariff source:"Northwind Wire"'):
        qtbot.mouseClick(chip(window, 'source:"Northwind Wire"'), Qt.MouseButton.LeftButton)
    assert [h.title for h in window.results_model.hits] == ["Tariff deal stalls"]
    assert chip(window, 'source:"Northwind Wire"').isChecked()

    with counted(qtbot, window, "tariff"):
        qtbot.mouseClick(chip(window, 'source:"Northwind Wire"'), Qt.MouseButton.LeftButton)
    assert window.results_model.rowCount() == 4
    assert not chip(window, 'source:"Northwind Wire"').isChecked()


def test_the_timeline_has_a_bar_per_week_and_a_click_adds_the_week(
    qtbot: QtBot, window: MainWindow
) -> None:
    search_and_count(qtbot, window, "tariff")
    timeline = window.facet_bar.timeline
    assert timeline.isVisible()
    assert [(w.start.isoformat(), w.count) for w in timeline.weeks] == [
        ("2026-11-02", 2),
        ("2026-11-09", 0),
        ("2026-11-16", 2),
    ]
    assert timeline.week_at(timeline.bar_rect(1).center().x()) == 1
    assert timeline.describe(timeline.weeks[0]) == "Week of 2 Nov 2026: 2 matches"
    with counted(qtbot, window, "tariff date:[2026-11-16 to 2026-11-22]"):
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.bar_rect(2).center())
    titles = sorted(h.title for h in window.results_model.hits)
    assert titles == ["Tariff deal stalls", "Tariff vote set"]
    assert [w.start.isoformat() for w in timeline.weeks] == ["2026-11-16"]


def test_the_list_has_chips_too_and_a_chip_starts_a_search(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: bool(chip_queries(window)) and not window.worker.busy, timeout=WAIT_MS)
    assert window.middle.currentIndex() == LIST_PAGE
    assert chip(window, "kind:story").text() == "Stories 7"
    bar = window.facet_bar
    if chip(window, "color:pink") in bar.flow.left_out:
        qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: chip(window, "color:pink") not in bar.flow.left_out)
    with counted(qtbot, window, "color:pink"):
        qtbot.mouseClick(chip(window, "color:pink"), Qt.MouseButton.LeftButton)
    assert window.middle.currentIndex() == RESULTS_PAGE
    assert [h.kind for h in window.results_model.hits] == ["highlight"]


def test_a_list_chip_counts_what_clicking_it_finds(
    qtbot: QtBot, data_dir: Path, make_window: WindowFactory
) -> None:
    """The All list hides archived stories, but a chip clicked above it searches the whole
    archive: its count takes in the archived story's highlight too, as the search does."""
    with factories.opened(data_dir / DB_FILENAME) as db:
        kept = factories.add(db, "Dredging plan shelved", source="Quayside Bulletin")
    with Archive(data_dir) as archive:
        archive.highlight_quote(kept, "central bank", color=Color.BLUE)
        archive.set_flags(kept, archived=True)
        archive.sync_index()
    window = make_window()
    qtbot.waitUntil(lambda: bool(chip_queries(window)) and not window.worker.busy, timeout=WAIT_MS)
    with pytest.raises(AssertionError):
        story_id_titled(window, "Dredging plan shelved")  # the All list hides it
    for query in ("kind:highlight", 'source:"Quayside Bulletin"'):
        shown = chip(window, query).text().rsplit(" ", 1)[-1]
        with counted(qtbot, window, query):
            chip(window, query).click()
        assert str(window.results_model.rowCount()) == shown, query
        assert "Dredging plan shelved" in [h.title for h in window.results_model.hits]
        with counted(qtbot, window, ""):
            window.searcher.clear()


def rows_of(buttons: list[QToolButton]) -> set[int]:
    return {b.geometry().top() for b in buttons}


def test_two_rows_of_chips_until_more_is_pressed(qtbot: QtBot, window: MainWindow) -> None:
    """A broad list's chips take two rows; the rest wait behind More, which the arrows and
    Tab reach; Fewer puts them away again."""
    bar = window.facet_bar
    window.resize(900, 700)
    qtbot.waitUntil(lambda: bool(chip_queries(window)) and not window.worker.busy, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(bar.flow.left_out) and bar.more not in bar.flow.left_out)
    shown = [c for c in bar.chips if c not in bar.flow.left_out]
    hidden = [c for c in bar.chips if c in bar.flow.left_out]
    assert shown and hidden
    assert len(rows_of([*shown, bar.more])) == 2
    assert all(c.geometry().isEmpty() for c in hidden)
    assert bar.more.text() == "More ▾" and not bar.more.geometry().isEmpty()
    # The chips in order, then More: Right from the last chip shown reaches it.
    window.facet_chips.focus()
    for _ in shown:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert QApplication.focusWidget() is bar.more
    qtbot.keyClick(bar.more, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bar.flow.left_out == [])
    assert len(rows_of([*bar.chips, bar.more])) > 2 and bar.more.text() == "Fewer ▴"
    assert all(not c.geometry().isEmpty() for c in bar.chips)
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hidden[0] in bar.flow.left_out)
    # Tab onto a chip left out shows every chip.
    hidden[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: bar.flow.left_out == [])
    assert bar.flow.expanded


def test_a_list_reloaded_again_and_again_is_counted_once_more_at_the_end(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    chips = window.facet_chips
    qtbot.waitUntil(lambda: bool(chip_queries(window)) and not window.worker.busy, timeout=WAIT_MS)
    started: list[str] = []
    start = chips._start

    def counting(request: int, query: str, fn: Any) -> None:
        started.append(query)
        start(request, query, fn)

    monkeypatch.setattr(chips, "_start", counting)
    chips.throttle.stop()
    chips.on_list_loaded()
    assert started == [""] and chips.throttle.isActive()
    for _ in range(3):
        chips.on_list_loaded()
    assert started == [""]
    chips.throttle.stop()
    with counted(qtbot, window, ""):
        chips.throttle.timeout.emit()
    assert started == ["", ""]
    # Another view has the same chips (a chip searches the whole archive): it waits too.
    window.sidebar.select_key("view:starred")
    qtbot.waitUntil(lambda: chips._list_again, timeout=WAIT_MS)
    assert started == ["", ""]


def test_chips_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    search_and_count(qtbot, window, "tariff")
    window.results.setFocus()
    assert BY_ACTION["focus_facets"].keys == ("F",) and is_plain("F") and not is_plain("F5")
    qtbot.keyClick(window.results, Qt.Key.Key_F)
    chips = window.facet_bar.chips
    assert chips[0].hasFocus()
    qtbot.keyClick(chips[0], Qt.Key.Key_Right)
    assert chips[1].hasFocus() and chips[1].property("query") == "kind:highlight"
    with counted(qtbot, window, "tariff kind:highlight"):
        qtbot.keyClick(chips[1], Qt.Key.Key_Return)
    assert [h.kind for h in window.results_model.hits] == ["highlight"]
    # The chips were made anew for the narrower search; the focus stays on the one pressed.
    focused = QApplication.focusWidget()
    assert isinstance(focused, QToolButton)
    assert focused.property("query") == "kind:highlight" and focused.isChecked()
    qtbot.keyClick(focused, Qt.Key.Key_Escape)
    assert window.results.hasFocus()


def test_the_timeline_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    search_and_count(qtbot, window, "tariff")
    timeline = window.facet_bar.timeline
    timeline.setFocus()
    assert timeline.current == 2
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    assert timeline.current == 0
    with counted(qtbot, window, "tariff date:[2026-11-02 to 2026-11-08]"):
        qtbot.keyClick(timeline, Qt.Key.Key_Return)
    assert [h.title for h in window.results_model.hits] == ["Tariff talks resume"] * 2


def test_an_invalid_query_leaves_no_chips(qtbot: QtBot, window: MainWindow) -> None:
    search_and_count(qtbot, window, "tariff")
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.search.edit.setText("tariff AND (")
    qtbot.waitUntil(lambda: not window.facet_bar.chips, timeout=WAIT_MS)
    assert not window.facet_bar.isVisible()


def value(field: FacetField, name: str, count: int) -> FacetValue:
    return FacetValue(field, name, count, facet_query(field, name))


def test_chips_read_as_names_with_the_query_in_the_tooltip(qtbot: QtBot) -> None:
    assert chip_text(value(FacetField.KIND, "highlight", 12)) == "Highlights 12"
    assert chip_text(value(FacetField.SOURCE, "Harbor Ledger", 1040)) == "Harbor Ledger 1,040"
    assert chip_text(value(FacetField.TAG, "ports", 2)) == "#ports 2"
    assert chip_text(value(FacetField.TAG, "supply chain", 1)) == "#supply chain 1"
    assert chip_text(value(FacetField.COLOR, "yellow", 1)) == "yellow 1"
    assert chip_text(value(FacetField.MONTH, "2026-11", 30)) == "Nov 2026 30"
    bar = FacetBar()
    qtbot.addWidget(bar)
    tagged = value(FacetField.TAG, "supply chain", 1)
    bar.set_facets(Facets(total=1, values=(tagged,)), frozenset())
    assert [c.text() for c in bar.chips] == ["#supply chain 1"]
    assert bar.chips[0].toolTip() == 'Add tag:"supply chain" to the search'


def test_query_text_is_added_and_taken_out_whole() -> None:
    assert query_terms('a source:"Harbor Ledger" date:[2026-11-02 to 2026-11-08] "x y"') == [
        "a",
        'source:"Harbor Ledger"',
        "date:[2026-11-02 to 2026-11-08]",
        '"x y"',
    ]
    assert toggled("", "tag:ports") == "tag:ports"
    assert toggled("tide", "tag:ports") == "tide tag:ports"
    assert toggled("tide OR surge", "tag:ports") == "(tide OR surge) tag:ports"
    assert toggled("(tide OR surge) tag:ports", "tag:ports") == "(tide OR surge)"
    assert toggled("tide OR tag:ports", "tag:ports") == "tide"
    assert toggled("tag:ports OR tide", "TAG:Ports") == "tide"
    assert toggled("tide NOT tag:ports", "tag:ports") == "tide"
    assert active_terms('Tide source:"Harbor Ledger"') == {"tide", 'source:"harbor ledger"'}


def test_counting_a_list_does_not_hold_up_the_analysts_operations(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facets are read on the background reader: an operation the analyst asks for while a
    100,000-story view is being counted is answered first."""
    import threading

    qtbot.waitUntil(lambda: bool(chip_queries(window)) and not window.worker.busy, timeout=WAIT_MS)
    counting, release = threading.Event(), threading.Event()
    list_facets = Archive.list_facets

    def slow(archive: Archive, **kwargs: Any) -> Any:
        counting.set()
        assert release.wait(WAIT_MS / 1000), "the test never let the count finish"
        return list_facets(archive, **kwargs)

    monkeypatch.setattr(Archive, "list_facets", slow)
    window.facet_chips.throttle.stop()
    window.sidebar.select_key("view:starred")
    qtbot.waitUntil(counting.is_set, timeout=WAIT_MS)
    answered: list[object] = []
    window.worker.run(lambda a: a.view_counts(), done=answered.append)
    qtbot.waitUntil(lambda: bool(answered), timeout=WAIT_MS)
    assert not release.is_set()
    release.set()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
