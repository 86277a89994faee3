"""A layout that places its widgets in a row and wraps to the next row where the width ends,
as words in a paragraph (after Qt's Flow Layout example), for the facet chips and the tag
editor, whose line edit, the last item, takes the rest of its row. With ``max_rows`` the
items that do not fit in that many rows are left out (a zero rectangle) and a "more" widget
ends the last row, until :attr:`FlowLayout.expanded` lets every row show."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(
        self,
        parent: QWidget | None = None,
        spacing: int = 4,
        *,
        fill_last: bool = False,
        max_rows: int | None = None,
    ) -> None:
        """``fill_last``: the last item stretches to the end of its row, and starts a row of
        its own when less than its minimum width is left. ``max_rows``: see the module."""
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._fill_last = fill_last
        self._max_rows = max_rows
        self._more: QWidget | None = None
        self.expanded = False
        """With ``max_rows``: every row shows (the "more" widget, now "fewer", ends the last)."""
        self.left_out: list[QWidget] = []
        """The widgets the row limit left out at the last layout (the "more" widget when
        nothing was)."""
        self.setContentsMargins(0, 0, 0, 0)

    def set_more(self, widget: QWidget) -> None:
        """The widget that ends the last row when the limit leaves items out (added last)."""
        self._more = widget
        self.addWidget(widget)

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        self.invalidate()

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (only measure unless ``move``); returns the height."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        shown = [i for i in self._items if not _hidden(i) and i.widget() is not self._more]
        more = next((i for i in self._items if i.widget() is self._more), None)
        limit = None if self._max_rows is None or more is None else self._max_rows
        if limit is not None and not self.expanded:
            rows = self._rows(shown, area, reserve=0)
            if len({row for row, _x, _hint in rows}) <= limit:
                limit = None  # everything fits: no "more"
            else:
                assert more is not None
                rows = self._rows(shown, area, reserve=more.sizeHint().width(), limit=limit)
                return self._put(shown, rows, more, area, rect, move=move)
        if more is not None and limit is not None:
            shown.append(more)  # expanded: "fewer" ends the last row
        rows = self._rows(shown, area, reserve=0)
        height = self._put(shown, rows, None, area, rect, move=move)
        if move and more is not None and limit is None:
            # Nothing left out: the "more" widget is not needed.
            more.setGeometry(QRect())
            self.left_out = [] if self._more is None else [self._more]
        return height

    def _rows(
        self, items: list[QLayoutItem], area: QRect, *, reserve: int, limit: int | None = None
    ) -> list[tuple[int, int, QSize]]:
        """Each item's row, x and size, in order; with ``limit``, only the items that fit in
        that many rows with ``reserve`` pixels left at the end of the last."""
        placed: list[tuple[int, int, QSize]] = []
        x, row, row_height = area.x(), 0, 0
        for item in items:
            hint = item.sizeHint()
            # Wider than the row (a long chip while the width changes): cut to the row.
            hint.setWidth(min(hint.width(), area.width()))
            fill = self._fill_last and item is items[-1]
            needs = item.minimumSize().width() if fill else hint.width()
            if x + needs > area.right() + 1 and row_height:
                x, row, row_height = area.x(), row + 1, 0
            if limit is not None:
                last_row = row == limit - 1
                if row >= limit or (
                    last_row and x + needs + self._gap + reserve > area.right() + 1
                ):
                    break
            if fill:
                hint.setWidth(max(area.right() + 1 - x, needs))
            placed.append((row, x, hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return placed

    def _put(
        self,
        items: list[QLayoutItem],
        rows: list[tuple[int, int, QSize]],
        more: QLayoutItem | None,
        area: QRect,
        rect: QRect,
        *,
        move: bool,
    ) -> int:
        """Place ``items`` as ``rows`` says (those beyond it left out), then ``more`` at the end
        of the last row; returns the height."""
        heights: dict[int, int] = {}
        for row, _x, hint in rows:
            heights[row] = max(heights.get(row, 0), hint.height())
        if more is not None:
            last = max(heights, default=0)
            heights[last] = max(heights.get(last, 0), more.sizeHint().height())
        tops: dict[int, int] = {}
        y = area.y()
        for row in sorted(heights):
            tops[row] = y
            y += heights[row] + self._gap
        bottom = y - self._gap if heights else area.y()
        if move:
            for item, (row, x, hint) in zip(items, rows, strict=False):
                item.setGeometry(QRect(QPoint(x, tops[row]), hint))
            out = items[len(rows) :]
            for item in out:
                item.setGeometry(QRect())
            self.left_out = [w for item in out if (w := item.widget()) is not None]
            if more is not None:
                last = max(tops, default=0)
                x = rows[-1][1] + rows[-1][2].width() + self._gap if rows else area.x()
                more.setGeometry(QRect(QPoint(x, tops.get(last, area.y())), more.sizeHint()))
        return bottom - rect.y() + self.contentsMargins().bottom()


def _hidden(item: QLayoutItem) -> bool:
    widget = item.widget()
    return widget is not None and widget.isHidden()
