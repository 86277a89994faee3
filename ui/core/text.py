"""Small text helpers every part of the window shares: counted nouns and dates."""

from __future__ import annotations

from datetime import datetime


def count(n: int, one: str, many: str) -> str:
    """ "1 story", "3 stories"."""
    return f"{n} {one if n == 1 else many}"


def day_date(value: datetime | None) -> str:
    """ "29 Nov 2026" in the user's time zone (no platform-specific strftime flags); the
    same form everywhere a date is shown."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo is not None else value
    return f"{local.day} {local:%b %Y}"
