"""Facet counts at scale: what the window's worker spends after each search (matching in the
index, counting in SQLite) and after each list load, on a generated archive or one kept by
``bench.scale --keep``, printed as a Markdown table. Nothing here asserts a time.

Usage: python -m bench.facets [--size N] [--words N] [--queries N]
       python -m bench.facets --data-dir DIR [--db FILE] [--queries N]

``--data-dir`` reads an archive and its index as they are, without opening them through the
facade (which would rebuild an index of another format): ``--db`` names a copy of its
database when that one is of an older schema (the counts read the schema 10 indexes).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from bench.generate import Corpus, build_scale_archive, query_words
from reader._search.facets import MatchReader
from reader._storage import facets as counting
from reader.archive import DB_FILENAME, INDEX_DIRNAME

EVERYTHING = "kind:story OR kind:highlight OR kind:note"
T = TypeVar("T")


def _ms(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, value


def _row(name: str, values: Sequence[float], matched: Sequence[int]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    sizes = f"{min(matched):,}–{max(matched):,}" if len(set(matched)) > 1 else f"{matched[0]:,}"
    return (
        f"| {name} | {len(values)} | {sizes} | {statistics.median(values):.0f} | {p95:.0f}"
        f" | {max(values):.0f} |"
    )


def measure(index_dir: Path, db_path: Path, queries: Sequence[str]) -> list[str]:
    """The table's lines for the archive at ``db_path`` with its index in ``index_dir``."""
    reader = MatchReader(index_dir)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db = Database(conn)
    lines = [
        "| facets of | runs | items matched | p50 ms | p95 ms | max ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    first, found = _ms(reader.matches, EVERYTHING)
    lines.append(_row("first match (reads every segment's doc_id terms)", [first], [found.total]))
    match_ms: list[float] = []
    count_ms: list[float] = []
    sizes: list[int] = []
    for query in [*queries, EVERYTHING]:
        took, matches = _ms(reader.matches, query)
        counted, _ = _ms(counting.counts, db, matches.stories, matches.highlights, matches.notes)
        match_ms.append(took)
        count_ms.append(counted)
        sizes.append(matches.total)
    lines.append(_row("a search: matching in the index", match_ms, sizes))
    lines.append(_row("a search: counting in SQLite", count_ms, sizes))
    both = [a + b for a, b in zip(match_ms, count_ms, strict=True)]
    lines.append(_row("a search: both", both, sizes))

    def list_view() -> int:
        db.execute("BEGIN")
        try:
            found = counting.archive_counts(db)
            return sum(found.kinds.values())
        finally:
            db.execute("ROLLBACK")

    runs = [_ms(list_view) for _ in range(3)]
    lines.append(_row("a list (the whole archive)", [t for t, _ in runs], [n for _, n in runs]))
    conn.close()
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.facets", description=__doc__)
    parser.add_argument("--size", type=int, default=2000, help="stories to generate")
    parser.add_argument("--words", type=int, default=600, help="words per generated story")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--data-dir", type=Path, help="an existing archive, read as it is")
    parser.add_argument("--db", type=Path, help="the database to count in (default: its own)")
    args = parser.parse_args(argv)
    corpus = Corpus.make(words_per_story=args.words)
    queries = query_words(corpus, args.queries)
    if args.data_dir is not None:
        data = args.data_dir
        print(f"### Facets on {data}\n")
        lines = measure(data / INDEX_DIRNAME, args.db or data / DB_FILENAME, queries)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-facets-") as folder:
            data = Path(folder) / "data"
            with build_scale_archive(data, args.size, corpus) as archive:
                archive.reindex()
            print(f"### Facets at {args.size:,} generated stories\n")
            lines = measure(data / INDEX_DIRNAME, data / DB_FILENAME, queries)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
