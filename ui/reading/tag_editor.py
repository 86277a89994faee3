"""The tag editor of a story or a highlight: each saved tag a chip (× or Delete removes it), then
a line edit whose text becomes a tag on Return or a comma, completed from the archive's tag
names (asked for through a lookup that runs on the worker). The chips wrap onto more rows as
they need. Every addition or removal is handed on at once as (owner, before, after)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCompleter,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from ui.panes.flow_layout import FlowLayout
from ui.reading.tag_chip import TagChip, chip_height

Lookup = Callable[[str, Callable[[list[str]], None]], None]
"""``lookup(prefix, done)``: find tag names starting with ``prefix`` and call ``done(names)``."""

POPUP_KEYS = frozenset(
    {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}
)
RETURN_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
REMOVE_KEYS = frozenset({Qt.Key.Key_Delete, Qt.Key.Key_Backspace})
CHIP_KEYS = REMOVE_KEYS | {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Escape,
}
MORE = "Add a tag…"
"""The line edit's placeholder once there are chips (the editor's own one says what it tags)."""


def parse_tags(text: str) -> list[str]:
    """The tags in a comma-separated line, without blanks or repeats (ignoring case)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


class TagLine(QLineEdit):
    """The line edit after the chips. It leaves the keys to the completer's popup while that
    is open, and asks for the last chip on Backspace or Left when it is empty."""

    stepBack = Signal()

    def __init__(self, completer: QCompleter, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrame(False)
        self.setObjectName("tag-line")
        self._completer = completer

    def popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None
        return popup

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, popup = event.key(), self.popup()
        if popup.isVisible() and key in POPUP_KEYS:
            if key in RETURN_KEYS and not popup.currentIndex().isValid():
                # Nothing chosen in the list: Return takes the text as typed.
                popup.hide()
                super().keyPressEvent(event)
                return
            # While the popup is open it owns these keys (Qt's "Custom Completer" example).
            event.ignore()
            return
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and not self.text() and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Left):
            self.stepBack.emit()
            return
        super().keyPressEvent(event)


