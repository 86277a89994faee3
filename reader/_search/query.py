"""The query language: Whoosh's parser configured for our fields, plus the checks Whoosh leaves
out, so a mistyped query is reported instead of silently searching for something else."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from whoosh import qparser, query
from whoosh.qparser.dateparse import DateParseError, DateParserPlugin, DateRangeNode
from whoosh.util.times import TimeError, adatetime, timespan

from reader._search.schema import ALL_TEXT, DEFAULT_FIELDS, FIELD_ALIASES, KINDS, QUERY_FIELDS
from reader.errors import InvalidQueryError
from reader.model import Color

# Curly quotes typed by a word processor or a phone keyboard mean the same as straight ones.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})
_ISO_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_TICK = timedelta(microseconds=1)
_COLORS = frozenset(color.value for color in Color)
_DATE_HINT = "use 2025, 2025-03, 2025-03-31 or words like 'yesterday'"
MAX_QUERY_CHARS = 2000
MAX_DEPTH = 32
"""How deep parentheses and brackets may nest; Whoosh's parser recurses once per level."""
MAX_EXPANSION = 2000
"""How many indexed words one wildcard, prefix or range may stand for."""
_DOUBLE_NOT = re.compile(r"\bNOT\s+NOT\s+")
_MULTI_TERM = (query.PatternQuery, query.TermRange, query.FuzzyTerm)


class QueryParser:
    """Turns a query string into a Whoosh query, or raises :class:`InvalidQueryError`."""

    def __init__(self, schema: Any) -> None:
        parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema)
        # Keep unknown field names as fields (Whoosh's default turns "foo:bar" back into words)
        # so they can be reported; a field name must start with a letter, so "10:30" stays text.
        parser.replace_plugin(
            qparser.FieldsPlugin(expr=r"(?P<text>[A-Za-z_]\w*|[*]):", remove_unknown=False)
        )
        parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        parser.add_plugin(qparser.GtLtPlugin())
        parser.add_plugin(_IsoDateParserPlugin())
        self._parser = parser

    def parse(self, text: str, color_names: Mapping[str, str] | None = None) -> Any:
        """``color_names`` maps codebook names to colours, so ``color:risk`` means the colour
        the analyst calls "risk"; names compare without case."""
        text = text.translate(_QUOTES)
        if not text.strip():
            raise InvalidQueryError("empty query")
        if len(text) > MAX_QUERY_CHARS:
            raise InvalidQueryError(
                f"the query is too long ({len(text):,} characters; the limit is "
                f"{MAX_QUERY_CHARS:,})"
            )
        _check_balanced(text)
        # NOT NOT x is x; Whoosh's parser fails on it with an IndexError.
        while _DOUBLE_NOT.search(text):
            text = _DOUBLE_NOT.sub("", text)
        # Not normalized yet: normalizing drops the null queries Whoosh uses to mark errors.
        try:
            parsed = self._parser.parse(text, normalize=False)
        except (IndexError, RecursionError):
            raise InvalidQueryError("cannot parse the query") from None
        for node in _walk(parsed):
            _check_node(node)
        names = {name.casefold(): color for name, color in (color_names or {}).items()}
        parsed = _resolve_colors(parsed, names)
        normalized = parsed.normalize()
        if normalized is query.NullQuery or isinstance(normalized, query.qcore._NullQuery):
            raise InvalidQueryError(f"nothing to search for in {_clipped(text.strip())}")
        return normalized


@dataclass(frozen=True, slots=True)
class MatchTerms:
    """The index words a query can match (prefixes expanded, as the analyzer spells them), by
    where a hit shows them: ``text`` are asked of the whole text (an unqualified word, ``body:``,
    ``text:``) and are marked wherever a hit's text is shown; ``title`` and ``source`` were asked
    only of that field and are marked there alone, never in a highlight's or a note's text."""

    text: frozenset[str] = frozenset()
    title: frozenset[str] = frozenset()
    source: frozenset[str] = frozenset()


def matchable_terms(parsed: Any, reader: Any) -> MatchTerms:
    """The words ``parsed`` can match in ``reader``'s index, by field (see :class:`MatchTerms`);
    words asked only of a field no hit shows (``label:``, ``tag:``) are left out."""
    # Not Query.existing_terms(): in whoosh-reloaded it skips every field after the first.
    found: dict[str, set[str]] = {ALL_TEXT: set(), "title": set(), "source": set()}
    for leaf in parsed.leaves():
        words = found.get(leaf.field())
        if words is None:
            continue
        for _field, text in leaf.expanded_terms(reader, phrases=True):
            words.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
    return MatchTerms(
        frozenset(found[ALL_TEXT]), frozenset(found["title"]), frozenset(found["source"])
    )


def check_expansion(parsed: Any, reader: Any) -> None:
    """Refuse a wildcard, prefix or range that stands for more than :data:`MAX_EXPANSION`
    indexed words: scoring them all takes seconds and finds everything."""
    for node in _walk(parsed):
        if isinstance(node, _MULTI_TERM):
            words = node._btexts(reader)
            count = sum(1 for _ in zip(range(MAX_EXPANSION + 1), words, strict=False))
            if count > MAX_EXPANSION:
                raise InvalidQueryError(
                    f"{_shown(node)} stands for more than {MAX_EXPANSION:,} words; "
                    "make it longer or narrower"
                )


def _shown(node: Any) -> str:
    return _clipped(str(node))


