"""Marking several rows of a list (the story list, the notebook) for a bulk action: the view's
selection, read as merged row ranges so 100,000 marked rows cost a few slices, kept by id when
the list is read again, and the keys that change it (x, Shift+j/k, Ctrl+A, Esc).

A list is *marking* once more than its current row is selected (Shift or Ctrl with a click or
an arrow, or the keys here); then j and k move the current row and leave the marks alone, as in
a mail client. A plain click, or the window choosing a row, goes back to one selected row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView

Flag = QItemSelectionModel.SelectionFlag
Keys = Callable[[int, int], Sequence[int]]
"""The ids of rows ``first`` to ``last`` (inclusive), as the model holds them."""


def merged_ranges(view: QAbstractItemView) -> list[tuple[int, int]]:
    """The selected rows as sorted, disjoint ``(first, last)`` ranges."""
    selection = view.selectionModel().selection()
    spans = sorted((r.top(), r.bottom()) for r in map(selection.at, range(selection.count())))
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(bottom, merged[-1][1]))
        else:
            merged.append((top, bottom))
    return merged


class Marks(QObject):
    changed = Signal(int)
    """How many rows are marked (0 when the list is not marking)."""

    def __init__(self, view: QAbstractItemView, keys: Keys) -> None:
        super().__init__(view)
        self.view = view
        self.keys = keys
        self.marking = False
        self._own = False
        """The selection is being changed here, not by a click or the window."""
        self._anchor: int | None = None
        self._base = QItemSelection()
        """The marks made before a Shift+j/k run began, which the run adds to."""
        self._saved: set[int] | None = None
        self._saved_current: int | None = None
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        selection = view.selectionModel()
        selection.selectionChanged.connect(self.on_selection_selectionChanged)
        selection.currentChanged.connect(self.on_selection_currentChanged)
        model = view.model()
        model.modelAboutToBeReset.connect(self.on_model_modelAboutToBeReset)
        model.modelReset.connect(self.on_model_modelReset)

    # -- what is marked -------------------------------------------------------------------

    def ranges(self) -> list[tuple[int, int]]:
        return merged_ranges(self.view) if self.marking else []

    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges())

    def marked_keys(self) -> list[int]:
        """The marked rows' ids in list order: slices of the model's ids, no row is read."""
        return [key for first, last in self.ranges() for key in self.keys(first, last)]

    # -- changing the marks ---------------------------------------------------------------

    def toggle(self) -> None:
        """Mark the current row, or unmark it if it is marked (the first x keeps the one
        selected row marked and starts marking)."""
        current = self.view.currentIndex()
        if not current.isValid():
            return
        if not self.marking:
            self._set_marking(True, select=self._row_selection(current.row(), current.row()))
            return
        selected = self.view.selectionModel().isRowSelected(current.row(), QModelIndex())
        self._apply(
            self._row_selection(current.row(), current.row()),
            Flag.Deselect if selected else Flag.Select,
        )
        if self.count() == 0:
            self._set_marking(False)

    def extend(self, step: int) -> None:
        """Move the current row by ``step`` and mark every row from where the run began."""
        rows = self.view.model().rowCount()
        current = self.view.currentIndex()
        if rows == 0:
            return
        here = current.row() if current.isValid() else 0
        if self._anchor is None:
            self._anchor = here
            self._base = (
                QItemSelection(self.view.selectionModel().selection())
                if self.marking
                else QItemSelection()
            )
        target = max(0, min(here + step, rows - 1))
        selection = QItemSelection(self._base)
        selection.merge(
            self._row_selection(min(self._anchor, target), max(self._anchor, target)), Flag.Select
        )
        anchor = self._anchor
        self._set_current(target)
        self._anchor = anchor
        self._set_marking(True, select=selection)

    def move(self, step: int) -> bool:
        """While marking, move the current row and keep the marks; False when not marking
        (the caller moves the one selected row as usual)."""
        if not self.marking:
            return False
        rows = self.view.model().rowCount()
        if rows:
            current = self.view.currentIndex().row()
            self._set_current(max(0, min(current + step, rows - 1)))
        return True

    def select_all(self) -> None:
        rows = self.view.model().rowCount()
        if rows:
            self._set_marking(True, select=self._row_selection(0, rows - 1))

    def clear(self) -> bool:
        """Unmark everything and select the current row alone; False if nothing was marked."""
        if not self.marking:
            return False
        current = self.view.currentIndex()
        rows = (
            self._row_selection(current.row(), current.row())
            if current.isValid()
            else QItemSelection()
        )
        self._set_marking(False, select=rows)
        return True

    # -- keeping them ---------------------------------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def on_selection_selectionChanged(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        if self._own:
            return
        # A click or the window changed it: marking while more than the current row is selected.
        current = self.view.currentIndex().row()
        ranges = merged_ranges(self.view)
        self.marking = bool(ranges) and ranges != [(current, current)]
        self.changed.emit(self.count())

    @Slot(QModelIndex, QModelIndex)
    def on_selection_currentChanged(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._anchor = None

    @Slot()
    def on_model_modelAboutToBeReset(self) -> None:
        if self.marking:
            self._saved = set(self.marked_keys())
            current = self.view.currentIndex()
            self._saved_current = (
                self.keys(current.row(), current.row())[0] if current.isValid() else None
            )

    @Slot()
    def on_model_modelReset(self) -> None:
        """The list was read again: mark the rows that are still there, by id."""
        saved, self._saved = self._saved, None
        if saved is None:
            self._set_marking(False)
            return
        rows = self.view.model().rowCount()
        keys = self.keys(0, rows - 1) if rows else []
        selection = QItemSelection()
        start: int | None = None
        for row, key in enumerate([*keys, None]):
            if key is not None and key in saved:
                start = row if start is None else start
            elif start is not None:
                selection.merge(self._row_selection(start, row - 1), Flag.Select)
                start = None
        if self._saved_current is not None:
            current = next((r for r, k in enumerate(keys) if k == self._saved_current), -1)
            if current >= 0:
                self._set_current(current)
        self._set_marking(not selection.isEmpty(), select=selection)

    # -- helpers --------------------------------------------------------------------------

    def _row_selection(self, first: int, last: int) -> QItemSelection:
        """Rows ``first`` to ``last``, by their first column (selecting with Rows widens it)."""
        model = self.view.model()
        return QItemSelection(model.index(first, 0), model.index(last, 0))

    def _apply(self, selection: QItemSelection, flag: Flag) -> None:
        self._own = True
        try:
            self.view.selectionModel().select(selection, flag | Flag.Rows)
        finally:
            self._own = False
        self.changed.emit(self.count())

    def _set_marking(self, on: bool, *, select: QItemSelection | None = None) -> None:
        self.marking = on
        if select is not None:
            self._apply(select, Flag.ClearAndSelect)
        else:
            self.changed.emit(self.count())

    def _set_current(self, row: int) -> None:
        index = self.view.model().index(
            row, self.view.currentIndex().column() if self.view.currentIndex().isValid() else 0
        )
        self._own = True
        try:
            self.view.selectionModel().setCurrentIndex(index, Flag.NoUpdate)
        finally:
            self._own = False
        self.view.scrollTo(index)
