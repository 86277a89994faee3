"""The middle column: one page at a time of the story list, the search results or the notebook,
the list and the notebook each under the bar that shows while rows of it are marked."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QTableView, QVBoxLayout, QWidget

LIST_PAGE, RESULTS_PAGE, NOTEBOOK_PAGE = range(3)


class MiddlePages(QStackedWidget):
    def __init__(
        self,
        table: QTableView,
        results: QTableView,
        notebook: QWidget,
        parent: QWidget,
        bars: tuple[QWidget, QWidget] | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.results = results
        list_bar, notebook_bar = bars or (None, None)
        for page, bar in ((table, list_bar), (results, None), (notebook, notebook_bar)):
            self.addWidget(page if bar is None else self._under(bar, page))

    def _under(self, bar: QWidget, page: QWidget) -> QWidget:
        """``page`` with ``bar`` above it, as one page."""
        holder = QWidget(self)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(page, 1)
        return holder

    @property
    def searching(self) -> bool:
        """The search results are shown."""
        return self.currentIndex() == RESULTS_PAGE

    def current_list(self) -> QTableView | None:
        """The story list or the search results, whichever is shown (not the notebook)."""
        return {LIST_PAGE: self.table, RESULTS_PAGE: self.results}.get(self.currentIndex())
