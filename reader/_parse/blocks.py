"""The flat block stream every reader (HTML, Markdown, plain text) produces, and the pattern
rules shared by all of them: labels, headlines, sources, page furniture and boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from reader._parse.text import normalize_text


class Kind(Enum):
    PARA = "para"
    BULLET = "bullet"
    HEADING = "heading"
    MORE = "more"  # a "Read more" link: page furniture, never text
    RULE = "rule"  # a horizontal rule: only ever a boundary
    ROW = "row"  # one row of a data table; ``cells`` holds its cells
    AD = "ad"  # a sponsor marker ("Presented by …"): never text, marks an ad's unit


class Strength(Enum):
    """How sure a label is: marked in the markup, a well-known phrase, or only its shape."""

    MARKED = "marked"
    KNOWN = "known"
    SHAPE = "shape"


TEXT_KINDS = (Kind.PARA, Kind.HEADING, Kind.BULLET)
"""The kinds of block that hold words a reader reads."""


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of inline text with one formatting; ``text`` is raw, not normalized."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    size: float = 0.0


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, bullet, heading, rule or "more" link. ``text`` is normalized.

    ``quote`` marks a block inside a block quote; ``ordered`` a bullet of a numbered list.
    ``size`` is the largest font size its markup asks for (in px, 0 when none); ``boxes``
    the ids of the layout containers (cells, divs, tables) it sits in, outermost first, so
    a block's neighbours in one e-mail module can be told from the rest of the page.
    """

    kind: Kind
    text: str
    level: int = 0
    runs: tuple[Run, ...] = ()
    href: str | None = None
    quote: bool = False
    ordered: bool = False
    size: float = 0.0
    boxes: tuple[int, ...] = ()
    cells: tuple[str, ...] = ()
    header: bool = False

    @property
    def all_bold(self) -> bool:
        return bool(self.runs) and all(r.bold for r in self.runs if r.text.strip())

    @property
    def lead_bold(self) -> str:
        """The normalized text of the bold runs that open the block."""
        parts: list[str] = []
        for run in self.runs:
            if run.bold:
                parts.append(run.text)
            elif run.text.strip():
                break
            else:
                parts.append(run.text)
        return normalize_text("".join(parts))

    @property
    def first_href(self) -> str | None:
        return next((r.href for r in self.runs if r.href), None)

    @property
    def all_linked(self) -> bool:
        """Every visible run is one link: a linked headline, a "related" line, a button."""
        visible = [r for r in self.runs if r.text.strip()]
        return bool(visible) and len({r.href for r in visible}) == 1 and visible[0].href is not None


@dataclass(frozen=True, slots=True)
class Label:
    label: str
    rest: str
    strength: Strength


HEADLINE_LEVEL = 7  # bold-only paragraphs and plain-text headline lines rank below <h6>
_MAX_LABEL_WORDS = 8
_MAX_HEADLINE_WORDS = 20
_TERMINATORS = (":", "…", "...")

