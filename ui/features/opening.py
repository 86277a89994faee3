"""Opening a story: reads its bundle on the worker, shows it in the reader and the highlights
panel, scrolls to a highlight or to the first search term, and marks it read if the preferences
say so. It keeps the open story, which every other feature sees through Services."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from reader.archive import StoryBundle
from reader.model import Story
from ui.core.services import Services
from ui.reading.highlights_panel import HighlightsPanel
from ui.reading.reader_view import ReaderView


class StoryOpener(QObject):
    storyOpened = Signal(int)
    """The story with this id is shown (again, after ``reload``)."""
    storyClosed = Signal()
    """No story is shown any more (it is gone from a restored archive)."""
    markedRead = Signal(int)
    """The story just opened is being marked read because it was opened."""

    def __init__(self, services: Services, reader: ReaderView, panel: HighlightsPanel) -> None:
        super().__init__(services.parent)
        self.s = services
        self.reader = reader
        self.panel = panel
        self.story: Story | None = None
        self.requested: int | None = None
        """The story last asked for: shown, or on its way to the reader."""
        self._request = 0

    @property
    def story_id(self) -> int | None:
        return self.story.id if self.story is not None else None

    def open_story(
        self,
        story_id: int,
        *,
        highlight_id: int | None = None,
        terms: tuple[str, ...] = (),
        force_focus: bool = False,
        mark_read: bool = True,
        missing: Callable[[], None] | None = None,
        reload: bool = False,
    ) -> None:
        """Show a story in the reader; ``missing`` runs instead of a report if it is gone.
        ``reload`` reads the open story again (its text changed)."""
        self.requested = story_id
        if not reload and story_id == self.story_id and self.reader.story is not None:
            if force_focus or highlight_id is not None or terms:
                self._apply_focus(highlight_id, terms)
            return
        self.panel.flush()
        self._request += 1
        request = self._request
        self.s.worker.run(
            lambda a: a.bundle(story_id),
            done=lambda bundle: self._on_bundle(request, bundle, highlight_id, terms, mark_read),
            failed=(lambda _err: missing()) if missing is not None else None,
        )

    @Slot(int, int)
    def on_notebook_highlightActivated(self, story_id: int, highlight_id: int) -> None:
        self.open_story(story_id, highlight_id=highlight_id, force_focus=True)

    def _on_bundle(
        self,
        request: int,
        bundle: StoryBundle,
        highlight_id: int | None,
        terms: tuple[str, ...],
        mark_read: bool,
    ) -> None:
        if request != self._request:
            return
        story = bundle.story
        self.story = story
        self.reader.show_story(story, bundle.highlights)
        self.panel.set_story(story.id, bundle.highlights, bundle.notes)
        self._apply_focus(highlight_id, terms)
        if mark_read and self.s.prefs.get("reader/mark_read_on_open") and not story.is_read:
            self.markedRead.emit(story.id)
            self.s.worker.run(lambda a: a.set_flags(story.id, read=True), write=True)
        self.storyOpened.emit(story.id)

    def _apply_focus(self, highlight_id: int | None, terms: tuple[str, ...]) -> None:
        first = self.reader.mark_terms(terms)
        if highlight_id is not None and self.panel.select_highlight(highlight_id):
            self.reader.scroll_to_highlight(highlight_id)
        elif first is not None:
            self.reader.scroll_to_offset(first)

    def forget(self) -> None:
        """Forget the open story (its archive was replaced) so that opening it reads it afresh."""
        self.story = None
        self.requested = None

    def close_story(self) -> None:
        """Show no story (the one that was open is not in the restored archive, or the list
        on show has no current row)."""
        self._request += 1
        self.story = None
        self.requested = None
        self.reader.story = None
        self.reader.highlights = []
        self.reader.clear()
        self.panel.set_story(None, [], [])
        self.panel.story_tags.set_tags(None, ())
        self.storyClosed.emit()
