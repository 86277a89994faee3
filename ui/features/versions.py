"""Story versions: keeping the open story current (its tags, and its whole text when a new
version arrives, at the same scroll position), the "Show changes" dialog, and one-line
summaries of what new versions and merged annotation files did to highlights."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from reader.model import (
    Changed,
    ImportReport,
    MergeReport,
    RefreshReport,
    Story,
    StoryVersion,
    VersionReport,
)
from ui.core.change_bus import Changes
from ui.core.services import Services
from ui.core.text import count
from ui.dialogs.diff_dialog import DiffDialog
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView


def reanchor_summary(versions: list[VersionReport]) -> str:
    """ "2 stories updated: 5 highlights moved, 1 changed, 1 could not be placed"."""
    head = f"{count(len(versions), 'story', 'stories')} updated"
    moved = sum(v.moved for v in versions)
    changed = sum(v.changed for v in versions)
    orphaned = sum(v.orphaned for v in versions)
    if not (moved or changed or orphaned):
        return f"{head}; no highlights were affected."
    parts = [
        f"{n} {what}"
        for n, what in ((moved, "moved"), (changed, "changed"), (orphaned, "could not be placed"))
        if n
    ]
    # The first number says what is counted: "5 highlights moved, 1 changed".
    first = parts[0].split(" ", 1)
    noun = "highlight" if first[0] == "1" else "highlights"
    parts[0] = f"{first[0]} {noun} {first[1]}"
    return f"{head}: {', '.join(parts)}."


def merge_summary(report: MergeReport) -> str:
    """What merging one of our exports or a W3C annotation file did, in one line."""
    name = report.path.replace("\\", "/").rsplit("/", 1)[-1]
    parts = []
    if report.stories_added:
        parts.append(f"{count(len(report.stories_added), 'story', 'stories')} added")
    if report.stories_merged:
        parts.append(f"{len(report.stories_merged)} merged")
    parts.append(f"{count(report.highlights_added, 'highlight', 'highlights')} added")
    if report.highlights_skipped:
        parts.append(f"{report.highlights_skipped} already there")
    if report.notes_added:
        parts.append(f"{count(report.notes_added, 'note', 'notes')} added")
    if report.unplaced:
        parts.append(f"{len(report.unplaced)} could not be placed (see Notifications)")
    return f"Merged {name}: {', '.join(parts)}."


class Versions(QObject):
    diffOpened = Signal(object)
    """The DiffDialog just shown."""

    def __init__(
        self,
        services: Services,
        reader: ReaderView,
        panel: HighlightsPanel,
        reload_story: Callable[[int], None],
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.reader = reader
        self.panel = panel
        self.reload_story = reload_story
        """Read the open story again and show it (not marked read)."""
        self.diff_dialog: DiffDialog | None = None
        self._scroll_after_reload: tuple[int, int] | None = None
        reader.changesRequested.connect(self.show_changes)
        services.changes.changed.connect(self.on_changes_changed)

    # -- the open story -------------------------------------------------------------------

    @Slot(object)
    def on_changes_changed(self, changes: Changes) -> None:
        if changes.any(Changed.STORIES, Changed.TAGS):
            self.check_open_story()

    def check_open_story(self) -> None:
        """Read the open story's tags again, and the whole story if it has a new version."""
        story = self.s.current_story()
        if story is None:
            return
        self.s.worker.run(
            lambda a: a.story(story.id),
            done=self._on_story_checked,
            failed=lambda _err: None,
        )

    def _on_story_checked(self, fresh: Story) -> None:
        story = self.s.current_story()
        if story is None or fresh.id != story.id:
            return
        self.panel.story_tags.set_tags(story.id, fresh.tags)
        if fresh.version != story.version:
            self._scroll_after_reload = (story.id, self.reader.verticalScrollBar().value())
            self.reload_story(story.id)

    @Slot(int)
    def on_story_opened(self, story_id: int) -> None:
        story = self.s.current_story()
        if story is not None:
            self.panel.story_tags.set_tags(story.id, story.tags)
        if self._scroll_after_reload is not None:
            wanted, value = self._scroll_after_reload
            self._scroll_after_reload = None
            if wanted == story_id:
                self.reader.verticalScrollBar().setValue(value)

    # -- show changes ---------------------------------------------------------------------

    @Slot()
    def show_changes(self) -> None:
        story = self.s.current_story()
        if story is None or not story.revisions:
            return

        def show(versions: list[StoryVersion]) -> None:
            current = self.s.current_story()
            if current is None or current.id != story.id or not versions:
                return
            if self.diff_dialog is not None:
                self.diff_dialog.close()
            dialog = DiffDialog(self.s.worker, story, versions, self.s.parent)
            dialog.finished.connect(dialog.deleteLater)
            self.diff_dialog = dialog
            dialog.show()
            self.diffOpened.emit(dialog)

        self.s.worker.run(lambda a: a.versions(story.id), done=show)

    # -- what imports and refreshes did to highlights -------------------------------------

    @Slot(object)
    def on_import_finished(self, report: ImportReport | None) -> None:
        if report is None:
            return
        notices = self.s.notices
        if report.versions:
            self.s.notify(reanchor_summary(report.versions), "")
            for version in report.versions:
                if version.orphaned:
                    notices.add(
                        f"“{version.title}”: "
                        f"{count(version.orphaned, 'highlight', 'highlights')} could not be "
                        "placed in the new version; they are listed under “Could not place”."
                    )
        for merge in report.merges:
            self.s.notify(merge_summary(merge), merge.path)
            for unplaced in merge.unplaced:
                kept = "kept under “Could not place”" if unplaced.kept else "not kept"
                notices.add(
                    f"Not placed in “{unplaced.target}”: “{unplaced.quote}” — "
                    f"{unplaced.reason} ({kept})",
                    merge.path,
                )
            for message in merge.messages:
                notices.add(message, merge.path)
        if any(m.unplaced for m in report.merges):
            notices.reveal()

    @Slot(object)
    def on_refresh_finished(self, report: RefreshReport | None) -> None:
        if report is None:
            return
        versions = [v for feed in report.feeds for v in feed.versions]
        if versions:
            self.s.notify(reanchor_summary(versions), "")
