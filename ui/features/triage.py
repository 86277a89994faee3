"""Bulk triage: the story list's and the notebook's marks, and what the single-story keys do
while rows are marked (read, star, archive, tag, delete, export; recolour, tag, delete and
export highlights), each one worker operation and one undo step; with nothing marked the keys
act on the open story as before."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from reader.archive import StoryFlag
from reader.model import Color, Highlight
from ui.core.bulk_edits import (
    DeleteHighlights,
    DeleteStories,
    RecolorHighlights,
    SetStoriesFlag,
    TagMany,
    flag_texts,
    highlights,
    stories,
)
from ui.core.colors import LABELS
from ui.core.keymap import key_hint, plain_keys
from ui.core.services import Services
from ui.dialogs.export_dialog import ExportScope
from ui.features.annotations import Annotations
from ui.features.export import Export
from ui.features.story_list import StoryList
from ui.models.highlight_list import HIGHLIGHT_ROLE
from ui.panes.marks import Marks
from ui.panes.middle import LIST_PAGE, NOTEBOOK_PAGE, MiddlePages
from ui.panes.notebook import Notebook
from ui.panes.selection_bar import SelectionBar
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.selection_toolbar import color_icon


class Triage(QObject):
    def __init__(
        self,
        services: Services,
        pages: MiddlePages,
        story_list: StoryList,
        notebook: Notebook,
        bars: tuple[SelectionBar, SelectionBar],
        panel: HighlightsPanel,
        annotations: Annotations,
        export: Export,
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.pages = pages
        self.story_list = story_list
        self.notebook = notebook
        self.panel = panel
        self.annotations = annotations
        self.export = export
        self.story_marks = story_list.marks
        items = notebook.model
        self.note_marks = Marks(
            notebook.list, lambda first, last: [h.id for h in items.items[first : last + 1]]
        )
        self.story_bar, self.note_bar = bars
        self._tag_dialog: QInputDialog | None = None
        self._build_bars()
        self.story_marks.changed.connect(self.story_bar.set_count)
        self.note_marks.changed.connect(self.on_note_marks_changed)
        # After the story list's own slot, which writes the highlight count first.
        notebook.loaded.connect(lambda: self.on_note_marks_changed(self.note_marks.count()))

    def _build_bars(self) -> None:
        bar = self.story_bar
        flags: tuple[tuple[str, str, str, StoryFlag, str], ...] = (
            ("read", "Read", "Mark read or unread", "read", "toggle_read"),
            ("star", "Star", "Star or unstar", "starred", "star"),
            ("later", "Later", "Keep for later, or take off Later", "later", "later"),
            ("archive", "Archive", "Archive or unarchive", "archived", "archive"),
        )
        for name, label, tip, flag, action in flags:
            bar.add_button(name, label, f"{tip} ({key_hint(action)})", partial(self.set_flag, flag))
        for n, color in enumerate(Color, start=1):
            self.note_bar.add_button(
                color.value,
                LABELS[color],
                f"Recolour {LABELS[color].lower()} ({n})",
                self._recolor_with(color),
                color_icon(color, 12),
            )
        for b in (self.story_bar, self.note_bar):
            b.add_button("tag", "Tag…", f"Tag them all ({key_hint('tag_marked')})", self.ask_tag)
            b.add_button("export", "Export…", "Export them", self.ask_export)
            b.add_button(
                "delete",
                "Delete",
                f"Delete them ({key_hint('delete_story')}; {key_hint('undo')} undoes)",
                self.delete,
            )
            b.add_button("clear", "Clear", f"Unmark them ({key_hint('back')})", self.clear_marks)

    def bind_color_keys(self, widgets: Sequence[QWidget]) -> None:
        """1–5 recolour (declared in the keymap as one binding, a key per colour in order)."""
        for key, color in zip(plain_keys("recolor"), Color, strict=True):
            action = QAction(self)
            action.setObjectName(f"key-recolor-{color.value}")
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(self._recolor_with(color))
            for widget in widgets:
                widget.addAction(action)

    # -- the marks of the list on show ----------------------------------------------------

    def marks(self) -> Marks | None:
        return {LIST_PAGE: self.story_marks, NOTEBOOK_PAGE: self.note_marks}.get(
            self.pages.currentIndex()
        )

    def move(self, step: int, otherwise: Callable[[int], None]) -> None:
        """j/k: while marking, move and keep the marks; else ``otherwise(step)``."""
        marks = self.marks()
        if marks is None or not marks.move(step):
            otherwise(step)

    def extend(self, step: int) -> None:
        marks = self.marks()
        if marks is not None:
            marks.extend(step)

    def toggle_mark(self) -> None:
        marks = self.marks()
        if marks is not None:
            marks.toggle()

    def select_all(self) -> None:
        """Ctrl+A: every row of the list on show; in a text (the story, a note) its words, as
        the window-wide key would otherwise take them from the read-only reader."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QTextEdit | QPlainTextEdit | QLineEdit):
            focus.selectAll()
            return
        marks = self.marks()
        if marks is not None:
            marks.select_all()
            marks.view.setFocus()

    def clear_marks(self, otherwise: Callable[[], None] | None = None) -> None:
        """Esc: unmark what is marked; with nothing marked, ``otherwise()``."""
        marks = self.marks()
        if (marks is None or not marks.clear()) and otherwise is not None:
            otherwise()

    @Slot(int)
    def on_note_marks_changed(self, n: int) -> None:
        self.note_bar.set_count(n)
        if n and self.pages.currentIndex() == NOTEBOOK_PAGE:
            self.story_list.count_label.setText(f"{n:,} of {self.notebook.count_text()} selected")

    def marked_stories(self) -> list[int]:
        if self.pages.currentIndex() != LIST_PAGE:
            return []
        return self.story_marks.marked_keys()

    def marked_highlights(self) -> list[int]:
        """The marked highlights, else the notebook's current one (none off the notebook)."""
        if self.pages.currentIndex() != NOTEBOOK_PAGE:
            return []
        marked = self.note_marks.marked_keys()
        if marked:
            return marked
        current: Highlight | None = self.notebook.list.currentIndex().data(HIGHLIGHT_ROLE)
        return [current.id] if current is not None else []

    # -- stories --------------------------------------------------------------------------

    def set_flag(self, flag: StoryFlag) -> None:
        """Toggle ``flag`` on the marked stories (set unless all have it), else on the open
        story; either way one undo step."""
        ids = self.marked_stories()
        if not ids:
            self.story_list.set_flag(flag)
            return
        what = stories(len(ids))

        def push(flagged: int) -> None:
            value = flagged < len(ids)
            command, done = flag_texts(flag, value, what)
            self.s.undo_stack.push(
                SetStoriesFlag(self.s.worker, ids, flag, value, command, self._says(done))
            )

        self.s.worker.run(lambda a: a.count_flagged(ids, flag), done=push)

    def delete(self) -> None:
        """Delete the marked stories or highlights (the notebook's current one), else the open
        story."""
        if self.pages.currentIndex() == NOTEBOOK_PAGE:
            ids = self.marked_highlights()
            if ids:
                said = self._says(f"Deleted {highlights(len(ids))}")
                self.s.undo_stack.push(DeleteHighlights(self.s.worker, ids, said))
            return
        ids = self.marked_stories()
        if not ids:
            self.story_list.delete_story()
            return
        said = self._says(f"Deleted {stories(len(ids))}")
        self.s.undo_stack.push(DeleteStories(self.s.worker, ids, said))

    # -- tags, colours, export ------------------------------------------------------------

    def _tag_targets(self) -> tuple[str, list[int]]:
        if self.pages.currentIndex() == NOTEBOOK_PAGE:
            return "highlight", self.marked_highlights()
        story = self.s.current_story()
        return "story", self.marked_stories() or ([story.id] if story is not None else [])

    def ask_tag(self) -> None:
        target, ids = self._tag_targets()
        if not ids:
            return
        what = stories(len(ids)) if target == "story" else highlights(len(ids))
        dialog = QInputDialog(self.s.parent)
        dialog.setObjectName("tag-many-dialog")
        dialog.setWindowTitle("Tag")
        dialog.setLabelText(f"Tags for {what}, separated by commas:")
        dialog.textValueSelected.connect(lambda text: self.tag(target, ids, text.split(",")))
        dialog.finished.connect(dialog.deleteLater)
        self._tag_dialog = dialog
        dialog.open()

    def tag(self, target: str, ids: list[int], names: list[str]) -> None:
        tags = [n.strip() for n in names if n.strip()]
        if not (ids and tags):
            return
        what = stories(len(ids)) if target == "story" else highlights(len(ids))
        said = self._says(f"Tagged {what} “{', '.join(tags)}”")
        self.s.undo_stack.push(TagMany(self.s.worker, target, ids, tags, said))

    def recolor(self, color: Color) -> None:
        """1–5: recolour the marked highlights (the notebook's current one), else the
        highlight selected in the highlights panel."""
        ids = self.marked_highlights()
        if not ids:
            selected = self.panel.selected_highlight
            if selected is not None:
                self.annotations.on_panel_colorChangeRequested(selected.id, color)
            return
        said = self._says(f"Recoloured {highlights(len(ids))} {color.value}")
        self.s.undo_stack.push(RecolorHighlights(self.s.worker, ids, color, said))

    def _says(self, message: str) -> Callable[[object], None]:
        """What the status bar says once a bulk edit is written (not before: it may fail)."""
        return lambda _result: self.s.status(f"{message} (Ctrl+Z to undo)", 8000)

    def _recolor_with(self, color: Color) -> Callable[[], None]:
        return lambda: self.recolor(color)

    def ask_export(self) -> None:
        if self.pages.currentIndex() == NOTEBOOK_PAGE:
            marked = self.marked_highlights()
            if marked:
                label = f"The {highlights(len(marked))} marked in the notebook"
                self.export.ask_scope(ExportScope(label, "marked-highlights", highlight_ids=marked))
            return
        ids = self.marked_stories()
        if ids:
            label = f"The {stories(len(ids))} marked, with their highlights and notes"
            self.export.ask_scope(ExportScope(label, "marked-stories", story_ids=ids))
