"""The furniture rules leave news alone: sentences that mention sharing, hiring, sponsors or
unsubscribing are text, while the prompts, job lines and markers newsletters carry are not."""

from __future__ import annotations

import pytest

from reader._parse.blocks import Block, Kind, Run
from reader._parse.boilerplate import Marker, Rule, furniture_rule, sponsor_marker

NEWS = [
    "Share prices rose 4% after the earnings report on Tuesday.",
    "Forward guidance from the central bank was left unchanged.",
    "The council, together with the port authority, approved the dredging plan.",
    "Apple is hiring a new chief financial officer from a rival, people familiar with the "
    "talks said.",
    "Rate cuts are coming sooner than expected, traders now bet.",
    "The bill's sponsor said she expects a vote before the recess.",
    "Readers who unsubscribe from the paper's alerts still get the print edition, the "
    "publisher said in a letter to shareholders on Monday.",
    "Follow the money, investigators told the committee, and the scheme falls apart.",
    "Reply times at the agency have doubled since the hiring freeze began in March.",
    "Invite-only auctions drew fewer bidders than the open sales last year.",
    "Photographers lined the route as the procession reached the square.",
    "Vous aimez la pluie, vous allez adorer ce week-end, prévient Météo-France, "
    "qui annonce trois jours d'averses sur tout le littoral atlantique.",
    "The senator told reporters she would send her tips for the budget to the committee "
    "chair before the vote on Thursday.",
]


@pytest.mark.parametrize("text", NEWS)
def test_news_sentences_are_text(text: str) -> None:
    assert furniture_rule(Block(Kind.PARA, text)) is None
    assert sponsor_marker(text) is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("What'd you think of today's email?", Rule.PROMPT),
        ("Share The Build Log", Rule.PROMPT),
        ("Forward this email to a friend", Rule.PROMPT),
        ("Know something we should cover? Just reply.", Rule.PROMPT),
        ("Are you reading this in Gmail?", Rule.BROWSER),
        ("Follow us on LinkedIn", Rule.SOCIAL),
        ("Parcelwise is hiring a senior Rust engineer", Rule.JOBS),
        ("Thanks to Dana Whitcomb for editing today's letter.", Rule.CREDIT),
        ("If you no longer want these emails, please unsubscribe here at any time.", Rule.FOOTER),
        ("BIRTHDAYS: Jane Roe, John Doe and Ana Lima", Rule.SECTION),
        ("Wie gefällt Ihnen die Stadtpost heute?", Rule.PROMPT),
        ("Vous recevez cet e-mail car vous êtes abonné au Point Matin.", Rule.FOOTER),
        ("Low Tide Notes is a reader-supported publication.", Rule.FOOTER),
    ],
)
def test_newsletter_furniture_is_named(text: str, rule: Rule) -> None:
    assert furniture_rule(Block(Kind.PARA, text)) is rule


def test_a_lone_call_to_action_button_is_furniture() -> None:
    button = Block(
        Kind.PARA, "Start a free trial", runs=(Run("Start a free trial", href="https://a.example"),)
    )
    assert furniture_rule(button) is Rule.BUTTON


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("TODAY'S LETTER IS BROUGHT TO YOU BY BRIGHTWELL", Marker.PRESENTER),
        (
            "▪ ▪ TODAY'S LETTER IS BROUGHT TO YOU BY ACME LEDGER ▪ Try it free ▪ ▪ ▪",
            Marker.PRESENTER,
        ),
        ("Together with Northwind Pay", Marker.PRESENTER),
        ("*This is sponsored advertising content.", Marker.LABEL),
        ("SPONSORED", Marker.LABEL),
        ("Acme Cloud: deploys in seconds (Sponsor)", Marker.LABEL),
    ],
)
def test_sponsor_markers_wherever_they_stand(text: str, marker: Marker) -> None:
    assert sponsor_marker(text) is marker
