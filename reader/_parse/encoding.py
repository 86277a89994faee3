"""Bytes to text: byte-order mark, then valid UTF-8, then the declared charset, then detection;
binary input is refused with a ParseError."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from reader.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_PARAM_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers read these labels as windows-1252, and so do the pages that declare them.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252"}
_TAG = re.compile(r"<[^<>]*>")
_BINARY = ParseError("not a text file (binary data)")
_UTF16_SAMPLE = 4096
_UTF16_NUL_SHARE = 0.6
"""In UTF-16 text without a BOM, at least this share of the high bytes are NUL."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = _PARAM_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: BOM, then UTF-8 if the bytes are valid UTF-8 beyond ASCII, then
    ``declared``, then a <meta> charset in the first 2 KB, then charset detection.

    Valid UTF-8 beats any declaration: legacy text almost never happens to be valid UTF-8,
    while servers that label UTF-8 pages "iso-8859-1" by default are common. A declared
    charset that fails, or a declared Western one that turns East Asian text into accented
    Latin, is ignored.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise _BINARY from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise _BINARY
        return _checked(utf16)
    if not data.isascii():
        utf8 = _try_decode(data, "utf-8")
        if utf8 is not None:
            return _checked(utf8)
    meta = _META_CHARSET.search(data[:2048])
    candidates = [declared, meta.group(1).decode("ascii") if meta else None, "utf-8"]
    for name in candidates:
        text = _try_decode(data, name)
        if text is not None and (not _is_western(name) or _mostly_latin(text)):
            return _checked(text)
    western = _western(data)
    if western is not None:
        return _checked(western)
    best = from_bytes(data).best()
    if best is None:
        raise _BINARY
    return _checked(str(best))


def _utf16_without_bom(data: bytes) -> str | None:
    """Text saved as UTF-16 with no byte-order mark (some Windows tools do this): mostly
    Latin text then has a NUL in nearly every other byte, on one side only. Anything else
    with NULs is binary."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:_UTF16_SAMPLE]
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nuls >= _UTF16_NUL_SHARE and even_nuls <= 1 - _UTF16_NUL_SHARE:
        encoding = "utf-16-le"
    elif even_nuls >= _UTF16_NUL_SHARE and odd_nuls <= 1 - _UTF16_NUL_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _western(data: bytes) -> str | None:
    """windows-1252 text if the bytes read as mostly-ASCII Western prose.

    Detection misreads short Western pages (a few curly quotes and accents) as Cyrillic or
    Arabic code pages; pages really in those scripts are mostly high bytes, so they fail the
    ratio test and go to detection.
    """
    text = _try_decode(data, "cp1252")
    return text if text is not None and _mostly_latin(text) else None


def _mostly_latin(text: str) -> bool:
    """At most one non-ASCII character for four ASCII letters, outside the markup."""
    prose = _TAG.sub(" ", text)
    ascii_letters = sum(1 for c in prose if c.isascii() and c.isalpha())
    other = sum(1 for c in prose if not c.isascii())
    return other * 4 <= ascii_letters


def _is_western(name: str | None) -> bool:
    label = (name or "").strip().lower()
    return _WHATWG_ALIASES.get(label, label) in ("cp1252", "windows-1252")


def _try_decode(data: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(_WHATWG_ALIASES.get(name.strip().lower(), name.strip()))
    except LookupError:
        return None
    # A declared UTF-16/32 without a BOM is almost always a mislabelled 8-bit page.
    if codec.name.startswith(("utf-16", "utf-32")):
        return None
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError:
        return None


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters: detection "decodes" anything."""
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise _BINARY
    return text
