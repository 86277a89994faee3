"""Content-Encoding decoders that inflate in bounded steps, so a response's size cap holds for
what it decompresses to: a small gzip or brotli bomb stops at the cap instead of filling memory.

httpx's own decoders inflate each network chunk in one call, and one 64 KB brotli chunk can
expand to gigabytes; these never return more than about ``STEP`` bytes at a time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

from reader.errors import FetchError

STEP = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"


class Decoder(Protocol):
    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of ``data``, in pieces of about ``STEP`` bytes at most."""

    def flush(self) -> Iterator[bytes]:
        """What is left once the body has ended."""


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), STEP):
            yield data[start : start + STEP]

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (``wbits`` 31) or deflate: zlib-wrapped, else raw as some servers send it."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._inflater.decompress(data, STEP)
            except zlib.error as err:
                if self._wbits == zlib.MAX_WBITS and not self._started:
                    # "deflate" is often raw deflate without the zlib header.
                    self._wbits = -zlib.MAX_WBITS
                    self._inflater = zlib.decompressobj(self._wbits)
                    self._started = True
                    continue
                raise _bad_encoding(err) from err
            self._started = True
            if out:
                yield out
            if self._inflater.eof:
                return
            data = self._inflater.unconsumed_tail

    def flush(self) -> Iterator[bytes]:
        try:
            rest = self._inflater.flush()
        except zlib.error as err:
            raise _bad_encoding(err) from err
        if rest:
            yield rest


class _Brotli:
    def __init__(self) -> None:
        self._inflater = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._inflater.process(data, output_buffer_limit=STEP)
            if out:
                yield out
            while not self._inflater.can_accept_more_data():
                yield self._inflater.process(b"", output_buffer_limit=STEP)
        except brotli.error as err:
            raise _bad_encoding(err) from err

    def flush(self) -> Iterator[bytes]:
        try:
            while not self._inflater.is_finished():
                out = self._inflater.process(b"", output_buffer_limit=STEP)
                if not out:
                    return
                yield out
        except brotli.error as err:
            raise _bad_encoding(err) from err


def decoder_for(content_encoding: str | None) -> Decoder:
    """The decoder for a Content-Encoding header; FetchError for one we did not ask for."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    if not names:
        return _Identity()
    if len(names) == 1:
        if names[0] in ("gzip", "x-gzip"):
            return _Zlib(zlib.MAX_WBITS | 16)
        if names[0] == "deflate":
            return _Zlib(zlib.MAX_WBITS)
        if names[0] == "br":
            return _Brotli()
    raise FetchError(f"unsupported content encoding: {', '.join(names)}")


def _bad_encoding(err: Exception) -> FetchError:
    return FetchError(f"cannot decompress the response: {err}")
