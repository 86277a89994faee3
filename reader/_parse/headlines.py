"""Which blocks read as headlines, and how strongly: heading tags, font size, capitals,
bold and links; banners over sections; and the headlines that newsletters run into the start
of a paragraph ("**Title** — blurb") or a list item, split off so the splitter sees them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from reader._parse.blocks import (
    HEADLINE_LEVEL,
    Block,
    Kind,
    Run,
    find_label,
    headline_level,
    is_furniture,
    is_known_label,
    word_count,
)
from reader._parse.text import normalize_text

# Ranks of headlines without a heading tag: a line in a large font ranks with <h2>–<h4>,
# an all-caps bold line above a bold one, a bold line above a line that is one link.
_SIZE_RANKS = ((26.0, 2.0), (21.0, 3.0), (18.0, 4.0))
_CAPS_RANK = 6.0
_BOLD_RANK = float(HEADLINE_LEVEL)
_LINK_RANK = 8.0
_MAX_HEADLINE_WORDS = 24
_MAX_HEADLINE_CHARS = 200
BANNER_WORDS = 6
# "sfchronicle.com" under a linked headline: where it links to, not a headline.
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_INLINE_HEADS = 2
_SHOUTED_HEAD_WORDS = 3
_LIST_BLURB_WORDS = 8
_BOLD_LEADS = 3
_INLINE_DASH = re.compile(r"^[—–-]\s+|^\|\s+")
# A line ending like a sentence is no headline; "U.S." and "Inc." end like abbreviations.
_SENTENCE_END = re.compile(r"(?<!\.\.)(?<!\b[A-Z]\.[A-Z])(?<!\bInc)(?<!\bCo)(?<!\bLtd)[.;,]$")


def headline_rank(block: Block) -> float | None:
    """How strongly a block reads as a headline (1 = <h1>; lower ranks are weaker): its
    heading level, else its font size, capitals, bold or link. None for text."""
    if block.kind not in (Kind.HEADING, Kind.PARA):
        return None
    if headline_level(block) is None and block.kind is Kind.HEADING:
        return None
    text = block.text
    if block.kind is Kind.HEADING:
        return float(block.level)
    if (
        word_count(text) > _MAX_HEADLINE_WORDS
        or len(text) > _MAX_HEADLINE_CHARS
        or _SENTENCE_END.search(text)
        or text.endswith((":", "…", "..."))
        or is_furniture(text)
        or _DOMAIN.match(text)
    ):
        return None
    bold = block.all_bold
    for size, rank in _SIZE_RANKS:
        if block.size >= size:
            return rank
    if bold:
        return _CAPS_RANK if shouts(text) else _BOLD_RANK
    if block.all_linked and block.first_href:
        return _LINK_RANK
    return None


def shouts(text: str, least: int = 6) -> bool:
    """Written in capitals, with at least ``least`` letters (fewer say nothing: "AI")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= least and all(c.isupper() for c in letters if c.lower() != c.upper())


def banner_like(block: Block) -> bool:
    """A short line in capitals or led by an emoji: "MARKETS", "🛠 Code & Tools". A line
    set in no headline style must shout to be one ("MORE ON THIS STORY")."""
    text = block.text
    if block.kind is not Kind.PARA and block.kind is not Kind.HEADING:
        return False
    if headline_rank(block) is None:
        return (
            word_count(text) <= BANNER_WORDS
            and shouts(text)
            and not _SENTENCE_END.search(text)
            and find_label(block) is None  # "WHY: IT MATTERS" opens a section of a story
        )
    if word_count(text) > BANNER_WORDS:
        return False
    if not any(c.isalpha() for c in text):
        return False
    # Set as a headline, a short shouted word is a banner too: "WORLD", "U.S.".
    return shouts(text, least=2) or not (text[0].isalnum() or text[0] in "\"'“‘(¿¡")


def _inline_heads(blocks: Sequence[Block]) -> list[Block]:
    """Paragraphs that open with their own headline: "**Title** — blurb", "[Title](…) —
    blurb", "**SHOUTED HEAD** The sentence …". Where the page repeats the pattern, each
    becomes a headline block and a paragraph, so the splitter sees the unit."""
    found = [
        (i, None if _under_a_banner(blocks, i) else _inline_head(b)) for i, b in enumerate(blocks)
    ]
    if sum(split is not None for _, split in found) < _INLINE_HEADS:
        return list(blocks)
    out: list[Block] = []
    for i, split in found:
        if split is None:
            out.append(blocks[i])
        else:
            out.extend(split)
    return out


def _under_a_banner(blocks: Sequence[Block], i: int) -> bool:
    """A list item in a list right under a banner or headline ("🛠 Tools", then "[Sortwise] —
    sorts your inbox"): the list is that banner's one story, its items are not stories."""
    if blocks[i].kind is not Kind.BULLET:
        return False
    j = i - 1
    while j >= 0 and blocks[j].kind is Kind.BULLET:
        j -= 1
    return j >= 0 and (headline_rank(blocks[j]) is not None or banner_like(blocks[j]))


def _list_heads(blocks: Sequence[Block]) -> list[Block]:
    """A list whose items are a bold or linked title and a blurb ("<li><b><a>Title</a></b>
    <br>Why it is worth reading</li>"): the titles are headlines, the blurbs paragraphs."""
    pairs = [
        i
        for i in range(len(blocks) - 1)
        if _list_title(blocks[i])
        and blocks[i + 1].kind is Kind.BULLET
        and not _list_title(blocks[i + 1])
    ]
    if len(pairs) < _INLINE_HEADS:
        return list(blocks)
    out = list(blocks)
    for i in pairs:
        out[i] = replace(out[i], kind=Kind.PARA)
        out[i + 1] = replace(out[i + 1], kind=Kind.PARA)
    return out


