"""Click-tracking links unwrap to the address they carry, and only then."""

from __future__ import annotations

import pytest

from reader._parse.links import unwrap_tracking


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (
            "https://tracking.tldr.example/CL0/https:%2F%2Fblog.example%2Fpost%3Fa=1/1/0100ab",
            "https://blog.example/post?a=1",
        ),
        (
            "https://x.list-manage.example/track/click?u=1&id=2&url=https%3A%2F%2Fnews.example%2Fa",
            "https://news.example/a",
        ),
        (
            # base64 of https://www.example.com/local/story-one, as Axios and Kit links carry it
            "https://link.mail.example/click/4187.118/aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20vbG9jYWwvc3Rvcnktb25l/6634f0",
            "https://www.example.com/local/story-one",
        ),
        (
            # {"e": "https://example.com"} as base64 JSON, as Substack's redirects carry it
            "https://substack.example/redirect/2/eyJlIjoiaHR0cHM6Ly9leGFtcGxlLmNvbSJ9",
            "https://example.com",
        ),
        (
            "https://redirect.example/out?u=https%3A%2F%2Fr.example%2Fx%3Furl%3Dhttps%253A%252F%252Ffinal.example",
            "https://final.example",
        ),
    ],
)
def test_tracking_links_unwrap_to_their_destination(link: str, target: str) -> None:
    assert unwrap_tracking(link) == target


@pytest.mark.parametrize(
    "link",
    [
        "https://news.example/2026/12/01/story?utm_source=newsletter&utm_medium=email",
        "https://link.mail.beehiiv.example/ss/c/u001.0VGbmZWakp2L0VGbmZ/4ab/h1/xyz",
        "mailto:tips@news.example",
        "https://[broken",
    ],
)
def test_links_without_a_destination_stay_as_they_are(link: str) -> None:
    assert unwrap_tracking(link) == link
