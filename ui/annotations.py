"""The open story's annotations: turns what the reader and the highlights panel ask for into
undoable commands, and redraws both from the database after every change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from reader.model import Color, Highlight, Note
from ui.commands import (
    CreateHighlight,
    DeleteHighlight,
    DeleteNote,
    EditHighlight,
    SetStoryNote,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class Annotations(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self._focus_after_reload: tuple[int, bool] | None = None
        """A highlight just created: select it (and edit its note) once the panel shows it."""
        r, p = window.reader, window.panel
        r.highlightRequested.connect(self.on_reader_highlightRequested)
        r.noteRequested.connect(self.on_reader_noteRequested)
        r.highlightClicked.connect(p.select_highlight)
        r.highlightNoteRequested.connect(p.edit_note)
        r.highlightDeleteRequested.connect(self.on_deleteRequested)
        p.highlightSelected.connect(self.on_panel_highlightSelected)
        p.colorChangeRequested.connect(self.on_panel_colorChangeRequested)
        p.noteEdited.connect(self.on_panel_noteEdited)
        p.deleteRequested.connect(self.on_deleteRequested)
        p.notes.edited.connect(self.on_notes_edited)
        p.notes.deleteRequested.connect(self.on_notes_deleteRequested)

    def reload(self) -> None:
        """Read the open story's highlights and notes again (after a change)."""
        story_id = self.w.story_id
        if story_id is None:
            return
        self.w.worker.run(
            lambda a: (a.highlights(story_id), a.notes(story_id)),
            done=lambda result: self._on_loaded(story_id, *result),
        )

    def _on_loaded(self, story_id: int, highlights: list[Highlight], notes: list[Note]) -> None:
        if story_id != self.w.story_id:
            return
        self.w.reader.set_highlights(highlights)
        self.w.panel.set_highlights(highlights)
        self.w.panel.notes.set_notes(notes)
        if self._focus_after_reload is not None:
            highlight_id, edit_note = self._focus_after_reload
            self._focus_after_reload = None
            if edit_note:
                self.w.panel.edit_note(highlight_id)
            else:
                self.w.panel.select_highlight(highlight_id)

    def create(self, start: int, end: int, color: Color, *, edit_note: bool = False) -> None:
        story_id = self.w.story_id
        if story_id is None:
            return

        def created(highlight: Highlight) -> None:
            self._focus_after_reload = (highlight.id, edit_note)

        self.w.undo_stack.push(
            CreateHighlight(self.w.worker, story_id, start, end, color, created=created)
        )

    @Slot(int, int, object)
    def on_reader_highlightRequested(self, start: int, end: int, color: Color) -> None:
        self.create(start, end, color)

    @Slot(int, int)
    def on_reader_noteRequested(self, start: int, end: int) -> None:
        self.create(start, end, Color.YELLOW, edit_note=True)

    def _highlight(self, highlight_id: int) -> Highlight | None:
        return next((h for h in self.w.reader.highlights if h.id == highlight_id), None)

    @Slot(int)
    def on_deleteRequested(self, highlight_id: int) -> None:
        highlight = self._highlight(highlight_id)
        if highlight is not None:
            self.w.undo_stack.push(DeleteHighlight(self.w.worker, highlight))
            self.w.statusBar().showMessage("Highlight deleted (Ctrl+Z to undo)", 6000)

    @Slot(object)
    def on_panel_highlightSelected(self, highlight_id: int | None) -> None:
        self.w.reader.set_active_highlight(highlight_id)
        if highlight_id is not None:
            self.w.reader.ensure_highlight_visible(highlight_id)

    @Slot(int, object)
    def on_panel_colorChangeRequested(self, highlight_id: int, color: Color) -> None:
        highlight = self._highlight(highlight_id)
        if highlight is not None:
            self.w.undo_stack.push(
                EditHighlight(self.w.worker, highlight_id, (highlight.color, None), (color, None))
            )

    @Slot(int, str, str)
    def on_panel_noteEdited(self, highlight_id: int, before: str, after: str) -> None:
        self.w.undo_stack.push(
            EditHighlight(self.w.worker, highlight_id, (None, before), (None, after))
        )

    @Slot(int, object, str, str)
    def on_notes_edited(self, story_id: int, note_id: int | None, before: str, after: str) -> None:
        self.w.undo_stack.push(SetStoryNote(self.w.worker, story_id, note_id, before, after))

    @Slot(object)
    def on_notes_deleteRequested(self, note: Note) -> None:
        self.w.undo_stack.push(DeleteNote(self.w.worker, note))
        self.w.statusBar().showMessage("Note deleted (Ctrl+Z to undo)", 6000)
