"""Generated archives of any size, with made-up words, for the benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader._parse import canonical_text, content_hash
from reader._storage import open_archive, stories
from reader.archive import DB_FILENAME, Archive
from reader.model import ParsedStory, Section

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


def build_archive(path: Path, count: int, *, seed: int = 7) -> Archive:
    """An archive of ``count`` generated stories, inserted in batches of 5,000 per transaction."""
    rng = random.Random(seed)
    archive = Archive(path)
    fetched = datetime.now(UTC)
    # Written through a connection of the bench's own: the facade has no bulk insert, and the
    # triggers queue the index's changes for any writer.
    conn = open_archive(Path(path) / DB_FILENAME)
    try:
        for start in range(0, count, 5000):
            with conn.transaction() as db:
                for n in range(start, min(count, start + 5000)):
                    story = make_story(rng, n)
                    text = canonical_text(story.sections)
                    stories.add_story(
                        db,
                        story,
                        text=text,
                        content_hash=content_hash(story.title, text),
                        origin="bench",
                        fetched=fetched,
                    )
    finally:
        conn.close()
    return archive