_KNOWN_LABELS = re.compile(
    r"^(?:why it matters|the big picture|driving the news|between the lines|what to watch"
    r"|go deeper|yes, but|by the numbers|zoom in|zoom out|the bottom line|state of play"
    r"|what they['’]re saying|what['’]s next|reality check|catch up quick|the other side"
    r"|flashback|the latest)(?:\s*(?::|…|\.\.\.))",
    re.I,
)
_SHAPE_LABEL = re.compile(
    r"^(?P<label>[^\s.!?;:“”\"()\[\]…][^.!?;:“”\"()\[\]…]*?\s*(?::|…|\.\.\.))(?=\s|$)"
)
_SOURCE = re.compile(r"\((?P<inner>[^()]{2,100})\)\s*[.!?]?\s*$")
_MAX_SOURCE_WORDS = 6
# A link digest's note of what a link leads to, in the parenthesis a source would take.
_NOT_OUTLET = re.compile(
    r"\b(?:repo|repository|website|site|pdf|video|podcast|thread|tool|app|paper|slides"
    r"|docs|documentation|demo|newsletter|sponsor|sponsored|read|minutes?|min)\b",
    re.I,
)
_MAX_QUALIFIER_WORDS = 4
_NAME_PARTICLES = frozenset(
    {"the", "of", "and", "&", "de", "du", "des", "la", "le", "les", "der", "die", "das", "el",
     "los", "las", "y", "e", "di", "del", "am", "an", "on", "for", "für", "in"}
)  # fmt: skip
_OUTLET_WORDS = frozenset(
    {"times", "post", "journal", "news", "reuters", "bloomberg", "ap", "afp", "guardian",
     "ft", "economist", "axios", "politico", "cnn", "bbc", "npr", "wire", "herald",
     "tribune", "gazette", "observer", "courier", "ledger", "chronicle", "daily", "weekly",
     "magazine", "review", "insider", "telegraph", "press", "report", "monitor", "globe",
     "independent", "standard", "agency", "wsj", "nyt", "cnbc", "verge", "wired",
     "techcrunch", "semafor", "atlantic", "yorker", "street", "register", "star", "sun",
     "mail", "express", "mirror", "examiner", "bulletin", "dispatch", "inquirer", "radio",
     "tv", "television", "media", "online", "digest", "newsletter", "blog", "substack",
     "zeitung", "spiegel", "monde", "figaro", "país", "handelsblatt", "nikkei", "xinhua"}
)  # fmt: skip
_NAME = r"(?P<name>(?:The\s+)?[A-Z][\w&.'’$-]*(?:\s+(?:of\s+|the\s+|&\s+)?[A-Z][\w&.'’-]*){0,4})"
# "— WSJ's Jane Doe": the outlet before a reporter's name, at the end of the lead.
_REPORTER_SOURCE = re.compile(
    r"[—–]\s*" + _NAME + r"['’]s\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}\s*[.!?]?\s*$"
)
_VIA_SOURCE = re.compile(r"\b(?:via|per|h/t)\s+" + _NAME + r"\s*[.!?)]?\s*$")
_ACCORDING_SOURCE = re.compile(r"\b[Aa]ccording to\s+" + _NAME + r"(?=[\s,.;:!?)]|$)")
_BRACKET_SOURCE = re.compile(r"\[(?P<name>[A-Z][\w&.'’ -]{0,30})\]\s*[.!?]?\s*$")
_INLINE_SOURCES = (_REPORTER_SOURCE, _VIA_SOURCE, _ACCORDING_SOURCE, _BRACKET_SOURCE)
_FURNITURE = re.compile(
    r"^(?:view more|read more|read the full (?:story|article|piece|report)|continue reading"
    r"|keep reading|full story|read on|seguir leyendo|leer m[aá]s|lire la suite|en lire plus"
    r"|weiterlesen|mehr lesen|zum artikel|continua a leggere|leia mais)\b(?P<tail>.*)$",
    re.I,
)
_URL = re.compile(r"https?://\S+")
_BULLET_MARKS = "•◦▪‣·"


def word_count(text: str) -> int:
    return len(text.split())


def _ends_like_label(text: str) -> bool:
    return text.endswith(_TERMINATORS) and 0 < word_count(text) <= _MAX_LABEL_WORDS + 1


def find_label(block: Block) -> Label | None:
    """The label that opens a paragraph ("Why it matters:"), and the text after it."""
    if block.kind is not Kind.PARA:
        return None
    text = block.text
    bold = block.lead_bold
    if bold and text.startswith(bold) and word_count(bold) <= _MAX_LABEL_WORDS + 1:
        after = text[len(bold) :]
        if bold.endswith(_TERMINATORS):
            return Label(bold, after.strip(), Strength.MARKED)
        if after.startswith(":"):
            return Label(bold + ":", after[1:].strip(), Strength.MARKED)
        if bold.lower() == "go deeper":
            return Label(bold, after.strip(), Strength.MARKED)
    known = _KNOWN_LABELS.match(text)
    if known:
        return Label(known.group(0), text[known.end() :].strip(), Strength.KNOWN)
    if text.lower() == "go deeper":
        return Label(text, "", Strength.KNOWN)
    shape = _SHAPE_LABEL.match(text)
    if shape and shape.group("label")[0].isupper():
        label = shape.group("label")
        if word_count(label.rstrip(":.… ")) <= _MAX_LABEL_WORDS:
            return Label(label, text[shape.end() :].strip(), Strength.SHAPE)
    return None


