"""The catch-all field's postings format: Whoosh's ``Characters`` (a term's positions and
character offsets in each document, which phrases and snippets read) in a compact encoding,
filled without a token stream.

Whoosh pickles a list of tuples per posting and decodes it by unpickling; at 100,000 stories of
600 words that is 40 million small tuples through pickle. Here a posting's value is the count
(as Whoosh's, so its frequency decoder still reads it), one byte naming the width of what
follows (16 or 32 bits), then the deltas, big-endian as Whoosh's own numbers: position since
the last, start character since the last start, length. Starts never decrease (bigrams of a
CJK run overlap, so the start since the last *end* could be negative).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.formats import Characters
from whoosh.system import _INT_SIZE, unpack_uint

_ONE_SHORT = struct.Struct(">IcHHH")
"""The commonest value: one occurrence whose numbers fit 16 bits."""


def encode_flat(flat: Sequence[int], start: int = 0) -> bytes:
    """A posting's value from ``flat[start:]``: (position, start, end) triples in order."""
    count = (len(flat) - start) // 3
    if count == 1:
        pos, begin, end = flat[start], flat[start + 1], flat[start + 2]
        if pos <= 0xFFFF and begin <= 0xFFFF and end - begin <= 0xFFFF:
            return _ONE_SHORT.pack(1, b"H", pos, begin, end - begin)
    deltas: list[int] = []
    last_pos = last_start = 0
    for i in range(start, len(flat), 3):
        pos, begin, end = flat[i], flat[i + 1], flat[i + 2]
        deltas += (pos - last_pos, begin - last_start, end - begin)
        last_pos, last_start = pos, begin
    code = "H" if max(deltas, default=0) <= 0xFFFF else "I"
    return struct.pack(f">Ic{len(deltas)}{code}", count, code.encode("ascii"), *deltas)


def decode_flat(value: bytes) -> Iterator[tuple[int, int, int]]:
    """The (position, start, end) triples of a value :func:`encode_flat` wrote."""
    count = unpack_uint(value[:_INT_SIZE])[0]
    code = value[_INT_SIZE : _INT_SIZE + 1].decode("ascii")
    deltas = struct.unpack_from(f">{3 * count}{code}", value, _INT_SIZE + 1)
    pos = begin = 0
    for i in range(0, len(deltas), 3):
        pos += deltas[i]
        begin += deltas[i + 1]
        yield pos, begin, begin + deltas[i + 2]


class CompactCharacters(Characters):  # type: ignore[misc]
    """Positions and character offsets per posting, encoded by :func:`encode_flat`; filled
    from the analyzer's ``postings(value)`` where it has one (``PartsTokenizer``)."""

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        postings = getattr(analyzer, "postings", None)
        if postings is None or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, entry in postings(value).items():
            yield term, (len(entry) - 1) // 3, entry[0] * boost, encode_flat(entry, 1)

    def encode(self, poslist: Sequence[tuple[int, int, int]]) -> bytes:
        return encode_flat([n for triple in poslist for n in triple])

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        return list(decode_flat(valuestring))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return [pos for pos, _start, _end in decode_flat(valuestring)]

    def decode_frequency(self, valuestring: bytes) -> int:
        return int(unpack_uint(valuestring[:_INT_SIZE])[0])
