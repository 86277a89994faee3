"""Newsletter e-mail built the way mailing-list software sends it: multipart/alternative with a
plain-text and an HTML part, List-Id and List-Unsubscribe headers, quoted-printable or base64
bodies in several charsets. All text is invented for these tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

DIGEST_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Harbour Notes</title></head>
<body><table role="presentation" width="100%"><tr><td>
<p><a href="https://news.example/view">View in browser</a></p>
<h2>Ferry fares rise for the first time in six years</h2>
<p>The island ferry will charge £4.20 a crossing from March, up from £3.80, the operator
said on Monday (Coastal Herald).</p>
<p><strong>Why it matters:</strong> Commuters café owners and schools rely on the morning
boat, and the fare is the only one on the route.</p>
<p><a href="https://news.example/ferry-fares">Read more</a></p>
<h2>Net menders open their loft to visitors</h2>
<p>The last net-mending loft on the quay will open on Saturdays — the first time in its
ninety years — so visitors can watch the work.</p>
<p><a href="https://news.example/net-loft">Read more</a></p>
<h2>Tide gauge back online after storm</h2>
<p>The harbour's tide gauge, knocked out by the October storm, is sending readings again
after divers replaced its sensor.</p>
<p>You are receiving this because you subscribed. <a href="https://news.example/u">Unsubscribe</a></p>
</td></tr></table></body></html>
"""

DIGEST_TITLES = [
    "Ferry fares rise for the first time in six years",
    "Net menders open their loft to visitors",
    "Tide gauge back online after storm",
]

LETTER_HTML = """<html><body><div>
<p>Hello Ana, the harbour committee meets on Thursday at seven in the library’s back room;
bring the minutes from last time if you still have them.</p>
<p>Café afterwards, as usual.</p>
</div></body></html>
"""

PLAIN_LETTER = """Hello Ana,

the boat club's winter dinner is on the 12th, at the
usual place. Tickets are £18 and the kitchen closes at nine.

See you there.

-- \nTomás Ferreira
Boat club secretary
"""
"""A letter with a signature after the ``-- `` line (written as an escape: ruff strips the
trailing space a signature separator needs)."""


def newsletter(
    html: str | None = DIGEST_HTML,
    *,
    text: str | None = "Harbour Notes: ferry fares, net menders, the tide gauge.\n",
    subject: str = "Harbour Notes: ferry fares go up",
    sender: str = "Harbour Notes <hello@harbour-notes.example>",
    date: str = "Tue, 01 Dec 2026 06:30:00 +0100",
    list_id: str | None = "Harbour Notes <harbour-notes.list.example>",
    message_id: str | None = None,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
) -> EmailMessage:
    """A newsletter message: the plain-text part first, the HTML part last (the preferred
    alternative, as RFC 2046 orders them)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "reader@example.org"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id or make_msgid(domain="harbour-notes.example")
    if list_id is not None:
        message["List-Id"] = list_id
        message["List-Unsubscribe"] = "<https://news.example/u>, <mailto:leave@news.example>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if text is not None:
        message.set_content(text, charset=charset, cte=cte)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html", charset=charset, cte=cte)
        else:
            message.add_alternative(html, subtype="html", charset=charset, cte=cte)
    return message


def with_inline_image(message: EmailMessage, html: str) -> EmailMessage:
    """``message`` with a multipart/related HTML part that shows a ``cid:`` image."""
    cid = make_msgid(domain="harbour-notes.example")
    message.add_alternative(html.replace("CID", cid[1:-1]), subtype="html")
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(
        b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", cid=cid
    )
    return message
