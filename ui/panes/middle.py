"""The middle column: one page at a time of the story list, the search results or the notebook."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QTableView, QWidget

LIST_PAGE, RESULTS_PAGE, NOTEBOOK_PAGE = range(3)


class MiddlePages(QStackedWidget):
    def __init__(
        self, table: QTableView, results: QTableView, notebook: QWidget, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.results = results
        for page in (table, results, notebook):
            self.addWidget(page)

    @property
    def searching(self) -> bool:
        """The search results are shown."""
        return self.currentIndex() == RESULTS_PAGE

    def current_list(self) -> QTableView | None:
        """The story list or the search results, whichever is shown (not the notebook)."""
        return {LIST_PAGE: self.table, RESULTS_PAGE: self.results}.get(self.currentIndex())
