"""Undoable edits (QUndoCommand) for highlights, story notes, story deletion, re-attaching an
orphaned highlight and the tags of a story or a highlight.

Each command runs its change as an operation on the database worker. The operation updates the
command's own record in the worker thread (a new id, a deleted row to restore), so an undo
queued right behind a redo always sees the result it needs; the worker runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from reader.archive import Archive
from reader.model import Color, Highlight, Note
from ui.core.worker import Worker

Created = Callable[[Highlight], None]


class CreateHighlight(QUndoCommand):
    def __init__(
        self,
        worker: Worker,
        story_id: int,
        start: int,
        end: int,
        color: Color,
        note: str = "",
        created: Created | None = None,
    ) -> None:
        super().__init__(f"Highlight {color.value}")
        self.worker = worker
        self.story_id = story_id
        self.span = (start, end)
        self.color = color
        self.note = note
        self.created = created
        self.highlight: Highlight | None = None

    def _create(self, archive: Archive) -> Highlight:
        if self.highlight is None:
            self.highlight = archive.highlight_range(
                self.story_id, *self.span, color=self.color, note=self.note
            )
        else:
            self.highlight = archive.restore_highlight(self.highlight)
        return self.highlight

    def _delete(self, archive: Archive) -> None:
        if self.highlight is not None:
            archive.delete_highlight(self.highlight.id)

    def redo(self) -> None:
        created, self.created = self.created, None
        self.worker.run(self._create, write=True, done=created)

    def undo(self) -> None:
        self.worker.run(self._delete, write=True)


class DeleteHighlight(QUndoCommand):
    def __init__(self, worker: Worker, highlight: Highlight) -> None:
        super().__init__("Delete highlight")
        self.worker = worker
        self.highlight = highlight

    def _delete(self, archive: Archive) -> None:
        self.highlight = archive.delete_highlight(self.highlight.id)

    def _restore(self, archive: Archive) -> None:
        self.highlight = archive.restore_highlight(self.highlight)

    def redo(self) -> None:
        self.worker.run(self._delete, write=True)

    def undo(self) -> None:
        self.worker.run(self._restore, write=True)


class EditHighlight(QUndoCommand):
    """A change of colour or note; ``None`` leaves that field as it is."""

    def __init__(
        self,
        worker: Worker,
        highlight_id: int,
        before: tuple[Color | None, str | None],
        after: tuple[Color | None, str | None],
    ) -> None:
        super().__init__("Change highlight colour" if after[0] is not None else "Edit note")
        self.worker = worker
        self.highlight_id = highlight_id
        self.before = before
        self.after = after

    def _apply(self, values: tuple[Color | None, str | None]) -> None:
        color, note = values
        self.worker.run(
            lambda a: a.update_highlight(self.highlight_id, color=color, note=note), write=True
        )

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class SetStoryNote(QUndoCommand):
    """Sets a story's main note to a body: creates it when there is none (``note_id`` None),
    deletes it when the body is empty; undo restores the same note under its id."""

    def __init__(
        self, worker: Worker, story_id: int, note_id: int | None, before: str, after: str
    ) -> None:
        super().__init__("Edit story note")
        self.worker = worker
        self.story_id = story_id
        self.note_id = note_id
        self.before = before
        self.after = after
        self._deleted: Note | None = None

    def _current(self, archive: Archive) -> Note | None:
        notes = archive.notes(self.story_id)
        if self.note_id is None:
            # A note created by an edit the window has not heard back about yet.
            return notes[0] if notes else None
        return next((n for n in notes if n.id == self.note_id), None)

    def _set(self, archive: Archive, body: str) -> None:
        current = self._current(archive)
        if not body.strip():
            if current is not None:
                self._deleted = archive.delete_note(current.id)
                self.note_id = current.id
            return
        if current is None and self._deleted is not None:
            current, self._deleted = archive.restore_note(self._deleted), None
        if current is None:
            current = archive.add_note(self.story_id, body)
        elif current.body != body:
            current = archive.update_note(current.id, body)
        self.note_id = current.id

    def redo(self) -> None:
        self.worker.run(lambda a: self._set(a, self.after), write=True)

    def undo(self) -> None:
        self.worker.run(lambda a: self._set(a, self.before), write=True)


class DeleteNote(QUndoCommand):
    def __init__(self, worker: Worker, note: Note) -> None:
        super().__init__("Delete note")
        self.worker = worker
        self.note = note

    def _delete(self, archive: Archive) -> None:
        self.note = archive.delete_note(self.note.id)

    def _restore(self, archive: Archive) -> None:
        self.note = archive.restore_note(self.note)

    def redo(self) -> None:
        self.worker.run(self._delete, write=True)

    def undo(self) -> None:
        self.worker.run(self._restore, write=True)


class DeleteStory(QUndoCommand):
    """``done`` and ``failed`` hear how the first deletion went (the list took the row out
    before it ran)."""

    def __init__(
        self,
        worker: Worker,
        story_id: int,
        title: str,
        done: Callable[[None], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(f"Delete “{title}”")
        self.worker = worker
        self.story_id = story_id
        self.done = done
        self.failed = failed

    def redo(self) -> None:
        (done, failed), self.done, self.failed = (self.done, self.failed), None, None
        self.worker.run(
            lambda a: a.delete_story(self.story_id), write=True, done=done, failed=failed
        )

    def undo(self) -> None:
        self.worker.run(lambda a: a.undelete_story(self.story_id), write=True)


class ReattachHighlight(QUndoCommand):
    """Put a highlight on ``text[start:end]``; undo puts back the highlight as it was (an
    orphan with its old quote and context)."""

    def __init__(self, worker: Worker, highlight: Highlight, start: int, end: int) -> None:
        super().__init__("Re-attach highlight")
        self.worker = worker
        self.before = highlight
        self.span = (start, end)

    def _reattach(self, archive: Archive) -> Highlight:
        return archive.reattach_highlight(self.before.id, *self.span)

    def _put_back(self, archive: Archive) -> None:
        archive.delete_highlight(self.before.id)
        archive.restore_highlight(self.before)

    def redo(self) -> None:
        self.worker.run(self._reattach, write=True)

    def undo(self) -> None:
        self.worker.run(self._put_back, write=True)


def tag_difference(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """The tags ``new`` adds to ``old`` and those it takes off (ignoring case)."""
    folded_old = {t.casefold() for t in old}
    folded_new = {t.casefold() for t in new}
    added = [t for t in new if t.casefold() not in folded_old]
    removed = [t for t in old if t.casefold() not in folded_new]
    return added, removed


def retag_text(target: str, before: list[str], after: list[str], *, done: bool = False) -> str:
    """What a tag edit does, for the Edit menu ("Add tag “ports” to the story") or, ``done``,
    for the status bar ("Added tag “ports” to the story")."""
    added, removed = tag_difference(before, after)
    noun = "story" if target == "story" else "highlight"
    if added and not removed:
        verb, where, tags = ("Added" if done else "Add"), "to", added
    elif removed and not added:
        verb, where, tags = ("Removed" if done else "Remove"), "from", removed
    else:
        return f"{'Edited' if done else 'Edit'} the {noun}’s tags"
    what = f"tag “{tags[0]}”" if len(tags) == 1 else f"{len(tags)} tags"
    return f"{verb} {what} {where} the {noun}"


class Retag(QUndoCommand):
    """Change the tags of a story (``target`` "story") or a highlight from ``before`` to
    ``after``, adding and removing only the difference (tags compare ignoring case)."""

    def __init__(
        self, worker: Worker, target: str, item_id: int, before: list[str], after: list[str]
    ) -> None:
        super().__init__(retag_text(target, before, after))
        self.worker = worker
        self.target = target
        self.item_id = item_id
        self.before = list(before)
        self.after = list(after)

    def _apply(self, old: list[str], new: list[str]) -> None:
        added, removed = tag_difference(old, new)
        target, item_id = self.target, self.item_id

        def run(archive: Archive) -> None:
            tag, untag = (
                (archive.tag_story, archive.untag_story)
                if target == "story"
                else (archive.tag_highlight, archive.untag_highlight)
            )
            if removed:
                untag(item_id, removed)
            if added:
                tag(item_id, added)

        self.worker.run(run, write=True)

    def redo(self) -> None:
        self._apply(self.before, self.after)

    def undo(self) -> None:
        self._apply(self.after, self.before)
