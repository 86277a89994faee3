"""Where an undated story goes in a list sorted by date: by when it was added, but below the
stories published on that day, so an import at noon never sits above the morning's news.

An analyst reads the day's dated news first, then what came in that day without a date.
Days are the local calendar's, as the list shows them, and the rule holds whichever way the
list runs. The list's SQL order stays the index's (no sort of the whole list in a temporary
b-tree); this reads the undated stories' added times and, from idx_stories_published, the
stories published on the days that hold an undated one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from reader._days import day_start
from reader._storage.db import encode_time


class _LocalDays:
    """The local day of stored UTC times, which come in list order: a time inside the day
    found last costs two string comparisons, not a time zone conversion."""

    def __init__(self) -> None:
        self._start = self._end = ""
        self._day = date.min

    def __call__(self, stamp: str) -> date:
        if not self._start <= stamp < self._end:
            self._day = datetime.fromisoformat(stamp).astimezone().date()
            start = day_start(self._day)
            self._start = encode_time(start)
            self._end = encode_time(day_start(self._day + timedelta(days=1)))
        return self._day


def undated_after_their_day(db: Database, ids: Sequence[int]) -> list[int]:
    """``ids``, sorted by date (published, else fetched), with each day's undated stories
    moved below that day's dated ones; each part keeps its order. The cost is the undated
    stories and the dated ones of their days, not the list."""
    if db.execute("SELECT 1 FROM stories WHERE published IS NOT NULL LIMIT 1").fetchone() is None:
        return list(ids)  # nothing is dated: the added times are the order
    rows = db.execute(
        "SELECT id, fetched FROM stories WHERE published IS NULL ORDER BY fetched"
    ).fetchall()
    if not rows:
        return list(ids)
    position = {story_id: i for i, story_id in enumerate(ids)}
    local_day = _LocalDays()
    days: dict[date, list[int]] = {}
    for story_id, fetched in rows:
        if story_id in position:
            days.setdefault(local_day(fetched), []).append(story_id)
    out = list(ids)
    for day, undated in days.items():
        start, end = (encode_time(day_start(d)) for d in (day, day + timedelta(days=1)))
        dated = db.execute(
            "SELECT id FROM stories WHERE published >= ? AND published < ?", [start, end]
        )
        dated_slots = sorted(position[row[0]] for row in dated if row[0] in position)
        if not dated_slots:
            continue
        # The day's stories are one run of the list (it is in date order): its slots are
        # filled with the dated stories first, then the undated, each in the list's order.
        undated_slots = sorted(position[story_id] for story_id in undated)
        moved = dated_slots + undated_slots
        for slot, old in zip(sorted(moved), moved, strict=True):
            out[slot] = ids[old]
    return out
