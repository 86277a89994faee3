"""Word-level differences between two versions of a story's text, and carrying a position in
the old text over to where the same words stand in the new one."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import accumulate

from reader.model import DiffOp

# Words, whitespace runs and single punctuation marks: joined again they give the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Opcode = tuple[str, int, int, int, int]


def char_opcodes(old: str, new: str) -> list[Opcode]:
    """difflib opcodes over the two texts' words, with character offsets.

    Lines (paragraphs) are matched first and words only within lines that differ, so a long
    story with a few edits costs little more than its length.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_tokens, old_line_at = _tokens(old_lines)
    new_tokens, new_line_at = _tokens(new_lines)
    ops: list[Opcode] = []
    lines = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        a1, a2, b1, b2 = old_line_at[i1], old_line_at[i2], new_line_at[j1], new_line_at[j2]
        if tag != "replace":
            ops.append((tag, a1, a2, b1, b2))
            continue
        words = SequenceMatcher(None, old_tokens[a1:a2], new_tokens[b1:b2], autojunk=False)
        ops.extend(
            (word_tag, a1 + k1, a1 + k2, b1 + l1, b1 + l2)
            for word_tag, k1, k2, l1, l2 in words.get_opcodes()
        )
    old_at = [0, *accumulate(map(len, old_tokens))]
    new_at = [0, *accumulate(map(len, new_tokens))]
    return [
        (tag, old_at[i1], old_at[i2], new_at[j1], new_at[j2])
        for tag, i1, i2, j1, j2 in _slide(_joined(ops), old_tokens, new_tokens)
    ]


def _tokens(lines: list[str]) -> tuple[list[str], list[int]]:
    """The tokens of all lines, and where each line's tokens begin (plus the end)."""
    found: list[str] = []
    line_at = [0]
    for line in lines:
        found.extend(_TOKEN.findall(line))
        line_at.append(len(found))
    return found, line_at


def _joined(ops: list[Opcode]) -> list[Opcode]:
    """Neighbouring opcodes of the same kind as one (line and word matching each add some)."""
    joined: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if joined and joined[-1][0] == op[0]:
            tag, i1, _, j1, _ = joined[-1]
            joined[-1] = (tag, i1, op[2], j1, op[4])
        else:
            joined.append(op)
    return joined


def _slide(opcodes: Sequence[Opcode], old: list[str], new: list[str]) -> list[Opcode]:
    """Move each insertion or deletion between two equal runs to where it reads best.

    "storm[.\nGrain … wall].\n" and "storm.\n[Grain … wall.\n]" delete the same tokens;
    the second keeps lines and words whole, as a reader (and a highlight that lost its
    paragraph) expects.
    """
    tags = [op[0] for op in opcodes]
    spans = [list(op[1:]) for op in opcodes]  # [i1, i2, j1, j2], token offsets
    for index in range(1, len(tags) - 1):
        if tags[index] not in ("insert", "delete") or not (
            tags[index - 1] == tags[index + 1] == "equal"
        ):
            continue
        before, span, after = spans[index - 1], spans[index], spans[index + 1]
        seq, lo = (old, 0) if tags[index] == "delete" else (new, 2)
        start, end = span[lo], span[lo + 1]
        while start > before[lo] and seq[start - 1] == seq[end - 1]:
            start, end = start - 1, end - 1
        best, best_start = -1, start
        while True:
            score = _boundary(seq, start) + _boundary(seq, end)
            if score > best:
                best, best_start = score, start
            if end >= after[lo + 1] or seq[start] != seq[end]:
                break
            start, end = start + 1, end + 1
        shift = best_start - span[lo]
        before[1] += shift
        before[3] += shift
        spans[index] = [offset + shift for offset in span]
        after[0] += shift
        after[2] += shift
    return [
        (tag, i1, i2, j1, j2)
        for tag, (i1, i2, j1, j2) in zip(tags, spans, strict=True)
        if i1 != i2 or j1 != j2
    ]


def _boundary(seq: list[str], at: int) -> int:
    """How good a place for a change to begin or end: at a line start best, after a space."""
    if at in (0, len(seq)) or "\n" in seq[at - 1]:
        return 3
    return 1 if seq[at - 1].isspace() else 0


def word_diff(old: str, new: str) -> list[DiffOp]:
    """The changes from ``old`` to ``new`` word by word: equal, insert, delete and replace.

    A rewritten sentence reads as one replacement, not as a word-by-word alternation: an
    equal run no longer than the changes on both sides of it (a space, "in") joins them, as
    in diff-match-patch's semantic cleanup.
    """
    ops = char_opcodes(old, new)
    merged: list[list[int]] = []  # [a1, a2, b1, b2, is_change]
    for index, (tag, a1, a2, b1, b2) in enumerate(ops):
        change = tag != "equal"
        if not change and merged and merged[-1][4] and index + 1 < len(ops):
            _, n1, n2, m1, m2 = ops[index + 1]
            before = max(merged[-1][1] - merged[-1][0], merged[-1][3] - merged[-1][2])
            change = a2 - a1 <= min(before, max(n2 - n1, m2 - m1))
        if change and merged and merged[-1][4]:
            merged[-1][1], merged[-1][3] = a2, b2
        else:
            merged.append([a1, a2, b1, b2, int(change)])
    return [
        DiffOp(_change_tag(old[a1:a2], new[b1:b2]) if change else "equal", old[a1:a2], new[b1:b2])
        for a1, a2, b1, b2, change in merged
    ]


def _change_tag(old: str, new: str) -> str:
    if not old:
        return "insert"
    return "delete" if not new else "replace"


class PositionMap:
    """Maps offsets in an old text to the new text through their word diff. A position inside
    words that were replaced or deleted goes to the start of what replaced them."""

    def __init__(self, old: str, new: str) -> None:
        # Insertions take no room in the old text, so no old character lies in them.
        self._ops = [op for op in char_opcodes(old, new) if op[1] < op[2]]
        self._starts = [op[1] for op in self._ops]
        self._old_length = len(old)
        self._new_length = len(new)

    def map(self, offset: int) -> int:
        """Where the old character at ``offset`` is now (or what took its place begins)."""
        if offset >= self._old_length or not self._ops:
            return self._new_length
        tag, a1, _, b1, _ = self._ops[bisect_right(self._starts, max(offset, 0)) - 1]
        return b1 + (offset - a1) if tag == "equal" else b1
