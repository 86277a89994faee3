"""The story list's model: it holds only story ids and fetches rows lazily, a page at a time,
through the GUI thread's read-only Archive, keeping a few pages in an LRU cache.

Fetching on the GUI thread is deliberate: a page is one indexed primary-key read of ~200 rows
(sub-millisecond), as in Anki's browser; everything slower goes through the worker.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from reader.errors import ReaderError
from reader.model import Order, StorySummary
from ui.core.colors import muted_text
from ui.core.text import day_date

PAGE_SIZE = 200
MAX_PAGES = 8
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PREVIEW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The story's first words, for the title cell's second line."""

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
# New columns go at the end, so a header state saved by an older version keeps its meaning;
# the view shows them in READING_ORDER.
COLUMNS = ("", "Title", "Source", "Published", "✎", "Author", "Tags", "Added", "Time")
MARK, TITLE, SOURCE, DATE, HIGHLIGHTS, AUTHOR, TAGS, ADDED, READING = range(len(COLUMNS))
SHOWN_ORDER = (MARK, TITLE, SOURCE, AUTHOR, TAGS, DATE, ADDED, READING, HIGHLIGHTS)
"""The columns left to right."""
OPTIONAL = {
    SOURCE: "Source",
    AUTHOR: "Author",
    TAGS: "Tags",
    DATE: "Published",
    ADDED: "Added",
    READING: "Reading time",
    HIGHLIGHTS: "Highlights",
}
"""The columns the analyst may hide, with their names in the header's menu."""
HIDDEN_AT_FIRST = (AUTHOR, TAGS, ADDED, READING)
"""Shown from the header's menu: at the list's first width the title keeps the room."""
ORDER_KEYS = {
    TITLE: Order.TITLE,
    SOURCE: Order.SOURCE,
    DATE: Order.PUBLISHED,
    HIGHLIGHTS: Order.HIGHLIGHTS,
    ADDED: Order.FETCHED,
}
"""Header column -> the ``order`` Archive.story_ids sorts by."""
WORDS_PER_MINUTE = 230


