"""Saved searches in the window: "Save search…" keeps the search box's query under a name, the
sidebar's section shows each with its new matches, choosing one runs it in the search pane and
marks it seen, and its menu renames or deletes it. The counts are read on the worker after every
change that can add matches (imports, feed refreshes, annotations) and again when the background
indexer has caught up, since a match counts only once it is indexed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox

from reader.model import Changed, SavedSearchCount
from ui.core.change_bus import Changes
from ui.core.services import Services
from ui.features.search import Search
from ui.panes.saved_searches import SavedSearchSection
from ui.panes.search_bar import SearchBar

COUNTED_AFTER = (
    Changed.STORIES,
    Changed.HIGHLIGHTS,
    Changed.NOTES,
    Changed.TAGS,
    Changed.CODEBOOK,
    Changed.SAVED_SEARCHES,
)
"""What can change a saved search's matches or the list itself."""


class SavedSearches(QObject):
    counted = Signal()
    """The section shows counts just read."""

    def __init__(
        self,
        services: Services,
        section: SavedSearchSection,
        bar: SearchBar,
        search: Search,
        back_to_list: Callable[[], None],
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.section = section
        self.bar = bar
        self.search = search
        self.back_to_list = back_to_list
        """Select the story list's own sidebar entry again (without reloading the list)."""
        self._counting = False
        self._again = False
        self._running: str | None = None
        """The query of the saved search the search pane shows, while it does."""
        services.changes.changed.connect(self.on_changes_changed)
        services.worker.indexing.connect(self.on_worker_indexing)
        section.chosen.connect(self.on_section_chosen)
        section.renameRequested.connect(self.ask_rename)
        section.deleteRequested.connect(self.ask_delete)
        search.finished.connect(self.on_search_finished)

    # -- counts ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the counts on the worker; one more read follows if asked again meanwhile."""
        if self._counting:
            self._again = True
            return
        self._counting = True
        self.s.worker.run_background(
            lambda a: a.saved_searches(sync=False), done=self._on_counts, failed=self._on_failed
        )

    def _on_counts(self, counts: list[SavedSearchCount]) -> None:
        self.section.set_counts(counts)
        self._finish_count()
        self.counted.emit()

    def _on_failed(self, err: BaseException) -> None:
        self._finish_count()
        self.s.notify(f"Saved searches not counted: {err}", "")

    def _finish_count(self) -> None:
        self._counting = False
        if self._again:
            self._again = False
            self.refresh()

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        if changes.any(*COUNTED_AFTER):
            self.refresh()

    @Slot(int)
    def on_worker_indexing(self, left: int) -> None:
        if left == 0:
            self.refresh()

    # -- saving ---------------------------------------------------------------------------

    def ask_save(self) -> None:
        """Ask for a name for the search box's query, then save it."""
        query = self.bar.text
        if not query:
            self.s.status("Type a search first, then save it", 5000)
            self.bar.edit.setFocus()
            return
        self._ask_name(
            "save-search-dialog",
            "Save search",
            f"Save “{query}” as a search that watches for new matches.\n\nName:",
            query if len(query) <= 40 else "",
            "Save",
            lambda name: self._save(name, query),
        )

    def _ask_name(
        self,
        object_name: str,
        title: str,
        label: str,
        value: str,
        ok: str,
        then: Callable[[str], object],
    ) -> None:
        """A window-modal name prompt that calls ``then(name)`` when accepted."""
        dialog = QInputDialog(self.s.parent)
        dialog.setObjectName(object_name)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(value)
        dialog.setOkButtonText(ok)
        dialog.textValueSelected.connect(then)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _save(self, name: str, query: str) -> None:
        self.s.worker.run(
            lambda a: a.save_search(name, query),
            write=True,
            done=lambda saved: self.s.status(f"Saved search “{saved.name}”", 5000),
        )

    # -- opening --------------------------------------------------------------------------

    @Slot(str)
    def on_section_chosen(self, name: str) -> None:
        count = self.section.counts.get(name)
        if count is None:
            return
        query = count.search.query
        self._running = query
        # Straight to the search, not through the box's typing delay.
        self.bar.edit.blockSignals(True)
        self.bar.edit.setText(query)
        self.bar.edit.blockSignals(False)
        self.search.on_bar_queryChanged(query)
        self.s.worker.run(lambda a: a.mark_search_seen(name), write=True)

    @Slot(str)
    def on_search_finished(self, query: str) -> None:
        """Another query (or none) in the search box: the saved search is no longer shown."""
        if self._running is not None and query != self._running:
            self._running = None
            if self.section.current_name is not None:
                self.back_to_list()

    # -- renaming and deleting ------------------------------------------------------------

    @Slot(str)
    def ask_rename(self, name: str) -> None:
        self._ask_name(
            "rename-search-dialog",
            "Rename saved search",
            "New name:",
            name,
            "Rename",
            lambda new: self.s.worker.run(lambda a: a.rename_saved_search(name, new), write=True),
        )

    @Slot(str)
    def ask_delete(self, name: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete saved search",
            f"Delete the saved search “{name}”? Its stories stay in the archive.",
            QMessageBox.StandardButton.Cancel,
            self.s.parent,
        )
        box.setObjectName("delete-search-dialog")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.buttonClicked.connect(lambda button: self._delete(name) if button is delete else None)
        box.finished.connect(box.deleteLater)
        box.open()

    def _delete(self, name: str) -> None:
        if self.section.current_name == name:
            self.back_to_list()
        self.s.worker.run(lambda a: a.delete_saved_search(name), write=True)
