"""A mailbox folder from the window: Ctrl+L, an imap:// address, the connection chosen, the
password asked for in the dialog when the keyring and the environment have none (and again
when the server refuses it), then kept in the keyring; F5 reads only the new mail. Against
the real test server (tests/dovecot.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.archive import MailSecurity
from reader.model import Subscription
from tests.dovecot import PASSWORD, USER, Dovecot, newsletter
from tests.keyring_backends import MemoryKeyring
from tests.ui.conftest import WAIT_MS
from ui.main_window import MainWindow


def test_subscribe_to_a_folder_from_the_dialog(
    qtbot: QtBot,
    window: MainWindow,
    dovecot: Dovecot,
    folder: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("READER_IMAP_PASSWORD", raising=False)
    dovecot.append(folder, newsletter("Tidewater Notes, issue 1", [("Lock gate", "Repaired.")]))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.links.dialog
    box = dialog.mailbox_box
    assert dialog.isVisible()
    dialog.url_edit.setText(f"imap://{USER}@127.0.0.1:{dovecot.port}/{folder}")
    dialog.fetch_button.click()
    assert box.isVisible() and box.password.isHidden()
    box.security.setCurrentIndex(box.security.findData(MailSecurity.NONE.value))

    # No password anywhere: the dialog asks for one.
    with qtbot.waitSignal(window.links.failed, timeout=WAIT_MS):
        box.subscribe_button.click()
    assert not box.password.isHidden()
    assert dialog.status.text() == f"Enter the password of {USER} on 127.0.0.1:{dovecot.port}."

    # A wrong one is refused in one line, and the field stays.
    box.password.setText("not the password")
    with qtbot.waitSignal(window.links.failed, timeout=WAIT_MS):
        box.subscribe_button.click()
    assert dialog.status.text().startswith("authentication failed for ana")
    assert dialog.status.property("error") is True
    assert memory_keyring.passwords == {}

    box.password.setText(PASSWORD)
    with qtbot.waitSignal(window.links.subscribed, timeout=WAIT_MS) as subscribed:
        qtbot.keyClick(box.password, Qt.Key.Key_Return)
    subscription: Subscription = subscribed.args[0]
    assert subscription.kind == "mailbox" and subscription.story_count >= 1
    assert not dialog.isVisible() and box.password.text() == ""
    account = f"imap://{USER}@127.0.0.1:{dovecot.port}"
    assert memory_keyring.passwords == {("story-reader", account): PASSWORD}
    qtbot.waitUntil(lambda: subscription.id in window.sidebar.feeds, timeout=WAIT_MS)

    # F5 reads the folder again with the keyring's password: only the new message.
    dovecot.append(folder, newsletter("Tidewater Notes, issue 2", [("Weir", "Cleared.")]))
    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS) as refreshed:
        window.feeds.refresh()
    report = refreshed.args[0]
    [folder_report] = [f for f in report.feeds if f.feed_id == subscription.id]
    assert folder_report.status == "ok" and len(folder_report.new) >= 1
    assert dovecot.status(folder)["UNSEEN"] == 2
