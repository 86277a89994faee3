"""The two yardsticks the scale benchmark holds the project against, fed the same documents: a
straightforward Whoosh index (StemmingAnalyzer, title/body/source stored, one writer, one
commit; MultifieldParser and ``hit.highlights``) and an SQLite FTS5 table (porter unicode61;
``bm25()`` order and ``snippet()``).

``python -m bench.baselines fts5-search DB QUERY`` is the FTS5 side of the CLI memory
comparison: it imports neither Whoosh nor the project.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Doc:
    """What both baselines index of one item."""

    doc_id: str
    title: str
    body: str
    source: str


# -- naive Whoosh ---------------------------------------------------------------------------


class NaiveWhoosh:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ix: Any = None
        self._searcher: Any = None
        self._parser: Any = None

    def build(self, docs: Iterable[Doc]) -> None:
        from whoosh import index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        analyzer = StemmingAnalyzer()
        schema = Schema(
            doc_id=ID(stored=True, unique=True),
            title=TEXT(analyzer=analyzer, stored=True),
            body=TEXT(analyzer=analyzer, stored=True),
            source=TEXT(analyzer=analyzer, stored=True),
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        self._ix = index.create_in(str(self.directory), schema)
        writer = self._ix.writer()
        for doc in docs:
            writer.add_document(
                doc_id=doc.doc_id, title=doc.title, body=doc.body, source=doc.source
            )
        writer.commit()

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """``(title, snippet)`` of the best ``limit`` hits."""
        from whoosh.qparser import MultifieldParser

        if self._searcher is None:
            self._searcher = self._ix.searcher()
            self._parser = MultifieldParser(["title", "body", "source"], self._ix.schema)
        results = self._searcher.search(self._parser.parse(query), limit=limit)
        return [(hit["title"], hit.highlights("body")) for hit in results]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


# -- SQLite FTS5 ----------------------------------------------------------------------------

# snippet()'s column index counts the UNINDEXED doc_id: body is column 2.
FTS5_SEARCH = (
    "SELECT title, snippet(docs, 2, '<b>', '</b>', '…', 24) FROM docs WHERE docs MATCH ?"
    " ORDER BY bm25(docs) LIMIT ?"
)


class Fts5:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(self.path)
        return self._conn

    def build(self, docs: Iterable[Doc]) -> None:
        conn = self.conn
        conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, body, source,"
            " tokenize='porter unicode61')"
        )
        with conn:
            conn.executemany(
                "INSERT INTO docs (doc_id, title, body, source) VALUES (?, ?, ?, ?)",
                ((d.doc_id, d.title, d.body, d.source) for d in docs),
            )

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        return [(t, s) for t, s in self.conn.execute(FTS5_SEARCH, [fts5_query(query), limit])]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def fts5_query(query: str) -> str:
    """Each word as a quoted FTS5 string, implicitly ANDed (as Whoosh's default)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in query.split())


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "fts5-search":
        print("usage: python -m bench.baselines fts5-search DB QUERY", file=sys.stderr)
        return 2
    fts = Fts5(Path(argv[1]))
    for title, snippet in fts.search(argv[2]):
        print(title)
        print("   ", snippet)
    fts.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
