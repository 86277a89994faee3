"""Annotations that last, in the window: orphans in the panel and the notebook, re-attaching
one to a selection, the "Show changes" dialog, colour names from the codebook, tags with
completion, exports and backups."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from reader.archive import Archive
from reader.model import Color
from tests.anchoring.digests import CHANGES, MOVES, VANISHES, write_versions
from tests.ui.conftest import WAIT_MS, Opener, shown_story
from ui.dialogs.diff_dialog import ADDED_HUE, REMOVED_HUE, tint
from ui.dialogs.export_dialog import BY_KEY
from ui.main_window import MainWindow
from ui.models.highlight_list import HighlightListModel
from ui.models.rich_delegate import HTML_ROLE
from ui.reading.story_document import CHANGES_HREF


def on_worker(qtbot: QtBot, window: MainWindow, fn: Callable[[Archive], Any]) -> Any:
    """Run ``fn`` on the window's worker (after what is queued) and return its result."""
    results: list[Any] = []
    window.worker.run(fn, write=True, done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    return results[0]


def row_html(model: HighlightListModel, row: int) -> str:
    html = model.index(row).data(HTML_ROLE)
    assert isinstance(html, str)
    return html


@pytest.fixture
def versioned(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> tuple[MainWindow, int]:
    """The window showing a digest story with three highlights, after an edited copy of the
    digest (same View More links) was imported: one highlight moved, one changed, one lost."""
    first, second = write_versions(tmp_path)

    def add(archive: Archive) -> int:
        story_id = archive.import_paths([first]).imported[0]
        for quote in (MOVES, CHANGES, VANISHES):
            archive.highlight_quote(story_id, quote, note="lock repairs?" * (quote == VANISHES))
        return story_id

    story_id = on_worker(qtbot, window, add)
    with qtbot.waitSignal(window.opener.storyOpened, timeout=WAIT_MS):
        window.story_list.reveal_story(story_id)
    assert window.panel.model.rowCount() == 3 and window.panel.orphans.isHidden()

    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS):
        window.import_paths([str(second)])
    orphans, reader = window.panel.orphans, window.reader
    # The highlights (and so the orphan) arrive on their own, before the new version's text.
    qtbot.waitUntil(
        lambda: (
            orphans.model.rowCount() == 1 and reader.story is not None and reader.story.version == 2
        ),
        timeout=WAIT_MS,
    )
    return window, story_id


def test_orphan_is_listed_and_reattached_to_a_selection(
    qtbot: QtBot, versioned: tuple[MainWindow, int]
) -> None:
    window, story_id = versioned
    panel, orphans, reader = window.panel, window.panel.orphans, window.reader
    assert (shown_story(window).id, shown_story(window).version) == (story_id, 2)
    assert "a quarter less grain" in shown_story(window).text, "the reader shows the new version"
    assert any(
        "1 story updated: 1 highlight moved, 1 changed, 1 could not be placed" in m
        for m in window.notifications.messages()
    )
    assert not orphans.isHidden() and orphans.title.text() == "Could not place (1)"
    assert orphans.model.items[0].quote == VANISHES
    assert "lock repairs?" in row_html(orphans.model, 0)
    assert panel.title.text() == "Highlights (2)"
    changed = panel.model.row_of(next(h.id for h in panel.model.items if h.quote == CHANGES))
    assert "wording changed" in row_html(panel.model, changed)
    assert "carry about a quarter less grain" in reader.extra_selection_texts()

    with qtbot.waitSignal(orphans.candidatesShown, timeout=WAIT_MS):
        orphans.select(orphans.model.items[0].id)
    candidates = orphans.candidates()
    assert 1 <= len(candidates) <= 3
    orphans.on_places_itemClicked(orphans.places.item(0))
    assert reader.selected_range(snap=False) == (candidates[0].start, candidates[0].end)

    text = shown_story(window).text
    start = text.index("The river authority expects rain in October.")
    end = start + len("The river authority expects rain in October.")
    reader.setTextCursor(reader.cursor_for(start, end))
    qtbot.mouseClick(orphans.reattach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: orphans.isHidden() and panel.model.rowCount() == 3, timeout=WAIT_MS)
    reattached = next(h for h in panel.model.items if h.start == start)
    assert (reattached.end, reattached.status) == (end, "anchored")
    assert "The river authority expects rain in October." in reader.extra_selection_texts()

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: orphans.model.rowCount() == 1, timeout=WAIT_MS)
    assert orphans.model.items[0].quote == VANISHES and panel.model.rowCount() == 2


