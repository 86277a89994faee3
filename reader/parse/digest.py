"""Splits a block stream into stories. A digest is a page whose main column repeats a unit:
a headline (a heading, a bold or large line, a linked headline) followed by body blocks. The
splitter tries every headline rank the page uses, keeps the one whose units are the page's
stories, reads banners as the stories' sections, and leaves ads and furniture out by rule."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reader.model import ParsedStory
from reader.parse.blocks import (
    HEADLINE_LEVEL,
    Block,
    Kind,
    Run,
    Strength,
    find_label,
    find_source,
    headline_level,
    is_furniture,
    word_count,
)
from reader.parse.boilerplate import (
    CALL_TO_ACTION,
    Dropped,
    Marker,
    Rule,
    furniture_rule,
    is_furniture_section,
    is_poll_choice,
    marks_headline,
    sponsor_marker,
)
from reader.parse.story import build_story
from reader.parse.text import normalize_text

# A leading "story" this short with no source and no labels is the masthead and date line.
_MASTHEAD_WORDS = 30
_TITLE_CHARS = 80
_TEXT_KINDS = (Kind.PARA, Kind.HEADING, Kind.BULLET)
# An ad's module in an e-mail: a container this small around a sponsor marker.
_AD_WORDS = 220
# Ranks of headlines without a heading tag: a line in a large font ranks with <h2>–<h4>,
# an all-caps bold line above a bold one, a bold line above a line that is one link.
_SIZE_RANKS = ((26.0, 2.0), (21.0, 3.0), (18.0, 4.0))
_CAPS_RANK = 6.0
_BOLD_RANK = float(HEADLINE_LEVEL)
_LINK_RANK = 8.0
_MAX_HEADLINE_WORDS = 24
_MAX_HEADLINE_CHARS = 200
_BANNER_WORDS = 6
# Interviews: a level whose headlines are mostly questions holds one story's Q&A.
_QUESTION = re.compile(r"^(?:q\s*[:.\-–—]|question\b)|\?\s*$", re.I)
_QUESTION_SHARE = 0.5
_BUTTON_WORDS = 4
_DISCLAIMER = re.compile(r"sponsor|gesponsert|werbe|publicit|patrocin|advertis", re.I)
_REPEATS = 3
# "sfchronicle.com" under a linked headline: where it links to, not a headline.
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_INLINE_HEADS = 2
_INLINE_DASH = re.compile(r"^[—–-]\s+|^\|\s+")
_ESSAY_SECTION_WORDS = 120
_SENTENCE_END = re.compile(r"(?<!\.\.)[.;,]$")


@dataclass(slots=True)
class Cleaned:
    """A block stream without ads' modules and furniture, and what was left out."""

    blocks: list[Block]
    dropped: list[Dropped] = field(default_factory=list)


@dataclass(slots=True)
class Digest:
    """A digest's stories, and the text blocks that none of them holds with the rule that
    left each out (banners are a story's category, never text)."""

    stories: list[ParsedStory]
    dropped: list[Dropped]
    blocks: list[Block]  # the page as the splitter read it: inline headlines split off


@dataclass(slots=True)
class _Draft:
    headline: Block
    section: str | None = None
    blocks: list[Block] = field(default_factory=list)
    after_marker: bool = False
    promoted: bool = False  # a weaker headline taken as a story because a banner is over it

    @property
    def lead(self) -> Block | None:
        return next((b for b in self.blocks if b.kind is Kind.PARA), None)

    @property
    def has_source(self) -> bool:
        lead = self.lead
        if lead is None:
            return False
        label = find_label(lead)
        return find_source(label.rest if label else lead.text) is not None

    @property
    def has_labels(self) -> bool:
        return any(_strong_label(b) for b in self.blocks)

    @property
    def has_body(self) -> bool:
        return any(b.kind in (Kind.PARA, Kind.BULLET, Kind.ROW) for b in self.blocks)

    @property
    def has_link(self) -> bool:
        return bool(self.headline.first_href) or any(
            b.kind is Kind.MORE and b.href for b in self.blocks
        )

    @property
    def words(self) -> int:
        return sum(word_count(b.text) for b in self.blocks)


@dataclass(slots=True)
class _Reading:
    rank: float
    drafts: list[_Draft]
    full: int  # units with a body
    evidence: int  # units whose lead names a source or that have labels
    linked: int  # units with a link of their own: the headline or a "Read more"
    questions: bool


