"""Undoable bulk edits (QUndoCommand): a flag, tags or deletion on many stories, a colour, tags
or deletion on many highlights. Each is one worker operation, one change event and one undo
step; its redo keeps (in the worker thread, like ui.core.undo) exactly what the core says it
changed, so the undo puts back that and nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from reader.archive import Archive, StoryFlag, TagLinks
from reader.model import Color, Highlight
from ui.core.worker import Worker


def stories(n: int) -> str:
    return f"{n:,} stor{'y' if n == 1 else 'ies'}"


def highlights(n: int) -> str:
    return f"{n:,} highlight{'' if n == 1 else 's'}"


class SetStoriesFlag(QUndoCommand):
    """Set ``flag`` to ``value`` on the stories; undo clears it on those it changed."""

    def __init__(
        self, worker: Worker, story_ids: Sequence[int], flag: StoryFlag, value: bool, text: str
    ) -> None:
        super().__init__(text)
        self.worker = worker
        self.story_ids = list(story_ids)
        self.flag: StoryFlag = flag
        self.value = value
        self.changed: list[int] = []

    def _set(self, archive: Archive) -> None:
        self.changed = archive.set_stories_flag(self.story_ids, self.flag, self.value)

    def _put_back(self, archive: Archive) -> None:
        archive.set_stories_flag(self.changed, self.flag, not self.value)

    def redo(self) -> None:
        self.worker.run(self._set, write=True)

    def undo(self) -> None:
        self.worker.run(self._put_back, write=True)


class DeleteStories(QUndoCommand):
    def __init__(self, worker: Worker, story_ids: Sequence[int]) -> None:
        super().__init__(f"Delete {stories(len(story_ids))}")
        self.worker = worker
        self.story_ids = list(story_ids)

    def redo(self) -> None:
        self.worker.run(lambda a: a.delete_stories(self.story_ids), write=True)

    def undo(self) -> None:
        self.worker.run(lambda a: a.undelete_stories(self.story_ids), write=True)


class TagMany(QUndoCommand):
    """Give stories (``target`` "story") or highlights the tags; undo takes off only the
    links the redo made."""

    def __init__(
        self, worker: Worker, target: str, ids: Sequence[int], names: Sequence[str]
    ) -> None:
        what = stories(len(ids)) if target == "story" else highlights(len(ids))
        super().__init__(f"Tag {what} “{', '.join(names)}”")
        self.worker = worker
        self.target = target
        self.ids = list(ids)
        self.names = list(names)
        self.links: TagLinks = {}

    def _tag(self, archive: Archive) -> None:
        tag = archive.tag_stories if self.target == "story" else archive.tag_highlights
        self.links = tag(self.ids, self.names)

    def _untag(self, archive: Archive) -> None:
        untag = archive.untag_stories if self.target == "story" else archive.untag_highlights
        untag(self.links)

    def redo(self) -> None:
        self.worker.run(self._tag, write=True)

    def undo(self) -> None:
        self.worker.run(self._untag, write=True)


class RecolorHighlights(QUndoCommand):
    def __init__(self, worker: Worker, highlight_ids: Sequence[int], color: Color) -> None:
        super().__init__(f"Recolour {highlights(len(highlight_ids))} {color.value}")
        self.worker = worker
        self.after = {i: color for i in highlight_ids}
        self.before: dict[int, Color] = {}

    def _recolor(self, archive: Archive) -> None:
        self.before = archive.recolor_highlights(self.after)

    def redo(self) -> None:
        self.worker.run(self._recolor, write=True)

    def undo(self) -> None:
        self.worker.run(lambda a: a.recolor_highlights(self.before), write=True)


class DeleteHighlights(QUndoCommand):
    def __init__(self, worker: Worker, highlight_ids: Sequence[int]) -> None:
        super().__init__(f"Delete {highlights(len(highlight_ids))}")
        self.worker = worker
        self.highlight_ids = list(highlight_ids)
        self.deleted: list[Highlight] = []

    def _delete(self, archive: Archive) -> None:
        self.deleted = archive.delete_highlights(self.highlight_ids)

    def redo(self) -> None:
        self.worker.run(self._delete, write=True)

    def undo(self) -> None:
        self.worker.run(lambda a: a.restore_highlights(self.deleted), write=True)
