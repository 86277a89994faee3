"""Every keyboard shortcut of the window, declared as data: action id, default keys, description.

A key without a modifier (a letter, "/", "?", Return, Delete, Escape) is bound only while the
story list, the notebook or the reader has focus, so it never fires while typing in the search
box or a note editor; a key with a modifier works anywhere in the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence


@dataclass(frozen=True, slots=True)
class Binding:
    action: str
    keys: tuple[str, ...]
    description: str


BINDINGS: tuple[Binding, ...] = (
    Binding("next_story", ("J",), "Next story"),
    Binding("previous_story", ("K",), "Previous story"),
    Binding("extend_down", ("Shift+J",), "Extend the marked rows down (also Shift+click)"),
    Binding("extend_up", ("Shift+K",), "Extend the marked rows up"),
    Binding("toggle_mark", ("X",), "Mark or unmark the row (also Ctrl+click)"),
    Binding("select_all", ("Ctrl+A",), "Mark every row of the list or the notebook"),
    Binding("open_story", ("Return", "Enter", "O"), "Open the selected story"),
    Binding("highlight", ("H",), "Highlight the selected text"),
    Binding("note", ("N",), "Note on the selection or the highlight under the cursor"),
    Binding("star", ("S",), "Star or unstar the story (or the marked ones)"),
    Binding("later", ("L",), "Keep the story (or the marked ones) for later, or take it off"),
    Binding("archive", ("E",), "Archive or unarchive the story (or the marked ones)"),
    Binding("toggle_read", ("U",), "Mark the story (or the marked ones) read or unread"),
    Binding("tag_marked", ("T",), "Tag the story, or the marked stories or highlights"),
    Binding(
        "recolor",
        ("1", "2", "3", "4", "5"),
        "Recolour the marked or selected highlights (yellow … purple)",
    ),
    Binding("delete_story", ("Delete",), "Delete the story, or what is marked (undo: Ctrl+Z)"),
    Binding("rename_tag", ("F2",), "Rename the tag selected in the sidebar (or merge it)"),
    Binding("focus_search", ("/", "Ctrl+F"), "Search"),
    Binding(
        "save_search", ("Ctrl+Shift+S",), "Save the search under a name, to watch for new matches"
    ),
    Binding("back", ("Escape",), "Back to the list, clear the marks or the search"),
    Binding(
        "focus_facets",
        ("F",),
        "Facet chips and timeline: arrows choose, Enter adds to or takes from the search",
    ),
    Binding("undo", ("Ctrl+Z",), "Undo"),
    Binding("redo", ("Ctrl+Shift+Z",), "Redo"),
    Binding("zoom_in", ("Ctrl+=", "Ctrl++"), "Larger text"),
    Binding("zoom_out", ("Ctrl+-",), "Smaller text"),
    Binding("zoom_reset", ("Ctrl+0",), "Default text size"),
    Binding(
        "reading_settings", ("Ctrl+Shift+R",), "Reading settings: font, size, line height, width"
    ),
    Binding("help", ("?", "F1"), "Show or hide this help"),
    Binding("import_files", ("Ctrl+O",), "Import files"),
    Binding("import_folder", ("Ctrl+Shift+O",), "Import a folder"),
    Binding("add_link", ("Ctrl+L",), "Add a link, a feed or a mailbox folder"),
    Binding("refresh_feeds", ("F5",), "Refresh feeds"),
    Binding("quit", ("Ctrl+Q",), "Quit"),
)

BY_ACTION: dict[str, Binding] = {b.action: b for b in BINDINGS}


def is_plain(key: str) -> bool:
    """Whether a key has no modifier, so it must not fire while the user is typing."""
    function_key = key.startswith("F") and key[1:].isdigit()
    return not any(mod in key for mod in ("Ctrl+", "Alt+", "Meta+")) and not function_key


def plain_keys(action: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in BY_ACTION[action].keys if is_plain(k)]


def modified_keys(action: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in BY_ACTION[action].keys if not is_plain(k)]


def key_text(key: str) -> str:
    """A key as the window writes it: a plain letter in lower case ("j"), as it is typed (Qt
    writes "J", which reads as Shift+J: another key, or none), and the rest as Qt writes them
    ("Shift+J", "Ctrl+F", "/", "Esc")."""
    text = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    return text.lower() if len(text) == 1 and text.isalpha() else text


def key_hint(action: str) -> str:
    """The first key of ``action``, as a tooltip or a menu names it ("u", "Ctrl+Shift+S")."""
    return key_text(BY_ACTION[action].keys[0])


def shown_keys(binding: Binding) -> str:
    """The keys as the help overlay shows them ("j", "Shift+J", "/  or  Ctrl+F")."""
    keys = [k for k in binding.keys if k != "Enter"]
    return "  or  ".join(key_text(k) for k in keys)
