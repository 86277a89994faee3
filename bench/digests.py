"""Scores the digest splitter on our own newsletter corpus: story recall and precision, exact
titles, sources, labels and boilerplate that leaked, per platform and in all.

Usage: python -m bench.digests [--verbose] [--mail] [CORPUS_DIR]

The corpus lives in ``tests/parse/fixtures/newsletters/<platform>/<slug>.html`` with the
stories an analyst expects in ``<slug>.json`` (original text written for this project).
``--mail`` reads every fixture through an e-mail copy of it instead of its bare HTML.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader._parse import canonical_text, parse_bytes
from reader.errors import ReaderError
from reader.model import ParsedStory

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "parse" / "fixtures" / "newsletters"

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NOT_WORD = re.compile(r"[^\w]+")


def key(text: str) -> str:
    """``text`` folded for comparison: case, quotes, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


@dataclass(frozen=True, slots=True)
class Expected:
    title: str
    first_words: str
    source: str | None = None
    labels: tuple[str, ...] = ()
    url: str | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Fixture:
    path: Path
    platform: str
    language: str
    shape: str
    subject: str | None
    sender: str | None
    date: str | None
    stories: tuple[Expected, ...]
    boilerplate: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def load_corpus(root: Path = CORPUS) -> list[Fixture]:
    """Every fixture under ``root`` that has its expectations beside it, in a stable order."""
    fixtures: list[Fixture] = []
    for spec in sorted(root.glob("*/*.json")):
        page = spec.with_suffix(".html")
        if not page.is_file():
            continue
        data = json.loads(spec.read_text(encoding="utf-8"))
        stories = tuple(
            Expected(
                title=s["title"],
                first_words=s.get("first_words") or "",
                source=s.get("source"),
                labels=tuple(s.get("labels") or ()),
                url=s.get("url"),
                section=s.get("section"),
            )
            for s in data.get("stories", [])
        )
        fixtures.append(
            Fixture(
                path=page,
                platform=data.get("platform") or spec.parent.name,
                language=data.get("language") or "en",
                shape=data.get("shape") or "digest",
                subject=data.get("subject"),
                sender=data.get("from"),
                date=data.get("date"),
                stories=stories,
                boilerplate=tuple(data.get("boilerplate") or ()),
            )
        )
    return fixtures


@dataclass(slots=True)
class Score:
    fixtures: int = 0
    expected: int = 0
    found: int = 0
    matched: int = 0
    titles: int = 0
    sources: int = 0
    labels: int = 0
    sections: int = 0
    urls: int = 0
    leaks: int = 0
    failed: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "fixtures", "expected", "found", "matched", "titles", "sources", "labels",
            "sections", "urls",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.leaks += other.leaks
        self.failed += other.failed
        self.misses.extend(other.misses)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)


def _story_text(story: ParsedStory) -> str:
    return canonical_text(story.sections)


def _labels(story: ParsedStory) -> tuple[str, ...]:
    return tuple(s.label for s in story.sections if s.label)


def _label_keys(labels: Iterable[str]) -> tuple[str, ...]:
    # "Go deeper" is a link line we keep as a label; letters differ on whether it is one.
    return tuple(k for k in map(key, labels) if k != "go deeper")


def _matches(expected: Expected, story: ParsedStory) -> bool:
    if key(story.title) == key(expected.title):
        return True
    start = key(expected.first_words)
    return bool(start) and key(_story_text(story)).startswith(start)


