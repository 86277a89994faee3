"""The sidebar's entries are rebuilt on every refresh of its counts: the old ones must go, not
pile up (PySide6's ``takeChildren()`` freed none of them)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from reader.model import SavedSearch, SavedSearchCount, Source, TagUse, View
from ui.panes.saved_searches import SavedSearchSection
from ui.panes.sidebar import Counts, Sidebar

REFRESHES = 30


def live_items() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, QTreeWidgetItem))


def counts() -> Counts:
    sources = [(Source(i, "publication", f"Tidewater Gazette {i}"), i * 3) for i in range(1, 9)]
    tags = [TagUse("dredging", 4, 2), TagUse("tariffs", 1, 5)]
    return Counts({View.ALL: 24, View.UNREAD: 7}, sources, tags)


def test_refreshing_the_counts_keeps_as_many_entries(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_counts(counts())
    before = live_items()
    for _ in range(REFRESHES):
        sidebar.set_counts(counts())
    assert live_items() == before
    assert sidebar.sources.childCount() == 8
    assert sidebar.item("source:3") is not None


def test_refreshing_saved_searches_keeps_as_many_entries(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    section = SavedSearchSection(sidebar)
    when = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    saved = [
        SavedSearchCount(SavedSearch(i, f"Harbour watch {i}", "dredging", when, when), 5, i)
        for i in range(1, 4)
    ]
    section.set_counts(saved)
    before = live_items()
    for _ in range(REFRESHES):
        section.set_counts(saved)
    assert live_items() == before
    assert section.group.childCount() == 3
