"""The colour codebook: what the analyst says each highlight colour means ("pink" = "risk").

A name stands for exactly one colour, so it can be searched (``color:risk``) and read back from
an export; it may not be another colour's own name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlite_utils import Database

from reader.errors import CodebookError
from reader.model import CodebookEntry, Color

MAX_NAME = 40
# Letters and digits of any script, spaces and a few joiners: every name can then be typed in
# a query, quoted when it has a space (``color:"open question"``).
_NAME = re.compile(r"[^\W_](?:[\w '&./-]*[^\W_])?")


def entries(db: Database) -> list[CodebookEntry]:
    """The named colours, in the order of :class:`Color`."""
    rows = {
        str(color): (str(name), str(description))
        for color, name, description in db.execute(
            "SELECT color, name, description FROM codebook WHERE name != ''"
        ).fetchall()
    }
    return [CodebookEntry(color, *rows[color.value]) for color in Color if color.value in rows]


def names(db: Database) -> dict[str, Color]:
    """Each name, case-folded, with the colour it stands for."""
    return {entry.name.casefold(): entry.color for entry in entries(db)}


def check_name(name: str) -> str:
    """The name stripped of outer spaces; CodebookError if it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise CodebookError("a codebook name cannot be empty")
    if len(name) > MAX_NAME:
        raise CodebookError(f"a codebook name has at most {MAX_NAME} characters: {name!r}")
    if not _NAME.fullmatch(name):
        raise CodebookError(
            f"a codebook name is letters, digits, spaces and - _ ' & . / inside: {name!r}"
        )
    return name


def set_entry(db: Database, color: Color, name: str, description: str = "") -> CodebookEntry:
    name = check_name(name)
    folded = name.casefold()
    other_colour = next((c for c in Color if c.value == folded and c != color), None)
    if other_colour is not None:
        raise CodebookError(f"{name!r} is the name of another colour; choose another name")
    for entry in entries(db):
        if entry.color != color and entry.name.casefold() == folded:
            raise CodebookError(f"{entry.color.value} is already called {entry.name!r}")
    description = description.strip()
    db.execute(
        "INSERT INTO codebook (color, name, description) VALUES (?, ?, ?)"
        " ON CONFLICT (color) DO UPDATE SET name = excluded.name,"
        " description = excluded.description",
        [color.value, name, description],
    )
    return CodebookEntry(color, name, description)


def clear(db: Database, color: Color) -> bool:
    """Forget what ``color`` means; False when it had no name."""
    return db.execute("DELETE FROM codebook WHERE color = ?", [color.value]).rowcount > 0


def merge(db: Database, incoming: Iterable[CodebookEntry]) -> list[str]:
    """Name the colours that have no name yet; returns why any entry was left out.

    The archive's own meanings always win: an import never renames a colour.
    """
    skipped: list[str] = []
    current = {entry.color: entry for entry in entries(db)}
    for entry in incoming:
        mine = current.get(entry.color)
        if mine is not None:
            if mine.name.casefold() != entry.name.casefold():
                skipped.append(
                    f"{entry.color.value} stays {mine.name!r} (the import calls it {entry.name!r})"
                )
            continue
        try:
            current[entry.color] = set_entry(db, entry.color, entry.name, entry.description)
        except CodebookError as err:
            skipped.append(f"{entry.color.value} not named {entry.name!r}: {err}")
    return skipped
