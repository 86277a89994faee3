"""Generated archives of any size, with made-up words, for the benchmarks: the small fixed
vocabulary of ``make_story`` (the list benchmark), and for the scale benchmark a Zipf-distributed
vocabulary of invented words, 600-word stories with labelled sections, highlights and notes."""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader._parse import canonical_text, content_hash
from reader._storage import annotations as annotation_rows
from reader._storage import changes, open_archive, stories
from reader.archive import DB_FILENAME, Archive
from reader.model import Color, ParsedStory, Section

WORDS = [
    "port",
    "harbour",
    "grid",
    "battery",
    "tender",
    "export",
    "licence",
    "drought",
    "water",
    "tariff",
    "solar",
    "freight",
    "rail",
    "merger",
    "treaty",
    "quota",
    "liquidity",
    "lender",
    "ransomware",
    "satellite",
    "outage",
    "model",
    "licence",
    "council",
    "budget",
    "strike",
    "crane",
    "automation",
    "dredging",
    "channel",
    "inflation",
    "bond",
    "yield",
    "vote",
    "court",
    "ruling",
    "shipment",
    "warehouse",
    "copper",
    "smelter",
    "cable",
    "transformer",
    "subsidy",
    "inquiry",
    "audit",
    "pension",
]
LABELS = ("Why it matters:", "What’s going on:", "The big picture:", "What to watch:")
SOURCES = ("Harbor Ledger", "Northwind Wire", "Valley Standard", "Capital Register")


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_story(rng: random.Random, n: int) -> ParsedStory:
    sections = [Section(paragraphs=(sentence(rng, 30),))]
    for label in rng.sample(LABELS, 2):
        sections.append(
            Section(label=label, paragraphs=(sentence(rng, 25),), bullets=(sentence(rng, 12),))
        )
    return ParsedStory(
        title=f"Story {n}: {sentence(rng, 6)}",
        sections=tuple(sections),
        source=rng.choice(SOURCES),
        url=f"https://example.com/bench/{n}",
        published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
    )


StoryMaker = Callable[[random.Random, int], ParsedStory]


@dataclass(slots=True)
class BuildReport:
    """What :func:`build_archive` wrote."""

    stories: int = 0
    highlights: int = 0
    notes: int = 0


def build_archive(
    path: Path,
    count: int,
    *,
    seed: int = 7,
    make: StoryMaker = make_story,
    annotate: Callable[[random.Random, int, str], Annotations] | None = None,
    batch: int = 5000,
    queue_index: bool = True,
    report: BuildReport | None = None,
) -> Archive:
    """An archive of ``count`` generated stories, inserted in batches of ``batch`` per
    transaction. ``annotate(rng, n, text)`` gives story ``n`` its highlights and notes.

    With ``queue_index=False`` the change queue is emptied at the end: the archive then stands
    for one whose index was lost or outdated (everything in the database, nothing queued), which
    the archive fills by queueing every item once when it finds the index missing.
    """
    rng = random.Random(seed)
    archive = Archive(path)
    fetched = datetime.now(UTC)
    report = report if report is not None else BuildReport()
    # Written through a connection of the bench's own: the facade has no bulk insert, and the
    # triggers queue the index's changes for any writer.
    conn = open_archive(Path(path) / DB_FILENAME)
    try:
        for start in range(0, count, batch):
            with conn.transaction() as db:
                for n in range(start, min(count, start + batch)):
                    story = make(rng, n)
                    text = canonical_text(story.sections)
                    story_id = stories.add_story(
                        db,
                        story,
                        text=text,
                        content_hash=content_hash(story.title, text),
                        origin="bench",
                        fetched=fetched,
                    )
                    report.stories += 1
                    if annotate is None:
                        continue
                    extras = annotate(rng, n, text)
                    for quote_start, quote_end, color, note in extras.highlights:
                        annotation_rows.add_highlight(
                            db,
                            story_id,
                            start=quote_start,
                            end=quote_end,
                            quote=text[quote_start:quote_end],
                            prefix=text[max(0, quote_start - 32) : quote_start],
                            suffix=text[quote_end : quote_end + 32],
                            color=color,
                            note=note,
                        )
                        report.highlights += 1
                    for body in extras.notes:
                        annotation_rows.add_note(db, story_id, body)
                        report.notes += 1
        if not queue_index:
            with conn.transaction() as db:
                top = db.execute("SELECT MAX(seq) FROM changes").fetchone()[0]
                if top is not None:
                    changes.acknowledge(db, top)
    finally:
        conn.close()
    return archive


# -- the scale benchmark's corpus -------------------------------------------------------------

# The most frequent words of news English, so the top of the distribution looks like text (and
# a stemming analyzer's stop list has something to drop); invented words follow.
FUNCTION_WORDS = [
    *("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was"),
    *("by", "at", "it", "from", "said", "its", "an", "be", "has", "are", "have", "will"),
    *("which", "after", "but", "not", "this", "were", "more", "their", "been", "would"),
    *("who", "also", "new", "over", "than"),
]
_ONSETS = [
    *("b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m"),
    *("n", "p", "pl", "pr", "qu", "r", "s", "sh", "sl", "st", "t", "th", "tr", "v", "w", "z"),
]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "io"]
_CODAS = ["", "", "n", "r", "l", "s", "t", "nd", "rk", "st", "m", "x", "ng"]
_SUFFIXES = ["", "", "", "", "ing", "ed", "er", "ion", "ity", "al", "ment", "ous", "ly"]


