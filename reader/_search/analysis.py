"""Text analysis for the index: one analyzer, used both when indexing and when parsing queries,
that folds case and accents, stems English, and splits Chinese, Japanese and Korean into bigrams.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import Stemmer
from whoosh.analysis import KeywordAnalyzer, StopFilter, Tokenizer
from whoosh.analysis.acore import Token

# Scripts written without spaces between words. Runs of these are indexed as overlapping
# character bigrams, so any two-character word inside a sentence can be found without a
# dictionary. The Katakana middle dot (U+30FB) is punctuation and stays out.
_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # 々〆〇, numerals, repeat marks
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff"  # Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\ua960-\ua97f\uac00-\ud7ff"  # Hangul syllables and Jamo extensions
    "\uff66-\uff9f\uffa0-\uffdc"  # half-width Katakana and Hangul
    "\U0001b000-\U0001b16f"  # Kana supplement
    "\U00020000-\U0003134f"  # Han extensions B-H
)

_CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")

# Only the commonest function words: with AND as the default operator, a query for "the strike"
# should not demand "the", but words like "which", "us" or "it" can matter to an analyst.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in", "into", "is"}
    | {"of", "on", "or", "that", "the", "to", "was", "were", "with"}
)


# Between the parts of a document's catch-all text (title, body, source, labels); never part of
# the text itself. The positions jump there, so a phrase never runs from one part into the next.
PART_BREAK = "\x1f"
PART_GAP = 100


@cache
def _token_pattern() -> re.Pattern[str]:
    # Python's \w excludes combining marks, which would split "café" typed in decomposed form
    # and most Indic words; marks may follow any word character. Marks outside the BMP are rare
    # and scanning all of Unicode costs a noticeable fraction of a second at startup.
    marks: list[str] = []
    start = -1
    for cp in range(0x10001):
        is_mark = cp < 0x10000 and unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
        if is_mark and start < 0:
            start = cp
        elif not is_mark and start >= 0:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = -1
    # Written as "letters, then (marks, letters)*" so the common case is one character class.
    word = rf"[^\W{_CJK_RANGES}]+(?:[{''.join(marks)}]+[^\W{_CJK_RANGES}]*)*"
    # Words may contain dots between letters or digits ("3.5", "U.S"), as in Whoosh's default.
    return re.compile(rf"(?P<cjk>[{_CJK_RANGES}]+)|{word}(?:\.{word})*")


# What accent stripping cannot do, since these letters do not decompose: the spellings
# people type without the special letter ("Lodz", "coeur"). Arabic: tatweel, the stretching
# stroke of headlines, goes; alef maksura and teh marbuta take the forms people type for
# them; Arabic-Indic digits become the digits typed on any keyboard. "ß" needs no entry:
# casefold() already makes it "ss", so "Straße", "STRASSE" and "strasse" are one word.
_FOLD_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
    | {"\u0640": None, "\u0649": "\u064a", "\u0629": "\u0647"}
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word: "Café" -> "cafe", "Straße" -> "strasse",
    "řízení" -> "rizeni", "Łódź" -> "lodz"; Arabic loses its vowel marks (harakat) and
    tatweel: "مُحافظ" -> "محافظ".

    Not for CJK: decomposing Kana would drop the voicing marks that tell ガ from カ.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_LETTERS))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


# Snowball's English (Porter2) stemmer, compiled: Whoosh's own port of it took a fifth of a
# worker's time at 1,000 stories, where few words are seen twice. Its own cache is left off:
# word_term caches the whole term. A stemmer object is not safe to share between threads
# (PyStemmer's documentation), and the window stems on its indexer and worker threads at once:
# one each.
_local = threading.local()


def _stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english", 0)
    return str(stemmer.stemWord(word))


# Words whose stems tell stemmer versions apart (Whoosh's port and Snowball 3 disagree on
# most of them), for analysis_stamp.
_STAMP_WORDS = (
    "added",
    "dying",
    "emergency",
    "evening",
    "generously",
    "international",
    "lateral",
    "news",
    "organization",
    "running",
    "skies",
    "succeeded",
    "university",
    "cafe",
)


@cache
def analysis_stamp() -> str:
    """What the index records of its analysis: the stems of a few telling words. An index
    stamped otherwise holds terms that queries would no longer produce, and is rebuilt."""
    stems = " ".join(_stem(word) for word in _STAMP_WORDS)
    return hashlib.sha256(stems.encode()).hexdigest()[:16]


@lru_cache(maxsize=262144)
def word_term(word: str) -> tuple[str, bool]:
    """The index term for a word and whether it is a stop word. The term is folded, then
    Porter2-stemmed unless it holds digits or dots ("3.5" and "u.s" are not English words).
    Cached: news text repeats its vocabulary.

    Words of every language go through the English stemmer: the language of a query word is
    unknown, and stemming the folded form means a word typed with or without its accents
    still gets the same term. The stemmer only strips English suffixes from Latin letters:
    other scripts pass through unchanged, and a French or German word may lose what looks
    like an English suffix ("gouvernement" -> "gouvern"), which joins a few words but never
    parts a word from itself.
    """
    folded = fold(word)
    term = _stem(folded) if folded.isalpha() else folded
    return term, folded in STOP_WORDS


class MixedScriptTokenizer(Tokenizer):  # type: ignore[misc]
    """The whole analyzer in one pass: words from alphabetic scripts become folded, stemmed
    terms without stop words; runs of CJK become overlapping bigrams (a lone character stays
    itself). Fusing the steps, rather than chaining Whoosh filters, halves indexing time.

    With ``tokenize=False`` (prefix and wildcard queries) the value is only folded: stemming
    the "compan" of "compan*" would change the prefix.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        # Whoosh reuses one Token for the whole stream; consumers copy what they keep.
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            text = value if _CJK_CHAR.search(value) else fold(value)
            yield _fill(token, text, value, start_pos, start_char, keeporiginal)
            return
        pos = start_pos
        for match in _token_pattern().finditer(value):
            run = match.group()
            start = start_char + match.start()
            if match.group("cjk") is None:
                term, stop = word_term(run)
                if stop and removestops:
                    continue
                yield _fill(token, term, run, pos, start, keeporiginal)
                pos += 1
            elif len(run) == 1:
                yield _fill(token, run, run, pos, start, keeporiginal)
                pos += 1
            else:
                for i in range(len(run) - 1):
                    pair = run[i : i + 2]
                    yield _fill(token, pair, pair, pos, start + i, keeporiginal)
                    pos += 1


