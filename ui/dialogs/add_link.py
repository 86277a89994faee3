"""The "Add link, feed or mailbox…" dialog: the address field, one status line, the feed's
choices once a feed is found, and the mailbox folder's connection (see
ui.dialogs.mailbox_form). ui.features.links runs it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.core.colors import error_text, muted_text
from ui.core.text import count
from ui.dialogs.mailbox_form import MailboxBox


@dataclass(frozen=True, slots=True)
class FeedFound:
    """The address is a feed: its title and how many entries it has now."""

    url: str
    title: str
    entries: int


class AddLinkDialog(QDialog):
    """The address field, one status line, and the feed's choices once a feed is found."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add-link")
        self.setWindowTitle("Add link, feed or mailbox")
        self.setMinimumWidth(560)
        intro = QLabel(
            "Paste the address of an article, a digest or a feed. An article is imported; a"
            " feed can be subscribed to, or its entries imported once. A mailbox folder"
            " (imap://user@host/Folder) can be subscribed to.",
            self,
        )
        intro.setWordWrap(True)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText("https://…")
        self.url_edit.setClearButtonEnabled(True)
        self.fetch_button = QPushButton("Fetch", self)
        self.fetch_button.setDefault(True)
        self.status = QLabel(self)
        self.status.setObjectName("add-link-status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.feed_box = QFrame(self)
        self.feed_box.setObjectName("add-link-feed")
        self.feed_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.feed_title = QLabel(self.feed_box)
        font = self.feed_title.font()
        font.setBold(True)
        self.feed_title.setFont(font)
        self.feed_title.setTextFormat(Qt.TextFormat.PlainText)
        self.feed_detail = QLabel(self.feed_box)
        self.full_articles = QCheckBox("Fetch full articles", self.feed_box)
        self.full_articles.setToolTip(
            "For entries that carry only a summary, fetch the article each one links to"
        )
        self.import_button = QPushButton("Import entries once", self.feed_box)
        self.import_button.setToolTip("Import the entries the feed has now, without subscribing")
        self.subscribe_button = QPushButton("Subscribe", self.feed_box)
        self.subscribe_button.setToolTip("Import the entries and fetch new ones at every refresh")
        feed_buttons = QHBoxLayout()
        feed_buttons.addWidget(self.full_articles)
        feed_buttons.addStretch(1)
        feed_buttons.addWidget(self.import_button)
        feed_buttons.addWidget(self.subscribe_button)
        feed_layout = QVBoxLayout(self.feed_box)
        feed_layout.addWidget(self.feed_title)
        feed_layout.addWidget(self.feed_detail)
        feed_layout.addLayout(feed_buttons)
        self.feed_box.hide()
        self.mailbox_box = MailboxBox(self)
        self.mailbox_box.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.fetch_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.feed_box)
        layout.addWidget(self.mailbox_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.show_message("")

    def show_message(self, text: str, *, error: bool = False) -> None:
        """One line under the address: what is happening, or why it failed."""
        line = " ".join(text.split())
        palette = self.status.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText,
            error_text(self.palette()) if error else muted_text(self.palette()),
        )
        self.status.setPalette(palette)
        self.status.setProperty("error", error)
        self.status.setText(line)
        self.status.setToolTip(line if error else "")

    def set_busy(self, busy: bool) -> None:
        self.fetch_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        self.subscribe_button.setEnabled(not busy)
        self.full_articles.setEnabled(not busy)
        self.mailbox_box.set_busy(busy)

    def show_feed(self, found: FeedFound | None) -> None:
        self.feed_box.setVisible(found is not None)
        if found is None:
            self.fetch_button.setDefault(True)
            return
        self.feed_title.setText(found.title)
        self.feed_detail.setText(f"A feed with {count(found.entries, 'entry', 'entries')} now.")
        self.subscribe_button.setDefault(True)
        self.grow()

    def show_mailbox(self, url: str | None) -> None:
        self.mailbox_box.setVisible(url is not None)
        if url is None:
            self.fetch_button.setDefault(True)
            return
        self.mailbox_box.show_address(url)
        self.mailbox_box.subscribe_button.setDefault(True)
        self.grow()

    def grow(self) -> None:
        """Grow to fit a box just shown; otherwise its buttons are squeezed into the old
        height."""
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