# -- cleaning ---------------------------------------------------------------------------------


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
        if block.kind not in _TEXT_KINDS:
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
        acts = any(_asks_to_act(b) for b in module)
        heads = sum(
            1
            for b in module
            if headline_rank(b) is not None and b is not blocks[at] and not _asks_to_act(b)
        )
        if heads > 1 or (marker is Marker.PRESENTER and heads and not acts):
            break
        best = (start, end)
    return best


def _ad_unit(blocks: Sequence[Block], at: int, marker: Marker) -> tuple[int, int] | None:
    """Where the markup shows no module: the marker, the headline right after it and that
    headline's body, when they hold no news and (after a "Presented by" line) ask the
    reader to act. None when the marker stands over news or over no headline."""
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
        if blocks[end].kind is Kind.RULE or (other is not None and other <= rank):
            break
        end += 1
    unit = blocks[head + 1 : end]
    if sum(word_count(b.text) for b in unit) > _AD_WORDS:
        return None
    if any(b.kind is Kind.PARA and find_source(b.text) for b in unit[:2]):
        return None
    if marker is Marker.PRESENTER and not any(_asks_to_act(b) for b in unit):
        return None
    return at, end


def _asks_to_act(block: Block) -> bool:
    """A call to action: "Try it free", or a button (a few words that are all one link)."""
    if block.kind not in _TEXT_KINDS:
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


# -- headlines --------------------------------------------------------------------------------


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
        return _CAPS_RANK if _shouts(text) else _BOLD_RANK
    if block.all_linked and block.first_href:
        return _LINK_RANK
    return None


def _shouts(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters if c.lower() != c.upper())


# -- splitting --------------------------------------------------------------------------------


def split_digest(blocks: Sequence[Block], *, structural: bool = True) -> list[ParsedStory] | None:
    """The stories of a digest page, or None when the page does not look like a digest
    (see :func:`read_digest`)."""
    digest = read_digest(blocks, structural=structural)
    return digest.stories if digest else None


def read_digest(blocks: Sequence[Block], *, structural: bool = True) -> Digest | None:
    """The stories of a digest page and every text block left out of them, with the rule
    that left it out; None when the page does not look like a digest.

    Units that name no source and have no labels make a digest only when each has a link of
    its own, or when ``structural`` says the page is laid out like an e-mail; otherwise an
    article's sub-heads would cut it into pieces."""
    blocks = _list_heads(_inline_heads(blocks))
    markers = [sponsor_marker(b.text) if b.kind in _TEXT_KINDS else None for b in blocks]
    # A marker line ("TOGETHER WITH", "Sponsored") is never a headline; a headline tagged
    # "(Sponsor)" still heads its ad's unit.
    ranks = [
        headline_rank(b) if m is None or marks_headline(b.text) else None
        for b, m in zip(blocks, markers, strict=True)
    ]
    readings = [
        _read(blocks, ranks, markers, rank) for rank in sorted({r for r in ranks if r is not None})
    ]
    chosen = _choose(readings, structural)
    if chosen is None:
        return None
    left_out: list[tuple[_Draft, Rule]] = []
    drafts: list[_Draft] = []
    for draft in chosen.drafts:
        if _is_ad(draft):
            left_out.append((draft, Rule.SPONSOR))
        elif (draft.section and is_furniture_section(draft.section)) or (
            _banner_like(draft.headline) and is_furniture_section(draft.headline.text)
        ):
            left_out.append((draft, Rule.SECTION))
        else:
            drafts.append(draft)
    if chosen.evidence:
        while drafts and not (drafts[0].has_source or drafts[0].has_labels):
            if drafts[0].words >= _MASTHEAD_WORDS or len(drafts) == 1:
                break
            left_out.append((drafts.pop(0), Rule.MASTHEAD))
    elif len(drafts) > 1 and _titles_the_page(drafts, ranks, blocks):
        sections = [d for d in drafts[1:] if not d.promoted]
        if not any(r.evidence for r in readings) and sections and _one_essay(drafts[0], sections):
            return None
        left_out.append((drafts.pop(0), Rule.MASTHEAD))
    if not drafts:
        return None
    # Labels found only by shape count on a sourced digest whose markup marks no labels
    # (plain text); where bold marks them, an unmarked "Said:" is just a sentence.
    shape_labels = any(d.has_source for d in drafts) and not any(
        _label_strength(b) is Strength.MARKED for d in drafts for b in d.blocks
    )
    stories = []
    for draft in drafts:
        body = [b for b in draft.blocks if not _marker_line(b)]
        if not any(b.kind in (Kind.PARA, Kind.BULLET, Kind.ROW) for b in body):
            # A headline-only alert: the headline is all the text there is.
            body = [replace(draft.headline, kind=Kind.PARA, level=0), *body]
        story = build_story(
            draft.headline.text,
            body,
            shape_labels=shape_labels,
            fallback_url=draft.headline.first_href,
            section=draft.section,
        )
        if story is None:
            left_out.append((draft, Rule.EMPTY))
        else:
            stories.append(story)
    if not stories:
        return None
    return Digest(stories, _left_out(blocks, drafts, left_out), list(blocks))


