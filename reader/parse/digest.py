"""Splits a block stream into stories: drops sponsor and footer blocks, picks the heading
level that opens stories, and tells a digest (sourced leads, labels) from a lone story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reader.model import ParsedStory
from reader.parse.blocks import (
    HEADLINE_LEVEL,
    Block,
    Kind,
    Strength,
    find_label,
    find_source,
    headline_level,
    is_footer,
    is_furniture,
    is_sponsor,
    word_count,
)
from reader.parse.story import build_story

# A leading "story" this short with no source and no labels is the masthead and date line.
_MASTHEAD_WORDS = 30
_TITLE_CHARS = 80


@dataclass(slots=True)
class _Draft:
    headline: Block
    blocks: list[Block] = field(default_factory=list)

    @property
    def has_source(self) -> bool:
        lead = next((b for b in self.blocks if b.kind is Kind.PARA), None)
        if lead is None:
            return False
        label = find_label(lead)
        return find_source(label.rest if label else lead.text) is not None

    @property
    def has_labels(self) -> bool:
        return any(_strong_label(b) for b in self.blocks)


def clean_blocks(blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` without sponsor regions and footer lines; "View More" lines become MORE."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind is not Kind.MORE and is_furniture(block.text):
            out.append(Block(Kind.MORE, block.text, href=block.first_href))
            i += 1
        elif block.kind in (Kind.MORE, Kind.RULE):
            out.append(block)
            i += 1
        elif is_sponsor(block.text):
            i = _skip_sponsor(blocks, i + 1)
        elif is_footer(block.text):
            i = _skip_to_headline(blocks, i + 1, HEADLINE_LEVEL)
        else:
            out.append(block)
            i += 1
    return out


def split_digest(blocks: Sequence[Block]) -> list[ParsedStory] | None:
    """The stories of a digest page, or None when the page does not look like a digest."""
    best: list[_Draft] = []
    best_score = (0, 0)
    for level in sorted({lvl for lvl in _headline_levels(blocks) if lvl is not None}):
        drafts = _segment(blocks, level)
        score = (sum(d.has_source for d in drafts), sum(d.has_labels for d in drafts))
        if score > best_score:
            best, best_score = drafts, score
    if not best:
        return None
    while best and not (best[0].has_source or best[0].has_labels):
        if sum(word_count(b.text) for b in best[0].blocks) >= _MASTHEAD_WORDS:
            break
        best.pop(0)
    # Labels found only by shape count on a sourced digest whose markup marks no labels
    # (plain text); where bold marks them, an unmarked "Said:" is just a sentence.
    shape_labels = any(d.has_source for d in best) and not any(
        _label_strength(b) is Strength.MARKED for d in best for b in d.blocks
    )
    # A linked headline names the full story when no "Read more" link does.
    stories = [
        build_story(
            d.headline.text, d.blocks, shape_labels=shape_labels, fallback_url=d.headline.first_href
        )
        for d in best
    ]
    return [s for s in stories if s is not None]


def single_story(
    blocks: Sequence[Block], title: str | None = None, *, title_hint: str | None = None
) -> ParsedStory | None:
    """All of ``blocks`` as one story; the title is ``title``, else an opening headline, else
    ``title_hint``, else the start of the first block."""
    body = list(blocks)
    if title is None:
        first = next((b for b in body if b.kind not in (Kind.MORE, Kind.RULE)), None)
        if first is None:
            return None
        if headline_level(first) is None:
            title = title_hint or _shorten(first.text)
        else:
            title = first.text
            # The headline is the title, not text; unless it is all the text there is.
            at = body.index(first)
            body[at : at + 1] = [] if len(body) > 1 else [replace(first, kind=Kind.PARA, level=0)]
    shape_labels = any(_strong_label(b) for b in body)
    return build_story(title, body, shape_labels=shape_labels)


def _shorten(text: str) -> str:
    if len(text) <= _TITLE_CHARS:
        return text
    cut = text[:_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _label_strength(block: Block) -> Strength | None:
    label = find_label(block)
    return label.strength if label else None


def _strong_label(block: Block) -> bool:
    return _label_strength(block) in (Strength.MARKED, Strength.KNOWN)


def _headline_levels(blocks: Sequence[Block]) -> list[int | None]:
    """Per block: its headline level if it opens a story (content follows), else None."""
    levels: list[int | None] = []
    for i, block in enumerate(blocks):
        level = headline_level(block)
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        opens = (
            nxt is not None and nxt.kind in (Kind.PARA, Kind.BULLET) and headline_level(nxt) is None
        )
        levels.append(level if opens else None)
    return levels


def _segment(blocks: Sequence[Block], level: int) -> list[_Draft]:
    """Stories opened by headlines of ``level``; a higher heading ends a story."""
    opens = _headline_levels(blocks)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for block, opening in zip(blocks, opens, strict=True):
        rank = headline_level(block)
        if rank is not None and rank <= level:
            current = _Draft(block) if opening == level else None
            if current:
                drafts.append(current)
        elif current:
            current.blocks.append(block)
    return drafts


def _skip_sponsor(blocks: Sequence[Block], i: int) -> int:
    """The index after a sponsor block that starts at ``i`` (just after its marker).

    A marker right before a story whose lead names a source is a "presented by" line over
    real news, so nothing more is skipped; otherwise the ad's own headline and body go.
    """
    rank = headline_level(blocks[i]) if i < len(blocks) else None
    if rank is None:
        return _skip_to_headline(blocks, i, HEADLINE_LEVEL)
    if i + 1 < len(blocks) and find_source(blocks[i + 1].text):
        return i
    return _skip_to_headline(blocks, i + 1, rank)


def _skip_to_headline(blocks: Sequence[Block], i: int, rank: int) -> int:
    while i < len(blocks):
        block = blocks[i]
        level = headline_level(block)
        if block.kind is Kind.RULE or (level is not None and level <= rank):
            return i
        i += 1
    return i
