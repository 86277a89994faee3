"""Tags: those of the open story and of the selected highlight (completion from the archive's
tag names, every edit an undoable command), and renaming a tag from the sidebar (F2 or its
context menu), where a name in use already merges the two; undoable as one step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QInputDialog, QLineEdit

from reader.archive import Archive
from reader.model import TagRename
from ui.core.services import Services
from ui.core.undo import Retag, retag_text
from ui.core.worker import Worker
from ui.panes.sidebar import Sidebar
from ui.reading.highlights_panel import HighlightsPanel

COMPLETIONS = 20
"""How many tag names the completer offers."""


def rename_message(done: TagRename) -> str:
    if done.merged:
        return f"Merged tag “{done.old}” into “{done.new}” (Ctrl+Z to undo)"
    return f"Renamed tag “{done.old}” to “{done.new}” (Ctrl+Z to undo)"


class RenameTag(QUndoCommand):
    """Rename the tag ``old`` to ``new`` everywhere (a merge when ``new`` is in use); the
    first run tells ``done`` what it did. Undo puts back what that run recorded."""

    def __init__(
        self,
        worker: Worker,
        old: str,
        new: str,
        done: Callable[[TagRename], None],
        follow: Callable[[str, str], None],
    ) -> None:
        """``follow(old, new)``: the sidebar keeps showing a tag through its renames."""
        super().__init__(f"Rename tag “{old}” to “{new}”")
        self.worker = worker
        self.old, self.new = old, new
        self.done = done
        self.follow = follow
        self.record: TagRename | None = None

    def _rename(self, archive: Archive) -> TagRename:
        self.record = archive.rename_tag(self.old, self.new)
        return self.record

    def _undo(self, archive: Archive) -> None:
        if self.record is not None:
            archive.undo_rename_tag(self.record)

    def redo(self) -> None:
        self.follow(self.old, self.new)
        self.worker.run(self._rename, write=True, done=self._on_renamed)

    def _on_renamed(self, record: TagRename) -> None:
        # A merge keeps the spelling already in use: follow that entry, not the typed one.
        self.follow(record.old, record.new)
        self.done(record)

    def undo(self) -> None:
        if self.record is not None:
            self.follow(self.record.new, self.record.old)
        self.worker.run(self._undo, write=True)


class Tags(QObject):
    def __init__(self, services: Services, panel: HighlightsPanel, sidebar: Sidebar) -> None:
        super().__init__(services.parent)
        self.s = services
        self.sidebar = sidebar
        self.rename_dialog: QInputDialog | None = None
        for editor, target in ((panel.story_tags, "story"), (panel.tags_edit, "highlight")):
            editor.lookup = self.lookup_tags
            editor.edited.connect(
                lambda owner, before, after, t=target: self.retag(t, owner, before, after)
            )
        sidebar.tagRenameRequested.connect(self.on_sidebar_tagRenameRequested)

    def lookup_tags(self, prefix: str, done: Callable[[list[str]], None]) -> None:
        self.s.worker.run(lambda a: a.tag_names(prefix)[:COMPLETIONS], done=done)

    def retag(self, target: str, owner: int, before: list[str], after: list[str]) -> None:
        self.s.undo_stack.push(Retag(self.s.worker, target, owner, before, after))
        self.s.status(f"{retag_text(target, before, after, done=True)} (Ctrl+Z to undo)", 4000)

    # -- renaming -------------------------------------------------------------------------

    def rename_selected(self) -> None:
        """F2: rename the tag selected in the sidebar."""
        name = self.sidebar.selected_tag()
        if name is None:
            self.s.status("Select a tag in the sidebar to rename it", 4000)
            return
        self.ask_rename(name)

    @Slot(str)
    def on_sidebar_tagRenameRequested(self, name: str) -> None:
        self.ask_rename(name)

    def ask_rename(self, name: str) -> None:
        dialog = QInputDialog(self.s.parent)
        dialog.setObjectName("rename-tag-dialog")
        dialog.setWindowTitle("Rename tag")
        dialog.setLabelText(
            f"New name for “{name}” on every story and highlight.\n"
            "A tag of that name already in use is merged with it."
        )
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(name)
        dialog.setOkButtonText("Rename")
        dialog.textValueSelected.connect(lambda new: self.rename(name, new))
        dialog.finished.connect(dialog.deleteLater)
        self.rename_dialog = dialog
        dialog.open()

    def rename(self, old: str, new: str) -> None:
        """Rename ``old`` to ``new`` as one undoable step (nothing when the name is the same)."""
        new = " ".join(new.split())
        if not new or new == old:
            return
        self.s.undo_stack.push(
            RenameTag(
                self.s.worker,
                old,
                new,
                lambda done: self.s.status(rename_message(done), 6000),
                self.sidebar.follow_rename,
            )
        )
