"""The story list's one-line summary preview: a View menu option (kept per user) that puts each
story's first words under its title, in rows twice as tall."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTableView

from ui.core.settings import Prefs
from ui.models import story_model
from ui.models.story_preview import TitlePreviewDelegate, row_height


class ListPreview(QObject):
    def __init__(self, table: QTableView, prefs: Prefs) -> None:
        super().__init__(table)
        self.table = table
        self.prefs = prefs
        self.delegate = TitlePreviewDelegate(table)
        table.setItemDelegateForColumn(story_model.TITLE, self.delegate)
        self.action = QAction("Show a line of each story under its title", table)
        self.action.setObjectName("list-preview")
        self.action.setCheckable(True)
        self.action.setChecked(bool(prefs.get("list/preview")))
        self.action.toggled.connect(self.on_action_toggled)
        self._apply(self.action.isChecked())

    @Slot(bool)
    def on_action_toggled(self, on: bool) -> None:
        self.prefs.set("list/preview", on)
        self._apply(on)

    def _apply(self, on: bool) -> None:
        self.delegate.preview = on
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(row_height(self.table.font(), preview=on))
        self.table.viewport().update()
