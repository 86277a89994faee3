"""Cleaning a block stream before it is split: an ad's whole module where the markup shows
one (or the unit a sponsor marker heads), footers and everything after them, prompts, follow
rows, menus and the other furniture of ``boilerplate``, each left out by a named rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reader._parse.blocks import TEXT_KINDS, Block, Kind, find_source, is_furniture, word_count
from reader._parse.boilerplate import (
    CALL_TO_ACTION,
    SIGN_OFF,
    Dropped,
    Marker,
    Rule,
    furniture_rule,
    is_poll_choice,
    sponsor_marker,
)
from reader._parse.headlines import banner_like, headline_rank

# An ad's module in an e-mail: a container this small around a sponsor marker.
_AD_WORDS = 220
_BUTTON_WORDS = 4


@dataclass(slots=True)
class Cleaned:
    """A block stream without ads' modules and furniture, and what was left out."""

    blocks: list[Block]
    dropped: list[Dropped] = field(default_factory=list)


def clean_blocks(blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` without ads' modules and furniture; "View More" lines become MORE."""
    return clean(blocks).blocks


def clean(blocks: Sequence[Block]) -> Cleaned:
    """Leaves out, by rule, what is not story text: an ad's whole module where the markup
    shows one, footers and everything after them, prompts, follow rows and menus. Sponsor
    markers stay, for the splitter to see which unit is an ad."""
    kept: list[tuple[int, Block]] = []
    dropped: list[Dropped] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind not in (Kind.MORE, Kind.RULE, Kind.ROW) and is_furniture(block.text):
            kept.append((i, Block(Kind.MORE, block.text, href=block.first_href)))
            i += 1
            continue
        if block.kind not in TEXT_KINDS:
            kept.append((i, block))
            i += 1
            continue
        marker = sponsor_marker(block.text)
        if marker is not None:
            box = _ad_module(blocks, i, marker)
            if box is None or box == (i, i + 1):
                # A module that is the marker alone says nothing of what follows it.
                box = _ad_unit(blocks, i, marker)
            if box is not None:
                start, end = box
                while kept and kept[-1][0] >= start:
                    dropped.append(Dropped(kept.pop()[1], Rule.SPONSOR))
                dropped.extend(Dropped(b, Rule.SPONSOR) for b in blocks[i:end])
                i = end
                continue
            kept.append((i, block))
            i += 1
            continue
        rule = furniture_rule(block)
        if rule is None:
            kept.append((i, block))
            i += 1
            continue
        dropped.append(Dropped(block, rule))
        i += 1
        if rule is Rule.FOOTER:
            end = _skip_to_headline(blocks, i)
            dropped.extend(Dropped(b, Rule.FOOTER) for b in blocks[i:end])
            i = end
        elif rule is Rule.PROMPT:
            while i < len(blocks) and is_poll_choice(blocks[i]):
                dropped.append(Dropped(blocks[i], Rule.PROMPT))
                i += 1
    return Cleaned([b for _, b in kept], dropped)


def _ad_module(blocks: Sequence[Block], at: int, marker: Marker) -> tuple[int, int] | None:
    """The widest layout container around the marker at ``at`` that is small enough to be
    an ad's module and holds no news (no sourced lead; for a "Presented by" line, no
    headline unless it asks the reader to act). None when the markup shows no module."""
    best: tuple[int, int] | None = None
    chain = blocks[at].boxes
    for box in reversed(chain):
        start = at
        while start > 0 and box in blocks[start - 1].boxes:
            start -= 1
        end = at + 1
        while end < len(blocks) and box in blocks[end].boxes:
            end += 1
        if start == 0 and end == len(blocks):
            break
        module = blocks[start:end]
        if sum(word_count(b.text) for b in module) > _AD_WORDS:
            break
        if any(b.kind is Kind.PARA and find_source(b.text) for b in module):
            break
        acts = any(asks_to_act(b) for b in module)
        heads = sum(
            1
            for b in module
            if headline_rank(b) is not None and b is not blocks[at] and not asks_to_act(b)
        )
        if heads > 1 or (marker is Marker.PRESENTER and heads and not acts):
            break
        if end - 1 != at and headline_rank(blocks[end - 1]) is not None:
            break  # the module ends on a headline: a banner over what follows, not the ad's
        best = (start, end)
    return best


def _ad_unit(blocks: Sequence[Block], at: int, marker: Marker) -> tuple[int, int] | None:
    """Where the markup shows no module: the marker, the headline right after it and that
    headline's body, when they hold no news and (after a "Presented by" line) ask the
    reader to act. None when the marker stands over news or over no headline, and for a
    sign-off ("*This is sponsored content."), which ends the ad above it instead."""
    if SIGN_OFF.search(blocks[at].text):
        return None
    head = at + 1
    while head < len(blocks) and blocks[head].kind is Kind.RULE:
        head += 1
    rank = headline_rank(blocks[head]) if head < len(blocks) else None
    if rank is None:
        if marker is Marker.PRESENTER:
            return None
        # "Sponsored" over a bare paragraph: the ad runs to the next headline.
        end = _skip_to_headline(blocks, at + 1)
        unit = blocks[at + 1 : end]
        if sum(word_count(b.text) for b in unit) > _AD_WORDS or any(
            b.kind is Kind.PARA and find_source(b.text) for b in unit
        ):
            return None
        return at, end
    end = head + 1
    while end < len(blocks):
        other = headline_rank(blocks[end])
        if (
            blocks[end].kind is Kind.RULE
            or (other is not None and other <= rank)
            or banner_like(blocks[end])
        ):
            break
        end += 1
    unit = blocks[head + 1 : end]
    if not unit:
        return None  # a headline with nothing under it is a banner, not the ad
    if sum(word_count(b.text) for b in unit) > _AD_WORDS:
        return None
    if any(b.kind is Kind.PARA and find_source(b.text) for b in unit[:2]):
        return None
    if marker is Marker.PRESENTER and not any(asks_to_act(b) for b in unit):
        return None
    return at, end


def asks_to_act(block: Block) -> bool:
    """A call to action: "Try it free", or a button (a few words that are all one link)."""
    if block.kind not in TEXT_KINDS:
        return False
    return bool(CALL_TO_ACTION.match(block.text)) or (
        block.all_linked and word_count(block.text) <= _BUTTON_WORDS
    )


def _skip_to_headline(blocks: Sequence[Block], i: int) -> int:
    """Past a footer line: everything up to the next headline or rule is footer too."""
    while i < len(blocks):
        block = blocks[i]
        if block.kind is Kind.RULE or headline_rank(block) is not None:
            return i
        i += 1
    return i
