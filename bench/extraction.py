"""Main-text extraction benchmark: for each fixture article page, the word precision and
recall of each extractor's text against the hand-written expected text, and its time per page.

Candidates that are not installed are skipped. Every extractor gets the same decoded text,
so the table measures extraction, not charset detection.

Usage: python -m bench.extraction [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reader._parse import canonical_text, decode_bytes, parse_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "parse" / "fixtures" / "articles"

# Each Han, Kana or Hangul character counts as a word: those scripts put no spaces between
# words, and a character is the unit the index's bigrams are made of.
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W_]+")

Extractor = Callable[[bytes, str], str]


def ours(data: bytes, text: str) -> str:
    (story,) = parse_bytes(data, filename="page.html")
    return canonical_text(story.sections)


def trafilatura_text(data: bytes, text: str) -> str:
    import trafilatura

    # Markdown output keeps the headings that plain text output drops.
    extracted = trafilatura.extract(
        text, include_comments=False, include_tables=True, include_formatting=True
    )
    return extracted or ""


def readability_text(data: bytes, text: str) -> str:
    from lxml import html as lxml_html
    from readability import Document  # type: ignore[import-untyped,import-not-found,unused-ignore]

    summary = Document(text).summary(html_partial=True)
    root = lxml_html.fromstring(summary)
    # Block elements end a line; without this, text_content() runs paragraphs together.
    for element in root.iter("p", "li", "h1", "h2", "h3", "h4", "blockquote", "div"):
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


CANDIDATES: dict[str, tuple[str | None, Extractor]] = {
    "ours": (None, ours),
    "trafilatura": ("trafilatura", trafilatura_text),
    "readability": ("readability", readability_text),
}


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    ms: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def score(extracted: str, expected: str, ms: float) -> Score:
    got, want = words(extracted), words(expected)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    return Score(precision, recall, ms)


def timed(fn: Callable[[], str], repeat: int) -> tuple[str, float]:
    """The result and the best of ``repeat`` runs in milliseconds."""
    best, result = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best * 1000


def run(repeat: int) -> None:
    available = {
        name: extractor
        for name, (module, extractor) in CANDIDATES.items()
        if module is None or importlib.util.find_spec(module) is not None
    }
    for name in CANDIDATES.keys() - available.keys():
        print(f"{name}: not installed, skipped")
    pages = sorted(FIXTURES.glob("*.html"))
    head = f"{'page':<22}" + "".join(f" {name:>24}" for name in available)
    print(head)
    print(f"{'':<22}" + "".join(f" {'P     R    F1    ms':>24}" for _ in available))
    totals: dict[str, list[Score]] = {name: [] for name in available}
    for page in pages:
        data = page.read_bytes()
        text = decode_bytes(data)
        expected = page.with_name(page.stem + ".expected.txt").read_text(encoding="utf-8")
        row = f"{page.stem:<22}"
        for name, extractor in available.items():
            extracted, ms = timed(partial(extractor, data, text), repeat)
            result = score(extracted, expected, ms)
            totals[name].append(result)
            row += f" {_cell(result):>24}"
        print(row)
    mean = f"{'mean':<22}"
    for scores in totals.values():
        n = len(scores)
        avg = Score(
            sum(s.precision for s in scores) / n,
            sum(s.recall for s in scores) / n,
            sum(s.ms for s in scores) / n,
        )
        mean += f" {_cell(avg):>24}"
    print(mean)


def _cell(s: Score) -> str:
    return f"{s.precision:.2f}  {s.recall:.2f}  {s.f1:.2f} {s.ms:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per page; the best counts")
    args = parser.parse_args()
    run(args.repeat)


if __name__ == "__main__":
    main()
