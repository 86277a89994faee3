"""Tags of the open story and of the selected highlight: completion from the archive's tag
names, and every edit an undoable command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from ui.core.services import Services
from ui.core.undo import Retag
from ui.reading.highlights_panel import HighlightsPanel

COMPLETIONS = 20
"""How many tag names the completer offers."""


class Tags(QObject):
    def __init__(self, services: Services, panel: HighlightsPanel) -> None:
        super().__init__(services.parent)
        self.s = services
        for editor, target in ((panel.story_tags, "story"), (panel.tags_edit, "highlight")):
            editor.lookup = self.lookup_tags
            editor.edited.connect(
                lambda owner, before, after, t=target: self.retag(t, owner, before, after)
            )

    def lookup_tags(self, prefix: str, done: Callable[[list[str]], None]) -> None:
        self.s.worker.run(lambda a: a.tag_names(prefix)[:COMPLETIONS], done=done)

    def retag(self, target: str, owner: int, before: list[str], after: list[str]) -> None:
        self.s.undo_stack.push(Retag(self.s.worker, target, owner, before, after))
        what = "Story" if target == "story" else "Highlight"
        self.s.status(f"{what} tags saved (Ctrl+Z to undo)", 4000)
