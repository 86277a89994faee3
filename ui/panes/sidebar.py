"""The sidebar: the library views (All, Unread, Starred, Highlighted, Archived, Notebook), then
feeds, publications, story tags and highlight tags with their counts. Selecting an entry emits
the filter it stands for (a highlight tag: the notebook with that tag); a feed's context menu
asks for a refresh, full articles or unsubscribing, a tag's for renaming it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from reader.model import Source, Subscription, TagUse, View
from ui.core.colors import error_text
from ui.core.text import count, day_date

NOTEBOOK: Final = "notebook"
"""The Library entry that shows the Notebook instead of a story list."""
Page = View | Literal["notebook"]
VIEWS: tuple[tuple[Page, str], ...] = (
    (View.ALL, "All stories"),
    (View.UNREAD, "Unread"),
    (View.STARRED, "Starred"),
    (View.LATER, "Later"),
    (View.HIGHLIGHTED, "Highlighted"),
    (View.ARCHIVED, "Archived"),
    (NOTEBOOK, "Notebook"),
)
KEY_ROLE = Qt.ItemDataRole.UserRole + 30
STORY_UNIT = ("story", "stories")
HIGHLIGHT_UNIT = ("highlight", "highlights")


def remove_children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """Take ``group``'s children out of the tree, handing them to Python to be freed once
    the caller lets go of them.

    Not ``takeChildren()``: PySide6 gives its items to no one, so every refresh of the counts
    kept the previous entries alive (``python -m bench.soak`` found it;
    tests/ui/test_sidebar_entries.py)."""
    children = [c for i in range(group.childCount()) if (c := group.child(i)) is not None]
    for child in children:
        group.removeChild(child)
    return children


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the story list shows: a view, or one feed, publication or story tag (among
    non-archived stories); or the notebook with one highlight tag."""

    view: Page = View.ALL
    source_id: int | None = None
    tag: str | None = None
    feed_id: int | None = None
    highlight_tag: str | None = None

    @property
    def key(self) -> str:
        if self.feed_id is not None:
            return f"feed:{self.feed_id}"
        if self.source_id is not None:
            return f"source:{self.source_id}"
        if self.tag is not None:
            return f"tag:{self.tag}"
        if self.highlight_tag is not None:
            return f"highlight-tag:{self.highlight_tag}"
        return f"view:{self.view}"

    @property
    def tag_name(self) -> str | None:
        """The story or highlight tag this entry stands for, if it is one."""
        return self.tag if self.tag is not None else self.highlight_tag

    @classmethod
    def from_key(cls, key: str) -> ListFilter:
        kind, _, value = key.partition(":")
        if kind == "feed" and value.isdigit():
            return cls(feed_id=int(value))
        if kind == "source" and value.isdigit():
            return cls(source_id=int(value))
        if kind == "tag" and value:
            return cls(tag=value)
        if kind == "highlight-tag" and value:
            return cls(view=NOTEBOOK, highlight_tag=value)
        return cls(view=next((v for v, _label in VIEWS if v == value), View.ALL))


@dataclass(frozen=True, slots=True)
class Counts:
    views: dict[View, int]
    sources: list[tuple[Source, int]]
    tags: list[TagUse]
    feeds: list[Subscription] = field(default_factory=list)


def _when(moment: datetime) -> str:
    """A moment as the tooltip shows it: the day, and the time in the user's zone."""
    local = moment.astimezone()
    return f"{day_date(local)} {local:%H:%M}"


def feed_tooltip(feed: Subscription) -> str:
    lines = [feed.title, feed.url]
    if feed.last_error:
        times = f"{feed.error_count} times" if feed.error_count > 1 else "once"
        lines.append(f"Failed {times}: {feed.last_error}")
        if feed.next_attempt is not None:
            lines.append(f"Next attempt: {_when(feed.next_attempt)}")
    if feed.last_success is not None:
        lines.append(f"Last fetched: {_when(feed.last_success)}")
    elif not feed.last_error:
        lines.append("Not fetched yet")
    lines.append(f"{feed.story_count} stories, {feed.unread_count} unread")
    if feed.fetch_full_articles:
        lines.append("Fetches full articles")
    return "\n".join(lines)


