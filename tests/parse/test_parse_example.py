"""The team's reference story page must always read the same way. It is a real newsletter's
text, so it is not in the repository: these tests run where READER_REFERENCE_EXAMPLE names it
(e.g. ``READER_REFERENCE_EXAMPLE=../shared/examples/input-stories.txt``) and skip elsewhere."""

from __future__ import annotations

import pytest

from reader._parse import canonical_text, parse_bytes
from reader._paths import REFERENCE_ENV_VAR, reference_example

NAME = "input-stories.txt"


@pytest.fixture
def example() -> bytes:
    path = reference_example()
    if path is None:
        pytest.skip(f"{REFERENCE_ENV_VAR} is not set: it names the reference example to read")
    # Named but missing is a mistake in the setting, not a reason to skip.
    assert path.is_file(), f"{REFERENCE_ENV_VAR}={path} is not a file"
    return path.read_bytes()


def test_reads_exactly_one_story(example: bytes) -> None:
    stories = parse_bytes(example, filename=NAME)

    assert len(stories) == 1
    story = stories[0]
    assert story.title == "China’s AI Development Picks Up Speed"
    assert story.source == "The New York Times"
    assert story.source_qualifier == "subscription"
    assert story.url is None


def test_labels_in_order(example: bytes) -> None:
    (story,) = parse_bytes(example, filename=NAME)

    labels = [s.label for s in story.sections if s.label]
    assert labels == [
        "What’s going on:",
        "Why it’s a problem:",
        "How they’re doing it:",
        "And yet …",
        "Fast gains:",
    ]
    assert story.sections[0].label is None
    assert story.sections[0].paragraphs[0].endswith("(The New York Times, subscription).")


def test_bullets_belong_to_their_sections(example: bytes) -> None:
    (story,) = parse_bytes(example, filename=NAME)
    bullets = {s.label: len(s.bullets) for s in story.sections}

    assert bullets == {
        None: 0,
        "What’s going on:": 1,
        "Why it’s a problem:": 0,
        "How they’re doing it:": 3,
        "And yet …": 2,
        "Fast gains:": 1,
    }
    last = story.sections[-1]
    assert last.bullets == (
        "As another source told the Times, “Open-source is a source of technological soft power.”",
    )


def test_text_is_normalized_but_kept_word_for_word(example: bytes) -> None:
    (story,) = parse_bytes(example, filename=NAME)
    text = canonical_text(story.sections)

    assert "\u00a0" not in text
    assert "in the contest to make technologies" in text
    assert "open-surce AI" in text
    assert "View More" not in text
    assert "Input Stories" not in text
    assert text.startswith("China is gaining on the U.S.")
    assert text.endswith("“Open-source is a source of technological soft power.”")


def test_reads_the_same_without_a_file_name(example: bytes) -> None:
    assert parse_bytes(example) == parse_bytes(example, filename=NAME)