def _clipped(text: str, width: int = 60) -> str:
    """``text`` quoted for a one-line message, cut short if long."""
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def _check_balanced(text: str) -> None:
    parens = brackets = depth = 0
    in_phrase = False
    for char in text:
        if char == '"':
            in_phrase = not in_phrase
        elif in_phrase:
            continue
        elif char == "(":
            parens += 1
            depth = max(depth, parens + brackets)
        elif char == ")":
            parens -= 1
            if parens < 0:
                raise InvalidQueryError("unbalanced parentheses: ')' without '('")
        elif char in "[{":
            brackets += 1
            depth = max(depth, parens + brackets)
        elif char in "]}":
            brackets -= 1
            if brackets < 0:
                raise InvalidQueryError("unbalanced brackets: ']' without '['")
    if depth > MAX_DEPTH:
        raise InvalidQueryError(f"the query nests {depth} levels deep (the limit is {MAX_DEPTH})")
    if in_phrase:
        raise InvalidQueryError('unbalanced quotes: a phrase is missing its closing "')
    if parens:
        raise InvalidQueryError("unbalanced parentheses: '(' without ')'")
    if brackets:
        raise InvalidQueryError("unbalanced brackets: '[' without ']'")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in node.children():
        yield from _walk(child)


def _check_node(node: Any) -> None:
    error = getattr(node, "error", None)
    if error:
        raise InvalidQueryError(f"cannot parse query near {str(error)!r}")
    fieldname = getattr(node, "fieldname", None)
    # ALL_TEXT is where an unqualified word goes; a query cannot name it.
    if fieldname is None or fieldname == ALL_TEXT:
        return
    if fieldname not in QUERY_FIELDS:
        known = "title, body, source, tag, label, kind, color, date, fetched"
        raise InvalidQueryError(f"unknown field {fieldname!r} (fields: {known})")
    if isinstance(node, query.Term) and fieldname == "kind" and node.text not in KINDS:
        raise InvalidQueryError(f"unknown kind {node.text!r} (kinds: {', '.join(KINDS)})")


def _resolve_colors(node: Any, names: Mapping[str, str]) -> Any:
    """The query with every ``color:`` term naming a colour: a codebook name becomes its
    colour; anything else is an error listing the colours and names there are."""
    if isinstance(node, query.Phrase) and node.fieldname == "color" and len(node.words) == 1:
        # color:"open question": one ID token, parsed as a phrase of one word.
        node = query.Term("color", node.words[0], boost=node.boost)
    if not (isinstance(node, query.Term) and node.fieldname == "color"):
        return node.apply(lambda child: _resolve_colors(child, names))
    text = str(node.text).casefold()
    if text in _COLORS:
        return node
    if text in names:
        return query.Term("color", names[text], boost=node.boost)
    colors = ", ".join(sorted(_COLORS))
    known = f"; names: {', '.join(sorted(names))}" if names else ""
    raise InvalidQueryError(f"unknown color {node.text!r} (colors: {colors}{known})")


class _IsoDateParserPlugin(DateParserPlugin):  # type: ignore[misc]
    """Whoosh's date plugin, reading ISO dates ("2025-03-31"), which its English parser does
    not, and honouring exclusive bounds, so ``date:>2025-01-01`` starts on January 2."""

    def text_to_dt(self, node: Any) -> Any:
        start, end = self._span(node.text)
        return _range_node(node, start, end)

    def range_to_dt(self, node: Any) -> Any:
        start = end = None
        if node.start and node.start.strip():
            first, last = self._span(node.start)
            start = last + _TICK if node.startexcl else first
        if node.end and node.end.strip():
            first, last = self._span(node.end)
            end = first - _TICK if node.endexcl else last
        return _range_node(node, start, end)

    def _span(self, text: str) -> tuple[datetime, datetime]:
        """The first and last instant ``text`` names: "2025-03" is all of March 2025."""
        text = text.strip()
        match = _ISO_DATE.fullmatch(text)
        try:
            if match:
                year, month, day = (int(part) if part else None for part in match.groups())
                return _floor(adatetime(year, month, day)), _ceil(adatetime(year, month, day))
            # Naive UTC, like the indexed values.
            basedate = datetime.now(UTC).replace(tzinfo=None)
            parsed = self.dateparser.date_from(text, basedate)
            if parsed is not None:
                return _bounds(parsed, basedate)
        except (ValueError, ArithmeticError, TimeError, DateParseError) as err:
            raise InvalidQueryError(f"cannot read the date {text!r}: {err}") from None
        raise InvalidQueryError(f"cannot read the date {text!r} ({_DATE_HINT})")


def _floor(value: Any) -> datetime:
    return value if isinstance(value, datetime) else value.floor()


def _ceil(value: Any) -> datetime:
    return value if isinstance(value, datetime) else value.ceil()


def _bounds(parsed: Any, basedate: datetime) -> tuple[datetime, datetime]:
    if isinstance(parsed, datetime):
        return parsed, parsed
    span = parsed.disambiguated(basedate)
    if isinstance(span, timespan):
        return _floor(span.start), _ceil(span.end)
    return _floor(span), _ceil(span)


def _range_node(node: Any, start: datetime | None, end: datetime | None) -> Any:
    result = DateRangeNode(node.fieldname, start, end, boost=node.boost)
    result.startchar = node.startchar
    result.endchar = node.endchar
    return result