def test_notebook_lists_orphans(qtbot: QtBot, versioned: tuple[MainWindow, int]) -> None:
    window, _story_id = versioned
    window.sidebar.select_key("view:notebook")
    notebook = window.notebook
    qtbot.waitUntil(lambda: notebook.model.rowCount() >= 3, timeout=WAIT_MS)
    with qtbot.waitSignal(notebook.loaded, timeout=WAIT_MS):
        notebook.placement.setCurrentIndex(notebook.placement.findData("orphan"))
    assert [h.quote for h in notebook.model.items] == [VANISHES]
    assert "could not place" in row_html(notebook.model, 0)


def test_show_changes_marks_the_inserted_words(
    qtbot: QtBot, versioned: tuple[MainWindow, int]
) -> None:
    window, _story_id = versioned
    reader, versions = window.reader, window.versions
    assert "Updated · version 2   Show changes" in reader.toPlainText()
    with qtbot.waitSignal(versions.diffOpened, timeout=WAIT_MS) as opened:
        reader.on_anchorClicked(QUrl(CHANGES_HREF))
    dialog = opened.args[0]
    if dialog.browser.toPlainText() == "Comparing…":
        qtbot.waitSignal(dialog.shown, timeout=WAIT_MS).wait()
    assert dialog.version == 1 and dialog.picker.count() == 1
    palette = dialog.browser.palette()
    marked: dict[str, str] = {}
    block = dialog.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            background = fragment.charFormat().background().color()
            if background == tint(ADDED_HUE, palette):
                marked[fragment.text()] = "added"
            elif background == tint(REMOVED_HUE, palette):
                assert fragment.charFormat().fontStrikeOut()
                marked[fragment.text()] = "removed"
            it += 1
        block = block.next()
    assert marked["The river authority expects rain in October"] == "added"
    assert marked["quarter"] == "added" and marked["fifth"] == "removed"
    assert "words added" in dialog.counts.text()
    dialog.close()


def test_codebook_names_show_in_tooltips_panel_and_notebook(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Lock Gates")
    on_worker(qtbot, window, lambda a: a.highlight_quote(story_id, "composite panels"))
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=WAIT_MS)
    codebook = window.codebook
    codebook.codebook_action.trigger()
    qtbot.waitUntil(
        lambda: codebook.codebook_dialog is not None and codebook.codebook_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = codebook.codebook_dialog
    assert dialog is not None
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.names[Color.YELLOW].setText("claim")
    dialog.names[Color.GREEN].setText("Claim")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "same name" in dialog.error.text()
    dialog.names[Color.GREEN].setText("")
    dialog.descriptions[Color.YELLOW].setText("A statement to check")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: codebook.color_names == {Color.YELLOW: "claim"}, timeout=WAIT_MS)

    panel, reader = window.panel, window.reader
    assert panel.color_buttons[Color.YELLOW].toolTip() == "Yellow — claim"
    assert panel.color_buttons[Color.GREEN].toolTip() == "Green"
    assert "Highlight yellow — claim" in reader.toolbar.buttons[Color.YELLOW].toolTip()
    assert "claim" in row_html(panel.model, 0)
    notebook = window.notebook
    assert notebook.color.itemText(notebook.color.findData(Color.YELLOW)) == "Yellow — claim"
    start = shown_story(window).text.index("forty years")
    reader.setTextCursor(reader.cursor_for(start, start + len("forty years")))
    menu = reader.context_menu(reader.viewport().rect().center())
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Highlight")
    assert isinstance(submenu, QMenu)
    assert "Yellow — claim" in [a.text() for a in submenu.actions()]
    menu.deleteLater()


def test_tag_a_story_with_completion_and_undo(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    quiet = open_story(window, "Quiet Harbour")
    on_worker(qtbot, window, lambda a: a.tag_story(quiet, ["economy"]))
    locks = open_story(window, "Lock Gates")
    editor = window.panel.story_tags
    assert editor.isEnabled() and editor.tags() == [] and editor.edit.text() == ""
    editor.setFocus()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(editor.completionsShown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(editor.edit, "eco")
    assert shown.args[0] == ["economy"]
    popup = editor.tag_completer.popup()
    assert popup is not None
    assert popup.isVisible()
    popup.setCurrentIndex(editor.tag_completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.tags() == ["economy"] and editor.edit.text() == ""
    assert window.undo_stack.undoText() == "Add tag “economy” to the story"

    def economy_count() -> str:
        item = window.sidebar.item("tag:economy")
        return item.text(1) if item is not None else ""

    qtbot.waitUntil(lambda: economy_count() == "2", timeout=WAIT_MS)
    assert on_worker(qtbot, window, lambda a: a.story(locks).tags) == ("economy",)

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: economy_count() == "1", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: editor.tags() == [], timeout=WAIT_MS)


def test_tag_a_highlight(qtbot: QtBot, window: MainWindow, open_story: Opener) -> None:
    story_id = open_story(window, "Lock Gates")
    highlight = on_worker(qtbot, window, lambda a: a.highlight_quote(story_id, "little upkeep"))
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=WAIT_MS)
    window.panel.select_highlight(highlight.id)
    editor = window.panel.tags_edit
    assert editor.isEnabled() and editor.owner == highlight.id
    editor.setFocus()
    qtbot.keyClicks(editor.edit, "maintenance, costs")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.panel.model.rowCount() == 1
            and window.panel.model.items[0].tags == ("costs", "maintenance")
        ),
        timeout=WAIT_MS,
    )
    assert "tagged costs, maintenance" in row_html(window.panel.model, 0)


