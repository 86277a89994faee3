"""The reader: a QTextBrowser showing one story, with highlights drawn as translucent
ExtraSelections on exactly the canonical offsets they were made on, and search matches marked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QMenu, QTextBrowser, QTextEdit, QWidget

from reader.model import AnchorStatus, Color, Highlight, Story
from ui.core.colors import color_label, highlight_background, search_mark, swatch
from ui.models.search_results import term_pattern
from ui.reading.progress_marker import ProgressMarker
from ui.reading.reading_style import ReadingStyle
from ui.reading.selection_toolbar import SelectionToolbar, color_icon
from ui.reading.story_document import CHANGES_HREF, BlockMap, build_document
from ui.reading.word_snap import snap_to_words

MIN_SIDE_MARGIN = 24
POSITION_SETTLE_MS = 700
"""A scroll position is reported once the analyst stops scrolling for this long."""
READING_FAMILIES = ["Charter", "Georgia", "Noto Serif", "Source Serif Pro", "DejaVu Serif", "serif"]


class ReaderView(QTextBrowser):
    """Shows a story; emits what the user asks for (highlight, note, delete) in canonical
    offsets."""

    highlightRequested = Signal(int, int, object)
    noteRequested = Signal(int, int)
    highlightClicked = Signal(int)
    highlightNoteRequested = Signal(int)
    highlightDeleteRequested = Signal(int)
    changesRequested = Signal()
    """The header's "Show changes" link of a story with earlier versions."""
    positionSettled = Signal(int, int)
    """(story id, canonical offset at the top of the view) after the analyst scrolled."""
    readingStyleChanged = Signal(object)
    """The :class:`ReadingStyle` now applied (from the dialog or the zoom keys)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setPlaceholderText("Select a story to read it.")
        self.document().setDocumentMargin(0)
        self.anchorClicked.connect(self.on_anchorClicked)
        self.selectionChanged.connect(self.on_selectionChanged)
        self.story: Story | None = None
        self.highlights: list[Highlight] = []
        self.mapping = BlockMap()
        self.active_highlight: int | None = None
        self.reading_style = ReadingStyle()
        self.color_names: dict[Color, str] = {}
        self._term_ranges: list[tuple[int, int]] = []
        self.toolbar = SelectionToolbar(self.viewport())
        self.toolbar.colorChosen.connect(self.on_toolbar_colorChosen)
        self.toolbar.noteRequested.connect(self.on_toolbar_noteRequested)
        self.marker = ProgressMarker(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(POSITION_SETTLE_MS)
        self._settle.timeout.connect(self.on_settle_timeout)
        self._placing = False
        """The window is scrolling (restoring a position, re-laying out), not the analyst."""
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self.on_verticalScrollBar_valueChanged)
        bar.rangeChanged.connect(lambda _low, _high: self._show_progress())
        self._apply_margins(force=True)

    # -- content --------------------------------------------------------------------------

    @property
    def zoom_steps(self) -> int:
        return self.reading_style.zoom

    def reading_font(self, style: ReadingStyle | None = None) -> QFont:
        """The font of the story's text in ``style`` (by default the one applied)."""
        style = style or self.reading_style
        font = QFont(self.font())
        family = style.family
        font.setFamilies([family, *READING_FAMILIES] if family else READING_FAMILIES)
        base = QApplication.font().pointSizeF()
        font.setPointSizeF(max(7.0, (base if base > 0 else 10.0) + 2 + style.zoom))
        return font

    def show_story(self, story: Story, highlights: list[Highlight]) -> None:
        self.flush_position()
        self.toolbar.hide()
        self.story = story
        self.highlights = list(highlights)
        self.active_highlight = None
        self._term_ranges = []
        with self._placed():
            self._render()
            self.verticalScrollBar().setValue(0)

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self.highlights = list(highlights)
        self._redraw()

    def set_active_highlight(self, highlight_id: int | None) -> None:
        self.active_highlight = highlight_id
        self._redraw()

    def set_color_names(self, names: dict[Color, str]) -> None:
        """The codebook's names, for the highlight menu and the selection toolbar."""
        self.color_names = dict(names)
        self.toolbar.set_color_names(names)

    def set_zoom(self, steps: int) -> None:
        self.set_reading_style(replace(self.reading_style, zoom=steps))

    def set_reading_style(self, style: ReadingStyle) -> None:
        """Set the story in ``style``, keeping the line at the top of the view in place."""
        style = style.clamped()
        if style == self.reading_style:
            return
        self.reading_style = style
        if self.story is not None:
            with self._placed():
                top = self.top_offset()
                self._render()
                self.scroll_to_top(top)
        self._apply_margins(force=True)
        self.readingStyleChanged.emit(style)

    def _render(self) -> None:
        if self.story is None:
            return
        self.mapping = build_document(
            self.document(),
            self.story,
            self.reading_font(),
            self.palette(),
            line_height=self.reading_style.line_height,
            # In the same edit, so the story is laid out once, at its margins.
            finish=lambda: self._apply_margins(force=True),
        )
        self._redraw()

    # -- offsets ----------------------------------------------------------------------------

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.mapping.to_document(start))
        cursor.setPosition(self.mapping.to_document(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def canonical_at(self, position: int) -> int | None:
        block = self.document().findBlock(position)
        return self.mapping.to_canonical(position, block.blockNumber())

    def selected_range(self, snap: bool = True) -> tuple[int, int] | None:
        """The selection as canonical (start, end), snapped to whole words (see
        :func:`~ui.reading.word_snap.snap_to_words`), or with ``snap=False`` as selected,
        trimmed of surrounding whitespace only."""
        cursor = self.textCursor()
        if self.story is None or not cursor.hasSelection():
            return None
        start = self.canonical_at(cursor.selectionStart())
        end = self.canonical_at(cursor.selectionEnd())
        if end is None:
            return None
        start = 0 if start is None else start
        text = self.story.text
        if snap:
            return snap_to_words(text, start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def snap_selection(self) -> None:
        """Show the selection as the words a highlight of it would take."""
        span = self.selected_range()
        if span is not None:
            self.setTextCursor(self.cursor_for(*span))

    def resolved(self, highlight: Highlight) -> tuple[int, int] | None:
        """Where a highlight is in the current text: its offsets, else its quote's first match.
        A "changed" one is on its offsets though the words differ from its quote; an orphan
        has no place until it is re-attached."""
        if self.story is None or highlight.status == AnchorStatus.ORPHAN:
            return None
        text = self.story.text
        if text[highlight.start : highlight.end] == highlight.quote or (
            highlight.status == AnchorStatus.CHANGED
            and highlight.start < highlight.end <= len(text)
        ):
            return highlight.start, highlight.end
        found = text.find(highlight.quote) if highlight.quote else -1
        return (found, found + len(highlight.quote)) if found >= 0 else None

    def highlight_at(self, offset: int) -> int | None:
        """The shortest highlight containing ``offset`` (the innermost of overlapping ones)."""
        best: tuple[int, int] | None = None
        for h in self.highlights:
            span = self.resolved(h)
            if (
                span
                and span[0] <= offset < span[1]
                and (best is None or span[1] - span[0] < best[0])
            ):
                best = (span[1] - span[0], h.id)
        return best[1] if best else None

    def highlight_under_cursor(self) -> int | None:
        offset = self.canonical_at(self.textCursor().position())
        return self.highlight_at(offset) if offset is not None else None

    def scroll_to_offset(self, offset: int) -> None:
        cursor = self.cursor_for(offset, offset)
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - self.viewport().height() // 4)

    def top_offset(self) -> int:
        """The canonical offset of the first line in view (0 in the header)."""
        position = self.cursorForPosition(QPoint(self.viewport().width() // 2, 1)).position()
        return self.canonical_at(position) or 0

    def scroll_to_top(self, offset: int) -> None:
        """Scroll so that the line holding ``offset`` is the first in view."""
        bar = self.verticalScrollBar()
        if offset <= 0:
            bar.setValue(0)
            return
        rect = self.cursorRect(self.cursor_for(offset, offset))
        bar.setValue(bar.value() + rect.top())

    def restore_position(self, story_id: int, offset: int) -> None:
        """Go back to where the analyst left ``story_id``, unless it was scrolled meanwhile
        (to a highlight, a search match, or by the analyst)."""
        story = self.story
        if story is None or story.id != story_id or self.verticalScrollBar().value() != 0:
            return
        with self._placed():
            self.scroll_to_top(offset)

    @property
    def progress(self) -> float | None:
        """How far down the story the view is (0 to 1); None when it all fits in view."""
        bar = self.verticalScrollBar()
        if self.story is None or bar.maximum() <= 0:
            return None
        return bar.value() / bar.maximum()

    @contextmanager
    def _placed(self) -> Iterator[None]:
        self._placing = True
        try:
            yield
        finally:
            self._placing = False
            self._show_progress()

    def _show_progress(self) -> None:
        self.marker.show_progress(self.progress)

    @Slot(int)
    def on_verticalScrollBar_valueChanged(self, _value: int) -> None:
        self._show_progress()
        if not self._placing and self.story is not None:
            self._settle.start()

    def flush_position(self) -> None:
        """Report a scroll position still waiting to settle (the story or window closes)."""
        if self._settle.isActive():
            self._settle.stop()
            self.on_settle_timeout()

    @Slot()
    def on_settle_timeout(self) -> None:
        if self.story is not None:
            self.positionSettled.emit(self.story.id, self.top_offset())

    def scroll_to_highlight(self, highlight_id: int) -> None:
        for h in self.highlights:
            if h.id == highlight_id and (span := self.resolved(h)):
                self.scroll_to_offset(span[0])
                return

    def ensure_highlight_visible(self, highlight_id: int) -> None:
        """Scroll to a highlight only if its start is not already in view."""
        for h in self.highlights:
            if h.id == highlight_id and (span := self.resolved(h)):
                rect = self.cursorRect(self.cursor_for(span[0], span[0]))
                if not self.viewport().rect().contains(rect):
                    self.scroll_to_offset(span[0])
                return

    def mark_terms(self, terms: tuple[str, ...] | list[str]) -> int | None:
        """Mark every word starting with one of ``terms``; returns the first match's offset."""
        pattern = term_pattern(terms)
        self._term_ranges = []
        if self.story is not None and pattern is not None:
            self._term_ranges = [m.span() for m in pattern.finditer(self.story.text)]
        self._redraw()
        return self._term_ranges[0][0] if self._term_ranges else None

    @property
    def term_ranges(self) -> list[tuple[int, int]]:
        return list(self._term_ranges)

    # -- drawing ----------------------------------------------------------------------------

    def _redraw(self) -> None:
        selections = []
        palette = self.palette()
        spans = [(self.resolved(h), h) for h in self.highlights]
        for span, h in sorted(
            ((s, h) for s, h in spans if s), key=lambda sh: (sh[0][0], -sh[0][1])
        ):
            fmt = QTextCharFormat()
            fmt.setBackground(highlight_background(h.color, palette))
            if h.id == self.active_highlight:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(swatch(h.color).darker(150))
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self.cursor_for(*span)
            selection.format = fmt
            selections.append(selection)
        for start, end in self._term_ranges:
            fmt = QTextCharFormat()
            fmt.setBackground(search_mark(palette))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self.cursor_for(start, end)
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def extra_selection_texts(self) -> list[str]:
        """The document text under each drawn selection (for tests and accessibility)."""
        return [s.cursor.selectedText().replace("\u2029", "\n") for s in self.extraSelections()]

    def _apply_margins(self, force: bool = False) -> None:
        metrics = QFontMetricsF(self.reading_font())
        text_width = metrics.averageCharWidth() * self.reading_style.column_chars
        side = max(MIN_SIDE_MARGIN, int((self.viewport().width() - text_width) / 2))
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if force or fmt.leftMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(28)
            fmt.setBottomMargin(48)
            root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_margins()
        self.marker.place(self.viewport().geometry())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Only the app's own resources: a story never makes the reader reach the network or
        read a file of the user's."""
        url = QUrl(url)
        if url.scheme() in ("qrc", "data"):
            return super().loadResource(kind, url)
        return None

    # -- interaction ------------------------------------------------------------------------

    @Slot(QUrl)
    def on_anchorClicked(self, url: QUrl) -> None:
        if url.toString() == CHANGES_HREF:
            self.changesRequested.emit()
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    @Slot()
    def on_selectionChanged(self) -> None:
        if not self.textCursor().hasSelection():
            self.toolbar.hide()

    def selection_rect(self) -> QRect:
        """The selection's lines in viewport coordinates: from the top of its first line to
        the bottom of its last, across the text column."""
        cursor = self.textCursor()
        start = QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        end = QTextCursor(cursor)
        end.setPosition(cursor.selectionEnd())
        return self.cursorRect(start).united(self.cursorRect(end))

    def show_selection_toolbar(self) -> None:
        """The colour buttons just below the selection's last line, so they never cover the
        line above it; the reader scrolls a little when that line is at the bottom."""
        self.toolbar.adjustSize()
        room = self.viewport().height() - SelectionToolbar.GAP * 2 - self.toolbar.height()
        overflow = self.selection_rect().bottom() - room
        if overflow > 0:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + overflow)
        self.toolbar.show_below(self.selection_rect())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.story is None:
            return
        if self.selected_range() is not None:
            self.snap_selection()
            self.show_selection_toolbar()
            return
        offset = self.canonical_at(self.cursorForPosition(event.position().toPoint()).position())
        hit = self.highlight_at(offset) if offset is not None else None
        if hit is not None:
            self.highlightClicked.emit(hit)

    @Slot(object)
    def on_toolbar_colorChosen(self, color: Color) -> None:
        span = self.selected_range()
        if span is not None:
            self.highlightRequested.emit(span[0], span[1], color)
            self.collapse_selection()

    @Slot()
    def on_toolbar_noteRequested(self) -> None:
        span = self.selected_range()
        if span is not None:
            self.noteRequested.emit(*span)
            self.collapse_selection()

    def collapse_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self.toolbar.hide()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu, with "Highlight ▸ colour" for a selection, or edit and delete
        for the highlight under ``pos`` (viewport coordinates)."""
        menu = self.createStandardContextMenu(pos)
        first = menu.actions()[0] if menu.actions() else None
        added: list[QAction] = []
        span = self.selected_range()
        if span is not None:
            sub = QMenu("Highlight", menu)
            for color in Color:
                action = sub.addAction(color_icon(color), color_label(color, self.color_names))
                action.triggered.connect(
                    lambda _=False, c=color, s=span: self.highlightRequested.emit(s[0], s[1], c)
                )
            note = sub.addAction("With a note…")
            note.triggered.connect(lambda _=False, s=span: self.noteRequested.emit(*s))
            added.append(sub.menuAction())
        else:
            offset = self.canonical_at(self.cursorForPosition(pos).position())
            hit = self.highlight_at(offset) if offset is not None else None
            if hit is not None:
                edit = QAction("Edit highlight note…", menu)
                edit.triggered.connect(lambda _=False, h=hit: self.highlightNoteRequested.emit(h))
                delete = QAction("Delete highlight", menu)
                delete.triggered.connect(
                    lambda _=False, h=hit: self.highlightDeleteRequested.emit(h)
                )
                added += [edit, delete]
        if added and first is not None:
            menu.insertActions(first, added)
            menu.insertSeparator(first)
        elif added:
            menu.addActions(added)
        return menu
