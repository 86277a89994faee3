"""Generated archives of any size, with made-up words, for the benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader._parse import canonical_text, content_hash
from reader.archive import Archive
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
    for start in range(0, count, 5000):
        with archive.store.transaction():
            for n in range(start, min(count, start + 5000)):
                story = make_story(rng, n)
                text = canonical_text(story.sections)
                archive.store.add_story(
                    story,
                    text=text,
                    content_hash=content_hash(story.title, text),
                    origin="bench",
                    fetched=fetched,
                )
    return archive
