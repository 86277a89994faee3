"""Splits a block stream into stories. A digest is a page whose main column repeats a unit:
a headline (a heading, a bold or large line, a linked headline) followed by body blocks. The
splitter tries every headline rank the page uses, keeps the one whose units are the page's
stories, reads banners as the stories' sections, and leaves ads and furniture out by rule."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reader._parse.blocks import (
    TEXT_KINDS,
    Block,
    Kind,
    Strength,
    find_label,
    find_source,
    headline_level,
    word_count,
)
from reader._parse.boilerplate import (
    SIGN_OFF,
    Dropped,
    Marker,
    Rule,
    is_furniture_section,
    marks_headline,
    sponsor_marker,
)
from reader._parse.cleaning import asks_to_act
from reader._parse.headlines import (
    BANNER_WORDS,
    banner_like,
    bold_lead_heads,
    headline_rank,
    split_inline_heads,
)
from reader._parse.story import build_story
from reader._parse.text import title_from
from reader.model import ParsedStory

# A leading "story" this short with no source and no labels is the masthead and date line.
_MASTHEAD_WORDS = 30
# Interviews: a level whose headlines are mostly questions holds one story's Q&A.
_QUESTION = re.compile(r"^(?:q\s*[:.\-–—]|question\b)|\?\s*$", re.I)
_QUESTION_SHARE = 0.5
_REPEATS = 3
# Sub-heads are the exception: at most one for every two headlines that open a cell.
_SUBHEAD_SHARE = 2
_ESSAY_SECTION_WORDS = 60
_TITLE_WORDS = 2


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


# -- splitting --------------------------------------------------------------------------------


def read_digest(
    blocks: Sequence[Block], *, structural: bool = True, title: str | None = None
) -> Digest | None:
    """The stories of a digest page and every text block left out of them, with the rule
    that left it out; None when the page does not look like a digest.

    Units that name no source and have no labels make a digest only when each has a link of
    its own, or when ``structural`` says the page is laid out like an e-mail; otherwise an
    article's sub-heads would cut it into pieces. ``title`` is the page's own (its
    ``<title>``): a first unit headed so, above every other, is the letter's masthead."""
    blocks = split_inline_heads(blocks)
    blocks, ranks, readings = _readings(blocks)
    chosen = _choose(readings, structural)
    if chosen is None and structural:
        # No headlines at all: a briefing whose items open with a bold sentence.
        led = bold_lead_heads(blocks)
        if led is not None:
            blocks, ranks, readings = _readings(led)
            chosen = _choose(readings, structural)
    if chosen is None:
        return None
    left_out: list[tuple[_Draft, Rule]] = []
    drafts: list[_Draft] = []
    for draft in chosen.drafts:
        if _is_ad(draft):
            left_out.append((draft, Rule.SPONSOR))
        elif (draft.section and is_furniture_section(draft.section)) or (
            banner_like(draft.headline) and is_furniture_section(draft.headline.text)
        ):
            left_out.append((draft, Rule.SECTION))
        else:
            drafts.append(draft)
    if chosen.evidence:
        while drafts and not (drafts[0].has_source or drafts[0].has_labels):
            # A masthead is short and links nowhere of its own; a linked headline is news.
            if drafts[0].words >= _MASTHEAD_WORDS or len(drafts) == 1 or drafts[0].has_link:
                break
            left_out.append((drafts.pop(0), Rule.MASTHEAD))
    elif len(drafts) > 1 and _titles_the_page(drafts, ranks, blocks):
        sections = [d for d in drafts[1:] if not d.promoted]
        if not any(r.evidence for r in readings) and sections and _one_essay(drafts[0], sections):
            return None
        # The letter's own title over its greeting; a linked headline that outranks the
        # rest is its featured story (many letters take their subject from it).
        if not drafts[0].has_link:
            left_out.append((drafts.pop(0), Rule.MASTHEAD))
    if (
        len(drafts) > 1
        and title
        and not (drafts[0].has_source or drafts[0].has_labels)
        and _titles_the_page(drafts, ranks, blocks)
        and _names_the_page(drafts[0].headline.text, title)
    ):
        # "Monday Ledger: A permitting deal …" over the greeting: the post's own title, even
        # linked; a featured story that outranks the rest is headed otherwise.
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


