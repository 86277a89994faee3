"""File ▸ Export: the whole archive, the open story, the search results or the notebook's view.
The dialog picks the format and the place; the writing runs on the worker and goes to a
``.part`` file renamed at the end, so a failed export leaves no half file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.archive import Archive, write_atomically
from reader.errors import ExportError
from reader.model import Highlight, ItemKind
from ui.core.services import Services
from ui.core.text import count
from ui.dialogs.export_dialog import ExportDialog, ExportFormat, ExportScope
from ui.models.search_results import SearchResultsModel
from ui.panes.notebook import Notebook

EXPORT_KINDS = (
    ("archive", "Whole archive…"),
    ("story", "This story…"),
    ("search", "Search results…"),
    ("notebook", "Notebook view…"),
)


def file_stem(text: str) -> str:
    """A file name made of ``text``'s words: "Lock Gates Reopen…" -> "lock-gates-reopen"."""
    words = re.findall(r"\w+", text.casefold())
    return "-".join(words)[:60].strip("-") or "export"


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
            return len(
                archive.export_folder(
                    target, scope.story_ids, scope.highlight_ids, with_notes=scope.with_notes
                )
            )
        title, about = scope.heading(archive) if scope.heading is not None else ("", "")
        return write_atomically(
            target,
            lambda fh: archive.export(
                fmt.fmt,
                fh,
                scope.story_ids,
                scope.highlight_ids,
                with_notes=scope.with_notes,
                title=title,
                about=about,
            ),
        )

    return run


def notebook_scope(items: list[Highlight], about: str) -> ExportScope:
    """The notebook's highlights with their stories' notes, headed with how many of each."""
    story_ids = list(dict.fromkeys(h.story_id for h in items))
    highlight_notes = sum(1 for h in items if h.note.strip())

    def heading(archive: Archive) -> tuple[str, str]:
        notes = highlight_notes + sum(len(archive.notes(story_id)) for story_id in story_ids)
        what = f"{count(len(items), 'highlight', 'highlights')}, {count(notes, 'note', 'notes')}"
        return f"Notebook — {what}", about

    return ExportScope(
        f"The {count(len(items), 'highlight', 'highlights')} the notebook shows"
        " (with their stories' notes)",
        "notebook",
        highlight_ids=[h.id for h in items],
        with_notes=True,
        heading=heading,
    )


def done_message(fmt: ExportFormat, n: int, target: Path) -> str:
    where = f"{target.name}/" if fmt.folder else target.name
    return f"Exported {count(n, *fmt.unit)} to {where}"


class Export(QObject):
    exported = Signal(object, int)
    """The path written and how many stories, rows or annotations it holds."""

    def __init__(
        self,
        services: Services,
        results: SearchResultsModel,
        searching: Callable[[], bool],
        notebook: Notebook,
    ) -> None:
        super().__init__(services.parent)
        self.s = services
        self.results = results
        self.searching = searching
        """Whether the search results are on show (rather than the list or the notebook)."""
        self.notebook = notebook
        self.export_dialog: ExportDialog | None = None
        self.export_menu = QMenu("Export", services.parent)
        self.export_actions: dict[str, QAction] = {}
        for kind, label in EXPORT_KINDS:
            action = self.export_menu.addAction(label)
            action.triggered.connect(lambda _=False, k=kind: self.ask_export(k))
            self.export_actions[kind] = action
        self.export_menu.aboutToShow.connect(self.on_export_menu_aboutToShow)

    def export_scope(self, kind: str) -> ExportScope | None:
        """What an Export ▸ command covers now; None when there is nothing to export."""
        if kind == "archive":
            return ExportScope(
                "The whole archive: every story with its highlights and notes", "story-archive"
            )
        if kind == "story":
            story = self.s.current_story()
            if story is None:
                return None
            return ExportScope(
                f"This story: “{story.title}”, with its highlights and notes",
                file_stem(story.title),
                story_ids=[story.id],
            )
        if kind == "search":
            hits = self.results.hits if self.searching() else []
            if not hits:
                return None
            label = f"The {count(len(hits), 'search result', 'search results')} for "
            label += f"“{self.results.query}”"
            if all(hit.kind == ItemKind.HIGHLIGHT for hit in hits):
                return ExportScope(
                    label, "search-results", highlight_ids=[hit.item_id for hit in hits]
                )
            story_ids = list(dict.fromkeys(hit.story_id for hit in hits))
            return ExportScope(
                f"{label}: {count(len(story_ids), 'story', 'stories')} with their annotations",
                "search-results",
                story_ids=story_ids,
            )
        items: list[Highlight] = self.notebook.model.items if self.notebook.isVisible() else []
        if not items:
            return None
        return notebook_scope(items, self.notebook.filter_text())

    @Slot()
    def on_export_menu_aboutToShow(self) -> None:
        for kind, action in self.export_actions.items():
            action.setEnabled(self.export_scope(kind) is not None)

    def ask_export(self, kind: str) -> None:
        scope = self.export_scope(kind)
        if scope is None:
            self.s.status("Nothing to export there.", 4000)
            return
        self.ask_scope(scope)

    def ask_scope(self, scope: ExportScope) -> None:
        """The export dialog for ``scope`` (also the marked stories or highlights)."""
        folder = Path(self.s.prefs.get("export/folder") or Path.home())
        dialog = ExportDialog(scope, folder, self.s.parent)
        dialog.set_format(self.s.prefs.get("export/format"))
        dialog.accepted.connect(lambda: self.export(scope, dialog.chosen, dialog.target))
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def export(self, scope: ExportScope, fmt: ExportFormat, target: Path) -> None:
        """Write ``scope`` as ``fmt`` to ``target`` on the worker."""
        self.s.prefs.set("export/folder", str(target.parent))
        self.s.prefs.set("export/format", fmt.key)
        self.s.status(f"Exporting to {target.name}…", 0)

        def done(n: int) -> None:
            self.s.notify(done_message(fmt, n, target), str(target))
            self.exported.emit(target, n)

        self.s.worker.run(
            export_operation(scope, fmt, target),
            done=done,
            failed=lambda err: self.s.notify(f"Export failed: {err}", ""),
        )
