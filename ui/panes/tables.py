"""The two table panes of the middle column, the story list and the search results: fixed-height
rows, one selected row at a time, and selecting a row the way a user would."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ui.models import story_model
from ui.models.search_results import SearchResultDelegate, SearchResultsModel
from ui.models.story_model import StoryTableModel
from ui.models.story_preview import row_height


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
    table = _table(parent, "story-list", row_height(parent.font(), preview=False))
    table.setModel(model)
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    for column, mode in (
        (story_model.MARK, QHeaderView.ResizeMode.Fixed),
        (story_model.TITLE, QHeaderView.ResizeMode.Stretch),
        (story_model.HIGHLIGHTS, QHeaderView.ResizeMode.Fixed),
    ):
        header.setSectionResizeMode(column, mode)
    # Narrow fixed columns around the title; the title takes whatever width is left.
    width = table.fontMetrics().horizontalAdvance
    header.setMinimumSectionSize(width("99") + 12)
    header.resizeSection(story_model.MARK, width("★◷●") + 12)
    header.resizeSection(story_model.SOURCE, width("Northwind Wire") + 12)
    header.resizeSection(story_model.AUTHOR, width("Northwind Wire") + 12)
    header.resizeSection(story_model.TAGS, width("markets, rivers") + 12)
    header.resizeSection(story_model.DATE, width("added 29 Nov") + 20)
    header.resizeSection(story_model.ADDED, width("29 Nov 2026") + 20)
    header.resizeSection(story_model.READING, width("99 min") + 12)
    header.resizeSection(story_model.HIGHLIGHTS, width("99") + 12)
    _lay_out_columns(header)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(
        lambda pos: column_menu(header).popup(header.mapToGlobal(pos))
    )
    return table


def _lay_out_columns(header: QHeaderView) -> None:
    """The columns in their order, those an analyst adds when wanted hidden."""
    for place, column in enumerate(story_model.SHOWN_ORDER):
        header.moveSection(header.visualIndex(column), place)
    for column in story_model.HIDDEN_AT_FIRST:
        header.setSectionHidden(column, True)


def restore_story_header(header: QHeaderView, state: QByteArray) -> None:
    """Widths, sort and hidden columns as the window last had them. A state saved before the
    author, tags, added and reading-time columns existed comes back with the new ones in
    the logical order Qt gives them, all shown: they are put in place and hidden, and the old
    columns keep what the analyst chose."""
    if not header.restoreState(state):
        return
    if header.visualIndex(story_model.HIGHLIGHTS) != header.count() - 1:
        _lay_out_columns(header)


def column_menu(header: QHeaderView) -> QMenu:
    """The header's menu: a tick for each column the analyst may show or hide (the title and
    the marks always stay). The window keeps the header's state, hidden columns included."""
    menu = QMenu(header)
    menu.setObjectName("list-columns-menu")
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    for column in sorted(story_model.OPTIONAL, key=story_model.SHOWN_ORDER.index):
        action = menu.addAction(story_model.OPTIONAL[column])
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.toggled.connect(lambda shown, c=column: header.setSectionHidden(c, not shown))
    return menu


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


def focus_keeping_row(table: QTableView) -> None:
    """Give a table the keyboard without choosing a row for the analyst: a view with no
    current row makes its first one current on a focus-in by the keyboard
    (QAbstractItemView::focusInEvent), and here that would open the row's story unasked."""
    chosen = table.currentIndex().isValid()
    selection = table.selectionModel()
    blocked = selection.blockSignals(True)
    table.setFocus()
    if not chosen:
        selection.clearCurrentIndex()
    selection.blockSignals(blocked)
