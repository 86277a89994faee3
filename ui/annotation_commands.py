"""Undoable edits (QUndoCommand) for re-attaching an orphaned highlight and for the tags of a
story or a highlight; like ui.commands, each runs on the database worker, in order."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from reader.archive import Archive
from reader.model import Highlight
from ui.worker import Worker


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


class Retag(QUndoCommand):
    """Change the tags of a story (``target`` "story") or a highlight from ``before`` to
    ``after``, adding and removing only the difference (tags compare ignoring case)."""

    def __init__(
        self, worker: Worker, target: str, item_id: int, before: list[str], after: list[str]
    ) -> None:
        super().__init__("Edit story tags" if target == "story" else "Edit highlight tags")
        self.worker = worker
        self.target = target
        self.item_id = item_id
        self.before = list(before)
        self.after = list(after)

    def _apply(self, old: list[str], new: list[str]) -> None:
        folded_old = {t.casefold() for t in old}
        folded_new = {t.casefold() for t in new}
        added = [t for t in new if t.casefold() not in folded_old]
        removed = [t for t in old if t.casefold() not in folded_new]
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
