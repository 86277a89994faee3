"""Dates as note files and newsletters write them: ISO 8601, RFC 2822 and the spelled-out
forms of a digest's header ("29 November 2026", "Tuesday, December 1, 2026", "2. Dezember
2026"), read whole or found inside a line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from reader._days import day_start
from reader._parse.article import parse_date

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
    ),
    2: ("february", "feb", "februar", "février", "févr", "fevrier", "febrero", "fevereiro"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco"),
    4: ("april", "apr", "avril", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "settembre"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "ottobre"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "déc",
        "decembre",
        "diciembre",
        "dic",
        "dezembro",
    ),
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
"""Month names and abbreviations (English, German, French, Spanish, Portuguese, Italian)."""

_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|mon|tues|tue|wed|thurs|thu|fri|sat|sun"
    "|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    "|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    "|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
)
_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY = rf"(?:(?:{_WEEKDAYS})\.?,?\s+(?:the\s+)?)?"
_ORDINAL = r"(?:st|nd|rd|th|er|º)?"
_PATTERNS = (
    # 2026-11-29, with an optional time: 2026-11-29T07:30:00Z, 2026-11-29 07:30
    re.compile(
        r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
        r"(?P<time>[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])",
        re.I,
    ),
    # Tuesday, 1 December 2026 · 29 Nov. 2026 · 2. Dezember 2026 · 2 de diciembre de 2026
    re.compile(
        rf"(?<!\w){_WEEKDAY}(?P<d>\d{{1,2}}){_ORDINAL}\.?\s+(?:de\s+|of\s+)?"
        rf"(?P<month>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})(?!\d)",
        re.I,
    ),
    # Tuesday, December 1, 2026 · Dec. 1st, 2026
    re.compile(
        rf"(?<!\w){_WEEKDAY}(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+"
        rf"(?P<y>\d{{4}})(?!\d)",
        re.I,
    ),
    # 29.11.2026 (day first, as everywhere dots are used); 2026/11/29
    re.compile(
        rf"(?<![\d.]){_WEEKDAY}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})(?!\d)", re.I
    ),
    re.compile(r"(?<![\d/])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"),
)
_FILLER = re.compile(r"^[\s,.;:|·•—–\-()\[\]]*$")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a line, and where: ``text[start:end]`` is how the line wrote it."""

    value: datetime
    start: int
    end: int


def find_date(text: str) -> FoundDate | None:
    """The first date written in ``text`` in one of the forms above, or None. A date with no
    time is the start of its day (see :func:`day_start`)."""
    found: list[FoundDate] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _value(match)
            if value is not None:
                found.append(FoundDate(value, match.start(), match.end()))
                break
    return min(found, key=lambda f: (f.start, -f.end)) if found else None


def read_date(text: str) -> datetime | None:
    """``text`` read as a date: ISO 8601, RFC 2822 or a spelled-out date with nothing else
    around it but punctuation; None when it is not one."""
    value = text.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value) is None:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    found = find_date(value)
    if found is None or not _FILLER.match(value[: found.start] + value[found.end :]):
        return None
    return found.value


def _value(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    month = MONTHS.get(groups["month"].casefold()) if groups.get("month") else None
    if month is None:
        month = int(groups["m"])
    try:
        day = date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    if groups.get("time"):
        return parse_date(day.isoformat() + "T" + "".join(groups["time"].split()).lstrip("Tt"))
    return day_start(day)
