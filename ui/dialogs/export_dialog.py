"""The Export dialog: what an export covers, the formats (JSON, everything and importable again;
Markdown, one file or a folder of notes; CSV; W3C Web Annotations) and where to write, which
is checked before the dialog closes (a missing folder is said, and offered to be made, in the
dialog). ui.features.export runs the writing on the worker."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.archive import Archive
from ui.core.colors import error_text


@dataclass(frozen=True, slots=True)
class ExportFormat:
    key: str
    label: str
    fmt: str
    """The archive's name for the format (json, markdown, csv, w3c)."""
    suffix: str
    unit: tuple[str, str]
    """What the count the export returns counts, singular and plural."""
    folder: bool = False


STORIES = ("story", "stories")
FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("json", "JSON — everything; can be imported again", "json", ".json", STORIES),
    ExportFormat("markdown", "Markdown — one file", "markdown", ".md", STORIES),
    ExportFormat(
        "markdown-folder",
        "Markdown — a folder with one note per story",
        "markdown",
        "",
        STORIES,
        folder=True,
    ),
    ExportFormat(
        "csv", "CSV — one row per highlight, for spreadsheets", "csv", ".csv", ("row", "rows")
    ),
    ExportFormat(
        "w3c",
        "W3C Web Annotations (JSON-LD)",
        "w3c",
        ".jsonld",
        ("annotation", "annotations"),
    ),
)
BY_KEY = {f.key: f for f in FORMATS}


@dataclass(frozen=True, slots=True)
class ExportScope:
    """What an export covers: every story (both id lists None), some stories, or some
    highlights (then with their stories' notes only ``with_notes``)."""

    label: str
    base_name: str
    story_ids: list[int] | None = None
    highlight_ids: list[int] | None = None
    with_notes: bool = False
    heading: Callable[[Archive], tuple[str, str]] | None = None
    """A Markdown notebook's title and what it covers, worked out on the worker."""


def destination_problem(fmt: ExportFormat, target: Path) -> tuple[str, Path | None]:
    """What stops an export to ``target`` before it starts, and the missing folder that
    making would cure; ("", None) when nothing does."""
    if fmt.folder:
        if target.exists() and not target.is_dir():
            return f"{target} is a file, not a folder.", None
        folder = target if target.is_dir() else target.parent
    else:
        if target.is_dir():
            return f"{target} is a folder; give a file name.", None
        folder = target.parent
    if not folder.exists():
        return f"The folder {folder} does not exist.", folder
    if not folder.is_dir():
        return f"{folder} is not a folder.", None
    if not os.access(folder, os.W_OK):
        return f"Cannot write in {folder}.", None
    return "", None


class ExportDialog(QDialog):
    """Pick a format and where to write; the default place is in ``folder``."""

    def __init__(self, scope: ExportScope, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle("Export")
        self.scope = scope
        self.folder = folder
        what = QLabel(scope.label, self)
        what.setWordWrap(True)
        self.format = QComboBox(self)
        for fmt in FORMATS:
            self.format.addItem(fmt.label, fmt.key)
        self.format.currentIndexChanged.connect(self.on_format_currentIndexChanged)
        self.path = QLineEdit(self)
        self.path.setObjectName("export-path")
        self.path.textChanged.connect(self.on_path_textChanged)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self.on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Export:", what)
        form.addRow("Format:", self.format)
        form.addRow("Save to:", where)
        self.problem = QLabel(self)
        self.problem.setObjectName("export-problem")
        self.problem.setWordWrap(True)
        palette = self.problem.palette()
        palette.setColor(self.problem.foregroundRole(), error_text(self.palette()))
        self.problem.setPalette(palette)
        self.create_folder = QPushButton("Create folder", self)
        self.create_folder.setObjectName("export-create-folder")
        self.create_folder.clicked.connect(self.on_create_folder_clicked)
        self._missing: Path | None = None
        trouble = QHBoxLayout()
        trouble.addWidget(self.problem, 1)
        trouble.addWidget(self.create_folder)
        form.addRow("", trouble)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.on_format_currentIndexChanged(0)
        self._show_problem("", None)

    @property
    def chosen(self) -> ExportFormat:
        return BY_KEY[self.format.currentData()]

    @property
    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def set_format(self, key: str) -> None:
        """Choose the format ``key``; an unknown one (from an older version) is ignored."""
        index = self.format.findData(key)
        if index >= 0:
            self.format.setCurrentIndex(index)

    @Slot(int)
    def on_format_currentIndexChanged(self, _index: int) -> None:
        """A default place for the format: the same name, with the format's suffix."""
        fmt = self.chosen
        current = self.path.text().strip()
        base = Path(current) if current else self.folder / self.scope.base_name
        known = base.suffix.lower() in {f.suffix for f in FORMATS if f.suffix}
        stem = base.name.removesuffix(base.suffix) if known else base.name
        self.path.setText(str(base.with_name(stem + fmt.suffix)))

    @Slot(str)
    def on_path_textChanged(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))
        self._show_problem("", None)

    def _show_problem(self, text: str, missing: Path | None) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self._missing = missing
        self.create_folder.setVisible(missing is not None)

    def accept(self) -> None:
        """Close only when the export can start: otherwise say why, here."""
        problem, missing = destination_problem(self.chosen, self.target)
        if problem:
            self._show_problem(problem, missing)
            return
        super().accept()

    @Slot()
    def on_create_folder_clicked(self) -> None:
        missing = self._missing
        if missing is None:
            return
        try:
            missing.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self._show_problem(f"Cannot create {missing}: {err.strerror or err}", None)
            return
        self._show_problem("", None)

    @Slot()
    def on_browse_clicked(self) -> None:
        fmt = self.chosen
        if fmt.folder:
            chosen = QFileDialog.getExistingDirectory(self, "Export to a folder", str(self.target))
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export", str(self.target), f"{fmt.label} (*{fmt.suffix})"
            )
        if chosen:
            self.path.setText(chosen)