def test_remove_a_story_tag_from_its_chip_and_undo(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    story_id = open_story(window, "Lock Gates")
    on_worker(qtbot, window, lambda a: a.tag_story(story_id, ["canals", "upkeep"]))
    editor = window.panel.story_tags
    qtbot.waitUntil(lambda: editor.tags() == ["canals", "upkeep"], timeout=WAIT_MS)
    editor.setFocus()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)
    assert editor.chips[-1].hasFocus(), "the first Backspace selects the last chip"
    qtbot.keyClick(editor.chips[-1], Qt.Key.Key_Backspace)
    assert editor.tags() == ["canals"] and editor.edit.hasFocus()
    assert window.undo_stack.undoText() == "Remove tag “upkeep” from the story"
    assert "Removed tag “upkeep” from the story" in window.statusBar().currentMessage()
    # The worker runs in order: this read comes after the edit.
    assert on_worker(qtbot, window, lambda a: a.story(story_id).tags) == ("canals",)

    window.undo_stack.undo()
    qtbot.waitUntil(lambda: editor.tags() == ["canals", "upkeep"], timeout=WAIT_MS)


def test_export_this_story_as_json_and_merge_it_back(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    story_id = open_story(window, "Lock Gates")
    on_worker(qtbot, window, lambda a: a.highlight_quote(story_id, "composite panels", note="oak?"))
    export = window.export
    export.ask_export("story")
    dialog = export.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert "Lock Gates" in dialog.scope.label and dialog.scope.story_ids == [story_id]
    target = tmp_path / "out" / "lock-gates.json"
    target.parent.mkdir()
    dialog.set_format("json")
    dialog.path.setText(str(target))
    assert dialog.chosen is BY_KEY["json"]
    with qtbot.waitSignal(export.exported, timeout=WAIT_MS) as exported:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert exported.args == [target, 1]
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "story-reader-archive"
    [story] = data["stories"]
    assert story["title"].startswith("Lock Gates")
    assert [h["quote"] for h in story["highlights"]] == ["composite panels"]
    assert any("Exported 1 story to lock-gates.json" in m for m in window.notifications.messages())

    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS):
        window.import_paths([str(target)])
    assert any(
        "Merged lock-gates.json:" in m and "1 already there" in m
        for m in window.notifications.messages()
    )


def test_back_up_now_and_restore(
    qtbot: QtBot,
    window: MainWindow,
    open_story: Opener,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story_id = open_story(window, "Lock Gates")
    backups = window.backups
    # The automatic backup at start runs beside the worker: its signal is not this one.
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    target = tmp_path / "saved" / "by-hand.sqlite3"
    with qtbot.waitSignal(backups.backedUp, timeout=WAIT_MS) as saved:
        backups.backup_to(target)
    assert saved.args == [target] and target.is_file()
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 4
    assert any("Backup saved" in m for m in window.notifications.messages())

    on_worker(qtbot, window, lambda a: a.highlight_quote(story_id, "composite panels"))
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=WAIT_MS)
    with qtbot.waitSignal(backups.restored, timeout=WAIT_MS) as restored:
        backups.restore_from(target)
    assert restored.args[0].name.startswith("pre-restore-") and restored.args[0].is_file()
    qtbot.waitUntil(
        lambda: window.opener.story_id == story_id and window.panel.model.rowCount() == 0,
        timeout=WAIT_MS,
    )
    assert window.read_archive is not None and window.story_model.rowCount() == 4


