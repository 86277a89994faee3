"""The index's segment writer writes exactly the files Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from reader._search.schema import build_schema
from reader._search.segment_writer import IndexSegmentWriter


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


def segment_files(tmp_path: Path, writer_class: type[Any]) -> dict[str, bytes]:
    folder = tmp_path / writer_class.__name__
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(build_schema(), indexname="MAIN")
    writer = writer_class(ix, _lk=False, compound=False)
    for doc in documents():
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    writer.is_closed = True
    return {
        path.name.replace(segment.segid, "SEGMENT"): path.read_bytes()
        for path in folder.iterdir()
        if path.is_file() and path.suffix != ".toc"
    }


def test_the_files_are_whooshs_own(tmp_path: Path) -> None:
    ours = segment_files(tmp_path, IndexSegmentWriter)
    whooshs = segment_files(tmp_path, SegmentWriter)
    assert sorted(ours) == sorted(whooshs)
    assert any(name.endswith("_source_len.col") for name in ours)
    for name, content in whooshs.items():
        assert ours[name] == content, name
