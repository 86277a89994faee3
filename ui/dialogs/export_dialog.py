"""The Export dialog: what an export covers, the formats (JSON, everything and importable again;
Markdown, one file or a folder of notes; CSV; W3C Web Annotations) and where to write.
ui.features.export runs the writing on the worker."""

from __future__ import annotations

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
