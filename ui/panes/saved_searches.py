"""The sidebar's "Saved searches" section: one entry per saved search with a badge of its new
matches ("3 new"), its query and counts on hover, and a context menu to rename or delete it.
Choosing an entry emits its name. The section lives in the sidebar's tree beside the sidebar's
own groups, which never touch it."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem

from reader.model import SavedSearchCount
from ui.panes.sidebar import remove_children

NAME_ROLE: Final = Qt.ItemDataRole.UserRole + 31
"""The saved search an entry stands for. The entries carry no sidebar key, so the sidebar
never takes them for a story list filter."""


def badge(count: SavedSearchCount) -> str:
    """What the entry shows beside its name: its new matches, else nothing."""
    if count.error is not None:
        return "!"
    more = "+" if count.new_capped else ""
    return f"{count.new:,}{more} new" if count.new else ""


def tooltip(count: SavedSearchCount) -> str:
    total = count.total
    lines = [count.search.name, count.search.query]
    if count.error is not None:
        lines.append(f"Cannot run: {count.error}")
    else:
        more = " or more" if count.new_capped else ""
        lines.append(f"{total:,} match{'' if total == 1 else 'es'}, {count.new:,}{more} new")
    return "\n".join(lines)


class SavedSearchSection(QObject):
    """Keeps the section's entries in ``tree`` (the sidebar), placed after its first group."""

    chosen = Signal(str)
    """The user selected the saved search with this name."""
    renameRequested = Signal(str)
    deleteRequested = Signal(str)

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree
        self.group = QTreeWidgetItem(["Saved searches"])
        self.group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = self.group.font(0)
        font.setBold(True)
        self.group.setFont(0, font)
        tree.insertTopLevelItem(1, self.group)
        self.group.setExpanded(True)
        self.group.setHidden(True)
        self.counts: dict[str, SavedSearchCount] = {}
        tree.currentItemChanged.connect(self.on_tree_currentItemChanged)
        tree.customContextMenuRequested.connect(self.on_tree_customContextMenuRequested)

    def item(self, name: str) -> QTreeWidgetItem | None:
        folded = name.casefold()
        for row in range(self.group.childCount()):
            child = self.group.child(row)
            if child is not None and str(child.data(0, NAME_ROLE)).casefold() == folded:
                return child
        return None

    @property
    def current_name(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, NAME_ROLE) if item is not None and item.parent() is self.group else None

    def set_counts(self, counts: list[SavedSearchCount]) -> None:
        """Show these saved searches (by name, as listed), keeping the selection."""
        current = self.current_name
        self.tree.blockSignals(True)
        remove_children(self.group)
        self.counts = {count.search.name: count for count in counts}
        for count in counts:
            child = QTreeWidgetItem(self.group, [count.search.name, badge(count)])
            child.setData(0, NAME_ROLE, count.search.name)
            child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column in (0, 1):
                child.setToolTip(column, tooltip(count))
            if count.new:
                font = child.font(1)
                font.setBold(True)
                child.setFont(1, font)
        self.group.setHidden(not counts)
        if current is not None and (kept := self.item(current)) is not None:
            self.tree.setCurrentItem(kept)
        self.tree.blockSignals(False)

    def menu(self, name: str) -> QMenu:
        menu = QMenu(self.tree)
        menu.addAction("Open").triggered.connect(lambda _=False: self.chosen.emit(name))
        menu.addAction("Rename…").triggered.connect(lambda _=False: self.renameRequested.emit(name))
        menu.addSeparator()
        menu.addAction("Delete").triggered.connect(lambda _=False: self.deleteRequested.emit(name))
        return menu

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def on_tree_currentItemChanged(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if current is not None and current.parent() is self.group:
            self.chosen.emit(str(current.data(0, NAME_ROLE)))

    @Slot(QPoint)
    def on_tree_customContextMenuRequested(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None or item.parent() is not self.group:
            return
        menu = self.menu(str(item.data(0, NAME_ROLE)))
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()