def invented_words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct pronounceable made-up words of two or three syllables."""
    seen: set[str] = set(FUNCTION_WORDS) | set(WORDS)
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((2, 2, 2, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        ) + rng.choice(_SUFFIXES)
        if 4 <= len(word) <= 14 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(slots=True)
class Annotations:
    """A generated story's highlights ``(start, end, color, note)`` and notes."""

    highlights: list[tuple[int, int, Color, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


SAMPLING_SLOTS = 1 << 20
"""Each word fills slots in proportion to its weight (at least one), so a draw is one random
index: 100,000 stories of 600 words take seconds, not the minutes of ``random.choices``."""


@dataclass
class Corpus:
    """A vocabulary ranked by frequency with Zipf-Mandelbrot weights ``1 / (rank + 2.7)``.

    ``content`` are the words a query can be made of: below the function words and not so
    rare that a small archive lacks them.
    """

    vocabulary: list[str]
    slots: list[str]
    content: list[str]
    words_per_story: int = 600

    @classmethod
    def make(cls, size: int = 30_000, *, seed: int = 11, words_per_story: int = 600) -> Corpus:
        rng = random.Random(seed)
        domain = list(dict.fromkeys(WORDS))
        vocabulary = FUNCTION_WORDS + domain + invented_words(rng, size)
        # The domain words are spread over the head of the distribution, not bunched at its top.
        head = vocabulary[len(FUNCTION_WORDS) : len(FUNCTION_WORDS) + 400]
        rng.shuffle(head)
        vocabulary[len(FUNCTION_WORDS) : len(FUNCTION_WORDS) + 400] = head
        weights = [1.0 / (rank + 2.7) for rank in range(len(vocabulary))]
        scale = SAMPLING_SLOTS / sum(weights)
        slots: list[str] = []
        for word, weight in zip(vocabulary, weights, strict=True):
            slots.extend([word] * max(1, round(weight * scale)))
        content = vocabulary[len(FUNCTION_WORDS) : len(FUNCTION_WORDS) + 3000]
        return cls(vocabulary, slots, content, words_per_story)

    def words(self, rng: random.Random, k: int) -> list[str]:
        slots, n = self.slots, len(self.slots)
        return [slots[i % n] for i in array("I", rng.randbytes(4 * k))]

    def sentences(self, rng: random.Random, total: int) -> list[str]:
        words = self.words(rng, total)
        result: list[str] = []
        at = 0
        while at < total:
            length = min(rng.randint(8, 24), total - at)
            chunk = words[at : at + length]
            at += length
            if rng.random() < 0.3 and length > 6:
                comma = rng.randint(3, length - 3)
                chunk[comma - 1] += ","
            result.append(" ".join(chunk).capitalize() + ".")
        return result

    def title(self, rng: random.Random) -> str:
        picks = [rng.choice(self.content[:1500]) for _ in range(rng.randint(4, 8))]
        return " ".join(picks).capitalize()

    def story(self, rng: random.Random, n: int) -> ParsedStory:
        """About ``words_per_story`` words: a lead, then three labelled sections."""
        sentences = self.sentences(rng, self.words_per_story)
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        quarter = max(1, len(paragraphs) // 4)
        sections = [Section(paragraphs=tuple(paragraphs[:quarter]))]
        labels = rng.sample(LABELS, min(3, len(LABELS)))
        rest = paragraphs[quarter:]
        step = max(1, -(-len(rest) // len(labels)))
        for i, label in enumerate(labels):
            part = rest[i * step : (i + 1) * step]
            if part:
                sections.append(Section(label=label, paragraphs=tuple(part)))
        return ParsedStory(
            title=self.title(rng),
            sections=tuple(sections),
            source=SCALE_SOURCES[n % len(SCALE_SOURCES)],
            url=f"https://example.com/scale/{n}",
            published=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=17 * n),
        )

    def annotations(self, rng: random.Random, n: int, text: str) -> Annotations:
        """One story in 20 gets one or two highlights on whole sentences (some with a note),
        one in 30 a note of its own."""
        extras = Annotations()
        if rng.random() < 0.05:
            for _ in range(rng.randint(1, 2)):
                stop = text.find(". ", rng.randrange(0, max(1, len(text) - 200)))
                start = stop + 2 if stop >= 0 else 0
                end = text.find(".", start + 20)
                if end < 0 or end - start > 400:
                    end = min(len(text), start + 120)
                note = " ".join(self.words(rng, 15)) if rng.random() < 0.5 else ""
                color = rng.choice((Color.YELLOW, Color.PINK, Color.BLUE, Color.GREEN))
                extras.highlights.append((start, end, color, note))
        if rng.random() < 1 / 30:
            extras.notes.append(" ".join(self.sentences(rng, 40)))
        return extras


SCALE_SOURCES = (
    "Harbor Ledger",
    "Northwind Wire",
    "Valley Standard",
    "Capital Register",
    "Meridian Post",
    "Lakeshore Courier",
    "Eastgate Monitor",
    "Pinecrest Daily",
)


def build_scale_archive(
    path: Path,
    count: int,
    corpus: Corpus,
    *,
    seed: int = 7,
    report: BuildReport | None = None,
) -> Archive:
    """The scale benchmark's archive: ``count`` corpus stories with highlights and notes, the
    index not built and nothing queued for it (as after losing the index)."""
    return build_archive(
        path,
        count,
        seed=seed,
        make=corpus.story,
        annotate=corpus.annotations,
        queue_index=False,
        report=report,
    )


def query_words(corpus: Corpus, count: int, *, seed: int = 3) -> list[str]:
    """``count`` one- and two-word queries of content words (half of each)."""
    rng = random.Random(seed)
    pool: Sequence[str] = corpus.content
    queries = []
    for i in range(count):
        if i % 2:
            queries.append(" ".join(rng.sample(pool[:600], 2)))
        else:
            queries.append(rng.choice(pool))
    return queries