def _list_title(block: Block) -> bool:
    return (
        block.kind is Kind.BULLET
        and (block.all_bold or block.all_linked)
        and word_count(block.text) <= _MAX_HEADLINE_WORDS
        and not _SENTENCE_END.search(block.text)
    )


def _inline_head(block: Block) -> tuple[Block, Block] | None:
    if block.kind not in (Kind.PARA, Kind.BULLET) or block.all_bold or block.all_linked:
        return None
    if block.kind is Kind.BULLET and not block.first_href:
        return None  # a list item heads a story only with a link of its own: "[Title] — …"
    lead: list[Run] = []
    for run in block.runs:
        if not run.text.strip():
            lead.append(run)
            continue
        if not (run.bold or run.href):
            break
        sofar = normalize_text("".join(r.text for r in lead))
        if word_count(sofar) >= 3 and shouts(sofar) and not shouts(run.text):
            break  # "**SHOUTED HEAD** **The bold first sentence.** …"
        if (
            lead
            and any(r.text.strip() for r in lead)
            and (run.href, run.bold)
            != (
                next(r for r in lead if r.text.strip()).href,
                next(r for r in lead if r.text.strip()).bold,
            )
        ):
            break
        lead.append(run)
    else:
        return None
    rest = block.runs[len(lead) :]
    head = normalize_text("".join(r.text for r in lead))
    tail = normalize_text("".join(r.text for r in rest))
    if not head or not tail or word_count(head) > _MAX_HEADLINE_WORDS:
        return None
    shouted = word_count(head) >= _SHOUTED_HEAD_WORDS and shouts(head.rstrip(":—– "))
    if shouted and head.endswith((":", "—", "–")) and not is_known_label(head):
        # Playbook's run-in head: "**PLAYBOOK EXCLUSIVE — THE LETTER:** Eleven governors …"
        head = head.rstrip(":—– ")
    elif head.endswith((":", "…", "...")) or find_label(block) is not None:
        return None
    dash = _INLINE_DASH.match(tail)
    if dash:
        tail = tail[dash.end() :]
        rest = _drop_prefix(rest, dash.end())
    elif block.kind is Kind.BULLET or not (
        shouts(head) and word_count(head) >= _SHOUTED_HEAD_WORDS
    ):
        return None
    if block.kind is Kind.BULLET and word_count(tail) < _LIST_BLURB_WORDS:
        return None  # "Prisma 7.2 – faster query planning.": a release list, one story
    if not tail:
        return None
    first = Block(Kind.PARA, head, runs=tuple(lead), size=block.size, boxes=block.boxes)
    second = Block(Kind.PARA, tail, runs=rest, size=block.size, boxes=block.boxes)
    return first, second


def _drop_prefix(runs: Sequence[Run], chars: int) -> tuple[Run, ...]:
    """``runs`` without the first ``chars`` characters of their normalized text."""
    out: list[Run] = []
    left = chars
    for run in runs:
        if left <= 0:
            out.append(run)
            continue
        text = run.text.lstrip()
        cut = min(left, len(text))
        left -= cut + (1 if cut == len(text) else 0)
        if text[cut:].strip():
            out.append(Run(text[cut:], run.bold, run.italic, run.href, run.size))
    return tuple(out)


def bold_lead_heads(blocks: Sequence[Block]) -> list[Block] | None:
    """A briefing without headlines whose items each open with a bold lead ("**Die Bahn
    steht wieder still.** Die Gewerkschaft …", "**1. Stocks slip.** …"): each lead made a
    headline of its own. None unless several paragraphs do it and most leads are not
    labels ("Why it matters:"), which would make them one story's sections instead."""
    found: list[tuple[int, Block, Block]] = []
    for i, block in enumerate(blocks):
        split = _bold_lead(block)
        if split is not None:
            found.append((i, *split))
    labels = sum(head.text.endswith(":") for _, head, _ in found)
    if len(found) < _BOLD_LEADS or labels * 2 > len(found):
        return None
    out = list(blocks)
    for i, head, rest in reversed(found):
        out[i : i + 1] = [replace(head, text=head.text.rstrip(":. ")), rest]
    return out


def _bold_lead(block: Block) -> tuple[Block, Block] | None:
    if block.kind is not Kind.PARA or block.all_bold:
        return None
    lead = block.lead_bold
    if word_count(lead) < 2 or word_count(lead) > _MAX_HEADLINE_WORDS or is_known_label(lead):
        return None
    if not block.text.startswith(lead):
        return None
    count = 0
    runs = list(block.runs)
    while count < len(runs) and (runs[count].bold or not runs[count].text.strip()):
        count += 1
    head_runs, rest_runs = tuple(runs[:count]), tuple(runs[count:])
    rest = normalize_text("".join(r.text for r in rest_runs))
    if not rest:
        return None
    head = Block(Kind.PARA, lead, runs=head_runs, size=block.size, boxes=block.boxes)
    body = Block(Kind.PARA, rest, runs=rest_runs, size=block.size, boxes=block.boxes)
    return head, body


def split_inline_heads(blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with the headlines run into paragraphs and list items made blocks."""
    return _list_heads(_inline_heads(blocks))