def score(fixture: Fixture, stories: Sequence[ParsedStory]) -> Score:
    """How ``stories`` compare with what the fixture expects; stories are matched in order by
    title, else by their first words."""
    result = Score(fixtures=1, expected=len(fixture.stories), found=len(stories))
    unmatched = list(stories)
    for want in fixture.stories:
        got = next((s for s in unmatched if _matches(want, s)), None)
        if got is None:
            result.misses.append(f"{fixture.name}: missed {want.title!r}")
            continue
        unmatched.remove(got)
        result.matched += 1
        if key(got.title) == key(want.title):
            result.titles += 1
        else:
            result.misses.append(f"{fixture.name}: title {got.title!r} for {want.title!r}")
        if (got.source or None) == (want.source or None):
            result.sources += 1
        else:
            result.misses.append(
                f"{fixture.name}: source {got.source!r} for {want.source!r} in {want.title!r}"
            )
        if _label_keys(_labels(got)) == _label_keys(want.labels):
            result.labels += 1
        else:
            result.misses.append(
                f"{fixture.name}: labels {list(_labels(got))} for {list(want.labels)} "
                f"in {want.title!r}"
            )
        if key(got.category or "") == key(want.section or ""):
            result.sections += 1
        else:
            result.misses.append(
                f"{fixture.name}: section {got.category!r} for {want.section!r} in {want.title!r}"
            )
        if (got.url or None) == (want.url or None):
            result.urls += 1
        else:
            result.misses.append(f"{fixture.name}: url {got.url!r} for {want.url!r}")
    for extra in unmatched:
        result.misses.append(f"{fixture.name}: extra {extra.title!r}")
    for story in stories:
        text = key(story.title + " " + _story_text(story))
        leaked = [b for b in fixture.boilerplate if key(b) and key(b) in text]
        if leaked:
            result.leaks += 1
            result.misses.append(f"{fixture.name}: boilerplate {leaked[:2]} in {story.title!r}")
    return result


Reader = Callable[[Fixture], list[ParsedStory]]


def read_html(fixture: Fixture) -> list[ParsedStory]:
    return parse_bytes(
        fixture.path.read_bytes(), filename=fixture.path.name, title_hint=fixture.subject
    )


def read_mail(fixture: Fixture) -> list[ParsedStory]:
    """The fixture as an e-mail would bring it: a quoted-printable HTML part."""
    from email.message import EmailMessage

    from reader._sources.mail import message_stories

    message = EmailMessage()
    message["Subject"] = fixture.subject or fixture.path.stem
    message["From"] = fixture.sender or "Newsletter <news@example.com>"
    if fixture.date:
        message["Date"] = fixture.date
    message["Message-ID"] = f"<{fixture.path.stem}@corpus.example>"
    message.set_content("This e-mail needs an HTML reader.")
    html = fixture.path.read_bytes().decode("utf-8", errors="replace")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message_stories(message.as_bytes())


def run(fixtures: Iterable[Fixture], reader: Reader = read_html) -> dict[str, Score]:
    """Scores per platform, plus "all"."""
    scores: dict[str, Score] = {}
    total = Score()
    for fixture in fixtures:
        try:
            stories = reader(fixture)
        except ReaderError as err:
            stories = []
            part = Score(fixtures=1, expected=len(fixture.stories), failed=1)
            part.misses.append(f"{fixture.name}: failed: {err}")
        else:
            part = score(fixture, stories)
        scores.setdefault(fixture.platform, Score()).add(part)
        total.add(part)
    scores["all"] = total
    return scores


def table(scores: dict[str, Score]) -> str:
    header = (
        "| platform | letters | stories | found | recall | precision | titles exact "
        "| sources | labels | sections | links | boilerplate stories |"
    )
    lines = [header, "|" + "---|" * 12]
    for name, s in sorted(scores.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        matched = s.matched or 1
        label = f"**{name}**" if name == "all" else name
        lines.append(
            f"| {label} | {s.fixtures} | {s.expected} | {s.found} | {s.recall:.1%} "
            f"| {s.precision:.1%} | {s.titles / matched:.1%} | {s.sources / matched:.1%} "
            f"| {s.labels / matched:.1%} | {s.sections / matched:.1%} | {s.urls / matched:.1%} "
            f"| {s.leaks} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digests", description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    parser.add_argument("--mail", action="store_true", help="read e-mail copies of the pages")
    args = parser.parse_args(argv)
    fixtures = load_corpus(args.corpus)
    if not fixtures:
        print(f"no fixtures under {args.corpus}", file=sys.stderr)
        return 1
    scores = run(fixtures, read_mail if args.mail else read_html)
    languages = sorted({f.language for f in fixtures})
    print(
        f"{len(fixtures)} newsletters, {len(scores) - 1} platforms, "
        f"languages: {', '.join(languages)}"
    )
    print(table(scores))
    if args.verbose:
        for miss in scores["all"].misses:
            print(miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
