"""Feeds and links from the window: the Add dialog, subscribing, refreshing (new entries only,
errors in the feed's tooltip, cancel, schedule), dropped URLs, OPML and right-to-left stories.
Every address is served by the local test server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from reader.archive import text_layout
from reader.model import Story, Subscription
from tests.sources.server import FeedServer, serve
from tests.ui.conftest import WAIT_MS, Opener
from ui.dialogs.add_link import FeedFound
from ui.main_window import MainWindow
from ui.panes.sidebar import ListFilter

SERVED = Path(__file__).parent / "served"
COURIER = "The Estuary Courier"
SOUQ_TITLE = "تعاونية الصيادين تفتتح سوقاً جديداً على الرصيف"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def serve_courier(server: FeedServer, version: int = 1) -> str:
    return server.add("/courier.xml", (SERVED / f"courier-{version}.xml").read_bytes())


def feed_item(window: MainWindow, feed_id: int) -> QTreeWidgetItem:
    item = window.sidebar.item(ListFilter(feed_id=feed_id).key)
    assert item is not None
    return item


def listed_titles(window: MainWindow) -> list[str]:
    model = window.story_model
    summaries = [model.summary(row) for row in range(model.rowCount())]
    return [s.title for s in summaries if s is not None]


def subscribe_in_dialog(
    qtbot: QtBot, window: MainWindow, url: str
) -> tuple[FeedFound, Subscription]:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.links.dialog
    assert dialog.isVisible()
    dialog.url_edit.setText(url)
    with qtbot.waitSignal(window.links.feedFound, timeout=WAIT_MS) as found:
        dialog.fetch_button.click()
    assert dialog.feed_box.isVisible()
    with qtbot.waitSignal(window.links.subscribed, timeout=WAIT_MS) as subscribed:
        dialog.subscribe_button.click()
    assert not dialog.isVisible()
    return found.args[0], subscribed.args[0]


def drop(window: MainWindow, mime: QMimeData) -> None:
    # QDragEnterEvent takes an integer point, QDropEvent a float one.
    pos = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, event)


def test_subscribe_then_refresh_shows_only_the_new_entry(
    qtbot: QtBot, window: MainWindow, server: FeedServer
) -> None:
    found, sub = subscribe_in_dialog(qtbot, window, serve_courier(server))
    assert (found.title, found.entries) == (COURIER, 2)
    assert sub.title == COURIER and sub.story_count == 2

    qtbot.waitUntil(
        lambda: sub.id in window.sidebar.feeds and window.story_model.rowCount() == 2,
        timeout=WAIT_MS,
    )
    assert window.story_list.filter == ListFilter(feed_id=sub.id)
    assert window.sidebar.current_key == f"feed:{sub.id}"
    item = feed_item(window, sub.id)
    assert (item.text(0), item.text(1)) == (COURIER, "2")
    assert sorted(listed_titles(window)) == [
        "Ferry Timetable Adds a Dawn Crossing",
        "Volunteers Count Wading Birds on the Salt Marsh",
    ]

    serve_courier(server, 2)
    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS) as refreshed:
        window.actions_.actions["refresh_feeds"].trigger()
        assert window.feeds.progress.isVisible() and window.feeds.cancel_button.isVisible()
    report = refreshed.args[0]
    assert len(report.new) == 1 and not report.failed
    assert window.statusBar().currentMessage() == "1 feed refreshed: 1 new."
    assert not window.feeds.progress.isVisible()
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 3, timeout=WAIT_MS)
    titles = listed_titles(window)
    assert "Harbour Master Dredges the Ferry Slip" in titles and len(set(titles)) == 3
    qtbot.waitUntil(lambda: feed_item(window, sub.id).text(1) == "3", timeout=WAIT_MS)

    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS) as again:
        window.feeds.refresh()
    assert again.args[0].new == []
    assert window.story_model.rowCount() == 3


def test_errors_are_one_line_in_the_dialog_and_in_the_feed_tooltip(
    qtbot: QtBot, window: MainWindow, server: FeedServer
) -> None:
    window.add_link()
    dialog = window.links.dialog
    dialog.url_edit.setText(server.url("/status/404"))
    with qtbot.waitSignal(window.links.failed, timeout=WAIT_MS):
        dialog.fetch_button.click()
    assert dialog.status.text() == "HTTP 404 Not Found"
    assert dialog.fetch_button.isEnabled() and not dialog.feed_box.isVisible()
    dialog.reject()

    _found, sub = subscribe_in_dialog(qtbot, window, serve_courier(server))
    qtbot.waitUntil(lambda: sub.id in window.sidebar.feeds, timeout=WAIT_MS)
    assert feed_item(window, sub.id).icon(0).isNull()
    server.add("/courier.xml", "gone", status=404)
    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS) as refreshed:
        window.sidebar.feedRefreshRequested.emit(sub.id)
    assert [f.error for f in refreshed.args[0].failed] == ["HTTP 404 Not Found"]
    qtbot.waitUntil(lambda: window.sidebar.feeds[sub.id].last_error is not None, timeout=WAIT_MS)
    item = feed_item(window, sub.id)
    assert "HTTP 404 Not Found" in item.toolTip(0)
    assert not item.icon(0).isNull()
    messages = window.notifications.messages()
    assert any(m.endswith(f"{COURIER}: HTTP 404 Not Found") for m in messages)
    assert window.notifications.isVisible()
    assert window.story_model.rowCount() == 2


def test_dropped_urls_are_imported(qtbot: QtBot, window: MainWindow, server: FeedServer) -> None:
    url = server.add("/souq.html", (SERVED / "souq.html").read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl(url)])
    with qtbot.waitSignal(window.links.imported, timeout=WAIT_MS) as imported:
        drop(window, mime)
    assert len(imported.args[0].imported) == 1
    qtbot.waitUntil(
        lambda: window.opener.story is not None and window.opener.story.title == SOUQ_TITLE,
        timeout=WAIT_MS,
    )
    assert any(SOUQ_TITLE in m for m in window.notifications.messages())

    text = QMimeData()
    text.setText(f"  {serve_courier(server)}\n")
    with qtbot.waitSignal(window.links.feedFound, timeout=WAIT_MS):
        drop(window, text)
    assert window.links.dialog.isVisible() and window.links.dialog.feed_box.isVisible()


def test_right_to_left_story_keeps_its_blocks_and_highlights(
    qtbot: QtBot, window: MainWindow, open_story: Opener
) -> None:
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS):
        window.import_paths([str(SERVED / "souq.html")])
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 5, timeout=WAIT_MS)
    open_story(window, SOUQ_TITLE)
    reader = window.reader
    story = reader.story
    assert story is not None and story.language == "ar"
    doc = reader.document()
    paragraphs = story.text.split("\n")
    for i, paragraph in enumerate(paragraphs):
        block = doc.findBlockByNumber(reader.mapping.first_block_number + i)
        assert block.text() == paragraph
        fmt = block.blockFormat()
        assert fmt.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert fmt.alignment() & Qt.AlignmentFlag.AlignRight
        # The last line ends at the right margin; what it leaves free is on its left.
        layout = block.layout()
        last = layout.lineAt(layout.lineCount() - 1)
        text = last.naturalTextRect()
        assert text.right() == pytest.approx(last.width(), abs=1)
        assert text.left() == pytest.approx(last.width() - last.naturalTextWidth(), abs=1)

    quote = "سوقاً مغطى للسمك الطازج"
    start = story.text.index(quote)
    reader.setTextCursor(reader.cursor_for(start, start + len(quote)))
    assert reader.selected_range() == (start, start + len(quote))
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: len(reader.highlights) == 1, timeout=WAIT_MS)
    (highlight,) = reader.highlights
    assert (highlight.start, highlight.quote) == (start, quote)
    assert reader.extra_selection_texts() == [quote]

    open_story(window, "Quiet Harbour")
    body = doc.findBlockByNumber(window.reader.mapping.first_block_number)
    assert body.blockFormat().layoutDirection() != Qt.LayoutDirection.RightToLeft
    assert body.layout().lineAt(0).naturalTextRect().left() == pytest.approx(0, abs=1)


def test_right_to_left_by_language_or_by_script() -> None:
    story = Story(
        id=1,
        title="Port notes",
        sections=(),
        text="The ferry sails at dawn.",
        html="",
        content_hash="x",
        fetched=datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert not text_layout(story).rtl
    assert text_layout(replace(story, language="he-IL")).rtl
    assert text_layout(replace(story, language="fa")).rtl
    assert not text_layout(replace(story, language="arn")).rtl
    assert text_layout(replace(story, title="", text="افتتحت التعاونية السوق (2026) on Sunday")).rtl
    assert not text_layout(
        replace(story, text="The quay is called الرصيف by the fishermen there.")
    ).rtl


def test_opml_round_trip_and_feed_menu(
    qtbot: QtBot,
    window: MainWindow,
    server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _found, sub = subscribe_in_dialog(qtbot, window, serve_courier(server))
    qtbot.waitUntil(lambda: sub.id in window.sidebar.feeds, timeout=WAIT_MS)

    menu = window.sidebar.feed_menu(sub.id)
    full = next(a for a in menu.actions() if a.text() == "Fetch full articles")
    assert not full.isChecked()
    full.trigger()
    qtbot.waitUntil(lambda: window.sidebar.feeds[sub.id].fetch_full_articles, timeout=WAIT_MS)
    next(a for a in menu.actions() if a.text() == "Copy URL").trigger()
    assert QApplication.clipboard().text() == sub.url

    path = tmp_path / "desk.opml"
    with qtbot.waitSignal(window.feeds.opmlExported, timeout=WAIT_MS) as exported:
        window.feeds.export_opml(str(path))
    assert exported.args[0] == 1 and sub.url in path.read_text(encoding="utf-8")

    monkeypatch.setattr(window.feeds, "confirm_unsubscribe", lambda feed: feed.id == sub.id)
    next(a for a in menu.actions() if a.text() == "Unsubscribe…").trigger()
    qtbot.waitUntil(lambda: not window.sidebar.feeds, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.story_list.filter == ListFilter(), timeout=WAIT_MS)
    assert window.sidebar.feed_group.isHidden()
    assert {"Ferry Timetable Adds a Dawn Crossing"} <= set(listed_titles(window))

    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS):
        with qtbot.waitSignal(window.feeds.opmlImported, timeout=WAIT_MS) as imported:
            window.feeds.import_opml(str(path))
        assert imported.args[0] == 1
    qtbot.waitUntil(lambda: len(window.sidebar.feeds) == 1, timeout=WAIT_MS)
    (again,) = window.sidebar.feeds.values()
    assert again.url == sub.url and again.title == COURIER
    assert window.story_model.rowCount() == 6, "the stories kept were not imported again"


def test_refresh_can_be_stopped_and_the_window_stays_usable(
    qtbot: QtBot, window: MainWindow, server: FeedServer, tmp_path: Path, open_story: Opener
) -> None:
    opml = tmp_path / "two.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline type="rss" text="Slow Wire" xmlUrl="{server.url("/slow")}"/>'
        f'<outline type="rss" text="Courier" xmlUrl="{serve_courier(server)}"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.feeds.opmlImported, timeout=WAIT_MS) as imported:
        window.feeds.import_opml(str(opml))
    assert imported.args[0] == 2 and window.feeds.running
    qtbot.waitUntil(lambda: window.story_model.rowCount() == 6, timeout=WAIT_MS)
    assert window.feeds.running, "the fast feed's stories were listed only at the end"
    assert window.feeds.progress.text() == "1/2"
    open_story(window, "Quiet Harbour")
    assert window.feeds.running, "the story opened only after the refresh"

    ticket = window.feeds.ticket
    window.feeds.on_timer_timeout()
    assert window.feeds.ticket == ticket, "a scheduled refresh started during another"
    with qtbot.waitSignal(window.feeds.finished, timeout=WAIT_MS) as finished:
        window.feeds.cancel_button.click()
    server.release.set()
    assert finished.args[0].cancelled
    assert window.statusBar().currentMessage() == "Refresh cancelled after 1 of 2 feeds: 2 new."


def test_refresh_schedule_is_a_setting(window: MainWindow) -> None:
    feeds = window.feeds
    assert window.prefs.get("feeds/refresh_minutes") == 60
    assert feeds.timer.isActive() and feeds.timer.interval() == 60 * 60_000
    choices = {a.text(): a for a in window.actions_.schedule.actions()}
    choices["Every 15 minutes"].trigger()
    assert feeds.timer.interval() == 15 * 60_000
    assert window.prefs.get("feeds/refresh_minutes") == 15
    choices["Off"].trigger()
    assert not feeds.timer.isActive() and choices["Off"].isChecked()
