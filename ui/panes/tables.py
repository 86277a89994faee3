"""The two table panes of the middle column, the story list and the search results: fixed-height
rows, one selected row at a time, and selecting a row the way a user would."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models import story_model
from ui.models.search_results import SearchResultDelegate, SearchResultsModel
from ui.models.story_model import StoryTableModel


class RowTable(QTableView):
    """A table of whole rows: Home and End go to the first and last row (a plain table moves
    to the first and last column of the row, which a row-selecting list does not have)."""

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if cursorAction in (
            QAbstractItemView.CursorAction.MoveHome,
            QAbstractItemView.CursorAction.MoveEnd,
        ):
            modifiers = modifiers | Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(cursorAction, modifiers)


def _table(parent: QWidget, name: str, row_height: int) -> QTableView:
    table = RowTable(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.hide()
    # Fixed row heights: the view never asks the model for rows it does not show.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(False)
    return table


def story_table(parent: QWidget, model: StoryTableModel) -> QTableView:
    """The story list: a mark column, the title taking the room, source, date and highlights."""
    table = _table(parent, "story-list", parent.fontMetrics().height() + 10)
    table.setModel(model)
    header = table.horizontalHeader()
    for column, mode in (
        (story_model.MARK, QHeaderView.ResizeMode.Fixed),
        (story_model.TITLE, QHeaderView.ResizeMode.Stretch),
        (story_model.SOURCE, QHeaderView.ResizeMode.Interactive),
        (story_model.DATE, QHeaderView.ResizeMode.Interactive),
        (story_model.HIGHLIGHTS, QHeaderView.ResizeMode.Fixed),
    ):
        header.setSectionResizeMode(column, mode)
    # Narrow fixed columns around the title; the title takes whatever width is left.
    width = table.fontMetrics().horizontalAdvance
    header.setMinimumSectionSize(width("99") + 12)
    header.resizeSection(story_model.MARK, width("★●") + 12)
    header.resizeSection(story_model.SOURCE, width("Northwind Wire") + 12)
    header.resizeSection(story_model.DATE, width("added 29 Nov") + 20)
    header.resizeSection(story_model.HIGHLIGHTS, width("99") + 12)
    return table


def results_table(parent: QWidget, model: SearchResultsModel) -> QTableView:
    """The search results, each hit drawn with its snippet."""
    table = _table(parent, "search-results", SearchResultDelegate.row_height(parent.font()))
    table.setModel(model)
    table.setItemDelegate(SearchResultDelegate(table))
    table.setAlternatingRowColors(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table


def select_row(table: QTableView, row: int) -> None:
    """Make ``row`` the current, selected row, scrolled into view (the list opens its story)."""
    # The title's cell in the story list (where the focus frame belongs), else the first.
    index = table.model().index(row, min(story_model.TITLE, table.model().columnCount() - 1))
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)
