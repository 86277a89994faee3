"""The panel beside the reader: the story's tags, its highlights (click one to scroll to it),
those that could not be placed in a changed text, an editor for the selected highlight (colour,
note, tags, delete) and the story's own notes. Notes are handed on after a short pause in
typing, and at once when the story or selection changes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.model import AnchorStatus, Color, Highlight, Note
from ui.core.colors import LABELS, color_label
from ui.models.highlight_list import HIGHLIGHT_ROLE, HighlightListModel
from ui.models.rich_delegate import RichTextDelegate
from ui.reading.orphans import OrphanSection
from ui.reading.selection_toolbar import color_icon
from ui.reading.story_notes import StoryNotes, debounce, heading
from ui.reading.tag_editor import TagEditor


class HighlightsPanel(QWidget):
    highlightSelected = Signal(object)
    colorChangeRequested = Signal(int, object)
    noteEdited = Signal(int, str, str)
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.story_id: int | None = None
        self._saved_highlight_note = ""
        self._editing: int | None = None

        self.title = heading("Highlights", self)
        self.model = HighlightListModel()
        self.list = QListView(self)
        self.list.setObjectName("highlights-list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.selectionModel().currentChanged.connect(self.on_list_currentChanged)
        self.list.clicked.connect(self.on_list_clicked)
        self.orphans = OrphanSection(self)
        self.story_tags = TagEditor("Tag this story…", self)
        self.story_tags.setObjectName("story-tags")

        self.detail = QWidget(self)
        self.color_buttons: dict[Color, QToolButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for color in Color:
            button = QToolButton(self.detail)
            button.setIcon(color_icon(color, 14))
            button.setIconSize(QSize(14, 14))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(LABELS[color])
            button.clicked.connect(lambda _=False, c=color: self.on_color_clicked(c))
            self.color_buttons[color] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.delete_button = QToolButton(self.detail)
        self.delete_button.setText("Delete")
        self.delete_button.setToolTip("Delete this highlight (undo with Ctrl+Z)")
        self.delete_button.clicked.connect(self.on_delete_clicked)
        buttons.addWidget(self.delete_button)
        self.note_edit = QPlainTextEdit(self.detail)
        self.note_edit.setObjectName("highlight-note")
        self.note_edit.setPlaceholderText("Note on this highlight…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.textChanged.connect(self.on_note_edit_textChanged)
        # A few lines are enough for a highlight's note; the rest goes to the lists.
        self.note_edit.setMaximumHeight(self.note_edit.fontMetrics().lineSpacing() * 6 + 12)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.note_edit)
        self.tags_edit = TagEditor("Tags for this highlight…", self.detail)
        self.tags_edit.setObjectName("highlight-tags")
        detail_layout.addWidget(self.tags_edit)
        self.detail.setEnabled(False)

        self.notes = StoryNotes(self)
        self.story_note = self.notes.editor
        self._note_timer = debounce(self, self.flush_highlight_note)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        # Above the chips, not beside them: the panel is narrow and the chips need its width.
        top_layout.addWidget(heading("Story tags", top))
        top_layout.addWidget(self.story_tags)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.list, 1)
        top_layout.addWidget(self.detail)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("panel-splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.orphans)
        self.splitter.addWidget(self.notes)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

    # -- content --------------------------------------------------------------------------

    def set_story(
        self, story_id: int | None, highlights: list[Highlight], notes: list[Note]
    ) -> None:
        self.flush()
        self.story_id = story_id
        self._editing = None
        self.set_highlights(highlights)
        self.notes.set_story(story_id, notes)

    def set_highlights(self, highlights: list[Highlight]) -> None:
        """Show ``highlights``, keeping the selected one (and an unsaved note edit); those
        that could not be placed go to their own section."""
        keep = self._editing
        placed = [h for h in highlights if h.status != AnchorStatus.ORPHAN]
        self.orphans.set_orphans([h for h in highlights if h.status == AnchorStatus.ORPHAN])
        self.model.set_items(placed)
        count = len(placed)
        self.title.setText(f"Highlights ({count})" if count else "Highlights")
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self._show_detail(self.model.items[row], keep_text=self._note_timer.isActive())
        else:
            self._editing = None
            self._show_detail(None)

    def set_color_names(self, names: dict[Color, str]) -> None:
        """The codebook's names in the colour buttons' tooltips and the highlights' rows."""
        for color, button in self.color_buttons.items():
            button.setToolTip(color_label(color, names))
        self.model.set_color_names(names)
        self.orphans.set_color_names(names)

    def select_highlight(self, highlight_id: int) -> bool:
        row = self.model.row_of(highlight_id)
        if row < 0:
            return self.orphans.select(highlight_id)
        index = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(index)
        return True

    def edit_note(self, highlight_id: int) -> None:
        if self.select_highlight(highlight_id):
            self.note_edit.setFocus()

    @property
    def selected_highlight(self) -> Highlight | None:
        row = self.model.row_of(self._editing) if self._editing is not None else -1
        return self.model.items[row] if row >= 0 else None

    # -- saving ---------------------------------------------------------------------------

    def flush(self) -> None:
        self.flush_highlight_note()
        self.notes.flush()

    @Slot()
    def flush_highlight_note(self) -> None:
        self._note_timer.stop()
        text = self.note_edit.toPlainText()
        if self._editing is not None and text != self._saved_highlight_note:
            old, self._saved_highlight_note = self._saved_highlight_note, text
            self.noteEdited.emit(self._editing, old, text)

    # -- slots ----------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def on_list_currentChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        highlight = current.data(HIGHLIGHT_ROLE) if current.isValid() else None
        if highlight is not None and highlight.id == self._editing:
            return
        self.flush_highlight_note()
        self._editing = highlight.id if highlight is not None else None
        self._show_detail(highlight)
        self.highlightSelected.emit(self._editing)

    @Slot(QModelIndex)
    def on_list_clicked(self, index: QModelIndex) -> None:
        highlight = index.data(HIGHLIGHT_ROLE)
        if highlight is not None:
            self.highlightSelected.emit(highlight.id)

    def on_color_clicked(self, color: Color) -> None:
        highlight = self.selected_highlight
        if highlight is None:
            return
        for c, button in self.color_buttons.items():
            button.setChecked(c == color)
        if color != highlight.color:
            self.colorChangeRequested.emit(highlight.id, color)

    @Slot()
    def on_delete_clicked(self) -> None:
        if self._editing is not None:
            self._note_timer.stop()
            self.deleteRequested.emit(self._editing)

    @Slot()
    def on_note_edit_textChanged(self) -> None:
        if self._editing is not None:
            self._note_timer.start()

    def _show_detail(self, highlight: Highlight | None, keep_text: bool = False) -> None:
        self.detail.setEnabled(highlight is not None)
        for color, button in self.color_buttons.items():
            button.setChecked(highlight is not None and highlight.color == color)
        self.tags_edit.set_tags(
            highlight.id if highlight is not None else None,
            highlight.tags if highlight is not None else (),
        )
        if keep_text:
            return
        self._saved_highlight_note = highlight.note if highlight is not None else ""
        self._set_text(self.note_edit, self._saved_highlight_note)

    @staticmethod
    def _set_text(editor: QPlainTextEdit, text: str) -> None:
        if editor.toPlainText() == text:
            return
        editor.blockSignals(True)
        editor.setPlainText(text)
        editor.blockSignals(False)
