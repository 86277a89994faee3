"""The highlights panel's "Could not place" section: highlights whose passage was not found after
the story's text changed, with their quote and note. Selecting one asks for the likeliest places
in the current text; clicking a place previews it in the reader, and the orphan can be
re-attached to the reader's selection or deleted. An orphan is never hidden."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.model import Candidate, Color, Highlight
from ui.core.colors import error_text, muted_text
from ui.models.highlight_list import HIGHLIGHT_ROLE, HighlightListModel
from ui.models.rich_delegate import HTML_ROLE, RichTextDelegate
from ui.reading.story_notes import heading

CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 40
CANDIDATE_CHARS = 160
VISIBLE_ORPHANS = 3
"""The orphan list is this many lines of text high; it scrolls beyond."""


def candidate_html(candidate: Candidate) -> str:
    text = " ".join(candidate.text.split())
    if len(text) > CANDIDATE_CHARS:
        text = text[: CANDIDATE_CHARS - 1] + "…"
    return f"“{html.escape(text)}”<br><small>{round(candidate.score * 100)}% alike</small>"


class OrphanSection(QWidget):
    candidatesRequested = Signal(int)
    candidateChosen = Signal(int, int)
    """A suggested place, as canonical (start, end): preview it in the reader."""
    reattachRequested = Signal(int)
    deleteRequested = Signal(int)
    candidatesShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orphans")
        self.title = heading("Could not place", self)
        self.hint = QLabel(
            "Not found in the story's new text. Select where one belongs, or pick a "
            "suggested place, then re-attach it.",
            self,
        )
        self.hint.setWordWrap(True)
        self.model = HighlightListModel()
        self.list = QListView(self)
        self.list.setObjectName("orphans-list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        line = self.fontMetrics().lineSpacing()
        self.list.setMinimumHeight(line * 4 + 16)
        self.list.setMaximumHeight(line * VISIBLE_ORPHANS * 3 + 12)
        self.list.selectionModel().currentChanged.connect(self.on_list_currentChanged)

        self.places_title = QLabel("Possible places:", self)
        self.places = QListWidget(self)
        self.places.setObjectName("orphan-candidates")
        self.places.setItemDelegate(RichTextDelegate(self.places))
        self.places.setWordWrap(True)
        self.places.setMinimumHeight(line * 4 + 14)
        self.places.setMaximumHeight(line * 7 + 12)
        self.places.setToolTip("Click a place to see it in the story")
        self.places.itemClicked.connect(self.on_places_itemClicked)
        # A short label: the panel is narrow and the long one was clipped; the tooltip says
        # what it is re-attached to.
        self.reattach_button = QPushButton("Re-attach", self)
        self.reattach_button.setToolTip(
            "Put this highlight on the text selected in the story (undo with Ctrl+Z)"
        )
        self.reattach_button.clicked.connect(self.on_reattach_clicked)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setToolTip("Delete this highlight (undo with Ctrl+Z)")
        self.delete_button.clicked.connect(self.on_delete_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reattach_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.list)
        layout.addWidget(self.places_title)
        layout.addWidget(self.places)
        layout.addLayout(buttons)
        self._adapt_colors()
        self._show_selected(None)
        self.hide()

    def _adapt_colors(self) -> None:
        palette = self.title.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_text(self.palette()))
        self.title.setPalette(palette)
        hint = self.hint.palette()
        hint.setColor(QPalette.ColorRole.WindowText, muted_text(self.palette()))
        self.hint.setPalette(hint)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._adapt_colors()

    # -- content --------------------------------------------------------------------------

    def set_orphans(self, orphans: list[Highlight]) -> None:
        """Show ``orphans``, keeping the selected one."""
        keep = self.selected
        self.model.set_items(orphans)
        self.title.setText(f"Could not place ({len(orphans)})")
        self.setVisible(bool(orphans))
        row = self.model.row_of(keep.id) if keep is not None else -1
        if row >= 0:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show_selected(None)

    def set_color_names(self, names: dict[Color, str]) -> None:
        self.model.set_color_names(names)

    @property
    def selected(self) -> Highlight | None:
        index = self.list.currentIndex()
        return index.data(HIGHLIGHT_ROLE) if index.isValid() else None

    def select(self, highlight_id: int) -> bool:
        row = self.model.row_of(highlight_id)
        if row < 0:
            return False
        index = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(index)
        return True

    def set_candidates(self, highlight_id: int, candidates: list[Candidate]) -> None:
        selected = self.selected
        if selected is None or selected.id != highlight_id:
            return
        self.places.clear()
        for candidate in candidates:
            item = QListWidgetItem(candidate.text)
            item.setData(HTML_ROLE, candidate_html(candidate))
            item.setData(CANDIDATE_ROLE, candidate)
            self.places.addItem(item)
        self.places.setVisible(bool(candidates))
        self.places_title.setText(
            "Possible places (click to see one in the story):"
            if candidates
            else "No likely place found: select the passage in the story yourself."
        )
        self.places_title.show()
        self.candidatesShown.emit(highlight_id)

    def candidates(self) -> list[Candidate]:
        return [self.places.item(i).data(CANDIDATE_ROLE) for i in range(self.places.count())]

    def _show_selected(self, highlight: Highlight | None) -> None:
        self.places.clear()
        self.places.hide()
        self.places_title.hide()
        self.reattach_button.setEnabled(highlight is not None)
        self.delete_button.setEnabled(highlight is not None)

    # -- slots ----------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def on_list_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        highlight = current.data(HIGHLIGHT_ROLE) if current.isValid() else None
        self._show_selected(highlight)
        if highlight is not None:
            self.candidatesRequested.emit(highlight.id)

    @Slot(QListWidgetItem)
    def on_places_itemClicked(self, item: QListWidgetItem) -> None:
        candidate: Candidate = item.data(CANDIDATE_ROLE)
        self.candidateChosen.emit(candidate.start, candidate.end)

    @Slot()
    def on_reattach_clicked(self) -> None:
        if (highlight := self.selected) is not None:
            self.reattachRequested.emit(highlight.id)

    @Slot()
    def on_delete_clicked(self) -> None:
        if (highlight := self.selected) is not None:
            self.deleteRequested.emit(highlight.id)