class PartsTokenizer(Tokenizer):  # type: ignore[misc]
    """The catch-all field's analyzer: :class:`MixedScriptTokenizer` over each part of a value
    joined with PART_BREAK, with a gap of positions between parts; the first part (the title)
    weighs ``first_boost`` times as much, as the title field does in a fielded query."""

    def __init__(self, first_boost: float = 1.0) -> None:
        self.first_boost = first_boost
        self._words = MixedScriptTokenizer()

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        **kwargs: Any,
    ) -> Iterator[Any]:
        if not tokenize or PART_BREAK not in value:
            # A query word (never holds a break): analysed exactly as in the other fields.
            yield from self._words(
                value,
                positions,
                chars,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                **kwargs,
            )
            return
        pos, char = start_pos, start_char
        for number, part in enumerate(value.split(PART_BREAK)):
            boost = self.first_boost if number == 0 else 1.0
            for token in self._words(
                part, positions, chars, start_pos=pos, start_char=char, **kwargs
            ):
                token.boost = boost
                pos = token.pos + 1 if positions else pos
                yield token
            pos += PART_GAP
            char += len(part) + len(PART_BREAK)

    def postings(self, value: str) -> dict[str, list[float]]:
        """What indexing ``value`` adds, without a token stream: each term with its weight (the
        sum of its tokens' boosts) followed by its occurrences, flat, as (position, start
        character, end character) triples. The same tokens as :meth:`__call__` with positions
        and characters (tests compare them): a third of the catch-all field's indexing time
        went to Whoosh's token objects and generators."""
        found: dict[str, list[float]] = {}
        pos = char = 0
        pattern = _token_pattern()
        parts = value.split(PART_BREAK)
        for number, part in enumerate(parts):
            # Without a break the value is analysed as one plain part (see __call__).
            boost = self.first_boost if number == 0 and len(parts) > 1 else 1.0
            for match in pattern.finditer(part):
                run = match.group()
                start = char + match.start()
                if match.group("cjk") is None:
                    term, stop = word_term(run)
                    if stop:
                        continue
                    _occur(found, term, boost, pos, start, start + len(run))
                    pos += 1
                elif len(run) == 1:
                    _occur(found, run, boost, pos, start, start + 1)
                    pos += 1
                else:
                    for i in range(len(run) - 1):
                        _occur(found, run[i : i + 2], boost, pos, start + i, start + i + 2)
                        pos += 1
            pos += PART_GAP
            char += len(part) + len(PART_BREAK)
        return found


def _occur(
    found: dict[str, list[float]], term: str, boost: float, pos: int, start: int, end: int
) -> None:
    entry = found.get(term)
    if entry is None:
        found[term] = [boost, pos, start, end]
    else:
        entry[0] += boost
        entry += (pos, start, end)


def _fill(token: Any, text: str, original: str, pos: int, start: int, keeporiginal: bool) -> Any:
    token.text = text
    if keeporiginal:
        token.original = original
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar = start
        token.endchar = start + len(original)
    return token


def text_analyzer() -> Any:
    """The analyzer for every full-text field."""
    return MixedScriptTokenizer()


def all_text_analyzer(title_boost: float) -> Any:
    """The analyzer for the catch-all field of title, body, source and labels."""
    return PartsTokenizer(title_boost)


def tag_analyzer() -> Any:
    """Whole comma-separated tags, lowercased. Stop words are dropped as in text fields, or a
    query word like "the", searched in every default field, would have to be a tag."""
    return KeywordAnalyzer(lowercase=True, commas=True) | StopFilter(STOP_WORDS, minsize=1)
