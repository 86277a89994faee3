"""The sidebar: the library views (All, Unread, Starred, Highlighted, Archived, Notebook), then
sources and tags with their counts. Selecting an entry emits the filter it stands for."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from reader.model import Source

VIEWS = (
    ("all", "All stories"),
    ("unread", "Unread"),
    ("starred", "Starred"),
    ("highlighted", "Highlighted"),
    ("archived", "Archived"),
    ("notebook", "Notebook"),
)
KEY_ROLE = Qt.ItemDataRole.UserRole + 30


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the story list shows: a view, or one source or tag (among non-archived stories)."""

    view: str = "all"
    source_id: int | None = None
    tag: str | None = None

    @property
    def key(self) -> str:
        if self.source_id is not None:
            return f"source:{self.source_id}"
        if self.tag is not None:
            return f"tag:{self.tag}"
        return f"view:{self.view}"

    @classmethod
    def from_key(cls, key: str) -> ListFilter:
        kind, _, value = key.partition(":")
        if kind == "source" and value.isdigit():
            return cls(source_id=int(value))
        if kind == "tag" and value:
            return cls(tag=value)
        return cls(view=value if value in dict(VIEWS) else "all")


@dataclass(frozen=True, slots=True)
class Counts:
    views: dict[str, int]
    sources: list[tuple[Source, int]]
    tags: list[tuple[str, int]]


class Sidebar(QTreeWidget):
    filterChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.library = self._group("Library")
        self.sources = self._group("Sources")
        self.tags = self._group("Tags")
        for view, label in VIEWS:
            self._add(self.library, ListFilter(view=view).key, label)
        self.currentItemChanged.connect(self.on_currentItemChanged)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.ResizeToContents)

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setExpanded(True)
        return item

    def _add(self, group: QTreeWidgetItem, key: str, label: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(group, [label, ""])
        item.setData(0, KEY_ROLE, key)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._items[key] = item
        return item

    @property
    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select_key(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    def set_counts(self, counts: Counts) -> None:
        """Refresh the numbers and the source and tag entries, keeping the selection."""
        current = self.current_key
        self.blockSignals(True)
        for view, _label in VIEWS:
            n = counts.views.get(view)
            self._items[ListFilter(view=view).key].setText(1, "" if n is None else str(n))
        for group in (self.sources, self.tags):
            for item in group.takeChildren():
                self._items.pop(item.data(0, KEY_ROLE), None)
        for source, n in counts.sources:
            self._add(self.sources, ListFilter(source_id=source.id).key, source.name).setText(
                1, str(n)
            )
        for tag, n in counts.tags:
            self._add(self.tags, ListFilter(tag=tag).key, tag).setText(1, str(n))
        self.sources.setHidden(not counts.sources)
        self.tags.setHidden(not counts.tags)
        if current is not None:
            self.select_key(current)
        self.blockSignals(False)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def on_currentItemChanged(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        key = current.data(0, KEY_ROLE) if current is not None else None
        if key:
            self.filterChanged.emit(ListFilter.from_key(key))
