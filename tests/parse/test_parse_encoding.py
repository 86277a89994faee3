"""Decoding: BOMs, declared charsets (right and wrong), windows-1252 detection, binary."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest

from reader._parse import decode_bytes, parse_bytes
from reader.errors import ParseError

Reader = Callable[[str], bytes]
SENTENCE = "The café’s “summer menu” costs €12 – naïve, but popular."


@pytest.mark.parametrize("name", ["cp1252_undeclared.html", "cp1252_declared_utf8.html"])
def test_windows_1252_pages(fixture_bytes: Reader, name: str) -> None:
    data = fixture_bytes(name)
    assert b"\x92" in data and b"\x93" in data and b"\xe9" in data

    (story,) = parse_bytes(data, filename=name)

    assert story.title == "Café Owners Win Sidewalk Fight"
    assert "Pâtisserie Belle for “obstruction”" in story.sections[0].paragraphs[0]
    assert story.sections[1].label == "What’s next:"
    assert "€150 permit – about" in story.sections[1].paragraphs[0]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_utf8_and_windows_1252_without_declaration(encoding: str) -> None:
    assert decode_bytes(SENTENCE.encode(encoding)) == SENTENCE


def test_declared_charset_wins_when_it_decodes() -> None:
    data = "Ελληνικά νέα σήμερα".encode("iso-8859-7")

    assert decode_bytes(data, "iso-8859-7") == "Ελληνικά νέα σήμερα"


def test_declared_charset_that_fails_falls_back() -> None:
    assert decode_bytes(SENTENCE.encode("cp1252"), "utf-8") == SENTENCE


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_bytes(SENTENCE.encode("utf-8"), "no-such-charset") == SENTENCE


def test_content_type_charset_is_used() -> None:
    html = f"<h2>Menu</h2><p>{SENTENCE} (Food Desk)</p>".encode("cp1252")

    (story,) = parse_bytes(html, content_type="text/html; charset=windows-1252")

    assert story.sections[0].paragraphs == (f"{SENTENCE} (Food Desk)",)


def test_meta_charset_in_the_first_bytes() -> None:
    html = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">Новости'

    assert decode_bytes(html.encode("koi8-r")).endswith("Новости")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_mark_comes_first(bom: bytes, encoding: str) -> None:
    assert decode_bytes(bom + SENTENCE.encode(encoding), "cp1252") == SENTENCE


def test_utf16_file_with_bom_parses() -> None:
    text = "Bus Depot Moves\n\nThe county will move its bus depot to Elm Street (Civic Wire).\n"

    (story,) = parse_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), filename="a.txt")

    assert story.title == "Bus Depot Moves"
    assert story.source == "Civic Wire"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_file_without_bom_parses(encoding: str) -> None:
    """Some Windows tools save UTF-16 with no byte-order mark; it was refused as binary."""
    text = "Bus Depot Moves\n\nThe county will move its bus depot to Elm Street (Civic Wire).\n"

    (story,) = parse_bytes(text.encode(encoding), filename="a.txt")

    assert story.title == "Bus Depot Moves"
    assert story.source == "Civic Wire"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(1, 32)) * 10,
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^not a text file \(binary data\)$"):
        parse_bytes(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \xc2\xa0"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^file is empty$"):
        parse_bytes(data)
