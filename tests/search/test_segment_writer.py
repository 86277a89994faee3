"""The index's segment writer writes the files Whoosh's own writer writes: the same bytes, but
for the postings file, whose short blocks are left uncompressed, and the term table that says
where each term's postings start: the same postings and term statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import open_dir
from whoosh.writing import SegmentWriter

from reader._search.schema import build_schema
from reader._search.segment_writer import SMALL_BLOCK, IndexSegmentWriter

WHERE_POSTINGS_LIE = {"MAIN_SEGMENT.pst", "MAIN_SEGMENT.trm"}


def documents() -> list[dict[str, Any]]:
    docs = []
    for n in range(60):
        doc: dict[str, Any] = {
            "doc_id": f"story:{n}",
            "kind": "story",
            "item_id": n,
            "title": f"Harbour notice {n} " + "tide " * (n % 7),
            "all-text": " ".join(f"word{(n * k) % 97}" for k in range(5 + n * 3)),
        }
        # Some documents lack a field, the last ones too: the length column ends early.
        if n % 3 and n < 50:
            doc["source"] = "The Harbour Ledger"
        if n % 5 == 0:
            doc["labels"] = "Why it matters"
        docs.append(doc)
    return docs


def write_segment(tmp_path: Path, writer_class: type[Any]) -> Path:
    folder = tmp_path / writer_class.__name__
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(build_schema(), indexname="MAIN")
    writer = writer_class(ix, _lk=False, compound=False)
    for doc in documents():
        writer.add_document(**doc)
    writer.commit()
    return folder


def segment_files(folder: Path) -> dict[str, bytes]:
    (segment,) = open_dir(str(folder), indexname="MAIN")._segments()
    return {
        path.name.replace(segment.segid, "SEGMENT"): path.read_bytes()
        for path in folder.iterdir()
        if path.is_file() and path.suffix != ".toc" and not path.name.endswith(".lock")
    }


def postings(folder: Path) -> dict[tuple[str, bytes], list[Any]]:
    """Every term of the index: its statistics, then its postings (documents, weights and
    values)."""
    ix = open_dir(str(folder), indexname="MAIN")
    with ix.reader() as reader:
        found: dict[tuple[str, bytes], list[Any]] = {}
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            matcher = reader.postings(fieldname, btext)
            rows = found[(fieldname, btext)] = [(stats, info.max_weight(), info.max_id())]
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
        return found


def block_compression(folder: Path) -> list[tuple[int, int]]:
    """(postings, compression level) of every block in the index."""
    ix = open_dir(str(folder), indexname="MAIN")
    seen = []
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            while hasattr(matcher, "_blocklength") and matcher.is_active():
                seen.append((matcher._blocklength, matcher._compression))
                if matcher._lastblock:
                    break
                matcher._next_block()
    return seen


def test_the_files_are_whooshs_own_with_short_blocks_uncompressed(tmp_path: Path) -> None:
    ours_folder = write_segment(tmp_path, IndexSegmentWriter)
    whooshs_folder = write_segment(tmp_path, SegmentWriter)
    ours, whooshs = segment_files(ours_folder), segment_files(whooshs_folder)
    assert sorted(ours) == sorted(whooshs)
    assert any(name.endswith("_source_len.col") for name in ours)
    for name, content in whooshs.items():
        if name not in WHERE_POSTINGS_LIE:
            assert ours[name] == content, name
    # The same postings, read back by Whoosh's own reader.
    assert postings(ours_folder) == postings(whooshs_folder)
    blocks = block_compression(ours_folder)
    assert {level for size, level in blocks if size < SMALL_BLOCK} == {0}
    assert {level for size, level in blocks if size >= SMALL_BLOCK} == {3}
    assert {level for _size, level in block_compression(whooshs_folder)} == {3}
