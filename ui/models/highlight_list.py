"""A list model of highlights (colour bar, quote, note, and for the notebook the story and
date; the colour's codebook name, tags, and a flag when the words changed or it could not be
placed), shared by the highlights panel and the notebook."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, Qt

from reader.model import Color, Highlight
from ui.core.colors import swatch
from ui.core.text import day_date
from ui.models.rich_delegate import HTML_ROLE, SWATCH_ROLE
from ui.models.story_model import NO_PARENT, Index

HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 20
QUOTE_CHARS = 280
STATUS_FLAGS = {"changed": "⚑ wording changed", "orphan": "⚠ could not place"}
STATUS_TIPS = {
    "changed": "The story's text changed here since this was highlighted.",
    "orphan": "The story's text changed and this passage was not found in it.",
}


QUOTE_MARKS = '"“”„‟«»「」『』'
"""Stripped from a quote's ends before it is shown in typographic quotes of our own."""


def shown_quote(text: str) -> str:
    """A highlight's words in typographic quotes, once: its own quote marks at either end
    are dropped (they would show doubled), long ones are cut with an ellipsis."""
    text = " ".join(text.split()).strip(QUOTE_MARKS + " ")
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return f"“{text}”"


class HighlightListModel(QAbstractListModel):
    def __init__(self, show_story: bool = False) -> None:
        super().__init__()
        self.show_story = show_story
        self.items: list[Highlight] = []
        self.titles: dict[int, str] = {}
        self.color_names: dict[Color, str] = {}

    def set_items(self, items: list[Highlight], titles: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.titles = dict(titles or {})
        self.endResetModel()

    def append_items(self, items: list[Highlight], titles: dict[int, str]) -> None:
        """Add a further page of rows at the end (the notebook loads them as it scrolls)."""
        if not items:
            return
        first = len(self.items)
        self.beginInsertRows(NO_PARENT, first, first + len(items) - 1)
        self.items.extend(items)
        self.titles.update(titles)
        self.endInsertRows()

    def set_color_names(self, names: dict[Color, str]) -> None:
        self.color_names = dict(names)
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1))

    def row_of(self, highlight_id: int) -> int:
        return next((i for i, h in enumerate(self.items) if h.id == highlight_id), -1)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        h = self.items[index.row()]
        if role == HIGHLIGHT_ROLE:
            return h
        if role == SWATCH_ROLE:
            return swatch(h.color)
        if role == Qt.ItemDataRole.DisplayRole:
            return h.quote
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = h.note or h.quote
            return f"{STATUS_TIPS[h.status]}\n\n{tip}" if h.status in STATUS_TIPS else tip
        if role == HTML_ROLE:
            parts = [html.escape(shown_quote(h.quote))]
            if h.note:
                parts.append(f"<i>{html.escape(h.note)}</i>")
            small = []
            if self.show_story:
                title = html.escape(self.titles.get(h.story_id, ""))
                small.append(f"{title} · {day_date(h.created)}")
            if h.status in STATUS_FLAGS:
                small.append(STATUS_FLAGS[h.status])
            if name := self.color_names.get(h.color):
                small.append(html.escape(name))
            if h.tags:
                small.append("tagged " + html.escape(", ".join(h.tags)))
            if small:
                parts.append(f"<small>{' · '.join(small)}</small>")
            return "<br>".join(parts)
        return None