def is_known_label(text: str) -> bool:
    """One of the labels digests share ("Why it matters:", "The big picture:")."""
    return _KNOWN_LABELS.match(text) is not None


def headline_level(block: Block) -> int | None:
    """The rank of a block that could open a story: its heading level, or HEADLINE_LEVEL for
    a short all-bold paragraph. Label-shaped lines ("What to watch:") are never headlines."""
    if _ends_like_label(block.text) or is_furniture(block.text):
        return None
    if block.kind is Kind.HEADING:
        return block.level
    if block.kind is Kind.PARA and block.all_bold and word_count(block.text) <= _MAX_HEADLINE_WORDS:
        return HEADLINE_LEVEL
    return None


def find_source(lead: str) -> tuple[str, str | None] | None:
    """The publication a lead names, and what qualifies it: a trailing parenthesis
    ("… (The New York Times, subscription)." -> ("The New York Times", "subscription")),
    "— WSJ's Jane Doe", "via Bloomberg", "per Reuters", "according to The Times", "[FT]".
    A parenthesis that reads as a sentence ("(The name comes from Java.)") is an aside."""
    match = _SOURCE.search(lead)
    if match:
        inner = match.group("inner").strip()
        if inner.endswith((".", "!", "?", "…")) or ";" in inner:
            return None
        name, _, qualifier = inner.partition(",")
        name, qualifier = normalize_text(name), normalize_text(qualifier)
        if not _names_outlet(name) or word_count(qualifier) > _MAX_QUALIFIER_WORDS:
            return None
        if _NOT_OUTLET.search(name):
            return None  # "(GitHub Repo)", "(Website)", "(PDF)": what the link is
        return name, qualifier or None
    for pattern in _INLINE_SOURCES:
        found = pattern.search(lead)
        if found:
            name = normalize_text(found.group("name")).rstrip(".")
            if _names_outlet(name) and (
                pattern is _BRACKET_SOURCE or _outlet_shaped(name) or word_count(name) == 1
            ):
                return name, None
    return None


def _names_outlet(name: str) -> bool:
    """A short name in title case or capitals: "Reuters", "The Wall Street Journal", "FT"."""
    words = name.split()
    if not words or len(words) > _MAX_SOURCE_WORDS or name.isdigit():
        return False
    if not (name[0].isupper() or name[0].isdigit()):
        return False
    content = [w for w in words if w.casefold() not in _NAME_PARTICLES]
    capitalized = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit() or w[:1] in "&$")
    return capitalized * 10 >= len(content) * 8


def _outlet_shaped(name: str) -> bool:
    """A name that says it is a publication: "The …", an acronym, or an outlet word."""
    words = name.split()
    return (
        words[0] == "The"
        or (len(words) == 1 and name.isupper())
        or any(w.strip(".,'’s").casefold() in _OUTLET_WORDS for w in words)
    )


def is_furniture(text: str) -> bool:
    """A "View More" / "Read the full story" line: navigation, not story text."""
    match = _FURNITURE.match(text)
    return match is not None and word_count(match.group("tail")) <= 5


def furniture_url(text: str) -> str | None:
    """The URL a plain-text furniture line spells out ("Read more: https://…"), if any."""
    match = _URL.search(text)
    return match.group(0) if match else None


def strip_bullet(text: str) -> str | None:
    """The item text if ``text`` opens with a bullet mark, else None."""
    if text[:1] in _BULLET_MARKS:
        return text[1:].strip()
    return None
