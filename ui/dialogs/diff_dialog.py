"""The "Show changes" dialog: an earlier version of a story's text against the current one,
removed words struck through on red, added words on green, readable in light and dark themes."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.archive import Archive
from reader.model import DiffOp, Story, StoryVersion
from ui.core.colors import MIN_CONTRAST, contrast, is_dark, mix
from ui.core.text import count, day_date
from ui.core.worker import Worker

REMOVED_HUE = QColor(230, 60, 60)
ADDED_HUE = QColor(40, 190, 90)


def tint(hue: QColor, palette: QPalette) -> QColor:
    """``hue`` laid on the palette's background as strongly as the text stays readable on it."""
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    amount = 0.42 if is_dark(palette) else 0.3
    while amount > 0.08 and contrast(text, mix(base, hue, amount)) < MIN_CONTRAST:
        amount -= 0.04
    return mix(base, hue, amount)


def diff_html(ops: list[DiffOp], palette: QPalette) -> str:
    """The new text with the old one's removed words struck through and new words marked."""
    removed = tint(REMOVED_HUE, palette).name()
    added = tint(ADDED_HUE, palette).name()

    def span(text: str, style: str, title: str) -> str:
        return f'<span style="{style}" title="{title}">{html.escape(text)}</span>'

    parts = []
    for op in ops:
        if op.op in ("delete", "replace") and op.old:
            struck = f"background-color: {removed}; text-decoration: line-through"
            parts.append(span(op.old, struck, "removed"))
        if op.op == "replace" and op.old[-1:].isalnum() and op.new[:1].isalnum():
            parts.append(" ")  # so "late" struck and "The" added do not read as one word
        if op.op in ("insert", "replace") and op.new:
            parts.append(span(op.new, f"background-color: {added}", "added"))
        if op.op == "equal":
            parts.append(html.escape(op.new))
    body = "".join(parts).replace("\n", "\n\n")
    return f'<div style="white-space: pre-wrap">{body}</div>'


def diff_counts(ops: list[DiffOp]) -> tuple[int, int]:
    """How many words the diff adds and removes."""
    added = sum(len(op.new.split()) for op in ops if op.op in ("insert", "replace"))
    removed = sum(len(op.old.split()) for op in ops if op.op in ("delete", "replace"))
    return added, removed


class DiffDialog(QDialog):
    """Compare an earlier version of a story (chosen in a list) with the current text."""

    shown = Signal(int)
    """The version whose diff is on show."""

    def __init__(
        self, worker: Worker, story: Story, versions: list[StoryVersion], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("diff-dialog")
        self.setWindowTitle(f"Changes — {story.title}")
        self.worker = worker
        self.story = story
        self._request = 0
        self.picker = QComboBox(self)
        for version in reversed(versions):
            self.picker.addItem(
                f"version {version.version} ({day_date(version.fetched.astimezone())})",
                version.version,
            )
        self.picker.currentIndexChanged.connect(self.on_picker_currentIndexChanged)
        self.counts = QLabel(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("diff-text")
        self.browser.setOpenLinks(False)
        palette = self.browser.palette()
        self.legend = QLabel(
            f'<span style="background-color: {tint(REMOVED_HUE, palette).name()};'
            ' text-decoration: line-through">removed</span>&nbsp;&nbsp;'
            f'<span style="background-color: {tint(ADDED_HUE, palette).name()}">added</span>',
            self,
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare", self))
        top.addWidget(self.picker)
        top.addWidget(QLabel(f"with the current text (version {story.version})", self))
        top.addStretch(1)
        top.addWidget(self.legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() + 1)
        self.browser.setFont(font)
        self.resize(760, 620)
        self.load()

    @property
    def version(self) -> int | None:
        data = self.picker.currentData()
        return int(data) if data is not None else None

    def load(self) -> None:
        version = self.version
        if version is None:
            return
        self._request += 1
        request, story_id = self._request, self.story.id

        def diff(archive: Archive) -> list[DiffOp]:
            return archive.version_diff(story_id, version)

        self.browser.setPlainText("Comparing…")
        self.worker.run(diff, done=lambda ops: self._on_diff(request, version, ops))

    def _on_diff(self, request: int, version: int, ops: list[DiffOp]) -> None:
        if request != self._request:
            return
        self.browser.setHtml(diff_html(ops, self.browser.palette()))
        added, removed = diff_counts(ops)
        if added or removed:
            self.counts.setText(
                f"{count(added, 'word', 'words')} added, {count(removed, 'word', 'words')} removed"
            )
        else:
            self.counts.setText("The texts are the same (only the title or layout changed).")
        self.shown.emit(version)

    @Slot(int)
    def on_picker_currentIndexChanged(self, _index: int) -> None:
        self.load()
