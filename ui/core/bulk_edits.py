"""Undoable bulk edits (QUndoCommand): a flag, tags or deletion on many stories, a colour, tags
or deletion on many highlights. Each is one worker operation, one change event and one undo
step; its redo keeps (in the worker thread, like ui.core.undo) exactly what the core says it
changed, so the undo puts back that and nothing else."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from reader.archive import Archive, StoryFlag, TagLinks
from reader.model import Color, Highlight
from ui.core.worker import Worker


def stories(n: int) -> str:
    return f"{n:,} stor{'y' if n == 1 else 'ies'}"


def highlights(n: int) -> str:
    return f"{n:,} highlight{'' if n == 1 else 's'}"


FLAG_WORDS: dict[StoryFlag, tuple[tuple[str, str], tuple[str, str]]] = {
    "read": (("Mark {} unread", "Marked {} unread"), ("Mark {} read", "Marked {} read")),
    "starred": (("Unstar {}", "Unstarred {}"), ("Star {}", "Starred {}")),
    "archived": (
        ("Move {} out of the archive", "Moved {} out of the archive"),
        ("Archive {}", "Archived {}"),
    ),
    "later": (
        ("Take {} off Later", "Took {} off Later"),
        ("Keep {} for later", "Kept {} for later"),
    ),
}
"""Per flag, taken off and set: the undo step's name and what the status bar says."""


def flag_texts(flag: StoryFlag, value: bool, what: str) -> tuple[str, str]:
    """Setting ``flag`` to ``value`` on ``what`` (“Title”, "3 stories"): the undo step's name
    ("Archive “Title”") and what the status bar says once it is written ("Archived “Title”")."""
    command, done = FLAG_WORDS[flag][value]
    return command.format(what), done.format(what)


Done = Callable[[object], None]
Failed = Callable[[BaseException], None]


class BulkEdit(QUndoCommand):
    """``done`` hears when the first run is written (the status bar says so then, not
    before), ``failed`` when it could not be; later redos and undos run quietly."""

    def __init__(
        self, text: str, worker: Worker, done: Done | None, failed: Failed | None = None
    ) -> None:
        super().__init__(text)
        self.worker = worker
        self.done = done
        self.failed = failed

    def write(self, fn: Callable[[Archive], object]) -> None:
        (done, failed), self.done, self.failed = (self.done, self.failed), None, None
        self.worker.run(fn, write=True, done=done, failed=failed)


class SetStoriesFlag(BulkEdit):
    """Set ``flag`` to ``value`` on the stories; undo clears it on those it changed."""

    def __init__(
        self,
        worker: Worker,
        story_ids: Sequence[int],
        flag: StoryFlag,
        value: bool,
        text: str,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> None:
        super().__init__(text, worker, done, failed)
        self.story_ids = list(story_ids)
        self.flag: StoryFlag = flag
        self.value = value
        self.changed: list[int] = []

    def _set(self, archive: Archive) -> None:
        self.changed = archive.set_stories_flag(self.story_ids, self.flag, self.value)

    def _put_back(self, archive: Archive) -> None:
        archive.set_stories_flag(self.changed, self.flag, not self.value)

    def redo(self) -> None:
        self.write(self._set)

    def undo(self) -> None:
        self.worker.run(self._put_back, write=True)


class DeleteStories(BulkEdit):
    def __init__(self, worker: Worker, story_ids: Sequence[int], done: Done | None = None) -> None:
        super().__init__(f"Delete {stories(len(story_ids))}", worker, done)
        self.story_ids = list(story_ids)

    def redo(self) -> None:
        self.write(lambda a: a.delete_stories(self.story_ids))

    def undo(self) -> None:
        self.worker.run(lambda a: a.undelete_stories(self.story_ids), write=True)


class TagMany(BulkEdit):
    """Give stories (``target`` "story") or highlights the tags; undo takes off only the
    links the redo made."""

    def __init__(
        self,
        worker: Worker,
        target: str,
        ids: Sequence[int],
        names: Sequence[str],
        done: Done | None = None,
    ) -> None:
        what = stories(len(ids)) if target == "story" else highlights(len(ids))
        super().__init__(f"Tag {what} “{', '.join(names)}”", worker, done)
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
        self.write(self._tag)

    def undo(self) -> None:
        self.worker.run(self._untag, write=True)


class RecolorHighlights(BulkEdit):
    def __init__(
        self,
        worker: Worker,
        highlight_ids: Sequence[int],
        color: Color,
        done: Done | None = None,
    ) -> None:
        super().__init__(f"Recolour {highlights(len(highlight_ids))} {color.value}", worker, done)
        self.after = {i: color for i in highlight_ids}
        self.before: dict[int, Color] = {}

    def _recolor(self, archive: Archive) -> None:
        self.before = archive.recolor_highlights(self.after)

    def redo(self) -> None:
        self.write(self._recolor)

    def undo(self) -> None:
        self.worker.run(lambda a: a.recolor_highlights(self.before), write=True)


class DeleteHighlights(BulkEdit):
    def __init__(
        self, worker: Worker, highlight_ids: Sequence[int], done: Done | None = None
    ) -> None:
        super().__init__(f"Delete {highlights(len(highlight_ids))}", worker, done)
        self.highlight_ids = list(highlight_ids)
        self.deleted: list[Highlight] = []

    def _delete(self, archive: Archive) -> None:
        self.deleted = archive.delete_highlights(self.highlight_ids)

    def redo(self) -> None:
        self.write(self._delete)

    def undo(self) -> None:
        self.worker.run(lambda a: a.restore_highlights(self.deleted), write=True)