class TagEditor(QWidget):
    edited = Signal(object, list, list)
    """The owner (a story or highlight id), the tags before and the tags after."""
    completionsShown = Signal(list)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner: int | None = None
        self.saved: list[str] = []
        self.chips: list[TagChip] = []
        self.lookup: Lookup | None = None
        self._asked = ""
        self._placeholder = placeholder
        self.setToolTip("Return or a comma adds a tag; × or Backspace removes one")
        self.setCursor(Qt.CursorShape.IBeamCursor)

        self.completions = QStringListModel(self)
        self.tag_completer = QCompleter(self.completions, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.tag_completer.activated.connect(self.on_completer_activated)
        self.edit = TagLine(self.tag_completer, self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setAccessibleName(placeholder.rstrip("…"))
        self.edit.setFixedHeight(chip_height(self.fontMetrics()))
        self.edit.setMinimumWidth(self.fontMetrics().horizontalAdvance(MORE) + 12)
        self.edit.textEdited.connect(self.on_edit_textEdited)
        self.edit.editingFinished.connect(self.commit)
        self.edit.stepBack.connect(self.on_edit_stepBack)
        self.edit.installEventFilter(self)
        self.tag_completer.setWidget(self.edit)
        self.setFocusProxy(self.edit)

        self.flow = FlowLayout(self, spacing=3, fill_last=True)
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        self.flow.setContentsMargins(frame + 2, frame + 2, frame + 2, frame + 2)
        self.flow.addWidget(self.edit)
        self.setEnabled(False)

    # -- content --------------------------------------------------------------------------

    def set_tags(self, owner: int | None, tags: tuple[str, ...] | list[str]) -> None:
        """Show ``owner``'s tags; what is being typed for the same owner is kept, and so is
        the order of the chips already shown."""
        if owner != self.owner:
            self.edit.clear()
            self._asked = ""
            self.edit.popup().hide()
            shown: dict[str, int] = {}
        else:
            shown = {name.casefold(): i for i, name in enumerate(self.saved)}
        self.owner = owner
        self.setEnabled(owner is not None)
        order = {name: shown.get(name.casefold(), len(shown) + i) for i, name in enumerate(tags)}
        self._show(sorted(tags, key=order.__getitem__))

    def tags(self) -> list[str]:
        """The tags shown as chips, in their order."""
        return [chip.name for chip in self.chips]

    def _show(self, tags: list[str]) -> None:
        """Chips for ``tags``: those already shown are kept (and with them the focus)."""
        self.saved = list(tags)
        if tags == self.tags():
            return
        focused = QApplication.focusWidget()
        old = {chip.name: chip for chip in self.chips}
        self.chips = [old.pop(name) if name in old else self._chip(name) for name in tags]
        for chip in old.values():
            self.flow.removeWidget(chip)
            # Hidden now: deleted later, it would be painted (and reached by Tab) until then.
            chip.hide()
            chip.deleteLater()
            if chip is focused:
                self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        for widget in [*self.chips, self.edit]:
            self.flow.removeWidget(widget)
            self.flow.addWidget(widget)
        self._order_tabs()
        self.edit.setPlaceholderText(MORE if tags else self._placeholder)
        self.flow.invalidate()
        self.updateGeometry()

    def _chip(self, name: str) -> TagChip:
        chip = TagChip(name, self)
        chip.set_limit(self._chip_limit())
        chip.removeRequested.connect(lambda c=chip: self.remove(c))
        chip.installEventFilter(self)
        chip.show()
        return chip

    def _chip_limit(self) -> int:
        margins = self.flow.contentsMargins()
        return self.width() - margins.left() - margins.right()

    def _order_tabs(self) -> None:
        """Tab reaches the chips in their order, then the line edit, where the editor sits."""
        before = self.edit.previousInFocusChain()
        # Not the editor itself either: Qt would put its focus proxy, the line edit, first.
        while before is self or (isinstance(before, TagChip) and before.parentWidget() is self):
            before = before.previousInFocusChain()
        if before is None:
            return
        for chip in self.chips:
            QWidget.setTabOrder(before, chip)
            before = chip
        QWidget.setTabOrder(before, self.edit)

    # -- editing --------------------------------------------------------------------------

    def add(self, names: list[str]) -> None:
        """Add the tags in ``names`` not there already (ignoring case), as one edit."""
        if self.owner is None:
            return
        known = {tag.casefold() for tag in self.saved}
        new: list[str] = []
        for name in parse_tags(",".join(names)):
            if name.casefold() not in known:
                known.add(name.casefold())
                new.append(name)
        if new:
            self._save([*self.saved, *new])

    def remove(self, chip: TagChip) -> None:
        """Take ``chip``'s tag off; when the chip had the focus, the next one takes it."""
        if self.owner is None or chip not in self.chips:
            return
        index = self.chips.index(chip)
        if chip.hasFocus():
            after = self.chips[index + 1] if index + 1 < len(self.chips) else self.edit
            after.setFocus(Qt.FocusReason.OtherFocusReason)
        self._save([tag for tag in self.saved if tag != chip.name])

    def _save(self, after: list[str]) -> None:
        assert self.owner is not None
        before = self.saved
        self._show(after)
        self.edited.emit(self.owner, before, after)

    @Slot()
    def commit(self) -> None:
        """The typed text becomes a tag (Return, or the line edit left)."""
        text = self.edit.text()
        if not text.strip():
            return
        self.edit.clear()
        self.edit.popup().hide()
        self.add([text])

    @Slot(str)
    def on_edit_textEdited(self, text: str) -> None:
        if "," in text:
            typed, _comma, rest = text.rpartition(",")
            self.edit.setText(rest.lstrip())
            self.add([typed])
        elif text != text.lstrip():
            self.edit.setText(text.lstrip())
        prefix = self.edit.text()
        self._asked = prefix
        if not prefix.strip() or self.lookup is None:
            self.edit.popup().hide()
            return
        self.lookup(prefix, lambda names: self._offer(prefix, names))

    def _offer(self, prefix: str, names: list[str]) -> None:
        if prefix != self._asked or not self.edit.hasFocus():
            return
        known = {tag.casefold() for tag in self.saved}
        offered = [name for name in names if name.casefold() not in known]
        self.completions.setStringList(offered)
        if not offered:
            self.edit.popup().hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        # As wide as the editor, under the line edit (which may be a short end of a row).
        left = self.edit.mapFrom(self, QPoint(0, 0)).x()
        self.tag_completer.complete(QRect(left, 0, self.width(), self.edit.height()))
        self.completionsShown.emit(offered)

    @Slot(str)
    def on_completer_activated(self, name: str) -> None:
        self.edit.clear()
        self._asked = ""
        self.add([name])

    @Slot()
    def on_edit_stepBack(self) -> None:
        if self.chips:
            self.chips[-1].setFocus(Qt.FocusReason.BacktabFocusReason)

    # -- keys, focus and size -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()  # the frame shows the focus anywhere inside
        elif isinstance(watched, TagChip) and watched in self.chips:
            if kind == QEvent.Type.ShortcutOverride:
                assert isinstance(event, QKeyEvent)
                if event.key() in CHIP_KEYS:
                    event.accept()  # the chip's own keys, before any shortcut
                    return True
            elif kind == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                return self._chip_key(watched, event.key())
        return super().eventFilter(watched, event)

    def _chip_key(self, chip: TagChip, key: int) -> bool:
        index = self.chips.index(chip)
        if key in REMOVE_KEYS:
            self.remove(chip)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Home):
            target = 0 if key == Qt.Key.Key_Home else max(index - 1, 0)
            self.chips[target].setFocus(Qt.FocusReason.BacktabFocusReason)
        elif key == Qt.Key.Key_Right and index + 1 < len(self.chips):
            self.chips[index + 1].setFocus(Qt.FocusReason.TabFocusReason)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_End, Qt.Key.Key_Escape):
            self.edit.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            return False
        return True

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A click beside the chips is a click in the line edit.
        self.edit.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        limit = self._chip_limit()
        for chip in self.chips:
            chip.set_limit(limit)

    def paintEvent(self, _event: QPaintEvent) -> None:
        # One box around the chips and the line edit, drawn as the style draws a line edit.
        option = QStyleOptionFrame()
        option.initFrom(self)
        option.lineWidth = self.style().pixelMetric(
            QStyle.PixelMetric.PM_DefaultFrameWidth, option, self
        )
        option.midLineWidth = 0
        option.state |= QStyle.StateFlag.State_Sunken
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            option.state |= QStyle.StateFlag.State_HasFocus
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
