"""The story list's date column: an undated story says when it was added, in the muted italic
of secondary text, and sorts below the stories published on that day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from tests.ui.conftest import WAIT_MS, WindowFactory
from ui.core.colors import muted_text
from ui.models import story_model
from ui.models.story_model import DATE, TITLE


def _note(title: str, day: date | None) -> bytes:
    front = f"---\ntitle: {title}\ndate: {day.isoformat()}\n---\n\n" if day else f"# {title}\n\n"
    return (front + f"{title} is what the council talked about on the day it met.\n").encode()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Published today, published yesterday, and one with no date imported now."""
    folder = tmp_path / "data"
    today = date.today()
    with Archive(folder) as archive:
        for title, day in (
            ("Published yesterday", today - timedelta(days=1)),
            ("Published this morning", today),
            ("Undated note", None),
        ):
            archive.import_bytes(_note(title, day), origin=f"{title}.md", filename=f"{title}.md")
        archive.sync_index()
    return folder


def _titles(window_model: story_model.StoryTableModel) -> list[str]:
    titles = []
    for row in range(window_model.rowCount()):
        summary = window_model.summary(row)
        assert summary is not None
        titles.append(summary.title)
    return titles


def test_an_undated_story_shows_added_and_sorts_below_that_days_news(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    model = window.story_model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=WAIT_MS)

    # Added after this morning's story was published, but listed below it.
    assert _titles(model) == ["Published this morning", "Undated note", "Published yesterday"]
    undated = model.index(1, DATE)
    assert str(model.data(undated)).startswith("added ")
    font = model.data(undated, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert model.data(undated, Qt.ItemDataRole.ForegroundRole) == muted_text()
    assert "No publication date" in str(model.data(undated, Qt.ItemDataRole.ToolTipRole))

    dated = model.index(0, DATE)
    assert not str(model.data(dated)).startswith("added")
    assert model.data(dated, Qt.ItemDataRole.FontRole) is None
    assert str(model.data(dated, Qt.ItemDataRole.ToolTipRole)).startswith("Published")

    with qtbot.waitSignal(model.modelReset, timeout=WAIT_MS):
        window.table.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
    assert _titles(model) == ["Published yesterday", "Published this morning", "Undated note"]
    assert model.data(model.index(2, TITLE)) == "Undated note"
