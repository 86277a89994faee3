"""The Notebook: every highlight in the archive (quote, note, colour, story, date), filtered by
colour (with the codebook's names), tag, source and placement (the orphans that could not be
placed after a story changed); activating one opens its story at that highlight."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from reader.archive import Archive
from reader.model import AnchorStatus, Changed, Color, Highlight
from ui.core.change_bus import ChangeBus, Changes
from ui.core.colors import LABELS, color_label
from ui.core.worker import Worker
from ui.models.highlight_list import HIGHLIGHT_ROLE, HighlightListModel
from ui.models.rich_delegate import RichTextDelegate
from ui.panes.sidebar import Counts
from ui.reading.selection_toolbar import color_icon

PAGE = 500
"""Highlights fetched at a time: the first page at once, the next when the list is scrolled
near its end, so an archive with 100,000 highlights opens the notebook as fast as one with 10."""
MORE_WITHIN_PX = 400
"""How close to the bottom of the list the next page is fetched."""
PLACEMENTS = (
    ("All placements", None),
    ("Orphans", AnchorStatus.ORPHAN),
    ("Wording changed", AnchorStatus.CHANGED),
)
"""The placement filter: every highlight, or only those of one Highlight.status."""


class Notebook(QWidget):
    highlightActivated = Signal(int, int)
    loaded = Signal()

    def __init__(self, worker: Worker, changes: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        changes.changed.connect(self.on_changes_changed)
        self._request = 0
        self.color = QComboBox(self)
        self.color.addItem("All colours", None)
        for c in Color:
            self.color.addItem(color_icon(c, 12), LABELS[c], c)
        self.tag = QComboBox(self)
        self.source = QComboBox(self)
        self.placement = QComboBox(self)
        self.placement.setObjectName("notebook-placement")
        self.placement.setToolTip(
            "Orphans: highlights whose passage was not found after their story's text changed"
        )
        for label, status in PLACEMENTS:
            self.placement.addItem(label, status)
        self.set_choices(Counts({}, [], []))
        for combo in (self.color, self.tag, self.source, self.placement):
            combo.currentIndexChanged.connect(self.on_filter_currentIndexChanged)
        self.status = QLabel(self)
        self.model = HighlightListModel(show_story=True)
        self.list = QListView(self)
        self.list.setObjectName("notebook-list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(RichTextDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.verticalScrollBar().valueChanged.connect(self.on_scroll_valueChanged)
        self._more = False
        self._loading = False
        self.list.activated.connect(self.on_list_activated)
        self.list.clicked.connect(self.on_list_activated)
        filters = QHBoxLayout()
        filters.addWidget(self.color)
        filters.addWidget(self.tag)
        filters.addWidget(self.source)
        filters.addWidget(self.placement)
        filters.addStretch(1)
        filters.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)

    def set_choices(self, counts: Counts) -> None:
        """Offer the archive's tags and sources, keeping the current choice when it remains."""
        for combo, everything, entries in (
            (self.tag, "All tags", [(t.name, t.name) for t in counts.tags if t.highlights]),
            (self.source, "All sources", [(s.name, s.id) for s, _n in counts.sources]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for label, value in entries:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def choose_tag(self, tag: str) -> None:
        """Filter by the highlight tag ``tag`` (offered even before the counts know it)."""
        self.tag.blockSignals(True)
        if self.tag.findData(tag) < 0:
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(self.tag.findData(tag))
        self.tag.blockSignals(False)

    def set_color_names(self, names: dict[Color, str]) -> None:
        """Colour filter entries and rows with the codebook's names ("Yellow — claim")."""
        for i in range(self.color.count()):
            if self.color.itemData(i):
                self.color.setItemText(i, color_label(Color(self.color.itemData(i)), names))
        self.model.set_color_names(names)

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        """Read afresh when on show; a hidden notebook is read when it is shown again."""
        if self.isVisible() and changes.any(Changed.HIGHLIGHTS, Changed.NOTES, Changed.TAGS):
            self.reload()

    def reload(self) -> None:
        """Start again from the newest highlight with the current filters."""
        self._request += 1
        self.status.setText("Loading…")
        self._fetch(offset=0)

    def fetch_more(self) -> None:
        """The next page, if there is one and none is on its way."""
        if self._more and not self._loading:
            self._fetch(offset=self.model.rowCount())

    def _fetch(self, offset: int) -> None:
        request = self._request
        self._loading = True
        # QComboBox hands a StrEnum back as a plain str.
        color = Color(self.color.currentData()) if self.color.currentData() else None
        tag, source_id = self.tag.currentData(), self.source.currentData()
        status = (
            AnchorStatus(self.placement.currentData()) if self.placement.currentData() else None
        )

        def load(archive: Archive) -> tuple[list[Highlight], dict[int, str]]:
            # One row more than a page tells whether another page follows.
            items = archive.all_highlights(
                color=color,
                tag=tag,
                source_id=source_id,
                status=status,
                limit=PAGE + 1,
                offset=offset,
            )
            ids = sorted({h.story_id for h in items})
            return items, {s.id: s.title for s in archive.summaries(ids)}

        self.worker.run(load, done=lambda result: self._on_loaded(request, offset, result))

    def _on_loaded(
        self, request: int, offset: int, result: tuple[list[Highlight], dict[int, str]]
    ) -> None:
        if request != self._request:
            return
        self._loading = False
        items, titles = result
        self._more = len(items) > PAGE
        if offset == 0:
            self.model.set_items(items[:PAGE], titles)
        else:
            self.model.append_items(items[:PAGE], titles)
        shown = self.model.rowCount()
        filtered = any(
            c.currentData() is not None for c in (self.color, self.tag, self.source, self.placement)
        )
        if shown:
            more = " so far, more as you scroll" if self._more else ""
            self.status.setText(f"{shown} highlight{'s' if shown != 1 else ''}{more}")
        else:
            self.status.setText("No highlight matches" if filtered else "No highlights yet")
        self.loaded.emit()

    def filter_text(self) -> str:
        """What the filters keep, in words, for an export's heading."""
        chosen = [
            f"{what}: {combo.currentText()}"
            for what, combo in (
                ("colour", self.color),
                ("tag", self.tag),
                ("source", self.source),
                ("placement", self.placement),
            )
            if combo.currentData() is not None
        ]
        if not chosen:
            return "Every highlight in the archive."
        return "Highlights with " + ", ".join(chosen) + "."

    def count_text(self) -> str:
        """For the status bar: "12 highlights", or "500+ highlights" while more pages follow."""
        shown = self.model.rowCount()
        plural = "" if shown == 1 and not self._more else "s"
        return f"{shown:,}{'+' if self._more else ''} highlight{plural}"

    @Slot(int)
    def on_scroll_valueChanged(self, value: int) -> None:
        # A page (500 rows) always overfills the view, so scrolling is the only trigger.
        if self.list.verticalScrollBar().maximum() - value < MORE_WITHIN_PX:
            self.fetch_more()

    @Slot(int)
    def on_filter_currentIndexChanged(self, _index: int) -> None:
        self.reload()

    @Slot(QModelIndex)
    def on_list_activated(self, index: QModelIndex) -> None:
        highlight = index.data(HIGHLIGHT_ROLE)
        if highlight is not None:
            self.highlightActivated.emit(highlight.story_id, highlight.id)
