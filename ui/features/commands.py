"""The keyboard commands whose target depends on where the user is: j/k through whichever list
the middle column shows, Enter into the reader, h and n on the selection or the highlight under
the cursor, / to search and Esc back out."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from reader.model import Color
from ui.core.services import Services
from ui.features.annotations import Annotations
from ui.features.search import Search
from ui.menus import focus_in
from ui.panes.help_overlay import HelpOverlay
from ui.panes.middle import NOTEBOOK_PAGE, MiddlePages
from ui.panes.notebook import Notebook
from ui.panes.search_bar import SearchBar
from ui.panes.tables import select_row
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView


class Commands:
    def __init__(
        self,
        services: Services,
        pages: MiddlePages,
        table: QTableView,
        notebook: Notebook,
        reader: ReaderView,
        panel: HighlightsPanel,
        search_bar: SearchBar,
        help_overlay: HelpOverlay,
        annotations: Annotations,
        search: Search,
    ) -> None:
        self.s = services
        self.pages = pages
        self.table = table
        self.notebook = notebook
        self.reader = reader
        self.panel = panel
        self.search_bar = search_bar
        self.help = help_overlay
        self.annotations = annotations
        self.search = search

    def move_selection(self, step: int) -> None:
        if self.pages.currentIndex() == NOTEBOOK_PAGE:
            view = self.notebook.list
            row = max(0, min(view.currentIndex().row() + step, view.model().rowCount() - 1))
            index = view.model().index(row, 0)
            view.setCurrentIndex(index)
            self.notebook.on_list_activated(index)
            return
        table = self.pages.current_list()
        if table is None or table.model().rowCount() == 0:
            return
        current = table.currentIndex().row()
        row = 0 if current < 0 else max(0, min(current + step, table.model().rowCount() - 1))
        select_row(table, row)

    def open_current(self) -> None:
        if focus_in(self.notebook.list):
            self.notebook.on_list_activated(self.notebook.list.currentIndex())
        self.reader.setFocus()

    def highlight_selection(self) -> None:
        span = self.reader.selected_range()
        if span is None:
            self.s.status("Select some text in the story to highlight it.", 4000)
            return
        self.annotations.create(*span, Color.YELLOW)
        # Otherwise the selection colour hides the new highlight until the next click.
        self.reader.collapse_selection()

    def note_selection(self) -> None:
        span = self.reader.selected_range()
        if span is not None:
            self.annotations.create(*span, Color.YELLOW, edit_note=True)
            self.reader.collapse_selection()
            return
        under = self.reader.highlight_under_cursor() if focus_in(self.reader) else None
        if under is not None:
            self.panel.edit_note(under)
        elif self.panel.selected_highlight is not None:
            self.panel.note_edit.setFocus()
        elif self.s.current_story() is not None:
            self.panel.story_note.setFocus()

    def focus_search(self) -> None:
        self.search_bar.edit.setFocus()
        self.search_bar.edit.selectAll()

    def back(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        elif focus_in(self.reader):
            target = self.pages.current_list() or self.notebook.list
            target.setFocus()
        elif self.pages.searching:
            self.search.clear()
            self.table.setFocus()