def _left_out(
    blocks: Sequence[Block], kept: Sequence[_Draft], dropped: Sequence[tuple[_Draft, Rule]]
) -> list[Dropped]:
    """Every text block of the page that no kept story holds, and why: the unit it was in,
    a sponsor marker line, the letter's own greeting before its first story, or a banner."""
    rules: dict[int, Rule] = {}
    for draft, rule in dropped:
        for block in (draft.headline, *draft.blocks):
            rules[id(block)] = rule
    kept_ids = {id(b) for d in kept for b in (d.headline, *d.blocks) if not _marker_line(b)}
    first = id(kept[0].headline)
    seen_first = False
    out: list[Dropped] = []
    for block in blocks:
        seen_first = seen_first or id(block) == first
        if id(block) in kept_ids or block.kind not in (*_TEXT_KINDS, Kind.ROW):
            continue
        if _marker_line(block):
            rule = Rule.SPONSOR
        else:
            rule = rules.get(id(block), Rule.SECTION if seen_first else Rule.MASTHEAD)
        out.append(Dropped(block, rule))
    return out


def _titles_the_page(
    drafts: Sequence[_Draft], ranks: Sequence[float | None], blocks: Sequence[Block]
) -> bool:
    """The first unit's headline outranks every other: the letter's own title, over its
    greeting, not a story."""
    index = {id(b): i for i, b in enumerate(blocks)}
    first = ranks[index[id(drafts[0].headline)]]
    rest = [ranks[index[id(d.headline)]] for d in drafts[1:]]
    return first is not None and all(r is not None and r > first for r in rest)