def _readings(
    blocks: Sequence[Block],
) -> tuple[list[Block], list[float | None], list[_Reading]]:
    """The page cut at each headline rank it uses, with each block's marker and rank."""
    markers = [sponsor_marker(b.text) if b.kind in TEXT_KINDS else None for b in blocks]
    # A marker line ("TOGETHER WITH", "Sponsored") is never a headline; a headline tagged
    # "(Sponsor)" still heads its ad's unit.
    ranks = [
        headline_rank(b) if m is None or marks_headline(b.text) else None
        for b, m in zip(blocks, markers, strict=True)
    ]
    readings = [
        _read(blocks, ranks, markers, rank) for rank in sorted({r for r in ranks if r is not None})
    ]
    return list(blocks), ranks, readings


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
        if id(block) in kept_ids or block.kind not in (*TEXT_KINDS, Kind.ROW):
            continue
        if _marker_line(block):
            rule = Rule.SPONSOR
        else:
            rule = rules.get(id(block), Rule.SECTION if seen_first else Rule.MASTHEAD)
        out.append(Dropped(block, rule))
    return out


def _names_the_page(headline: str, title: str) -> bool:
    head, page = " ".join(headline.casefold().split()), " ".join(title.casefold().split())
    return word_count(head) >= _TITLE_WORDS and (head in page or page in head)


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
    """Sections of some length, none linked, under a title that links to the post: a
    Substack or Ghost essay's sub-heads. A letter of several short essays under its own
    name (no link) is several stories."""
    words = sorted(d.words for d in drafts)
    linked = any(d.headline.first_href for d in drafts)
    return (
        bool(title.headline.first_href)
        and not linked
        and (words[len(words) // 2] >= _ESSAY_SECTION_WORDS)
    )


def _marker_line(block: Block) -> bool:
    """A sponsor marker on a line of its own ("Presented by Acme"): never story text. A list
    item that happens to say "Anzeige" stays."""
    marker = sponsor_marker(block.text) if block.kind in TEXT_KINDS else None
    return marker is Marker.PRESENTER or (
        marker is not None and block.kind in (Kind.PARA, Kind.HEADING)
    )


def sponsor_marker_of(block: Block) -> Marker | None:
    return sponsor_marker(block.text) if block.kind in TEXT_KINDS else None


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
    aside = False  # the current section's items are in another style than the page's own
    for i, block in enumerate(blocks):
        own = ranks[i]
        if (own is None or own > rank) and block.kind in (Kind.PARA, Kind.HEADING):
            nxt = _next_content(blocks, markers, i + 1)
            follower = ranks[nxt] if nxt is not None else None
            # A banner: a shouted or emoji-led line, or any short headline right above one
            # of the page's own ("Around Town" over the first event). A shouted line in no
            # headline style that ends its story's cell is that story's byline instead.
            kicker = own is not None and follower is not None and follower <= rank
            if (
                (banner_like(block) or kicker)
                and follower is not None
                and _names_section(block, markers[i])
                and not (own is None and _ends_cell(blocks, ranks, markers, i))
            ):
                current, section, side = None, block.text, None
                continue
            if banner_like(block) and is_furniture_section(block.text):
                # "GAMES", "💼 Jobs" over their own text: nothing under it is news.
                current, section, side = None, block.text, None
                continue
            if banner_like(block) and nxt is not None and blocks[nxt].kind is Kind.BULLET:
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
            aside = True
            current = _Draft(block, section, promoted=True)
            drafts.append(current)
            continue
        if own is None or own > rank or i in inside:
            if current is not None:
                current.blocks.append(block)
            continue
        heads += 1
        side = None
        if aside:
            # A headline of the page's own style after a box of other-style items: the box
            # and its banner are over.
            section, aside = None, False
        questions += bool(_QUESTION.search(block.text)) and any(c.isalpha() for c in block.text)
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
            if banner_like(block) and (
                is_furniture_section(block.text) or blocks[nxt or i].kind is Kind.BULLET
            ):
                section = block.text  # a banner over its own list
        else:
            current = None
            # Above every story, a headline stronger than the stories' is the letter's own
            # name ("Harbor Brief"), not a section of it.
            masthead = not drafts and own < rank
            if _names_section(block, markers[i]) and not masthead:
                section = block.text
    full = sum(d.has_body and not d.promoted for d in drafts)
    evidence = sum((d.has_source or d.has_labels) and not d.promoted for d in drafts)
    linked = sum(d.has_link for d in drafts)
    asks = questions >= _REPEATS and questions >= heads * _QUESTION_SHARE
    return _Reading(rank, drafts, full, evidence, linked, asks)


def _inside_modules(
    blocks: Sequence[Block],
    ranks: Sequence[float | None],
    markers: Sequence[Marker | None],
    rank: float,
) -> set[int]:
    """Bold lines that sit inside a story's module rather than open one. Where most
    headlines with text under them open a layout container of their own (an e-mail's
    story cells), the few bold lines that share a container with the text before them are
    sub-heads ("Meanwhile"). Heading tags, linked headlines and banners never are."""
    opening = 0
    sharing: list[int] = []
    for i, own in enumerate(ranks):
        if own is None or own > rank:
            continue
        nxt = _next_content(blocks, markers, i + 1)
        if nxt is None or ranks[nxt] is not None:
            continue  # a banner over the next headline: it opens nothing itself
        block = blocks[i]
        j = i - 1
        while j >= 0 and (blocks[j].kind is Kind.RULE or markers[j] is not None):
            j -= 1
        shares = j >= 0 and ranks[j] is None and bool(block.boxes)
        shares = shares and block.boxes[-1] in blocks[j].boxes
        bold_line = not (block.kind is Kind.HEADING or block.all_linked or banner_like(block))
        if shares and bold_line:
            sharing.append(i)
        elif not shares:
            opening += 1
    if opening >= _REPEATS and len(sharing) * _SUBHEAD_SHARE <= opening:
        return set(sharing)
    return set()


def _names_section(block: Block, marker: Marker | None) -> bool:
    """A banner that can name a section: short, and no sponsor line, button or story
    number ("1 big thing", "02")."""
    return (
        marker is None
        and word_count(block.text) <= BANNER_WORDS
        and not asks_to_act(block)
        and any(c.isalpha() for c in block.text)
        and not block.text[:1].isdigit()
    )


def _ends_cell(
    blocks: Sequence[Block],
    ranks: Sequence[float | None],
    markers: Sequence[Marker | None],
    i: int,
) -> bool:
    """The block shares its layout cell with the text before it: it closes that unit."""
    j = i - 1
    while j >= 0 and (blocks[j].kind is Kind.RULE or markers[j] is not None):
        j -= 1
    return (
        j >= 0
        and ranks[j] is None
        and bool(blocks[i].boxes)
        and blocks[i].boxes[-1] in blocks[j].boxes
    )


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
    # An ad says so at its top (with its copy under the label) or signs off as sponsored
    # content; an "Anzeige" slot after a story, or left inside its text, is not the story.
    texts = [m is None and b.kind in TEXT_KINDS for b, m in zip(draft.blocks, inner, strict=True)]
    labelled = next((i for i, m in enumerate(inner[:2]) if m is Marker.LABEL), None)
    if (
        labelled is not None
        and not SIGN_OFF.search(draft.blocks[labelled].text)
        and any(texts[labelled + 1 :])
    ):
        return True
    if inner and inner[-1] is Marker.LABEL and SIGN_OFF.search(draft.blocks[-1].text):
        return True
    acts = any(asks_to_act(b) for b in draft.blocks)
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
            title = title_hint or title_from(first.text)
        else:
            title = first.text
            # The headline is the title, not text; unless it is all the text there is.
            at = body.index(first)
            body[at : at + 1] = [] if len(body) > 1 else [replace(first, kind=Kind.PARA, level=0)]
    shape_labels = any(_strong_label(b) for b in body)
    return build_story(title, body, shape_labels=shape_labels)


def _label_strength(block: Block) -> Strength | None:
    label = find_label(block)
    return label.strength if label else None


def _strong_label(block: Block) -> bool:
    return _label_strength(block) in (Strength.MARKED, Strength.KNOWN)
