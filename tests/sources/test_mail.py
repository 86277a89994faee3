"""Reading newsletter e-mail: the body chosen, every transfer encoding and charset, the headers
mapped onto stories, and messages that are not newsletters."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader._parse import canonical_text, decode_bytes, parse_bytes
from reader._sources.mail import (
    NO_SUBJECT,
    looks_like_mail,
    looks_like_mbox,
    message_stories,
    read_message,
)
from reader.errors import ParseError
from tests.sources.mail_fixtures import (
    DIGEST_HTML,
    DIGEST_TITLES,
    LETTER_HTML,
    PLAIN_LETTER,
    newsletter,
    with_inline_image,
)

PARSE_FIXTURES = Path(__file__).resolve().parents[1] / "parse" / "fixtures"
ENCODINGS = [
    ("quoted-printable", "utf-8"),
    ("base64", "utf-8"),
    ("quoted-printable", "windows-1252"),
    ("base64", "iso-8859-1"),
]


def _html_fixtures() -> list[Path]:
    """Every HTML page the parser tests hold, including the newsletter corpus as it grows."""
    return sorted(PARSE_FIXTURES.rglob("*.html"))


def _fixture_id(path: Path) -> str:
    return path.relative_to(PARSE_FIXTURES).as_posix()


@pytest.mark.parametrize(
    ("number", "path"),
    [pytest.param(n, p, id=_fixture_id(p)) for n, p in enumerate(_html_fixtures())],
)
def test_a_page_mailed_gives_the_stories_the_page_gives(number: int, path: Path) -> None:
    """Wrapped in a newsletter message (alternating transfer encodings and charsets), every
    page gives the titles and text it gives on its own."""
    data = path.read_bytes()
    meta_file = path.with_suffix(".json")
    meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else {}
    subject = meta.get("subject") or f"Issue {number}: {path.stem}"
    html = decode_bytes(data)
    cte, charset = ENCODINGS[number % len(ENCODINGS)]
    try:
        html.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    message = newsletter(
        html,
        text="View this issue in your browser.\n",
        subject=subject,
        sender=meta.get("from") or "Fixture Desk <desk@fixtures.example>",
        date=meta.get("date") or "Mon, 30 Nov 2026 07:00:00 +0000",
        charset=charset,
        cte=cte,
    )
    stories = message_stories(message.as_bytes())
    try:
        expected = parse_bytes(data, filename=path.name, title_hint=subject)
    except ParseError:
        # A page with no story: the message is one story under its subject.
        assert [s.title for s in stories] == [subject]
        return
    assert [s.title for s in stories] == [s.title for s in expected]
    assert [canonical_text(s.sections) for s in stories] == [
        canonical_text(s.sections) for s in expected
    ]
    for story, page_story in zip(stories, expected, strict=True):
        if page_story.source:
            assert story.source == page_story.source


def test_the_corpus_is_found_wherever_it_grows() -> None:
    found = {_fixture_id(p) for p in _html_fixtures()}
    assert "email_digest.html" in found
    assert all(name.endswith(".html") for name in found)


@pytest.mark.parametrize(("cte", "charset"), ENCODINGS)
def test_html_is_preferred_in_every_transfer_encoding_and_charset(cte: str, charset: str) -> None:
    # Latin-1 has no dashes; a Latin-1 newsletter says "-".
    dash = "-" if charset == "iso-8859-1" else "—"
    html = DIGEST_HTML.replace("—", dash)
    stories = message_stories(newsletter(html, charset=charset, cte=cte).as_bytes())
    assert [s.title for s in stories] == DIGEST_TITLES
    assert "£3.80, the operator" in canonical_text(stories[0].sections)
    assert f"Saturdays {dash} the first time" in canonical_text(stories[1].sections)


def test_headers_map_onto_the_stories() -> None:
    message = newsletter(message_id="<issue-41@harbour-notes.example>")
    mail = read_message(message.as_bytes())
    assert mail.subject == "Harbour Notes: ferry fares go up"
    assert (mail.from_name, mail.from_address) == ("Harbour Notes", "hello@harbour-notes.example")
    assert mail.date == datetime(2026, 12, 1, 5, 30, tzinfo=UTC)
    assert mail.date is not None and mail.date.utcoffset() == timedelta(hours=1)
    assert (mail.list_id, mail.list_name) == ("harbour-notes.list.example", "Harbour Notes")
    assert mail.message_id == "<issue-41@harbour-notes.example>"
    assert mail.origin == "mail:harbour-notes.list.example"

    stories = message_stories(mail)
    assert [s.guid for s in stories] == [
        "<issue-41@harbour-notes.example>#1",
        "<issue-41@harbour-notes.example>#2",
        "<issue-41@harbour-notes.example>#3",
    ]
    # A story whose lead names its publication keeps it; the others are the newsletter's.
    assert [s.source for s in stories] == ["Coastal Herald", "Harbour Notes", "Harbour Notes"]
    assert all(s.published == mail.date for s in stories)
    assert stories[0].url == "https://news.example/ferry-fares"


def test_a_date_the_page_gives_beats_the_messages_date() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2026-11-28T09:00:00Z">'
        "</head><body><article><h1>Dredging starts at the inner basin</h1>"
        "<p>Dredgers will work through the winter to deepen the inner basin by a metre, the "
        "port authority said, so larger ferries can berth at low tide.</p>"
        "<p>Moorings will move to the outer pontoon while the work goes on.</p>"
        "</article></body></html>"
    )
    (story,) = message_stories(newsletter(html).as_bytes())
    assert story.title == "Dredging starts at the inner basin"
    assert story.published == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_without_a_list_id_the_sender_identifies_the_newsletter() -> None:
    mail = read_message(newsletter(list_id=None, sender="alerts@tides.example").as_bytes())
    assert mail.origin == "mail:alerts@tides.example"
    assert mail.from_name is None
    assert all(s.source in (None, "Coastal Herald") for s in message_stories(mail))


def test_a_message_without_message_id_leaves_duplicates_to_the_content() -> None:
    message = newsletter()
    del message["Message-ID"]
    assert all(s.guid is None for s in message_stories(message.as_bytes()))


def test_a_single_story_message_has_the_message_id_as_guid() -> None:
    message = newsletter(LETTER_HTML, message_id="<m1@mail.example>")
    (story,) = message_stories(message.as_bytes())
    assert story.guid == "<m1@mail.example>"


def test_encoded_word_headers_and_raw_8bit_headers_are_decoded() -> None:
    raw = (
        b"From: =?iso-8859-1?q?Caf=E9_du_Port?= <cafe@port.example>\r\n"
        b"To: reader@example.org\r\n"
        b"Subject: =?utf-8?q?Caf=C3=A9_notes_=E2=80=94_week_49?=\r\n"
        b"Date: Wed, 02 Dec 2026 08:00:00 -0000\r\n"
        b"List-Id: =?utf-8?q?Caf=C3=A9?= <cafe.port.example>\r\n"
        b"Message-ID: <w49@port.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"The terrace reopens on Friday.\r\n"
    )
    mail = read_message(raw)
    assert mail.subject == "Café notes — week 49"
    assert mail.from_name == "Café du Port"
    assert (mail.list_id, mail.list_name) == ("cafe.port.example", "Café")
    assert mail.date == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # -0000: UTC, zone unknown

    raw_8bit = raw.replace(
        b"=?utf-8?q?Caf=C3=A9_notes_=E2=80=94_week_49?=", "Café notes".encode("cp1252")
    ).replace(b"=?iso-8859-1?q?Caf=E9_du_Port?=", "Café du Port".encode())
    mail = read_message(raw_8bit)
    assert mail.subject == "Café notes"
    assert mail.from_name == "Café du Port"


def test_utf8_mislabelled_in_an_encoded_word_is_mended() -> None:
    raw = (
        b"From: news@port.example\r\nSubject: =?iso-8859-1?q?Caf=C3=A9_notes?=\r\n"
        b"Content-Type: text/plain\r\n\r\nHello.\r\n"
    )
    assert read_message(raw).subject == "Café notes"


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("iso-8859-1", "Café owners cheer — “finally”".encode()),  # UTF-8 labelled Latin-1
        (None, "Café owners cheer “finally”".encode("cp1252")),  # no charset at all
        ("x-no-such-charset", "Café owners cheer “finally”".encode("cp1252")),
        ("utf-8", "Café owners cheer “finally”".encode("cp1252")),  # Western labelled UTF-8
    ],
)
def test_wrong_or_missing_charsets_fall_back_sensibly(declared: str | None, body: bytes) -> None:
    charset = f"; charset={declared}" if declared else ""
    raw = (
        b"From: Port Desk <desk@port.example>\r\nSubject: Cafe owners\r\n"
        b"MIME-Version: 1.0\r\n"
        + f"Content-Type: text/html{charset}\r\n".encode()
        + b"Content-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>"
        + body
        + b" as the terrace reopens for the winter season on Friday.</p></body></html>\r\n"
    )
    (story,) = message_stories(raw)
    assert canonical_text(story.sections).startswith("Café owners cheer")
    assert "“finally”" in canonical_text(story.sections)
    assert story.title == "Cafe owners"


def test_multipart_related_html_keeps_no_cid_image_and_fetches_nothing() -> None:
    html = (
        "<html><body><h2>Catch figures for November</h2>"
        '<p><img src="cid:CID" alt="Chart of the catch"></p>'
        "<p>Boats landed a fifth more mackerel than a year ago, the harbour master's "
        'figures show. <img src="https://tracker.example/open.gif" width="1" height="1"></p>'
        "</body></html>"
    )
    message = with_inline_image(newsletter(None, text="Catch figures.\n"), html)
    assert message.get_body(("html",)) is not None
    (story,) = message_stories(message.as_bytes())
    assert story.title == "Catch figures for November"
    assert "cid:" not in story.html
    assert "tracker.example" not in story.html
    assert story.image_url is None or story.image_url.startswith("https://")


def test_a_mixed_message_reads_its_body_not_its_attachment() -> None:
    message = newsletter()
    message.add_attachment(
        b"%PDF-1.4 invented", maintype="application", subtype="pdf", filename="rates.pdf"
    )
    assert message.get_content_type() == "multipart/mixed"
    assert [s.title for s in message_stories(message.as_bytes())] == DIGEST_TITLES


def test_a_plain_text_message_is_one_story_titled_by_its_subject() -> None:
    message = newsletter(None, text=PLAIN_LETTER, subject="Winter dinner", list_id=None)
    (story,) = message_stories(message.as_bytes())
    assert story.title == "Winter dinner"
    assert story.sections[0].paragraphs == (
        "Hello Ana,",
        "the boat club's winter dinner is on the 12th, at the usual place. Tickets are £18 and "
        "the kitchen closes at nine.",
        "See you there.",
    )
    assert "Boat club secretary" not in story.html  # the signature is not the story


def test_a_personal_html_letter_is_titled_by_its_subject_not_its_first_words() -> None:
    (story,) = message_stories(newsletter(LETTER_HTML, subject="Thursday meeting").as_bytes())
    assert story.title == "Thursday meeting"
    assert canonical_text(story.sections).startswith("Hello Ana, the harbour committee")


def test_html_without_stories_falls_back_to_the_text_part() -> None:
    html = '<html><body><table><tr><td>&nbsp;</td></tr></table><img src="cid:x"></body></html>'
    (story,) = message_stories(newsletter(html, text="Rates go up in March.\n").as_bytes())
    assert story.title == "Harbour Notes: ferry fares go up"
    assert canonical_text(story.sections) == "Rates go up in March."


def test_a_message_without_subject_is_titled_no_subject() -> None:
    message = newsletter(None, text="Just a note.\n")
    del message["Subject"]
    assert [s.title for s in message_stories(message.as_bytes())] == [NO_SUBJECT]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty message"),
        (b"  \r\n", "empty message"),
        (b"From: a@b.example\r\nSubject: nothing\r\n\r\n", "no readable body"),
        (b"From: a@b.example\r\nContent-Type: image/png\r\n\r\n\x89PNG", "no readable body"),
    ],
)
def test_an_empty_or_unreadable_message_fails_in_one_line(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        message_stories(raw)
    assert str(caught.value) == reason


def test_only_an_attachment_is_no_readable_body() -> None:
    message = EmailMessage()
    message["From"] = "scanner@office.example"
    message["Subject"] = "Scan"
    message.add_attachment(bytes(range(256)), maintype="application", subtype="octet-stream")
    with pytest.raises(ParseError, match=r"^no readable body$"):
        message_stories(message.as_bytes())


def test_mail_and_mbox_are_told_by_their_first_bytes() -> None:
    eml = newsletter().as_bytes()
    assert looks_like_mail(eml)
    assert looks_like_mail(b"Received: from x\r\n  by y\r\nFrom: a@b\r\nSubject: s\r\n\r\nhi")
    assert not looks_like_mail(b"Subject: a note about mail\n\nno sender line")
    assert not looks_like_mail(b"# From: the archive\n\nText.")
    assert not looks_like_mail(b"<html><body>From: us</body></html>")
    assert not looks_like_mail(b"From the river to the sea, the barges ran late.\n")
    assert looks_like_mbox(b"From hello@harbour.example Tue Dec  1 06:30:00 2026\n" + eml)
    assert not looks_like_mbox(eml)
    assert not looks_like_mbox(b"From the river to the sea.\nThe barges ran late.\n")


def test_dates_are_always_aware() -> None:
    unknown_zone = read_message(newsletter(date="Tue, 01 Dec 2026 06:30:00 -0000").as_bytes())
    assert unknown_zone.date == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    india = read_message(newsletter(date="Tue, 01 Dec 2026 06:30:00 +0530").as_bytes())
    assert india.date is not None
    assert india.date.utcoffset() == timedelta(hours=5, minutes=30)
    assert read_message(newsletter(date="the day after Tuesday").as_bytes()).date is None


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=600)
    | st.builds(
        lambda head, body: head + b"\r\n\r\n" + body,
        st.sampled_from(
            [
                b"From: a@b.example\r\nContent-Type: text/html; charset=x-bogus",
                b"From: =?utf-8?q?=FF=FE?= <>\r\nSubject: =?koi8-r?b?!!?=\r\nDate: 99 Foo",
                b"Content-Type: multipart/alternative; boundary=zz\r\nList-Id: <<>>",
                b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64",
                b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable",
            ]
        ),
        st.binary(max_size=400),
    )
)
def test_any_bytes_give_stories_or_a_one_line_parse_error(raw: bytes) -> None:
    try:
        stories = message_stories(raw)
    except ParseError as err:
        assert "\n" not in str(err)
    else:
        assert stories and all(s.title for s in stories)


def test_control_characters_in_headers_are_dropped() -> None:
    raw = b"From: Desk\x01 <desk@port.example>\r\nSubject: Tides\x00 today\r\n\r\nHigh water.\r\n"
    mail = read_message(raw)
    assert (mail.subject, mail.from_name) == ("Tides today", "Desk")


def test_a_body_that_says_base64_but_is_not_is_no_readable_body() -> None:
    raw = (
        b"From: Harbor Brief <news@harbor.example>\r\n"
        b"Subject: Broken\r\n"
        b"Message-ID: <broken@harbor.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"!!!!not base64 at all $$$$\r\n"
    )
    with pytest.raises(ParseError, match="no readable body"):
        message_stories(raw)