def _one_essay(title: _Draft, drafts: Sequence[_Draft]) -> bool:
    """Long sections with no links of their own under one title: an essay's sub-heads.
    A post's title links to the post; a digest's items link to their stories."""
    words = sorted(d.words for d in drafts)
    median = words[len(words) // 2]
    linked = sum(bool(d.headline.first_href) for d in drafts)
    if linked * 2 >= len(drafts):
        return False
    if title.headline.first_href and not linked:
        return median >= _ESSAY_SECTION_WORDS // 2
    return median >= _ESSAY_SECTION_WORDS


def _marker_line(block: Block) -> bool:
    """A sponsor marker on a line of its own ("Presented by Acme"): never story text. A list
    item that happens to say "Anzeige" stays."""
    marker = sponsor_marker(block.text) if block.kind in _TEXT_KINDS else None
    return marker is Marker.PRESENTER or (
        marker is not None and block.kind in (Kind.PARA, Kind.HEADING)
    )


def sponsor_marker_of(block: Block) -> Marker | None:
    return sponsor_marker(block.text) if block.kind in _TEXT_KINDS else None


def _read(
    blocks: Sequence[Block],
    ranks: Sequence[float | None],
    markers: Sequence[Marker | None],
    rank: float,
) -> _Reading:
    """The page cut into units opened by headlines of ``rank`` or stronger. A headline with
    no text before the next one is a banner: it closes the unit before it and names the
    section of the units after it. A linked headline followed by another of its rank is
    a headline-only story (an alert's list)."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    section: str | None = None
    heads = 0
    questions = 0
    inside = _inside_modules(blocks, ranks, markers, rank)
    side: float | None = None
    for i, block in enumerate(blocks):
        own = ranks[i]
        if (own is None or own > rank) and _banner_like(block):
            nxt = _next_content(blocks, markers, i + 1)
            follower = ranks[nxt] if nxt is not None else None
            if nxt is not None and follower is not None:
                current, section, side = None, block.text, None
                continue
            if nxt is not None and blocks[nxt].kind is Kind.BULLET:
                current = _Draft(block, section)
                drafts.append(current)
                continue
        promoted = False
        # Under a banner: a section whose items are set in another style (a box of linked
        # headlines under "ELSEWHERE") still holds stories.
        if (
            own is not None
            and own > rank
            and section is not None
            and (current is None or side == own)
        ):
            nxt = _next_content(blocks, markers, i + 1)
            follower = ranks[nxt] if nxt is not None else None
            if (
                nxt is None
                or follower == own
                or (follower is None and blocks[nxt].kind in (Kind.PARA, Kind.MORE))
            ):
                promoted = True
        if promoted:
            side = own
            current = _Draft(block, section, promoted=True)
            drafts.append(current)
            continue
        if own is None or own > rank or i in inside:
            if current is not None:
                current.blocks.append(block)
            continue
        heads += 1
        side = None
        questions += bool(_QUESTION.search(block.text))
        nxt = _next_content(blocks, markers, i + 1)
        follower = ranks[nxt] if nxt is not None else None
        opens = (
            nxt is not None
            and follower is None
            and blocks[nxt].kind in (Kind.PARA, Kind.BULLET, Kind.ROW, Kind.MORE)
        )
        if not opens and block.all_linked and (nxt is None or (follower or 0) >= own):
            opens = True
        if opens:
            current = _Draft(block, section, after_marker=_marked_before(blocks, markers, i))
            drafts.append(current)
            if _banner_like(block) and is_furniture_section(block.text):
                section = block.text
        else:
            current = None
            if word_count(block.text) <= _BANNER_WORDS:
                section = block.text
    full = sum(d.has_body and not d.promoted for d in drafts)
    evidence = sum((d.has_source or d.has_labels) and not d.promoted for d in drafts)
    linked = sum(d.has_link for d in drafts)
    asks = heads >= _REPEATS and questions >= heads * _QUESTION_SHARE
    return _Reading(rank, drafts, full, evidence, linked, asks)


def _inline_heads(blocks: Sequence[Block]) -> list[Block]:
    """Paragraphs that open with their own headline: "**Title** — blurb", "[Title](…) —
    blurb", "**SHOUTED HEAD** The sentence …". Where the page repeats the pattern, each
    becomes a headline block and a paragraph, so the splitter sees the unit."""
    found = [(i, _inline_head(b)) for i, b in enumerate(blocks)]
    if sum(split is not None for _, split in found) < _INLINE_HEADS:
        return list(blocks)
    out: list[Block] = []
    for i, split in found:
        if split is None:
            out.append(blocks[i])
        else:
            out.extend(split)
    return out


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
    if block.kind is not Kind.PARA or block.all_bold or block.all_linked:
        return None
    lead: list[Run] = []
    for run in block.runs:
        if not run.text.strip():
            lead.append(run)
            continue
        if not (run.bold or run.href):
            break
        sofar = normalize_text("".join(r.text for r in lead))
        if word_count(sofar) >= 3 and _shouts(sofar) and not _shouts(run.text):
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
    if head.endswith((":", "…", "...")) or find_label(block) is not None:
        return None
    dash = _INLINE_DASH.match(tail)
    if dash:
        tail = tail[dash.end() :]
        rest = _drop_prefix(rest, dash.end())
    elif not (_shouts(head) and word_count(head) >= 3):
        return None
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


def _banner_like(block: Block) -> bool:
    """A short line in capitals or led by an emoji: "MARKETS", "🛠 Code & Tools". A line
    set in no headline style must shout to be one ("MORE ON THIS STORY")."""
    text = block.text
    if block.kind is not Kind.PARA and block.kind is not Kind.HEADING:
        return False
    if headline_rank(block) is None:
        return (
            word_count(text) <= _BANNER_WORDS and _shouts(text) and not _SENTENCE_END.search(text)
        )
    if word_count(text) > _BANNER_WORDS:
        return False
    if not any(c.isalpha() for c in text):
        return False
    return _shouts(text) or not (text[0].isalnum() or text[0] in "\"'“‘(¿¡")


def _inside_modules(
    blocks: Sequence[Block],
    ranks: Sequence[float | None],
    markers: Sequence[Marker | None],
    rank: float,
) -> set[int]:
    """Headlines of ``rank`` that sit inside a story's module rather than open one. Where
    most headlines open a layout container of their own (an e-mail's story cells), one
    that shares its container with the text before it is a sub-head ("Meanwhile")."""
    heads = [i for i, r in enumerate(ranks) if r is not None and r <= rank]
    inside: set[int] = set()
    for i in heads:
        j = i - 1
        while j >= 0 and (blocks[j].kind is Kind.RULE or markers[j] is not None):
            j -= 1
        block = blocks[i]
        # A heading tag or a linked headline is never a sub-head: only bold lines are.
        if j < 0 or ranks[j] is not None or not block.boxes:
            continue
        if block.kind is Kind.HEADING or block.all_linked:
            continue
        if block.boxes[-1] in blocks[j].boxes:
            inside.add(i)
    if len(heads) - len(inside) < 2 or (len(heads) - len(inside)) * 2 < len(heads):
        return set()
    return inside


def _next_content(blocks: Sequence[Block], markers: Sequence[Marker | None], i: int) -> int | None:
    while i < len(blocks) and (blocks[i].kind is Kind.RULE or markers[i] is not None):
        i += 1
    return i if i < len(blocks) else None


def _marked_before(blocks: Sequence[Block], markers: Sequence[Marker | None], i: int) -> bool:
    j = i - 1
    while j >= 0 and blocks[j].kind is Kind.RULE:
        j -= 1
    return j >= 0 and markers[j] is not None


def _choose(readings: Sequence[_Reading], structural: bool) -> _Reading | None:
    """The reading whose units are the stories: the strongest rank that repeats, unless a
    weaker rank finds more sourced or labelled units (the stronger one was banners over
    sections), or many more units where the stronger found only a few."""
    viable = [
        r
        for r in readings
        if (r.full >= 2 or r.evidence)
        and not r.questions
        and (r.evidence or structural or _link_digest(r))
    ]
    if not viable:
        return None
    # A lone unit counts (one sourced story) only where nothing repeats: units whose
    # evidence is all in the first are an article's own sections under its title.
    repeating = [
        r
        for r in viable
        if r.full >= _REPEATS
        and (structural or any(d.has_source or d.has_labels for d in r.drafts[1:]))
    ]
    viable = repeating or viable
    best = viable[0]
    for reading in viable[1:]:
        if reading.evidence > best.evidence or (
            reading.evidence == best.evidence
            and best.full <= 3
            and reading.full >= 3 * best.full
            and not best.evidence
        ):
            best = reading
    return best


def _link_digest(reading: _Reading) -> bool:
    """Units that each link to their own story, none of them far the largest: a list of
    links with blurbs, not an article with a box of related stories under it."""
    drafts = reading.drafts
    if reading.linked < 3 or reading.linked * 3 < len(drafts) * 2:
        return False
    sizes = sorted(d.words for d in drafts if d.has_link)
    largest = max(drafts, key=lambda d: d.words)
    return largest.has_link or largest.words <= 3 * sizes[len(sizes) // 2]


def _is_ad(draft: _Draft) -> bool:
    """A unit that is an ad: its headline or a line of it says so, or it asks the reader to
    act right under a sponsor marker. A unit whose lead names a source is news."""
    if draft.has_source:
        return False
    if sponsor_marker(draft.headline.text) is Marker.LABEL:
        return True
    inner = [sponsor_marker_of(b) for b in draft.blocks]
    # An ad says so at its top, or signs off as sponsored content; an "Anzeige" slot left
    # inside a story's text does not make the story an ad.
    if Marker.LABEL in inner[:2] or (
        inner and inner[-1] is Marker.LABEL and _DISCLAIMER.search(draft.blocks[-1].text)
    ):
        return True
    acts = any(_asks_to_act(b) for b in draft.blocks)
    marked = draft.after_marker or Marker.PRESENTER in inner or sponsor_marker(draft.headline.text)
    return bool(marked and acts)


# -- one story --------------------------------------------------------------------------------


def single_story(
    blocks: Sequence[Block], title: str | None = None, *, title_hint: str | None = None
) -> ParsedStory | None:
    """All of ``blocks`` as one story; the title is ``title``, else an opening headline, else
    ``title_hint``, else the start of the first block."""
    body = [b for b in blocks if not _marker_line(b)]
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
