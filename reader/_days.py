"""Calendar days as moments: shared by the parsers and the archive's ordering of undated
stories, in a module of its own so that the archive (and the indexing workers, which read
documents from it) need not import the parsers."""

from __future__ import annotations

from datetime import date, datetime


def day_start(day: date) -> datetime:
    """A date without a time as the start of that day in the local time zone, so that it
    shows as the same day where it was read (UTC midnight would show as the day before
    west of Greenwich)."""
    return datetime(day.year, day.month, day.day).astimezone()
