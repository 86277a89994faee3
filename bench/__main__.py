"""Scale benchmark: the operations the window and CLI do all day, on a small archive (the
baseline) and a large one, printed as a table of times and large/small ratios.

Usage: python -m bench [--small N] [--large N] [--index-large N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import build_archive
from reader.archive import Archive
from reader.model import Order, View


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best of ``repeat`` runs, in milliseconds (best-of filters scheduler noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def measure(archive: Archive) -> dict[str, float]:
    ids = archive.story_ids()
    middle = ids[len(ids) // 2]
    return {
        "open story list (ids, newest first)": timed(archive.story_ids),
        "first page of 200 rows": timed(lambda: archive.summaries(ids[:200])),
        "a page in the middle": timed(lambda: archive.summaries(ids[middle : middle + 200])),
        "sort by title": timed(lambda: archive.story_ids(order=Order.TITLE, descending=False)),
        "unread view": timed(lambda: archive.story_ids(view=View.UNREAD)),
        "open one story": timed(lambda: archive.story(middle)),
        "count stories": timed(archive.count_stories),
    }


def measure_search(archive: Archive) -> dict[str, float]:
    return {
        "search one word": timed(lambda: archive.search("harbour", limit=20)),
        "search phrase": timed(lambda: archive.search('"grid battery"', limit=20)),
        "search field + word": timed(lambda: archive.search("source:northwind tariff", limit=20)),
    }


def build_index(archive: Archive) -> float:
    start = time.perf_counter()
    archive.sync_index(batch_size=2000)
    return (time.perf_counter() - start) * 1000


def table(
    title: str, small: dict[str, float], large: dict[str, float], sizes: tuple[int, int]
) -> None:
    print(f"\n{title}")
    head = f"{'operation':<40} {sizes[0]:>10,} {sizes[1]:>10,}   ratio"
    print(head)
    print("-" * len(head))
    for name in small:
        ratio = large[name] / small[name] if small[name] else float("nan")
        print(f"{name:<40} {small[name]:>8.2f}ms {large[name]:>8.2f}ms {ratio:>7.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--index-large", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        results = {}
        for size in (args.small, args.large):
            with build_archive(root / f"list-{size}", size) as archive:
                results[size] = measure(archive)
        table(
            "Story list (SQLite)",
            results[args.small],
            results[args.large],
            (args.small, args.large),
        )

        search_results, build = {}, {}
        for size in (args.small, args.index_large):
            with build_archive(root / f"search-{size}", size) as archive:
                build[size] = {"index all stories (drain)": build_index(archive)}
                search_results[size] = measure_search(archive)
        table(
            "Indexing", build[args.small], build[args.index_large], (args.small, args.index_large)
        )
        table(
            "Search (Whoosh)",
            search_results[args.small],
            search_results[args.index_large],
            (args.small, args.index_large),
        )


if __name__ == "__main__":
    main()
