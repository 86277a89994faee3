"""Markdown export for note-taking tools: one notebook file, or one file per story in a folder
(as Obsidian and similar tools read them) with front matter, highlights as block quotes with
their colour's codebook name, note and #tags, and the story's own notes."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, TextIO

from reader._export.files import write_atomically
from reader._storage.transfer import StoryRecord
from reader.errors import ExportError
from reader.model import AnchorStatus, Color, Highlight, Story

MAX_NAME_BYTES = 150
# Characters Windows, macOS or a note-taking tool's links cannot have in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*#^\[\]]')
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{i}" for port in ("com", "lpt") for i in range(1, 10))}
)
# What a #tag may hold in Obsidian and Logseq: letters, digits, _ - and / for nesting.
_TAG_UNSAFE = re.compile(r"[^\w/-]+")


TITLE = "Story archive"
"""The notebook's heading when the caller gives none."""


def write(
    stories: Iterable[StoryRecord],
    out: IO[str],
    names: Mapping[Color, str],
    *,
    title: str = TITLE,
    about: str = "",
) -> int:
    """One notebook: ``title`` as its heading, ``about`` (what it covers) under it, then every
    story as a section. Returns how many stories."""
    out.write(f"# {_one_line(title) or TITLE}\n")
    if about.strip():
        out.write(f"\n{about.strip()}\n")
    count = 0
    for record in stories:
        out.write("\n")
        out.write(story_markdown(record, names, level=2))
        count += 1
    return count


def write_folder(
    stories: Iterable[StoryRecord], directory: Path, names: Mapping[Color, str]
) -> list[Path]:
    """One file per story in ``directory``, named after its title; a file of the same name
    there already is replaced. Returns the files in the order written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create {directory}: {err.strerror or err}") from err
    taken: set[str] = set()
    written: list[Path] = []
    for record in stories:
        target = directory / unique_filename(record.story.title, taken)
        text = front_matter(record.story) + "\n" + story_markdown(record, names, level=1)
        write_atomically(target, functools.partial(_put, text))
        written.append(target)
    return written


def front_matter(story: Story) -> str:
    """YAML front matter; every value is a double-quoted scalar (JSON's quoting is YAML's)."""
    fields: list[tuple[str, str | None]] = [
        ("title", story.title),
        ("source", story.source),
        ("url", story.url),
        ("published", _date(story.published)),
        ("fetched", _date(story.fetched)),
    ]
    lines = ["---"]
    lines += [f"{key}: {_yaml(value)}" for key, value in fields if value is not None]
    lines.append(f"tags: [{', '.join(_yaml(tag) for tag in story.tags)}]")
    lines.append("---")
    return "\n".join(lines) + "\n"


def story_markdown(record: StoryRecord, names: Mapping[Color, str], *, level: int) -> str:
    story = record.story
    heading = "#" * level
    parts = [f"{heading} {_one_line(story.title)}\n"]
    meta = []
    if story.source:
        source = story.source
        if story.source_qualifier:
            source += f" ({story.source_qualifier})"
        meta.append(f"Source: {source}")
    if story.published:
        meta.append(f"Published: {story.published.date().isoformat()}")
    if story.url:
        meta.append(f"Link: <{story.url}>")
    if story.tags:
        meta.append("Tags: " + " ".join(hashtag(tag) for tag in story.tags))
    if meta:
        parts.append("\n" + "".join(f"- {line}\n" for line in meta))
    if record.highlights:
        parts.append(f"\n{heading}# Highlights\n")
        parts += [_highlight(h, names) for h in record.highlights]
    if record.notes:
        parts.append(f"\n{heading}# Notes\n")
        parts += [f"\n{note.body.strip()}\n" for note in record.notes]
    return "".join(parts)


def color_label(color: Color, names: Mapping[Color, str]) -> str:
    """The codebook name with the colour ("risk (pink)"), or the colour alone."""
    name = names.get(color)
    return f"{name} ({color.value})" if name else color.value


def hashtag(tag: str) -> str:
    """A tag as note-taking tools link it: ``#supply-chain`` for "supply chain"."""
    return "#" + (_TAG_UNSAFE.sub("-", tag.strip()).strip("-") or "tag")


def unique_filename(title: str, taken: set[str], suffix: str = ".md") -> str:
    """A file name from ``title`` that is safe on every system and not in ``taken`` (compared
    without case, as macOS and Windows do); it is added to ``taken``."""
    stem = _safe_stem(title)
    candidate, number = stem, 2
    while candidate.casefold() in taken:
        candidate = f"{stem} ({number})"
        number += 1
    taken.add(candidate.casefold())
    return candidate + suffix


def _safe_stem(title: str) -> str:
    stem = " ".join(_UNSAFE.sub(" ", unicodedata.normalize("NFC", title)).split())
    encoded = stem.encode("utf-8")[:MAX_NAME_BYTES]
    stem = encoded.decode("utf-8", errors="ignore").strip(" .")
    if not stem:
        return "Untitled"
    if stem.split(".")[0].casefold() in _RESERVED:
        stem += "_"
    return stem


def _highlight(highlight: Highlight, names: Mapping[Color, str]) -> str:
    colour = color_label(highlight.color, names)
    lines = [f"\n{_quote_block(highlight.quote)}\n\n- colour: {colour}"]
    if highlight.note.strip():
        note_lines = highlight.note.strip().splitlines()
        lines.append("- note: " + "\n  ".join(line.rstrip() for line in note_lines))
    if highlight.tags:
        lines.append("- tags: " + " ".join(hashtag(tag) for tag in highlight.tags))
    if highlight.status is not AnchorStatus.ANCHORED:
        lines.append(f"- status: {highlight.status}")
    return "\n".join(lines) + "\n"


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _date(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _put(text: str, fh: TextIO) -> int:
    return fh.write(text)
