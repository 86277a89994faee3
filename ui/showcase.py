"""The README's screenshot set (``--screenshots DIR``): drives a window on a freshly seeded sample
archive through the main view, facet chips, a saved search with new matches, bulk selection and
the reading settings, and grabs each once the window's own signals say it is shown."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, SignalInstance, Slot
from PySide6.QtGui import QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from reader.archive import Archive
from reader.model import ImportReport, ItemKind, SearchHit, View
from ui.core.worker import Worker
from ui.features.facets import FacetChips
from ui.features.opening import StoryOpener
from ui.features.reading import Reading
from ui.features.saved_searches import SavedSearches
from ui.features.search import Search
from ui.features.story_list import StoryList
from ui.features.triage import Triage
from ui.models.search_results import HIT_ROLE
from ui.models.story_model import ID_ROLE
from ui.panes.search_bar import SearchBar
from ui.panes.tables import select_row
from ui.reading.highlights_panel import HighlightsPanel

SHOT_SIZE = (1400, 900)
TIMEOUT_MS = 120_000
"""A generous bound on the whole set; a busy machine is slow, not wrong."""
PNG_QUALITY = 0
"""Qt's PNG quality 0 is zlib's strongest compression (still lossless): a smaller repository."""
FACET_QUERY = "port"
"""A word of several samples, their highlights and a note: chips of every kind."""
SAVED_NAME = "Harbor dredging"
SAVED_QUERY = "dredging"
ARRIVAL = """\
---
title: Dredging Resumes at the Outer Harbor After Council Vote
date: 2026-10-21
source: The Harbor Ledger
---
Dredging crews returned to the outer harbor on Tuesday, a week after the council voted to
release the second phase of funding. The port authority expects the channel to reach its new
depth by the end of the winter, ahead of the spring shipping season.
"""
"""A story that arrives after the search is saved: its one new match (invented, like the
samples)."""


SHOWCASE_TAGS = ("ports", "labour", "automation")
"""Given to the showcase story when it has no tags, so the panel shows its chips."""


def showcase_story(archive: Archive) -> int | None:
    """The first story with highlights in two colours and a note, else with highlights; it is
    tagged when it has no tags (the sample archive is seeded fresh for the screenshots)."""
    ids = archive.story_ids(view=View.ALL)[:500]
    with_highlights = None
    chosen = None
    for story_id in ids:
        highlights = archive.highlights(story_id)
        if not highlights:
            continue
        with_highlights = with_highlights or story_id
        if len({h.color for h in highlights}) >= 2 and archive.notes(story_id):
            chosen = story_id
            break
    chosen = chosen or with_highlights or (ids[0] if ids else None)
    if chosen is not None and not archive.story(chosen).tags:
        archive.tag_story(chosen, SHOWCASE_TAGS)
    return chosen


@dataclass(frozen=True)
class Stage:
    """What the showcase drives: the window (only to grab it) and its features."""

    window: QWidget
    worker: Worker
    search_bar: SearchBar
    search: Search
    results: QTableView
    facets: FacetChips
    saved: SavedSearches
    story_list: StoryList
    opener: StoryOpener
    panel: HighlightsPanel
    triage: Triage
    reading: Reading


class Showcase(QObject):
    """Writes the five PNGs into ``folder``, one step after another, then ends the event loop
    with ``status`` 0 (1 and a one-line error on failure or timeout)."""

    def __init__(self, app: QApplication, stage: Stage, folder: Path, scratch: Path) -> None:
        """``scratch`` is a folder for the file that brings the saved search's new match."""
        super().__init__(stage.window)
        self.app = app
        self.stage = stage
        self.folder = folder
        self.scratch = scratch
        self.status = 1
        self._over = False
        self.story_id: int | None = None
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(lambda: self.fail("timed out waiting for the window"))

    def start(self) -> None:
        self.stage.window.resize(*SHOT_SIZE)
        self.stage.window.show()
        self._timeout.start(TIMEOUT_MS)

    # -- waiting --------------------------------------------------------------------------

    def when(
        self, signal: SignalInstance, ready: Callable[[], bool], then: Callable[[], None]
    ) -> None:
        """Call ``then`` once ``ready()`` holds: now, or after the emission of ``signal`` that
        makes it so."""
        if ready():
            then()
            return

        def check(*_args: object) -> None:
            if ready():
                signal.disconnect(check)
                then()

        signal.connect(check)

    def opened(self, story_id: int, then: Callable[[], None]) -> None:
        self.when(
            self.stage.opener.storyOpened, lambda: self.stage.opener.story_id == story_id, then
        )

    def indexed(self, then: Callable[[], None]) -> None:
        """Call ``then`` once the search index has caught up: asked now and again after each
        slice the background indexer reports."""
        worker = self.stage.worker
        called: list[bool] = []

        def ask(*_args: object) -> None:
            worker.run(lambda a: a.index_backlog(), done=answered, failed=self.on_failed)

        def answered(left: int) -> None:
            if left == 0 and not called:
                called.append(True)
                worker.indexing.disconnect(ask)
                then()

        worker.indexing.connect(ask)
        ask()

    # -- the steps ------------------------------------------------------------------------

    @Slot()
    def on_window_ready(self) -> None:
        self.indexed(self.pick_story)

    def pick_story(self) -> None:
        self.stage.worker.run(showcase_story, done=self.main_view, failed=self.on_failed)

    def main_view(self, story_id: int | None) -> None:
        if story_id is None:
            self.fail("the sample archive has no stories")
            return
        self.story_id = story_id
        self.stage.story_list.select_story(story_id)

        def shoot() -> None:
            panel = self.stage.panel
            if panel.model.items:
                panel.select_highlight(panel.model.items[0].id)
            self.shoot("main.png", self.facet_search)

        self.opened(story_id, shoot)

    def facet_search(self) -> None:
        """A search, its facet chips and timeline over the hits, the first hit open."""
        s = self.stage
        shown: list[str] = []

        def open_a_story_hit() -> None:
            s.facets.shown.disconnect(shown.append)
            model = s.results.model()
            rows = [model.index(row, 0) for row in range(model.rowCount())]
            hits: list[tuple[int, SearchHit]] = [(i.row(), i.data(HIT_ROLE)) for i in rows]
            found = [(row, hit) for row, hit in hits if hit.kind == ItemKind.STORY]
            others = [(row, hit) for row, hit in found if hit.story_id != self.story_id]
            if not found:
                self.fail(f"no story among the hits for {FACET_QUERY!r}")
                return
            row, hit = (others or found)[0]
            select_row(s.results, row)
            self.opened(hit.story_id, lambda: self.shoot("list-with-facets.png", self.saved_search))

        s.facets.shown.connect(shown.append)
        self.when(s.facets.shown, lambda: FACET_QUERY in shown, open_a_story_hit)
        self.type_query(FACET_QUERY)

    def saved_search(self) -> None:
        """A saved search, then a story that matches it: the sidebar's badge says "1 new"."""
        s = self.stage
        self.type_query("")
        arrival = self.scratch / "dredging-resumes.md"
        arrival.write_text(ARRIVAL, encoding="utf-8")

        def badge_shown() -> bool:
            count = s.saved.section.counts.get(SAVED_NAME)
            return count is not None and count.new > 0

        def imported(report: ImportReport) -> None:
            if not report.imported:
                self.fail(f"{arrival.name} was not imported: {report.failed}")
                return
            story_id = report.imported[0]
            # The list's chips counted after the import (the worker answers in order).
            fresh: list[str] = []
            s.facets.shown.connect(fresh.append)

            def reveal() -> None:
                s.facets.shown.disconnect(fresh.append)
                s.story_list.reveal_story(story_id)
                self.opened(story_id, lambda: self.shoot("saved-search.png", self.bulk_selection))

            self.when(
                s.saved.counted,
                badge_shown,
                lambda: self.when(s.facets.shown, lambda: "" in fresh, reveal),
            )

        def saved(_search: object) -> None:
            s.worker.run(
                lambda a: a.import_paths([arrival]),
                write=True,
                done=imported,
                failed=self.on_failed,
            )

        s.worker.run(
            lambda a: a.save_search(SAVED_NAME, SAVED_QUERY),
            write=True,
            done=saved,
            failed=self.on_failed,
        )

    def bulk_selection(self) -> None:
        """Rows marked as Shift+J, Shift+J, j, j, x would: the first three and the fifth."""
        s = self.stage
        table = s.story_list.table
        if table.model().rowCount() < 5:
            self.fail("the story list has fewer than five stories")
            return
        table.setFocus()
        select_row(table, 0)
        s.triage.extend(1)
        s.triage.extend(1)
        s.triage.move(2, lambda _step: None)
        s.triage.toggle_mark()
        current = table.currentIndex().data(ID_ROLE)
        self.opened(current, lambda: self.shoot("bulk-selection.png", self.reading_settings))

    def reading_settings(self) -> None:
        """The Reading settings dialog beside the showcase story."""
        s = self.stage
        s.triage.clear_marks()
        assert self.story_id is not None

        def ask() -> None:
            s.reading.ask()
            dialog = s.reading.dialog
            assert dialog is not None
            dialog.adjustSize()
            # Over the story note, clear of the text it restyles.
            corner = s.window.mapToGlobal(QPoint(s.window.width(), s.window.height()))
            dialog.move(corner - QPoint(dialog.width() + 24, dialog.height() + 60))
            self.shoot("reading-settings.png", self.finish, also=dialog)

        s.story_list.select_story(self.story_id)
        self.opened(self.story_id, ask)

    def finish(self) -> None:
        self._over = True
        self._timeout.stop()
        self.status = 0
        self.app.exit(0)

    # -- helpers --------------------------------------------------------------------------

    def type_query(self, query: str) -> None:
        """Put ``query`` in the search box and run it at once (not after the typing delay)."""
        edit = self.stage.search_bar.edit
        edit.blockSignals(True)
        edit.setText(query)
        edit.blockSignals(False)
        self.stage.search.on_bar_queryChanged(query)

    def shoot(self, name: str, then: Callable[[], None], also: QWidget | None = None) -> None:
        """Grab the window (with ``also``, a window over it, where it stands) to ``name``."""
        self.app.processEvents()
        window = self.stage.window
        pixmap = window.grab()
        if also is not None:
            at = also.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
            pixmap = compose(pixmap, also, at)
        path = self.folder / name
        self.folder.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(path), "PNG", PNG_QUALITY):
            self.fail(f"cannot write {path}")
            return
        print(path, flush=True)
        then()

    def on_failed(self, err: BaseException) -> None:
        self.fail(f"{type(err).__name__}: {err}")

    @Slot(str)
    def fail(self, message: str) -> None:
        if not self._over:
            self._over = True
            self._timeout.stop()
            print(f"error: {message}", file=sys.stderr)
            self.app.exit(1)


def compose(base: QPixmap, over: QWidget, at: QPoint) -> QPixmap:
    """``over`` (a dialog) painted on ``base`` at ``at``, under a title strip of its own and in
    a thin frame: offscreen there is no window manager to draw them."""
    out = QPixmap(base)
    grabbed = over.grab()
    title_height = over.fontMetrics().height() + 10
    strip = QRect(at.x(), at.y() - title_height, grabbed.width(), title_height)
    painter = QPainter(out)
    frame = strip.united(QRect(at, grabbed.size())).adjusted(-1, -1, 1, 1)
    painter.fillRect(frame, over.palette().color(QPalette.ColorRole.Mid))
    painter.fillRect(strip, over.palette().color(QPalette.ColorRole.Button))
    font = over.font()
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(over.palette().color(QPalette.ColorRole.ButtonText))
    painter.drawText(strip, Qt.AlignmentFlag.AlignCenter, over.windowTitle())
    painter.drawPixmap(at, grabbed)
    painter.end()
    return out
