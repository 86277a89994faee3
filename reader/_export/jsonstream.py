"""Reading a large JSON object member by member, and one big array member element by element,
so importing an export of 100,000 stories holds one story in memory at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from typing import IO, Any

from reader.errors import ParseError

CHUNK = 1 << 16
MAX_CHUNK = 1 << 24
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_AFTER_NUMBER = frozenset(",]} \t\n\r")


class _Reader:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._chunk = CHUNK
        self._eof = False
        self._consumed = 0  # characters dropped from the front of the buffer
        self.buffer = ""
        self.pos = 0

    def more(self) -> bool:
        if self._eof:
            return False
        data = self._stream.read(self._chunk)
        if not data:
            self._eof = True
            return False
        self._consumed += self.pos
        self.buffer = self.buffer[self.pos :] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, or "" at the end."""
        while True:
            match = _SPACE.match(self.buffer, self.pos)
            assert match is not None
            self.pos = match.end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            shown = repr(found) if found else "the end of the file"
            raise ParseError(f"not valid JSON: expected {expected!r} at {self.offset}, not {shown}")
        self.pos += 1

    @property
    def offset(self) -> int:
        return self._consumed + self.pos

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as err:
                # Most likely the value goes on past the buffer: read more, in growing chunks
                # so a long value is not decoded over and over.
                self._chunk = min(self._chunk * 2, MAX_CHUNK)
                if self.more():
                    continue
                raise ParseError(
                    f"not valid JSON: {err.msg} at {self._consumed + err.pos}"
                ) from None
            # A number cut by the end of the buffer ("12" of "125", "1" of "1.5") may go on
            # in the next chunk; anything else ends where the decoder stopped.
            if _complete(value, self.buffer, end) or not self.more():
                self.pos = end
                self._chunk = CHUNK
                return value


def _complete(value: Any, buffer: str, end: int) -> bool:
    if end >= len(buffer):
        return False
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return not is_number or buffer[end] in _AFTER_NUMBER


def members(stream: IO[str], *, streamed: Collection[str] = ()) -> Iterator[tuple[str, Any]]:
    """The top-level object's members in file order. A member named in ``streamed`` whose
    value is an array comes as an iterator over its elements, which ends (and is skipped if
    not consumed) before the next member is read."""
    reader = _Reader(stream)
    reader.take("{")
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                raise ParseError(f"not valid JSON: expected a member name at {reader.offset}")
            reader.take(":")
            if key in streamed and reader.peek() == "[":
                reader.pos += 1
                elements = _elements(reader)
                yield key, elements
                for _ in elements:
                    pass
            else:
                yield key, reader.value()
            if reader.peek() == ",":
                reader.pos += 1
                continue
            reader.take("}")
            break
    if reader.peek():
        raise ParseError(f"not valid JSON: more data after the object ends at {reader.offset}")


def _elements(reader: _Reader) -> Iterator[Any]:
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        yield reader.value()
        if reader.peek() == ",":
            reader.pos += 1
            continue
        reader.take("]")
        return
