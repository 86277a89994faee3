"""The colour codebook ("yellow = claim"): Edit ▸ Colour meanings…, saving it on the worker,
and the colour names every view shows, read again whenever the codebook changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction

from reader.archive import Archive
from reader.errors import CodebookError
from reader.model import Changed, CodebookEntry, Color
from ui.core.change_bus import Changes
from ui.core.services import Services
from ui.dialogs.codebook_dialog import Change, CodebookDialog


class ShowsColorNames(Protocol):
    def set_color_names(self, names: dict[Color, str]) -> None: ...


def save_codebook(archive: Archive, changes: list[Change]) -> dict[Color, str]:
    """Apply ``changes``: cleared and renamed colours first, so two colours can swap names. If
    a name is refused, the codebook goes back to what it was and the error propagates."""
    before = archive.codebook()
    try:
        for color, name, _description in changes:
            if not name or any(e.color == color and e.name != name for e in before):
                archive.clear_codebook_entry(color)
        for color, name, description in changes:
            if name:
                archive.set_codebook_entry(color, name, description)
    except CodebookError:
        for color in Color:
            archive.clear_codebook_entry(color)
        for entry in before:
            archive.set_codebook_entry(entry.color, entry.name, entry.description)
        raise
    return archive.color_names()


class Codebook(QObject):
    colorNamesChanged = Signal(dict)

    def __init__(self, services: Services, views: Sequence[ShowsColorNames]) -> None:
        super().__init__(services.parent)
        self.s = services
        self.views = list(views)
        self.color_names: dict[Color, str] = {}
        self.codebook_dialog: CodebookDialog | None = None
        self.codebook_action = QAction("Colour meanings…", services.parent)
        self.codebook_action.setToolTip("Say what each highlight colour stands for")
        self.codebook_action.triggered.connect(self.ask_codebook)
        services.changes.changed.connect(self.on_changes_changed)

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        if Changed.CODEBOOK in changes:
            self.load_color_names()

    def load_color_names(self) -> None:
        self.s.worker.run(lambda a: a.color_names(), done=self.apply_color_names)

    def apply_color_names(self, names: dict[Color, str]) -> None:
        self.color_names = dict(names)
        for view in self.views:
            view.set_color_names(names)
        self.colorNamesChanged.emit(dict(names))

    def ask_codebook(self) -> None:
        def show(entries: list[CodebookEntry]) -> None:
            dialog = CodebookDialog(entries, self.s.parent)
            dialog.saveRequested.connect(lambda changes: self.save_codebook(dialog, changes))
            dialog.finished.connect(dialog.deleteLater)
            self.codebook_dialog = dialog
            dialog.open()

        self.s.worker.run(lambda a: a.codebook(), done=show)

    def save_codebook(self, dialog: CodebookDialog, changes: list[Change]) -> None:
        self.s.worker.run(
            lambda a: save_codebook(a, changes),
            write=True,
            done=lambda _names: dialog.saved(),
            failed=lambda err: dialog.show_error(str(err)),
        )
