"""Reading comfort: the reading style (View ▸ Reading ▸ Reading settings…, the size keys),
kept in the user's settings, and the place in each story, kept in the archive and restored
when the story is opened again, also after a restart."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QFontInfo

from ui.core.services import Services
from ui.dialogs.reading_settings import ReadingSettingsDialog
from ui.reading.reader_view import ReaderView
from ui.reading.reading_style import ReadingStyle


class Reading(QObject):
    def __init__(self, services: Services, reader: ReaderView) -> None:
        super().__init__(services.parent)
        self.s = services
        self.reader = reader
        self.dialog: ReadingSettingsDialog | None = None
        reader.set_reading_style(ReadingStyle.from_prefs(services.prefs))
        reader.readingStyleChanged.connect(self.on_reader_readingStyleChanged)
        reader.positionSettled.connect(self.on_reader_positionSettled)

    # -- style ----------------------------------------------------------------------------

    def ask(self) -> None:
        """Show the Reading settings dialog (one, kept beside the reader while it is open)."""
        if self.dialog is None:
            reader = self.reader
            base = reader.reading_font(replace(reader.reading_style, family="", zoom=0))
            self.dialog = ReadingSettingsDialog(
                reader.reading_style,
                round(base.pointSizeF()),
                QFontInfo(base).family(),
                self.s.parent,
            )
            self.dialog.styleChosen.connect(self.reader.set_reading_style)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def change_size(self, step: int) -> None:
        self.reader.set_zoom(self.reader.zoom_steps + step)

    def reset_size(self) -> None:
        self.reader.set_zoom(0)

    @Slot(object)
    def on_reader_readingStyleChanged(self, style: ReadingStyle) -> None:
        style.save(self.s.prefs)
        if self.dialog is not None:
            self.dialog.show_style(style)

    # -- the place in each story ----------------------------------------------------------

    @Slot(int)
    def on_opener_storyOpened(self, story_id: int) -> None:
        self.s.worker.run(
            lambda a: a.reading_position(story_id),
            done=lambda offset: self.reader.restore_position(story_id, offset),
        )

    @Slot(int, int)
    def on_reader_positionSettled(self, story_id: int, offset: int) -> None:
        self.s.worker.run(lambda a: a.set_reading_position(story_id, offset), write=True)

    def flush(self) -> None:
        """Keep a position still settling (the window closes)."""
        self.reader.flush_position()
