"""The mailbox part of the add-link dialog: an ``imap://user@host/Folder`` address shows how to
connect (TLS, STARTTLS, or none for a server on this computer) and, when the keyring and the
environment have no password or the server refused it, a password field. The password goes to
the facade for this one subscribe (ui.features.mailbox); the field is cleared once it has been
used."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.archive import MailSecurity

SECURITY_CHOICES = (
    (MailSecurity.TLS, "TLS (IMAPS, port 993)"),
    (MailSecurity.STARTTLS, "STARTTLS (port 143)"),
    (MailSecurity.NONE, "No encryption (a server on this computer only)"),
)


def folder_label(url: str) -> str:
    """ "Folder Newsletters of ana on mail.example.org"."""
    parts = urlsplit(url)
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    user = unquote(parts.username or "")
    return f"Folder {folder} of {user} on {parts.hostname}"


class MailboxBox(QFrame):
    """How to connect, the password when it is needed, and Subscribe."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add-link-mailbox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.security = QComboBox(self)
        self.security.setObjectName("mailbox-security")
        for value, text in SECURITY_CHOICES:
            self.security.addItem(text, value.value)
        self.password = QLineEdit(self)
        self.password.setObjectName("mailbox-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, if there is one")
        self.password_label = QLabel("&Password:", self)
        self.password_label.setBuddy(self.password)
        self.subscribe_button = QPushButton("Subscribe", self)
        self.subscribe_button.setObjectName("mailbox-subscribe")
        self.subscribe_button.setToolTip(
            "Import the folder's messages and read new ones at every refresh"
        )
        form = QFormLayout()
        form.addRow("&Connection:", self.security)
        form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.subscribe_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.show_password(False)

    def show_address(self, url: str) -> None:
        self.title.setText(folder_label(url))
        self.password.clear()
        self.show_password(False)

    def show_password(self, shown: bool) -> None:
        self.password_label.setVisible(shown)
        self.password.setVisible(shown)
        if shown:
            self.password.selectAll()
            self.password.setFocus()

    def chosen_security(self) -> MailSecurity:
        return MailSecurity(self.security.currentData())

    def typed_password(self) -> str | None:
        """The password typed in the field, None when the field is not asked for or empty."""
        asked = not self.password.isHidden()
        return self.password.text() if asked and self.password.text() else None

    def set_busy(self, busy: bool) -> None:
        self.security.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.subscribe_button.setEnabled(not busy)
