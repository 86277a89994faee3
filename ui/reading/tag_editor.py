"""A one-line tag editor: tags separated by commas, the tag being typed completed from the
archive's tag names (asked for through a lookup that runs on the worker), and the edit handed
on as (before, after) when the user presses Return or leaves the field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

Lookup = Callable[[str, Callable[[list[str]], None]], None]
"""``lookup(prefix, done)``: find tag names starting with ``prefix`` and call ``done(names)``."""

POPUP_KEYS = frozenset(
    {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}
)


def parse_tags(text: str) -> list[str]:
    """The tags in a comma-separated line, without blanks or repeats (ignoring case)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def same_tags(a: list[str], b: list[str]) -> bool:
    return {t.casefold() for t in a} == {t.casefold() for t in b}


class TagEditor(QLineEdit):
    edited = Signal(object, list, list)
    """The owner (a story or highlight id), the tags before and the tags after."""
    completionsShown = Signal(list)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setToolTip("Tags separated by commas; Return saves them")
        self.owner: int | None = None
        self.saved: list[str] = []
        self.lookup: Lookup | None = None
        self._asked = ""
        self.completions = QStringListModel(self)
        self.tag_completer = QCompleter(self.completions, self)
        self.tag_completer.setWidget(self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.tag_completer.activated.connect(self.on_completer_activated)
        self.textEdited.connect(self.on_textEdited)
        self.editingFinished.connect(self.commit)
        self.setEnabled(False)

    def set_tags(self, owner: int | None, tags: tuple[str, ...] | list[str]) -> None:
        """Show ``owner``'s tags; an edit in progress on the same owner is kept."""
        if owner == self.owner and self.hasFocus() and self.isModified():
            self.saved = list(tags)
            return
        self.owner = owner
        self.saved = list(tags)
        self.setEnabled(owner is not None)
        self.setText(", ".join(tags))
        self.setModified(False)

    def _popup(self) -> QAbstractItemView:
        popup = self.tag_completer.popup()
        assert popup is not None
        return popup

    def current_prefix(self) -> str:
        """The part of the tag under the cursor that is typed already."""
        before = self.text()[: self.cursorPosition()]
        return before.rsplit(",", 1)[-1].lstrip()

    @Slot(str)
    def on_textEdited(self, _text: str) -> None:
        prefix = self.current_prefix()
        self._asked = prefix
        if not prefix.strip() or self.lookup is None:
            self._popup().hide()
            return
        self.lookup(prefix, lambda names: self._offer(prefix, names))

    def _offer(self, prefix: str, names: list[str]) -> None:
        if prefix != self._asked or not self.hasFocus():
            return
        typed = {t.casefold() for t in parse_tags(self.text())} - {prefix.strip().casefold()}
        offered = [n for n in names if n.casefold() not in typed]
        self.completions.setStringList(offered)
        if not offered:
            self._popup().hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        self.tag_completer.complete()
        self.completionsShown.emit(offered)

    @Slot(str)
    def on_completer_activated(self, name: str) -> None:
        text, cursor = self.text(), self.cursorPosition()
        start = text.rfind(",", 0, cursor) + 1
        end = text.find(",", cursor)
        after = parse_tags(text[end:]) if end >= 0 else []
        self.setText(", ".join([*parse_tags(text[:start]), name, *after]) + ", ")
        self.setModified(True)
        self.commit()

    @Slot()
    def commit(self) -> None:
        after = parse_tags(self.text())
        if self.owner is None or not self.isModified():
            return
        self.setModified(False)
        if same_tags(after, self.saved):
            return
        before, self.saved = self.saved, after
        self.edited.emit(self.owner, before, after)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # While the popup is open it owns these keys (Qt's "Custom Completer" example).
        if self._popup().isVisible() and event.key() in POPUP_KEYS:
            event.ignore()
            return
        super().keyPressEvent(event)