class Sidebar(QTreeWidget):
    filterChanged = Signal(object)
    feedRefreshRequested = Signal(int)
    feedFullArticlesToggled = Signal(int, bool)
    feedUnsubscribeRequested = Signal(int)
    tagRenameRequested = Signal(str)
    """The name of the tag whose context menu asked to rename it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.feeds: dict[int, Subscription] = {}
        self.library = self._group("Library")
        self.feed_group = self._group("Feeds")
        self.sources = self._group("Publications")
        self.story_tags = self._group("Story tags")
        self.highlight_tags = self._group("Highlight tags")
        self._renamed: dict[str, str] = {}
        for view, label in VIEWS:
            self._add(self.library, ListFilter(view=view).key, label)
        for group in (self.feed_group, self.sources, *self.tag_groups):
            group.setHidden(True)
        self.currentItemChanged.connect(self.on_currentItemChanged)
        self.customContextMenuRequested.connect(self.on_customContextMenuRequested)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.ResizeToContents)

    @property
    def tag_groups(self) -> tuple[QTreeWidgetItem, QTreeWidgetItem]:
        return self.story_tags, self.highlight_tags

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
        # The whole name on hover when a narrow sidebar elides it.
        item.setToolTip(0, label)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._items[key] = item
        return item

    @property
    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def item(self, key: str) -> QTreeWidgetItem | None:
        return self._items.get(key)

    def select_key(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    def set_counts(self, counts: Counts) -> None:
        """Refresh the numbers and the feed, publication and tag entries, keeping the
        selection."""
        before = current = self.current_key
        self.blockSignals(True)
        for view, _label in VIEWS:
            n = counts.views.get(view) if isinstance(view, View) else None
            self._items[ListFilter(view=view).key].setText(1, "" if n is None else str(n))
        for group in (self.feed_group, self.sources, *self.tag_groups):
            for item in remove_children(group):
                self._items.pop(item.data(0, KEY_ROLE), None)
        self.feeds = {feed.id: feed for feed in counts.feeds}
        for feed in counts.feeds:
            self._add_feed(feed)
        for source, n in counts.sources:
            self._add(self.sources, ListFilter(source_id=source.id).key, source.name).setText(
                1, str(n)
            )
        self._add_tags(counts.tags)
        self.feed_group.setHidden(not counts.feeds)
        self.sources.setHidden(not counts.sources)
        renamed = self._renamed.get(current or "")
        if renamed in self._items:
            current = self._renamed.pop(current or "")
        if current is not None:
            self.select_key(current)
        self.blockSignals(False)
        if current != before and current is not None and current in self._items:
            self.filterChanged.emit(ListFilter.from_key(current))

    # -- tags -----------------------------------------------------------------------------

    def _add_tags(self, uses: list[TagUse]) -> None:
        """Story tags and highlight tags in groups of their own, each counting its kind."""
        for group, unit, entries in (
            (self.story_tags, STORY_UNIT, [(ListFilter(tag=u.name), u.stories) for u in uses]),
            (
                self.highlight_tags,
                HIGHLIGHT_UNIT,
                [(ListFilter(view=NOTEBOOK, highlight_tag=u.name), u.highlights) for u in uses],
            ),
        ):
            shown = [(f, n) for f, n in entries if n]
            for list_filter, n in shown:
                name = list_filter.tag_name or ""
                item = self._add(group, list_filter.key, name)
                item.setText(1, str(n))
                item.setToolTip(0, f"{name}: {count(n, *unit)} (F2 renames it)")
            group.setHidden(not shown)

    def selected_tag(self) -> str | None:
        """The tag of the selected entry, if a tag is selected."""
        key = self.current_key
        return ListFilter.from_key(key).tag_name if key else None

    def follow_rename(self, old: str, new: str) -> None:
        """A tag shown now is being renamed: once the counts know the new name, show that."""
        self._renamed[ListFilter(tag=old).key] = ListFilter(tag=new).key
        self._renamed[ListFilter(highlight_tag=old).key] = ListFilter(highlight_tag=new).key

    def tag_menu(self, name: str) -> QMenu:
        menu = QMenu(self)
        rename = menu.addAction("Rename tag…")
        rename.setShortcut("F2")
        rename.setToolTip("Renaming to a tag that exists already merges the two")
        rename.triggered.connect(lambda _=False: self.tagRenameRequested.emit(name))
        return menu

    def _add_feed(self, feed: Subscription) -> None:
        item = self._add(self.feed_group, ListFilter(feed_id=feed.id).key, feed.title or feed.url)
        item.setText(1, str(feed.unread_count) if feed.unread_count else "")
        tip = feed_tooltip(feed)
        item.setToolTip(0, tip)
        item.setToolTip(1, tip)
        if feed.last_error:
            item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            for column in (0, 1):
                item.setForeground(column, error_text(self.palette()))

    # -- feed menu ------------------------------------------------------------------------

    def feed_menu(self, feed_id: int) -> QMenu:
        """Refresh, Fetch full articles, Copy URL and Unsubscribe for one feed."""
        feed = self.feeds[feed_id]
        menu = QMenu(self)
        menu.addAction("Refresh").triggered.connect(
            lambda _=False: self.feedRefreshRequested.emit(feed_id)
        )
        full = menu.addAction("Fetch full articles")
        full.setCheckable(True)
        full.setChecked(feed.fetch_full_articles)
        full.setToolTip("For entries that carry only a summary, fetch the article they link to")
        full.toggled.connect(lambda on: self.feedFullArticlesToggled.emit(feed_id, on))
        menu.addAction("Copy URL").triggered.connect(
            lambda _=False: QGuiApplication.clipboard().setText(feed.url)
        )
        menu.addSeparator()
        menu.addAction("Unsubscribe…").triggered.connect(
            lambda _=False: self.feedUnsubscribeRequested.emit(feed_id)
        )
        return menu

    @Slot(QPoint)
    def on_customContextMenuRequested(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        key = item.data(0, KEY_ROLE) if item is not None else None
        target = ListFilter.from_key(key) if key else None
        if target is not None and target.tag_name is not None:
            menu = self.tag_menu(target.tag_name)
        elif target is None or target.feed_id not in self.feeds:
            return
        else:
            menu = self.feed_menu(target.feed_id)
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def on_currentItemChanged(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        key = current.data(0, KEY_ROLE) if current is not None else None
        if key:
            self.filterChanged.emit(ListFilter.from_key(key))
