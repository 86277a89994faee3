"""The open story's annotations: turns what the reader and the highlights panel ask for
(highlight, note, recolour, delete, re-attach an orphan) into undoable commands, and redraws
both from the database when highlights, notes or tags change."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from reader.model import Candidate, Changed, Color, Highlight, Note
from ui.core.change_bus import Changes
from ui.core.services import Services
from ui.core.undo import (
    CreateHighlight,
    DeleteHighlight,
    DeleteNote,
    EditHighlight,
    ReattachHighlight,
    SetStoryNote,
)
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView

CANDIDATES = 3
"""How many places the orphans section suggests for a highlight."""


class Annotations(QObject):
    def __init__(self, services: Services, reader: ReaderView, panel: HighlightsPanel) -> None:
        super().__init__(services.parent)
        self.s = services
        self.reader = reader
        self.panel = panel
        self._focus_after_reload: tuple[int, bool] | None = None
        """A highlight just created: select it (and edit its note) once the panel shows it."""
        r, p = reader, panel
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
        orphans = p.orphans
        orphans.candidatesRequested.connect(self.on_orphans_candidatesRequested)
        orphans.candidateChosen.connect(self.on_orphans_candidateChosen)
        orphans.reattachRequested.connect(self.on_orphans_reattachRequested)
        orphans.deleteRequested.connect(self.on_deleteRequested)
        services.changes.changed.connect(self.on_changes_changed)

    @property
    def story_id(self) -> int | None:
        story = self.s.current_story()
        return story.id if story is not None else None

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        # Highlight tags are shown with the highlights; tagging one is no highlight change.
        if changes.any(Changed.HIGHLIGHTS, Changed.NOTES, Changed.TAGS):
            self.reload()

    def reload(self) -> None:
        """Read the open story's highlights and notes again (after a change)."""
        story_id = self.story_id
        if story_id is None:
            return
        self.s.worker.run(
            lambda a: (a.highlights(story_id), a.notes(story_id)),
            done=lambda result: self._on_loaded(story_id, *result),
        )

    def _on_loaded(self, story_id: int, highlights: list[Highlight], notes: list[Note]) -> None:
        if story_id != self.story_id:
            return
        self.reader.set_highlights(highlights)
        self.panel.set_highlights(highlights)
        self.panel.notes.set_notes(notes)
        if self._focus_after_reload is not None:
            highlight_id, edit_note = self._focus_after_reload
            self._focus_after_reload = None
            if edit_note:
                self.panel.edit_note(highlight_id)
            else:
                self.panel.select_highlight(highlight_id)

    def create(self, start: int, end: int, color: Color, *, edit_note: bool = False) -> None:
        story_id = self.story_id
        if story_id is None:
            return

        def created(highlight: Highlight) -> None:
            self._focus_after_reload = (highlight.id, edit_note)

        self.s.undo_stack.push(
            CreateHighlight(self.s.worker, story_id, start, end, color, created=created)
        )

    @Slot(int, int, object)
    def on_reader_highlightRequested(self, start: int, end: int, color: Color) -> None:
        self.create(start, end, color)

    @Slot(int, int)
    def on_reader_noteRequested(self, start: int, end: int) -> None:
        self.create(start, end, Color.YELLOW, edit_note=True)

    def _highlight(self, highlight_id: int) -> Highlight | None:
        return next((h for h in self.reader.highlights if h.id == highlight_id), None)

    @Slot(int)
    def on_deleteRequested(self, highlight_id: int) -> None:
        highlight = self._highlight(highlight_id)
        if highlight is not None:
            self.s.undo_stack.push(DeleteHighlight(self.s.worker, highlight))
            self.s.status("Highlight deleted (Ctrl+Z to undo)", 6000)

    @Slot(object)
    def on_panel_highlightSelected(self, highlight_id: int | None) -> None:
        self.reader.set_active_highlight(highlight_id)
        if highlight_id is not None:
            self.reader.ensure_highlight_visible(highlight_id)

    @Slot(int, object)
    def on_panel_colorChangeRequested(self, highlight_id: int, color: Color) -> None:
        highlight = self._highlight(highlight_id)
        if highlight is not None:
            self.s.undo_stack.push(
                EditHighlight(self.s.worker, highlight_id, (highlight.color, None), (color, None))
            )

    @Slot(int, str, str)
    def on_panel_noteEdited(self, highlight_id: int, before: str, after: str) -> None:
        self.s.undo_stack.push(
            EditHighlight(self.s.worker, highlight_id, (None, before), (None, after))
        )

    @Slot(int, object, str, str)
    def on_notes_edited(self, story_id: int, note_id: int | None, before: str, after: str) -> None:
        self.s.undo_stack.push(SetStoryNote(self.s.worker, story_id, note_id, before, after))

    @Slot(object)
    def on_notes_deleteRequested(self, note: Note) -> None:
        self.s.undo_stack.push(DeleteNote(self.s.worker, note))
        self.s.status("Note deleted (Ctrl+Z to undo)", 6000)

    # -- orphans --------------------------------------------------------------------------

    @Slot(int)
    def on_orphans_candidatesRequested(self, highlight_id: int) -> None:
        def done(candidates: list[Candidate]) -> None:
            self.panel.orphans.set_candidates(highlight_id, candidates)

        self.s.worker.run(
            lambda a: a.orphan_candidates(highlight_id, CANDIDATES),
            done=done,
            failed=lambda _err: self.panel.orphans.set_candidates(highlight_id, []),
        )

    @Slot(int, int)
    def on_orphans_candidateChosen(self, start: int, end: int) -> None:
        """Select a suggested place in the reader, so "Re-attach" takes it."""
        self.reader.setTextCursor(self.reader.cursor_for(start, end))
        self.reader.ensureCursorVisible()

    @Slot(int)
    def on_orphans_reattachRequested(self, highlight_id: int) -> None:
        # As selected: a suggested place is exact, punctuation included, and not a new quote.
        span = self.reader.selected_range(snap=False)
        orphan = next((h for h in self.panel.orphans.model.items if h.id == highlight_id), None)
        if orphan is None:
            return
        if span is None:
            self.s.status(
                "Select the passage in the story (or click a suggested place) first.", 6000
            )
            return
        self.s.undo_stack.push(ReattachHighlight(self.s.worker, orphan, *span))
        cursor = self.reader.textCursor()
        cursor.clearSelection()
        self.reader.setTextCursor(cursor)
        self.s.status("Highlight re-attached (Ctrl+Z to undo)", 6000)
