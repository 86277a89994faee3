"""The story's notes in the side panel: an editor for its main (first) note, handed on after a
short pause in typing, and every further note (the command line adds one per ``note``) listed
read-only below it with its date, each deletable with undo."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.model import Note
from ui.core.text import day_date
from ui.models.rich_delegate import HTML_ROLE, RichTextDelegate

NOTE_DEBOUNCE_MS = 700
NOTE_ROLE = Qt.ItemDataRole.UserRole + 30
PREVIEW_CHARS = 400


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def debounce(parent: QWidget, slot: object) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(NOTE_DEBOUNCE_MS)
    timer.timeout.connect(slot)
    return timer


def note_html(note: Note) -> str:
    body = note.body.strip()
    if len(body) > PREVIEW_CHARS:
        body = body[: PREVIEW_CHARS - 1] + "…"
    stamp = note.created.astimezone()
    lines = html.escape(body).replace("\n", "<br>")
    return f"<small>{day_date(stamp)}, {stamp:%H:%M}</small><br>{lines}"


class StoryNotes(QWidget):
    edited = Signal(int, object, str, str)
    """Story id, the main note's id (None: the story has none yet), body before, body after."""
    deleteRequested = Signal(object)
    """A further Note the user deleted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.story_id: int | None = None
        self.main_id: int | None = None
        self._saved = ""
        self.title = heading("Story note", self)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("story-note")
        self.editor.setPlaceholderText("Notes on this story (Markdown)…")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self.on_editor_textChanged)
        self.editor.setEnabled(False)
        self._timer = debounce(self, self.flush)

        self.others = QListWidget(self)
        self.others.setObjectName("other-notes")
        self.others.setItemDelegate(RichTextDelegate(self.others))
        self.others.setWordWrap(True)
        self.others.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.others.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.others.currentItemChanged.connect(self.on_others_currentItemChanged)
        self.delete_button = QToolButton(self)
        self.delete_button.setText("Delete")
        self.delete_button.setToolTip("Delete the selected note (undo with Ctrl+Z)")
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.others_title = QLabel(self)
        others_bar = QHBoxLayout()
        others_bar.addWidget(self.others_title, 1)
        others_bar.addWidget(self.delete_button)
        self.others_box = QWidget(self)
        box = QVBoxLayout(self.others_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(others_bar)
        box.addWidget(self.others, 1)
        self.others_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.others_box, 1)

    # -- content --------------------------------------------------------------------------

    def set_story(self, story_id: int | None, notes: list[Note]) -> None:
        self.flush()
        self.story_id = story_id
        self.editor.setEnabled(story_id is not None)
        self._show(notes, follow=True)

    def set_notes(self, notes: list[Note]) -> None:
        """The notes as stored; the editor follows unless the user is in the middle of typing."""
        self._show(notes, follow=not self._timer.isActive())

    def _show(self, notes: list[Note], *, follow: bool) -> None:
        main = notes[0] if notes else None
        self.main_id = main.id if main is not None else None
        self._saved = main.body if main is not None else ""
        if follow and self.editor.toPlainText() != self._saved:
            self.editor.blockSignals(True)
            self.editor.setPlainText(self._saved)
            self.editor.blockSignals(False)
        others = notes[1:]
        self.title.setText(f"Story notes ({len(notes)})" if others else "Story note")
        self.others_title.setText(f"{len(others)} more note{'s' if len(others) != 1 else ''}")
        self.others.clear()
        for note in others:
            item = QListWidgetItem(note.body)
            item.setData(HTML_ROLE, note_html(note))
            item.setData(NOTE_ROLE, note)
            item.setToolTip(note.body)
            self.others.addItem(item)
        self.others_box.setVisible(bool(others))
        self.delete_button.setEnabled(False)

    def other_notes(self) -> list[Note]:
        return [self.others.item(i).data(NOTE_ROLE) for i in range(self.others.count())]

    # -- saving ---------------------------------------------------------------------------

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        text = self.editor.toPlainText()
        if self.story_id is not None and text != self._saved:
            old, self._saved = self._saved, text
            self.edited.emit(self.story_id, self.main_id, old, text)

    @Slot()
    def on_editor_textChanged(self) -> None:
        if self.story_id is not None:
            self._timer.start()

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_others_currentItemChanged(
        self, current: QListWidgetItem | None, _previous: object
    ) -> None:
        self.delete_button.setEnabled(current is not None)

    @Slot()
    def on_delete_clicked(self) -> None:
        item = self.others.currentItem()
        if item is not None:
            self.deleteRequested.emit(item.data(NOTE_ROLE))
