"""A newsletter e-mail's stories take their date from the letter's own header (its issue
date), and the sending time when that is the same day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reader._sources.mail import message_stories
from tests.sources.mail_fixtures import DIGEST_HTML, newsletter


def _headed(masthead: str) -> str:
    return DIGEST_HTML.replace("<h2>Ferry fares", f"<p>{masthead}</p>\n<h2>Ferry fares", 1)


def test_the_issue_date_in_the_header_dates_the_stories() -> None:
    message = newsletter(
        _headed("Harbour Notes — Sunday, 29 November 2026"), date="Tue, 01 Dec 2026 06:30:00 +0000"
    )
    stories = message_stories(message.as_bytes())
    assert len(stories) == 3
    assert {s.published.astimezone().date() for s in stories if s.published} == {date(2026, 11, 29)}


def test_sent_the_same_day_the_sending_time_is_kept() -> None:
    sent = "Tue, 01 Dec 2026 12:30:00 +0000"
    message = newsletter(_headed("Harbour Notes — 1 December 2026"), date=sent)
    stories = message_stories(message.as_bytes())
    assert {s.published for s in stories} == {datetime(2026, 12, 1, 12, 30, tzinfo=UTC)}