def test_the_automatic_backup_does_not_hold_up_the_analysts_operations(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copying a large archive takes seconds: it runs beside the worker, so an operation
    the analyst asks for meanwhile (opening a story, a count) is answered first."""
    copying = threading.Event()
    release = threading.Event()
    written = tmp_path / "automatic.sqlite3"

    def slow_backup(archive: Archive, now: object = None) -> Path:
        copying.set()
        assert release.wait(WAIT_MS / 1000), "the test never let the backup finish"
        return archive.backup(written)

    # The start's own backup first (at a low priority, it may still be running).
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    monkeypatch.setattr(Archive, "backup_if_due", slow_backup)
    window.backups.backup_if_due()
    qtbot.waitUntil(copying.is_set, timeout=WAIT_MS)
    assert on_worker(qtbot, window, lambda a: a.view_counts())
    assert not written.exists(), "the worker answered while the backup was still copying"
    with qtbot.waitSignal(window.backups.backedUp, timeout=WAIT_MS) as saved:
        release.set()
    assert saved.args == [written] and written.is_file()


def test_the_automatic_backups_news_never_hides_the_analysts_own_message(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup at start may end at any moment: its "saved" goes to the Notifications list,
    and to the status bar only when that shows nothing else (not over "… (Ctrl+Z to undo)")."""
    written = tmp_path / "automatic.sqlite3"
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)  # the start's own backup
    monkeypatch.setattr(Archive, "backup_if_due", lambda a, now=None: a.backup(written))
    bar = window.statusBar()
    bar.showMessage("Archived “Quiet Harbour” (Ctrl+Z to undo)")
    with qtbot.waitSignal(window.backups.backedUp, timeout=WAIT_MS):
        window.backups.backup_if_due()
    assert bar.currentMessage() == "Archived “Quiet Harbour” (Ctrl+Z to undo)"
    assert any("Automatic backup saved" in m for m in window.notifications.messages())
    bar.clearMessage()
    with qtbot.waitSignal(window.backups.backedUp, timeout=WAIT_MS):
        window.backups.backup_if_due()
    assert bar.currentMessage().startswith("Automatic backup saved")


def test_backup_settings_dialog_saves_the_schedule(qtbot: QtBot, window: MainWindow) -> None:
    backups = window.backups
    backups.ask_settings()
    qtbot.waitUntil(
        lambda: backups.settings_dialog is not None and backups.settings_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = backups.settings_dialog
    assert dialog is not None
    dialog.keep.setValue(3)
    dialog.interval.setValue(12)
    save = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Save")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    settings = on_worker(qtbot, window, lambda a: a.backup_settings())
    assert (settings.enabled, settings.keep, settings.interval_hours) == (True, 3, 12.0)


def test_export_search_results_and_notebook_view(
    qtbot: QtBot, window: MainWindow, open_story: Opener, tmp_path: Path
) -> None:
    story_id = open_story(window, "Lock Gates")
    on_worker(qtbot, window, lambda a: a.highlight_quote(story_id, "composite panels"))
    export = window.export
    assert export.export_scope("search") is None and export.export_scope("notebook") is None
    with qtbot.waitSignal(window.searcher.finished, timeout=WAIT_MS):
        window.search.edit.setText("canal")
    scope = export.export_scope("search")
    assert scope is not None and scope.story_ids and story_id in scope.story_ids
    with qtbot.waitSignal(export.exported, timeout=WAIT_MS) as exported:
        export.export(scope, BY_KEY["csv"], tmp_path / "search.csv")
    assert exported.args[1] == 1
    assert "composite panels" in (tmp_path / "search.csv").read_text(encoding="utf-8-sig")

    window.searcher.clear()
    window.sidebar.select_key("view:notebook")
    qtbot.waitUntil(lambda: window.notebook.model.rowCount() == 1, timeout=WAIT_MS)
    scope = export.export_scope("notebook")
    assert scope is not None and scope.highlight_ids == [window.notebook.model.items[0].id]
    with qtbot.waitSignal(export.exported, timeout=WAIT_MS) as exported:
        export.export(scope, BY_KEY["markdown-folder"], tmp_path / "notes")
    [note] = (tmp_path / "notes").iterdir()
    assert "composite panels" in note.read_text(encoding="utf-8")


def test_colour_buttons_keep_their_colour_while_disabled(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from reader.model import Color
    from ui.core.colors import swatch

    button = window.panel.color_buttons[Color.PINK]
    image = button.icon().pixmap(QSize(14, 14), QIcon.Mode.Disabled).toImage()
    middle = image.pixelColor(7, 7)
    # Faded, but in the hue of its colour, not Qt's grey.
    assert middle.alpha() < 200 and middle.hue() == swatch(Color.PINK).hue()
