"""One story from its run of blocks: sections (label, paragraphs, bullets), the source its
lead names, its "View More" link and the sanitized HTML of its part of the page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from reader._parse.blocks import Block, Kind, Run, Strength, find_label, find_source
from reader._parse.links import unwrap_tracking
from reader._parse.sanitize import sanitize_html
from reader.model import ParsedStory, Section

# "(5 minute read)", "(12 min read)", "(3-minute read)": the link digest's length note.
_READING_TIME = re.compile(r"\s*\((?P<time>\d+\s*(?:-\s*)?(?:minute|min)s?\.?\s+read)\)\s*$", re.I)


@dataclass(slots=True)
class _Builder:
    shape_labels: bool
    sections: list[Section] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    label: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    container: str | None = None  # the open <ul>, <ol> or <blockquote>, if any

    def add(self, block: Block) -> None:
        if block.kind is Kind.HEADING:
            self._start(block.text)
            self._emit(f"<h3>{escape(block.text)}</h3>")
        elif block.kind is Kind.BULLET:
            self.bullets.append(block.text)
            self._emit(f"<li>{_inline(block, None)}</li>", "ol" if block.ordered else "ul")
        elif block.kind is Kind.PARA:
            self._paragraph(block)
        elif block.kind is Kind.ROW:
            if self.bullets:
                self._start(None)
            self.paragraphs.append(block.text)
            cell = "th" if block.header else "td"
            cells = "".join(f"<{cell}>{escape(c)}</{cell}>" for c in block.cells)
            self._emit(f"<tr>{cells}</tr>", "table")

    def _paragraph(self, block: Block) -> None:
        container = "blockquote" if block.quote else None
        found = find_label(block)
        if found and (found.strength is not Strength.SHAPE or self.shape_labels):
            self._start(found.label)
            if found.rest:
                self.paragraphs.append(found.rest)
            self._emit(f"<p>{_inline(block, found.label)}</p>", container)
            return
        if self.bullets:
            self._start(None)
        self.paragraphs.append(block.text)
        self._emit(f"<p>{_inline(block, None)}</p>", container)

    def _start(self, label: str | None) -> None:
        self.close()
        self.label = label

    def _emit(self, html: str, container: str | None = None) -> None:
        """Append ``html`` inside ``container``, opening it or closing another as needed."""
        if self.container != container:
            self.end_container()
            if container:
                self.html.append(f"<{container}>")
            self.container = container
        self.html.append(html)

    def end_container(self) -> None:
        if self.container:
            self.html.append(f"</{self.container}>")
            self.container = None

    def close(self) -> None:
        if self.label or self.paragraphs or self.bullets:
            self.sections.append(Section(self.label, tuple(self.paragraphs), tuple(self.bullets)))
        self.label, self.paragraphs, self.bullets = None, [], []


def build_story(
    title: str,
    blocks: Sequence[Block],
    *,
    shape_labels: bool,
    fallback_url: str | None = None,
    section: str | None = None,
) -> ParsedStory | None:
    """The story titled ``title`` made of ``blocks``; None if they hold no text.

    Its URL is the first "Read more" link, else ``fallback_url``, unwrapped from a click
    tracker. Labels found only by their shape ("Fast gains:") count when ``shape_labels``
    says the page is a digest. ``section`` is the banner the story sat under.
    """
    builder = _Builder(shape_labels)
    reading = _READING_TIME.search(title)
    if reading:
        title = title[: reading.start()].rstrip() or title
    link = next((b.href for b in blocks if b.kind is Kind.MORE and b.href), fallback_url)
    url = unwrap_tracking(link) if link else None
    for block in blocks:
        builder.add(block)
    builder.close()
    builder.end_container()
    sections = tuple(builder.sections)
    if not sections:
        return None
    first = sections[0].paragraphs
    source = find_source(first[0]) if first else None
    html = f"<h2>{escape(title)}</h2>" + "".join(builder.html)
    web = url if url and url.startswith(("http://", "https://")) else None
    return ParsedStory(
        title=title,
        sections=sections,
        html=sanitize_html(html),
        source=source[0] if source else None,
        source_qualifier=source[1] if source else None,
        url=web,
        category=section,
        reading_time=reading.group("time") if reading else None,
        tracking_url=link if web and link != web else None,
    )


def _inline(block: Block, label: str | None) -> str:
    """The block's inline HTML; a label found only in plain text is made bold here."""
    formatted = [r for r in block.runs if r.bold or r.italic or r.href]
    if not formatted:
        if label and block.text.startswith(label):
            rest = block.text[len(label) :].strip()
            return f"<strong>{escape(label)}</strong> {escape(rest)}".rstrip()
        return escape(block.text)
    return "".join(_run_html(run) for run in _merged(block.runs)).strip()


def _merged(runs: Sequence[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        last = out[-1] if out else None
        if last and (last.bold, last.italic, last.href) == (run.bold, run.italic, run.href):
            out[-1] = Run(last.text + run.text, run.bold, run.italic, run.href, run.size)
        else:
            out.append(run)
    return out


def _run_html(run: Run) -> str:
    html = escape(" ".join(run.text.split()), quote=False)
    if not html:
        return " " if run.text else ""
    # Keep the spaces at the run's edges: they separate it from its neighbours.
    lead = " " if run.text[:1].isspace() else ""
    trail = " " if run.text[-1:].isspace() else ""
    if run.bold:
        html = f"<strong>{html}</strong>"
    if run.italic:
        html = f"<em>{html}</em>"
    if run.href:
        html = f'<a href="{escape(run.href)}">{html}</a>'
    return lead + html + trail
