"""Markdown export: every story as a section with its source, link, highlights as block quotes
with colour and note, and the story's own notes; readable by note-taking tools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from reader.archive import StoryBundle


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def write(bundles: Iterable[StoryBundle], out: IO[str]) -> int:
    out.write("# Story archive\n")
    count = 0
    for bundle in bundles:
        story = bundle.story
        out.write(f"\n## {story.title}\n\n")
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
            meta.append("Tags: " + ", ".join(f"#{t}" for t in story.tags))
        for line in meta:
            out.write(f"- {line}\n")
        if bundle.highlights:
            out.write("\n### Highlights\n")
            for h in bundle.highlights:
                out.write(f"\n{_quote_block(h.quote)}\n\n- colour: {h.color.value}\n")
                if h.note:
                    out.write(f"- note: {' '.join(h.note.split())}\n")
        if bundle.notes:
            out.write("\n### Notes\n")
            for note in bundle.notes:
                out.write(f"\n{note.body.strip()}\n")
        count += 1
    return count
