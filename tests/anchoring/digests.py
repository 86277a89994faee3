"""Two versions of an original digest: the CLI fixture, and an edited copy with the same View
More links, in which one highlighted passage moves, one changes a word and one disappears."""

from __future__ import annotations

from pathlib import Path

DIGEST = Path(__file__).resolve().parents[1] / "cli" / "fixtures" / "river-digest.html"
TITLE = "Barge Operators Warn of Low-Water Surcharges"

MOVES = "Grain co-ops along the river have few rail alternatives"  # pushed down by a new paragraph
CHANGES = "carry about a fifth less grain"  # one word replaced
VANISHES = "Two lock repairs downstream are running late."  # its bullet deleted


def edited_digest() -> str:
    original = DIGEST.read_text(encoding="utf-8")
    edited = (
        original.replace("a fifth less grain", "a quarter less grain")
        .replace("    <li>Two lock repairs downstream are running late.</li>\n", "")
        .replace(
            "  <p><strong>Why it matters:</strong>",
            "  <p>The river authority expects rain in October.</p>\n"
            "  <p><strong>Why it matters:</strong>",
        )
    )
    assert edited.count("View More") == original.count("View More") == 2
    assert edited != original
    return edited


def write_versions(folder: Path) -> tuple[Path, Path]:
    """The original digest and its edited copy, as two files in ``folder``."""
    first, second = folder / "river-monday.html", folder / "river-tuesday.html"
    first.write_bytes(DIGEST.read_bytes())
    second.write_text(edited_digest(), encoding="utf-8")
    return first, second