class StoryTableModel(QAbstractTableModel):
    sortRequested = Signal(object, bool)
    """The Order asked for, and whether descending."""
    fetchFailed = Signal(str)

    def __init__(self, fetch: Callable[[Sequence[int]], list[StorySummary]]) -> None:
        super().__init__()
        self._fetch = fetch
        self.ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, StorySummary]] = OrderedDict()
        self.fetched_rows = 0
        """How many rows were read from the archive since creation (lazy-loading tests)."""

    # -- ids ----------------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show ``ids``; same ids keep the view as it is and only drop the cached rows."""
        new = list(ids)
        if new == self.ids:
            self.invalidate()
            return
        old = len(self.ids)
        if old and len(new) > old and new[:old] == self.ids:
            # The rest of a list whose top is shown: appended, so the selection and the
            # scroll position stay where the analyst has them.
            self.beginInsertRows(NO_PARENT, old, len(new) - 1)
            self.ids = new
            self.endInsertRows()
            return
        self.beginResetModel()
        self.ids = new
        self._pages.clear()
        self.endResetModel()

    def remove_id(self, story_id: int) -> int:
        """Take one story's row out at once (the list's next load confirms it); returns the
        row it had, or -1."""
        row = self.row_of(story_id)
        if row >= 0:
            self.beginRemoveRows(NO_PARENT, row, row)
            del self.ids[row]
            # Pages are cut by row number: every page from this row on has shifted.
            self._pages.clear()
            self.endRemoveRows()
        return row

    def insert_id(self, row: int, story_id: int) -> None:
        """Put a row taken out by :meth:`remove_id` back (its operation failed)."""
        if story_id in self.ids:
            return
        row = max(0, min(row, len(self.ids)))
        self.beginInsertRows(NO_PARENT, row, row)
        self.ids.insert(row, story_id)
        self._pages.clear()
        self.endInsertRows()

    def invalidate(self) -> None:
        """Forget cached rows (flags or counts changed) and repaint."""
        self._pages.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def row_of(self, story_id: int) -> int:
        try:
            return self.ids.index(story_id)
        except ValueError:
            return -1

    def story_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def summary(self, row: int) -> StorySummary | None:
        if not 0 <= row < len(self.ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self.ids[row])

    def _load(self, page_no: int) -> dict[int, StorySummary]:
        ids = self.ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        try:
            rows = self._fetch(ids)
        except ReaderError as err:
            self.fetchFailed.emit(str(err))
            return {}
        self.fetched_rows += len(rows)
        page = {s.id: s for s in rows}
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # -- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return _HEADER_TIPS.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == ID_ROLE:
            return self.story_id(row)
        if role == PREVIEW_ROLE:
            summary = self.summary(row)
            return summary.preview if summary is not None else ""
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        s = self.summary(row)
        if s is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and column == TITLE else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, column)
        undated = column == DATE and s.published is None
        if role == Qt.ItemDataRole.FontRole and column == TITLE and not s.is_read:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.FontRole and undated:
            font = QFont(QApplication.font())
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == MARK:
            return QApplication.palette().color(QPalette.ColorRole.Highlight)
        if role == Qt.ItemDataRole.ForegroundRole and undated:
            return muted_text()
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole and column == DATE:
            return _date_tip(s)
        if role == Qt.ItemDataRole.ToolTipRole and column == READING and s.word_count:
            return f"{s.word_count:,} words"
        if role == Qt.ItemDataRole.ToolTipRole and column == TAGS and s.tags:
            return ", ".join(s.tags)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MARK, HIGHLIGHTS):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == READING:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(s: StorySummary, column: int) -> str:
        if column == MARK:
            return (
                ("★" if s.is_starred else "")
                + ("◷" if s.is_later else "")
                + ("●" if not s.is_read else "")
            )
        if column == TITLE:
            return s.title
        if column == SOURCE:
            return s.source or ""
        if column == DATE:
            return day_date(s.published) if s.published else added_date(s.fetched)
        if column == HIGHLIGHTS:
            return str(s.highlight_count) if s.highlight_count else ""
        if column == AUTHOR:
            return s.byline or ""
        if column == TAGS:
            return ", ".join(s.tags)
        if column == ADDED:
            return day_date(s.fetched) if s.fetched else ""
        if column == READING:
            return reading_time(s.word_count)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the list sorted by ``column``; by date, an undated story sorts by when it
        was added, below the stories published that day (``Archive.story_ids`` does it)."""
        key = ORDER_KEYS.get(column)
        if key is not None:
            self.sortRequested.emit(key, order == Qt.SortOrder.DescendingOrder)


_HEADER_TIPS = {
    MARK: "● unread   ★ starred   ◷ later",
    DATE: "When the story was published (an undated one: when it was added, saying so)",
    ADDED: "When the story was added to the archive",
    READING: f"Time to read, at {WORDS_PER_MINUTE} words a minute",
    HIGHLIGHTS: "Highlights",
}


def reading_time(words: int) -> str:
    """ "4 min": the time to read ``words``, never under a minute; nothing for no text."""
    return f"{max(1, round(words / WORDS_PER_MINUTE))} min" if words else ""


def added_date(value: datetime | None) -> str:
    """An undated story's date cell: when it was added, saying so ("added 1 Dec"; the year
    only when it is not this one), so it never passes for a publication date."""
    if value is None:
        return ""
    local = value.astimezone()
    if local.year == datetime.now().astimezone().year:
        return f"added {local.day} {local:%b}"
    return f"added {day_date(value)}"


def _date_tip(s: StorySummary) -> str:
    if s.published is not None:
        return f"Published {s.published.astimezone():%d %b %Y, %H:%M}"
    added = f" on {s.fetched.astimezone():%d %b %Y, %H:%M}" if s.fetched else ""
    return f"No publication date: added to the archive{added}"
