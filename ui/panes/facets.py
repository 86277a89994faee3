"""The facet chips above the results or the list: a wrapping row of counts by kind, source, tag,
colour and month ("Highlights 12 · Harbor Ledger 40 · #tariffs 9 · ● yellow 4 · Nov 2026
30"), each a button asking for its query text to be added to the search (or taken out, when it
is already there), with the timeline strip of matches per week below."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from reader.model import Color, FacetField, FacetOthers, Facets, FacetValue
from ui.core.colors import swatch
from ui.panes.flow_layout import FlowLayout
from ui.panes.timeline import Timeline

MAX_ROWS = 2
"""Rows of chips shown until "More" is pressed."""
KIND_LABELS = {"story": "Stories", "highlight": "Highlights", "note": "Notes"}
FIELD_NOUNS = {
    FacetField.SOURCE: "sources",
    FacetField.TAG: "tags",
    FacetField.MONTH: "months",
    FacetField.KIND: "kinds",
    FacetField.COLOR: "colours",
}
_STYLE = """
QToolButton[facet="true"] { border: 1px solid palette(mid); border-radius: 9px;
    padding: 1px 7px; }
QToolButton[facet="true"]:checked { background: palette(highlight);
    color: palette(highlighted-text); border-color: palette(highlight); }
QToolButton[facet="true"]:focus { border: 2px solid palette(highlight); }
"""


def chip_text(value: FacetValue) -> str:
    """What a chip says: "Highlights 12", "Harbor Ledger 40", "#tariffs 9" (a tag reads as
    one, its query is in the tooltip), "yellow 4" (after a dot of its colour), "Nov 2026 30"."""
    if value.field == FacetField.KIND:
        name = KIND_LABELS.get(value.value, value.value)
    elif value.field == FacetField.TAG:
        name = f"#{value.value}"
    elif value.field == FacetField.MONTH:
        name = f"{date.fromisoformat(value.value + '-01'):%b %Y}"
    else:
        name = value.value
    return f"{name} {value.count:,}"


def _dot(color: Color, size: int) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(swatch(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class FacetBar(QWidget):
    chipClicked = Signal(str)
    """The query text of the chip clicked (or of the week clicked in the timeline)."""
    leave = Signal()
    """Escape in the chips or the timeline: back to the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facets")
        self.setStyleSheet(_STYLE)
        self.chips: list[QToolButton] = []
        self._others: list[QLabel] = []
        self.row = QWidget(self)
        # Two rows at most until the analyst asks for more: on a broad search every field has
        # values, and six rows of chips left the list a third of the column.
        self.flow = FlowLayout(self.row, max_rows=MAX_ROWS)
        self.more = QToolButton(self.row)
        self.more.setProperty("facet", True)
        self.more.setAutoRaise(True)
        self.more.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.more.clicked.connect(self.toggle_more)
        self.more.installEventFilter(self)
        self.flow.set_more(self.more)
        self._show_more_text()
        self.timeline = Timeline(self)
        self.timeline.weekClicked.connect(self.chipClicked)
        self.timeline.leave.connect(self.leave)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self.row)
        layout.addWidget(self.timeline)
        self.clear()

    def clear(self) -> None:
        """No facets (the notebook is shown, or the query failed)."""
        self.set_facets(Facets(total=0), frozenset())

    def set_facets(self, facets: Facets, active: frozenset[str]) -> None:
        """Show ``facets``; a chip or week whose query text is in ``active`` (the terms of the
        query as it stands, case folded) is shown checked."""
        focused = next((chip.property("query") for chip in self.chips if chip.hasFocus()), None)
        for widget in [*self.chips, *self._others]:
            self.flow.removeWidget(widget)
            # Hidden now: deleted later, it would still be painted under the new chips until then.
            widget.hide()
            widget.deleteLater()
        self.chips, self._others = [], []
        others = {entry.field: entry for entry in facets.others}
        fields = list(dict.fromkeys(value.field for value in facets.values))
        for field in fields:
            for value in facets.of(field):
                self._add_chip(value, value.query.casefold() in active)
            if field in others:
                self._add_others(others[field])
        self.timeline.set_weeks(facets.weeks, active)
        self.setVisible(bool(facets.values or facets.weeks))
        self.flow.invalidate()
        if focused is not None:
            # The chip pressed from the keyboard is made anew: the focus stays on it.
            again = [chip for chip in self.chips if chip.property("query") == focused]
            target: QWidget = (again or self.chips)[0] if self.chips else self.timeline
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_chip(self, value: FacetValue, checked: bool) -> None:
        chip = QToolButton(self.row)
        chip.setProperty("facet", True)
        chip.setProperty("query", value.query)
        chip.setText(chip_text(value))
        chip.setCheckable(True)
        chip.setChecked(checked)
        chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        verb = "Take" if checked else "Add"
        where = "out of" if checked else "to"
        chip.setToolTip(f"{verb} {value.query} {where} the search")
        chip.setAccessibleName(chip_text(value))
        if value.field == FacetField.COLOR:
            size = self.fontMetrics().height() - 4
            chip.setIcon(_dot(Color(value.value), size))
            chip.setIconSize(QSize(size, size))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.clicked.connect(lambda _on=False, q=value.query: self.chipClicked.emit(q))
        chip.installEventFilter(self)
        self.flow.addWidget(chip)
        chip.show()
        self.chips.append(chip)

    def _add_others(self, others: FacetOthers) -> None:
        label = QLabel(f"+{others.values:,} more", self.row)
        noun = FIELD_NOUNS[others.field]
        label.setToolTip(f"{others.values:,} more {noun} with {others.count:,} matches")
        label.setEnabled(False)
        self.flow.addWidget(label)
        label.show()
        self._others.append(label)

    def toggle_more(self) -> None:
        """Show every row of chips, or only the first two again."""
        self.flow.set_expanded(not self.flow.expanded)
        self._show_more_text()

    def _show_more_text(self) -> None:
        expanded = self.flow.expanded
        self.more.setText("Fewer ▴" if expanded else "More ▾")
        self.more.setToolTip(
            "Show only the first rows of filters" if expanded else "Show every filter"
        )

    def reachable(self) -> list[QToolButton]:
        """The chips and the More button as they show, in order (not those left out)."""
        out = set(self.flow.left_out)
        return [b for b in [*self.chips, self.more] if b not in out]

    def focus_chips(self) -> bool:
        """Put the focus on the first chip (else the timeline); False when there is none."""
        if self.chips:
            self.chips[0].setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if self.timeline.isVisible():
            self.timeline.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        buttons = [*self.chips, self.more]
        if event.type() == QEvent.Type.FocusIn and watched in self.flow.left_out:
            if watched is self.more:
                # Not needed (every chip shows): Tab goes on past it.
                after = self.more.nextInFocusChain()
                if after is not None:
                    after.setFocus(Qt.FocusReason.TabFocusReason)
            else:
                # Tab reached a chip the row limit left out: show them all.
                self.toggle_more()
        if event.type() == QEvent.Type.KeyPress and watched in buttons:
            assert isinstance(event, QKeyEvent) and isinstance(watched, QToolButton)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                watched.click()
                return True
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                step = -1 if key == Qt.Key.Key_Left else 1
                reachable = self.reachable()
                index = reachable.index(watched) + step if watched in reachable else 0
                if 0 <= index < len(reachable):
                    reachable[index].setFocus(Qt.FocusReason.TabFocusReason)
                elif index == len(reachable) and self.timeline.isVisible():
                    self.timeline.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key == Qt.Key.Key_Escape:
                self.leave.emit()
                return True
        return super().eventFilter(watched, event)


def facet_column(bar: FacetBar, pages: QWidget, parent: QWidget) -> QWidget:
    """The middle column: the chips over the pages they count."""
    column = QWidget(parent)
    column.setObjectName("middle-column")
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(bar)
    layout.addWidget(pages, 1)
    return column
