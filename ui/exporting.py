"""File ▸ Export: the whole archive, the open story, the search results or the notebook's view,
as JSON (everything, importable again), Markdown (one file or a folder of notes), CSV or W3C Web
Annotations. The dialog picks the format and the place; the writing runs on the worker and goes
to a ``.part`` file renamed at the end, so a failed export leaves no half file."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

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
from reader.errors import ExportError
from ui.links import count


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
    highlights (then without story notes)."""

    label: str
    base_name: str
    story_ids: list[int] | None = None
    highlight_ids: list[int] | None = None


def file_stem(text: str) -> str:
    """A file name made of ``text``'s words: "Lock Gates Reopen…" -> "lock-gates-reopen"."""
    words = re.findall(r"\w+", text.casefold())
    return "-".join(words)[:60].strip("-") or "export"


def write_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write to ``target.part``, then rename over ``target``."""
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            n = write(fh)
        partial.replace(target)
    except OSError as err:
        with suppress(OSError):
            partial.unlink()
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    return n


def export_operation(
    scope: ExportScope, fmt: ExportFormat, target: Path
) -> Callable[[Archive], int]:
    """The export as an operation for the worker; it returns how many of ``fmt.unit``."""

    def run(archive: Archive) -> int:
        if fmt.folder:
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise ExportError(f"cannot create {target}: {err.strerror or err}") from err
            return len(archive.export_folder(target, scope.story_ids, scope.highlight_ids))
        return write_atomically(
            target,
            lambda fh: archive.export(fmt.fmt, fh, scope.story_ids, scope.highlight_ids),
        )

    return run


def done_message(fmt: ExportFormat, n: int, target: Path) -> str:
    where = f"{target.name}/" if fmt.folder else target.name
    return f"Exported {count(n, *fmt.unit)} to {where}"


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

    @property
    def chosen(self) -> ExportFormat:
        return BY_KEY[self.format.currentData()]

    @property
    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

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
