"""The search results model: what Archive.search found, shown in the story list's place with a
snippet whose matched words are bold."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt

from reader.model import SearchHit
from ui.rich_delegate import HTML_ROLE
from ui.story_model import ID_ROLE, NO_PARENT, Index, short_date

COLUMNS = ("Result", "Source", "Date", "Kind")
RESULT, SOURCE, DATE, KIND = range(len(COLUMNS))
HIT_ROLE = ID_ROLE + 1


def result_html(hit: SearchHit) -> str:
    """Title, then the snippet (already escaped by the core, with ``<b class="match">``)."""
    return f"<b>{html.escape(hit.title)}</b><br><span>{hit.snippet}</span>"


class SearchResultsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.hits: list[SearchHit] = []

    def set_hits(self, query: str, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.query = query
        self.hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        column = index.column()
        if role == ID_ROLE:
            return hit.story_id
        if role == HIT_ROLE:
            return hit
        if role == HTML_ROLE and column == RESULT:
            return result_html(hit)
        if role == Qt.ItemDataRole.ToolTipRole and column == RESULT:
            return hit.title
        if role == Qt.ItemDataRole.DisplayRole:
            if column == RESULT:
                return hit.title
            if column == SOURCE:
                return hit.source or ""
            if column == DATE:
                return short_date(hit.published)
            if column == KIND:
                return hit.kind
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Results stay in relevance order; a header click does not reorder them."""
