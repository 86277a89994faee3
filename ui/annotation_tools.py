"""Keeping annotations in the window: orphaned highlights (candidates, re-attach, delete), story
versions (reloading a story whose text changed, the "Show changes" dialog, a summary of what new
versions did to highlights), the colour codebook, story and highlight tags, exports and
backups. It owns the actions for these; ui.actions places them in the menus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.model import (
    Candidate,
    CodebookEntry,
    Color,
    Highlight,
    ImportReport,
    RefreshReport,
    Story,
    StoryVersion,
)
from ui.annotation_commands import ReattachHighlight, Retag
from ui.backups import Backups
from ui.codebook import Change, CodebookDialog, save_codebook
from ui.exporting import (
    ExportDialog,
    ExportFormat,
    ExportScope,
    done_message,
    export_operation,
    file_stem,
)
from ui.links import count
from ui.version_diff import DiffDialog, merge_summary, reanchor_summary

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CHANGE_COALESCE_MS = 40
COMPLETIONS = 20
"""How many tag names the completer offers."""
EXPORT_KINDS = (
    ("archive", "Whole archive…"),
    ("story", "This story…"),
    ("search", "Search results…"),
    ("notebook", "Notebook view…"),
)


class AnnotationTools(QObject):
    colorNamesChanged = Signal(dict)
    exported = Signal(object, int)
    """The path written and how many stories, rows or annotations it holds."""
    diffOpened = Signal(object)
    """The DiffDialog just shown."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.color_names: dict[Color, str] = {}
        self.backups = Backups(window)
        self.diff_dialog: DiffDialog | None = None
        self.codebook_dialog: CodebookDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._changes: set[str] = set()
        self._scroll_after_reload: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHANGE_COALESCE_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._actions()

        r, p = window.reader, window.panel
        r.changesRequested.connect(self.show_changes)
        orphans = p.orphans
        orphans.candidatesRequested.connect(self.on_orphans_candidatesRequested)
        orphans.candidateChosen.connect(self.on_orphans_candidateChosen)
        orphans.reattachRequested.connect(self.on_orphans_reattachRequested)
        orphans.deleteRequested.connect(window.annotations.on_deleteRequested)
        for editor, target in ((p.story_tags, "story"), (p.tags_edit, "highlight")):
            editor.lookup = self.lookup_tags
            editor.edited.connect(
                lambda owner, before, after, t=target: self.retag(t, owner, before, after)
            )
        window.worker.changed.connect(self.on_worker_changed)
        window.ready.connect(self.on_window_ready)
        window.storyOpened.connect(self.on_window_storyOpened)
        window.importer.finished.connect(self.on_importer_finished)
        window.feeds.finished.connect(self.on_feeds_finished)

    def _actions(self) -> None:
        w = self.w
        self.codebook_action = QAction("Colour meanings…", w)
        self.codebook_action.setToolTip("Say what each highlight colour stands for")
        self.codebook_action.triggered.connect(self.ask_codebook)
        self.export_menu = QMenu("Export", w)
        self.export_actions: dict[str, QAction] = {}
        for kind, label in EXPORT_KINDS:
            action = self.export_menu.addAction(label)
            action.triggered.connect(lambda _=False, k=kind: self.ask_export(k))
            self.export_actions[kind] = action
        self.export_menu.aboutToShow.connect(self.on_export_menu_aboutToShow)
        self.backup_action = QAction("Back up now…", w)
        self.backup_action.triggered.connect(self.backups.ask_backup)
        self.restore_action = QAction("Restore from backup…", w)
        self.restore_action.triggered.connect(self.backups.ask_restore)
        self.backup_settings_action = QAction("Backup settings…", w)
        self.backup_settings_action.triggered.connect(self.backups.ask_settings)

    # -- change events --------------------------------------------------------------------

    @Slot()
    def on_window_ready(self) -> None:
        self.load_color_names()
        self.backups.backup_if_due()

    @Slot(str)
    def on_worker_changed(self, what: str) -> None:
        self._changes.add(what)
        self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        changes, self._changes = self._changes, set()
        if "codebook" in changes:
            self.load_color_names()
        if changes & {"stories", "tags"}:
            self.check_open_story()
        if "tags" in changes:
            # Highlight tags are shown with the highlights; tagging one is no highlight change.
            self.w.annotations.reload()
            if self.w.notebook.isVisible():
                self.w.notebook.reload()

    def check_open_story(self) -> None:
        """Read the open story's tags again, and the whole story if it has a new version."""
        story = self.w.story
        if story is None:
            return
        self.w.worker.run(
            lambda a: a.story(story.id),
            done=self._on_story_checked,
            failed=lambda _err: None,
        )

    def _on_story_checked(self, fresh: Story) -> None:
        w, story = self.w, self.w.story
        if story is None or fresh.id != story.id:
            return
        w.panel.story_tags.set_tags(story.id, fresh.tags)
        if fresh.version != story.version:
            self._scroll_after_reload = (story.id, w.reader.verticalScrollBar().value())
            w.open_story(story.id, mark_read=False, reload=True)

    @Slot(int)
    def on_window_storyOpened(self, story_id: int) -> None:
        story = self.w.story
        if story is not None:
            self.w.panel.story_tags.set_tags(story.id, story.tags)
        if self._scroll_after_reload is not None:
            wanted, value = self._scroll_after_reload
            self._scroll_after_reload = None
            if wanted == story_id:
                self.w.reader.verticalScrollBar().setValue(value)

    # -- colour names ---------------------------------------------------------------------

    def load_color_names(self) -> None:
        self.w.worker.run(lambda a: a.color_names(), done=self.apply_color_names)

    def apply_color_names(self, names: dict[Color, str]) -> None:
        self.color_names = dict(names)
        self.w.reader.set_color_names(names)
        self.w.panel.set_color_names(names)
        self.w.notebook.set_color_names(names)
        self.colorNamesChanged.emit(dict(names))

    def ask_codebook(self) -> None:
        def show(entries: list[CodebookEntry]) -> None:
            dialog = CodebookDialog(entries, self.w)
            dialog.saveRequested.connect(lambda changes: self.save_codebook(dialog, changes))
            dialog.finished.connect(dialog.deleteLater)
            self.codebook_dialog = dialog
            dialog.open()

        self.w.worker.run(lambda a: a.codebook(), done=show)

    def save_codebook(self, dialog: CodebookDialog, changes: list[Change]) -> None:
        self.w.worker.run(
            lambda a: save_codebook(a, changes),
            write=True,
            done=lambda _names: dialog.saved(),
            failed=lambda err: dialog.show_error(str(err)),
        )

    # -- orphans --------------------------------------------------------------------------

    @Slot(int)
    def on_orphans_candidatesRequested(self, highlight_id: int) -> None:
        def done(candidates: list[Candidate]) -> None:
            self.w.panel.orphans.set_candidates(highlight_id, candidates)

        self.w.worker.run(
            lambda a: a.orphan_candidates(highlight_id, 3),
            done=done,
            failed=lambda _err: self.w.panel.orphans.set_candidates(highlight_id, []),
        )

    @Slot(int, int)
    def on_orphans_candidateChosen(self, start: int, end: int) -> None:
        """Select a suggested place in the reader, so "Re-attach" takes it."""
        reader = self.w.reader
        reader.setTextCursor(reader.cursor_for(start, end))
        reader.ensureCursorVisible()

    @Slot(int)
    def on_orphans_reattachRequested(self, highlight_id: int) -> None:
        w = self.w
        span = w.reader.selected_range()
        orphan = next((h for h in w.panel.orphans.model.items if h.id == highlight_id), None)
        if orphan is None:
            return
        if span is None:
            w.statusBar().showMessage(
                "Select the passage in the story (or click a suggested place) first.", 6000
            )
            return
        w.undo_stack.push(ReattachHighlight(w.worker, orphan, *span))
        cursor = w.reader.textCursor()
        cursor.clearSelection()
        w.reader.setTextCursor(cursor)
        w.statusBar().showMessage("Highlight re-attached (Ctrl+Z to undo)", 6000)

    # -- tags -----------------------------------------------------------------------------

    def lookup_tags(self, prefix: str, done: Callable[[list[str]], None]) -> None:
        self.w.worker.run(lambda a: a.tag_names(prefix)[:COMPLETIONS], done=done)

    def retag(self, target: str, owner: int, before: list[str], after: list[str]) -> None:
        self.w.undo_stack.push(Retag(self.w.worker, target, owner, before, after))
        what = "Story" if target == "story" else "Highlight"
        self.w.statusBar().showMessage(f"{what} tags saved (Ctrl+Z to undo)", 4000)

    # -- versions -------------------------------------------------------------------------

    @Slot()
    def show_changes(self) -> None:
        story = self.w.story
        if story is None or not story.revisions:
            return

        def show(versions: list[StoryVersion]) -> None:
            if self.w.story is None or self.w.story.id != story.id or not versions:
                return
            if self.diff_dialog is not None:
                self.diff_dialog.close()
            dialog = DiffDialog(self.w.worker, story, versions, self.w)
            dialog.finished.connect(dialog.deleteLater)
            self.diff_dialog = dialog
            dialog.show()
            self.diffOpened.emit(dialog)

        self.w.worker.run(lambda a: a.versions(story.id), done=show)

    @Slot(object)
    def on_importer_finished(self, report: ImportReport | None) -> None:
        if report is None:
            return
        window = self.w
        if report.versions:
            window.notify(reanchor_summary(report.versions))
            for version in report.versions:
                if version.orphaned:
                    window.notifications.add(
                        f"“{version.title}”: "
                        f"{count(version.orphaned, 'highlight', 'highlights')} could not be "
                        "placed in the new version; they are listed under “Could not place”."
                    )
        for merge in report.merges:
            window.notify(merge_summary(merge), merge.path)
            for unplaced in merge.unplaced:
                kept = "kept under “Could not place”" if unplaced.kept else "not kept"
                window.notifications.add(
                    f"Not placed in “{unplaced.target}”: “{unplaced.quote}” — "
                    f"{unplaced.reason} ({kept})",
                    merge.path,
                )
            for message in merge.messages:
                window.notifications.add(message, merge.path)
        if any(m.unplaced for m in report.merges):
            window.notifications.reveal()

    @Slot(object)
    def on_feeds_finished(self, report: RefreshReport | None) -> None:
        if report is None:
            return
        versions = [v for feed in report.feeds for v in feed.versions]
        if versions:
            self.w.notify(reanchor_summary(versions))

    # -- export ---------------------------------------------------------------------------

    def export_scope(self, kind: str) -> ExportScope | None:
        """What an Export ▸ command covers now; None when there is nothing to export."""
        w = self.w
        if kind == "archive":
            return ExportScope(
                "The whole archive: every story with its highlights and notes", "story-archive"
            )
        if kind == "story":
            story = w.story
            if story is None:
                return None
            return ExportScope(
                f"This story: “{story.title}”, with its highlights and notes",
                file_stem(story.title),
                story_ids=[story.id],
            )
        if kind == "search":
            hits = w.results_model.hits if w.searching else []
            if not hits:
                return None
            label = f"The {count(len(hits), 'search result', 'search results')} for "
            label += f"“{w.results_model.query}”"
            if all(hit.kind == "highlight" for hit in hits):
                return ExportScope(
                    label, "search-results", highlight_ids=[hit.item_id for hit in hits]
                )
            story_ids = list(dict.fromkeys(hit.story_id for hit in hits))
            return ExportScope(
                f"{label}: {count(len(story_ids), 'story', 'stories')} with their annotations",
                "search-results",
                story_ids=story_ids,
            )
        items: list[Highlight] = w.notebook.model.items if w.notebook.isVisible() else []
        if not items:
            return None
        return ExportScope(
            f"The {count(len(items), 'highlight', 'highlights')} the notebook shows",
            "notebook",
            highlight_ids=[h.id for h in items],
        )

    @Slot()
    def on_export_menu_aboutToShow(self) -> None:
        for kind, action in self.export_actions.items():
            action.setEnabled(self.export_scope(kind) is not None)

    def ask_export(self, kind: str) -> None:
        scope = self.export_scope(kind)
        if scope is None:
            self.w.statusBar().showMessage("Nothing to export there.", 4000)
            return
        folder = Path(self.w.prefs.get("export/folder") or Path.home())
        dialog = ExportDialog(scope, folder, self.w)
        dialog.accepted.connect(lambda: self.export(scope, dialog.chosen, dialog.target))
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def export(self, scope: ExportScope, fmt: ExportFormat, target: Path) -> None:
        """Write ``scope`` as ``fmt`` to ``target`` on the worker."""
        w = self.w
        w.prefs.set("export/folder", str(target.parent))
        w.statusBar().showMessage(f"Exporting to {target.name}…")

        def done(n: int) -> None:
            w.notify(done_message(fmt, n, target), str(target))
            self.exported.emit(target, n)

        w.worker.run(
            export_operation(scope, fmt, target),
            done=done,
            failed=lambda err: w.notify(f"Export failed: {err}"),
        )
