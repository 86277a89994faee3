"""Scale benchmark of search: at each archive size, the project's indexing (through the facade)
and search against a naive Whoosh index and an SQLite FTS5 table built in the same run from the
same documents, printed as Markdown tables with ratios. Nothing here asserts a time.

Usage: python -m bench.scale [--sizes 1000,20000] [--queries 100] [--project-max N]
       [--naive-max N] [--reindex-max N] [--profile] [--keep DIR]

Whoosh indexes some 100 stories a second per core, so 20,000 stories cost minutes per Whoosh
build; ``--project-max``/``--naive-max`` leave the slow systems out of the largest sizes and
``reindex()`` is timed beside ``sync_index()`` only up to ``--reindex-max`` (1,000).

Run it from the repository root so that its code (not an installed copy) is measured.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.baselines import Doc, Fts5, NaiveWhoosh
from bench.generate import BuildReport, Corpus, build_scale_archive, query_words
from reader.archive import DB_FILENAME, INDEX_DIRNAME, Archive

REPO = Path(__file__).resolve().parent.parent
WARMUP_QUERIES = 5


# -- measuring ------------------------------------------------------------------------------


@dataclass(slots=True)
class Cost:
    """Wall and CPU seconds of one build, and how many documents it took in."""

    wall: float
    cpu: float
    docs: int
    disk_mb: float | None = None
    note: str = ""


@contextmanager
def clock() -> Iterator[list[float]]:
    """Yields a list that holds ``[wall, cpu]`` seconds once the block ends. CPU counts this
    process and the child processes it waited for (the project's indexing workers)."""
    spent: list[float] = []
    wall, cpu = time.perf_counter(), _cpu_seconds()
    try:
        yield spent
    finally:
        spent.extend([time.perf_counter() - wall, _cpu_seconds() - cpu])


def _cpu_seconds() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


@dataclass(slots=True)
class Latency:
    ms: list[float] = field(default_factory=list)
    hits: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def mean_hits(self) -> float:
        return self.hits / len(self.ms)


def latencies(
    search: Callable[[str], Sequence[object]], queries: Sequence[str], warmup: Sequence[str]
) -> Latency:
    """Each query once, after a few others that open the searcher and warm the caches."""
    for query in warmup:
        search(query)
    result = Latency()
    for query in queries:
        start = time.perf_counter()
        hits = search(query)
        result.ms.append((time.perf_counter() - start) * 1000)
        result.hits += len(hits)
    return result


def peak_rss_mb(cmd: Sequence[str]) -> tuple[float, float]:
    """Peak RSS (MiB) and wall seconds of ``cmd`` run in a process of its own."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.rss", "--", *cmd],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    kib, status = done.stdout.split()
    if status != "0":
        raise RuntimeError(f"{' '.join(cmd)} failed ({status}): {done.stderr.strip()}")
    return int(kib) / 1024, wall


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


# -- the documents --------------------------------------------------------------------------


@dataclass(slots=True)
class Documents:
    """The archive's searchable items: as the project's indexer builds them (when its storage
    module can still be asked), and as the baselines index them."""

    project: list[Any] | None
    baseline: list[Doc]
    note: str = ""


def read_documents(data_dir: Path) -> Documents:
    try:
        from reader._storage import documents, open_archive

        conn = open_archive(data_dir / DB_FILENAME)
        try:
            project = [doc for batch in documents.DocumentBatches(conn, 1000) for doc in batch]
        finally:
            conn.close()
        baseline = [Doc(d.doc_id, d.title, d.body, d.source) for d in project]
        return Documents(project, baseline)
    except (ImportError, AttributeError, TypeError) as err:
        # The storage layer changed shape: the baselines get the stories from the facade.
        with Archive(data_dir) as archive:
            baseline = []
            for story_id in archive.story_ids():
                story = archive.story(story_id)
                source = story.source or ""
                baseline.append(Doc(f"story:{story_id}", story.title, story.text, source))
        note = f"documents read through the facade, stories only ({type(err).__name__}: {err})"
        return Documents(None, baseline, note)


# -- the three systems ----------------------------------------------------------------------


def project_sync(data_dir: Path) -> Cost:
    """From an empty index to searchable the way the window does it: ``sync_index`` until the
    backlog is empty (opening the missing index queues every item first)."""
    with clock() as spent, Archive(data_dir) as archive:
        applied = 0
        while True:
            applied += archive.sync_index()
            if archive.index_backlog() == 0:
                break
    return Cost(spent[0], spent[1], applied, disk_mb(data_dir / INDEX_DIRNAME))


def project_idle_merge(data_dir: Path) -> Cost:
    """What the window's background indexer does once the backlog is gone: the locked merge of
    small segments, then the merge beside the writers (a worker process), committed."""
    with clock() as spent, Archive(data_dir) as archive:
        before, after = archive.merge_index(when=None)
    cost = Cost(spent[0], spent[1], 0, disk_mb(data_dir / INDEX_DIRNAME))
    cost.note = f"segments {before} → {after}"
    return cost


def project_reindex(data_dir: Path) -> Cost:
    """``reindex()`` on an archive whose index folder was deleted."""
    shutil.rmtree(data_dir / INDEX_DIRNAME, ignore_errors=True)
    with clock() as spent, Archive(data_dir) as archive:
        count = archive.reindex()
        while archive.index_backlog():
            archive.sync_index()
    return Cost(spent[0], spent[1], count, disk_mb(data_dir / INDEX_DIRNAME))


def project_direct(docs: Documents, directory: Path) -> Cost:
    """The project's schema and rebuild writer settings fed the in-memory documents: what the
    index costs without reading the database and building the documents."""
    if docs.project is None:
        return Cost(0, 0, 0, note=f"skipped: {docs.note}")
    try:
        from reader._search import schema as project_schema

        build_schema = project_schema.build_schema
        document_fields = project_schema.document_fields
    except (ImportError, AttributeError) as err:
        return Cost(0, 0, 0, note=f"skipped: reader._search.schema changed ({err})")
    writer_args: dict[str, Any] = {}
    try:
        from reader._search import index as project_index

        limit = getattr(project_index, "REBUILD_LIMIT_MB", None)
        if limit is not None:
            writer_args["limitmb"] = limit
        segment_docs = getattr(project_index, "PARALLEL_WORKER_MAX", None)
    except ImportError:
        segment_docs = None
    from whoosh import index

    pool = _project_workers(directory)
    directory.mkdir(parents=True)
    try:
        with clock() as spent:
            ix = index.create_in(str(directory), build_schema())
            writer = ix.writer(**writer_args)
            if pool is None:
                for doc in docs.project:
                    writer.add_document(**document_fields(doc))
                writer.commit()
            else:
                # The same worker processes the project uses, fed the documents in memory.
                # In the workers' segments of at most segment_docs, as the project writes them.
                pool.begin(segment_docs=segment_docs)
                for start in range(0, len(docs.project), 250):
                    pool.add([document_fields(doc) for doc in docs.project[start : start + 250]])
                segments = pool.finish()
                writer.commit(mergetype=lambda _writer, _existing: segments)
                pool.close()
    except TypeError as err:
        return Cost(0, 0, 0, note=f"skipped: the schema module's functions changed ({err})")
    settings = ", ".join(f"{k}={v}" for k, v in writer_args.items()) or "default writer"
    if pool is not None:
        settings = f"{pool.count} worker processes, {settings}"
        if segment_docs is not None:
            settings += f", segments of ≤ {segment_docs:,} a worker"
    return Cost(spent[0], spent[1], len(docs.project), disk_mb(directory), note=settings)


def _project_workers(directory: Path) -> Any:
    """The project's indexing workers for ``directory`` when it uses them, else None."""
    try:
        from reader._search import index as project_index
        from reader._search import workers
    except ImportError:
        return None
    count = workers.worker_count()
    if count < 2:
        return None
    return workers.SegmentWorkers(
        directory,
        project_index.INDEX_NAME,
        count,
        limitmb=project_index.WORKER_LIMIT_MB,
        **project_index.WRITER_OPTIONS,
    )


def naive_build(docs: Documents, directory: Path) -> tuple[Cost, NaiveWhoosh]:
    naive = NaiveWhoosh(directory)
    with clock() as spent:
        naive.build(docs.baseline)
    return Cost(spent[0], spent[1], len(docs.baseline), disk_mb(directory)), naive


def fts5_build(docs: Documents, path: Path) -> tuple[Cost, Fts5]:
    fts = Fts5(path)
    with clock() as spent:
        fts.build(docs.baseline)
    return Cost(spent[0], spent[1], len(docs.baseline), disk_mb(path)), fts


# -- one size -------------------------------------------------------------------------------


@dataclass(slots=True)
class SizeResult:
    size: int
    load_start: str
    generated: BuildReport
    generate_s: float
    db_mb: float
    builds: dict[str, Cost] = field(default_factory=dict)
    searches: dict[str, Latency] = field(default_factory=dict)
    rss: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    load_end: str = ""


SYNC = "project: sync_index() until backlog 0"
REINDEX = "project: reindex()"
DIRECT = "project's Whoosh schema and writers, fed directly"
NAIVE = "naive Whoosh"
FTS5 = "SQLite FTS5"
PROJECT_20 = "project: archive.search(q, limit=20)"
PROJECT_UNMERGED = "project, limit=20, before the idle merge"
IDLE_MERGE = "project: idle merge after the sync"
PROJECT_200 = "project: limit=200, sync=False (the window)"


def measure_size(
    root: Path, size: int, corpus: Corpus, queries: list[str], args: argparse.Namespace
) -> SizeResult:
    data_dir = root / f"archive-{size}"
    warmup = query_words(corpus, WARMUP_QUERIES, seed=99)
    report = BuildReport()
    load_start = load()
    with clock() as spent:
        build_scale_archive(data_dir, size, corpus, report=report).close()
    result = SizeResult(size, load_start, report, spent[0], disk_mb(data_dir / DB_FILENAME))
    print(f"  generated {size:,} stories in {spent[0]:.1f}s", file=sys.stderr)

    docs = read_documents(data_dir)
    if docs.note:
        result.notes.append(docs.note)
    word = queries[0].split()[0]

    cost, fts = fts5_build(docs, root / f"fts5-{size}.sqlite3")
    result.builds[FTS5] = cost
    result.searches[FTS5] = latencies(lambda q: fts.search(q, args.limit), queries, warmup)
    fts.close()
    result.rss[FTS5] = peak_rss_mb(
        [sys.executable, "-m", "bench.baselines", "fts5-search", str(fts.path), word]
    )
    print(f"  FTS5 done in {cost.wall:.1f}s", file=sys.stderr)

    if args.naive_max is not None and size > args.naive_max:
        result.notes.append(f"naive Whoosh was not built above {args.naive_max:,} stories")
    else:
        cost, naive = naive_build(docs, root / f"naive-{size}")
        result.builds[NAIVE] = cost
        result.searches[NAIVE] = latencies(lambda q: naive.search(q, args.limit), queries, warmup)
        naive.close()
        shutil.rmtree(naive.directory)
        print(f"  naive Whoosh done in {cost.wall:.1f}s", file=sys.stderr)

    if args.project_max is not None and size > args.project_max:
        result.notes.append(f"the project was not measured above {args.project_max:,} stories")
    else:
        direct = project_direct(docs, root / f"direct-{size}")
        result.builds[DIRECT] = direct
        shutil.rmtree(root / f"direct-{size}", ignore_errors=True)
        print(f"  direct done in {direct.wall:.1f}s", file=sys.stderr)
        del docs
        result.builds[SYNC] = project_sync(data_dir)
        print(f"  sync done in {result.builds[SYNC].wall:.1f}s", file=sys.stderr)
        with Archive(data_dir) as archive:
            result.searches[PROJECT_UNMERGED] = latencies(
                lambda q: archive.search(q, limit=args.limit, sync=False), queries, warmup
            )
        result.builds[IDLE_MERGE] = project_idle_merge(data_dir)
        print(f"  idle merge done in {result.builds[IDLE_MERGE].wall:.1f}s", file=sys.stderr)
        with Archive(data_dir) as archive:
            result.searches[PROJECT_20] = latencies(
                lambda q: archive.search(q, limit=args.limit), queries, warmup
            )
            result.searches[PROJECT_200] = latencies(
                lambda q: archive.search(q, limit=200, sync=False), queries, warmup
            )
        if args.reindex_max is None or size <= args.reindex_max:
            result.builds[REINDEX] = project_reindex(data_dir)
            print(f"  reindex done in {result.builds[REINDEX].wall:.1f}s", file=sys.stderr)
        result.rss["project CLI: main.py search"] = peak_rss_mb(
            [sys.executable, "main.py", "--data-dir", str(data_dir), "search", word]
        )
    result.rss["python -c pass"] = peak_rss_mb([sys.executable, "-c", "pass"])
    result.load_end = load()
    return result


# -- printing -------------------------------------------------------------------------------


def markdown(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.1f}×" if base else "–"


def print_generation(results: Sequence[SizeResult]) -> None:
    rows = [
        [
            f"{r.size:,}",
            f"{r.generated.highlights:,}",
            f"{r.generated.notes:,}",
            f"{r.generate_s:.1f}",
            f"{r.size / r.generate_s:,.0f}",
            f"{r.db_mb:,.0f}",
        ]
        for r in results
    ]
    print("\n### Generating the archives (through the storage layer, 5,000 per transaction)\n")
    print(markdown(["stories", "highlights", "notes", "seconds", "stories/s", "DB MiB"], rows))


def print_indexing(r: SizeResult) -> None:
    fts = r.builds.get(FTS5)
    naive = r.builds.get(NAIVE)
    rows = []
    for name in (SYNC, IDLE_MERGE, REINDEX, DIRECT, NAIVE, FTS5):
        cost = r.builds.get(name)
        if cost is None:
            continue
        if not cost.wall:
            rows.append([name, *["–"] * 10, cost.note])
            continue
        rows.append(
            [
                name,
                f"{cost.wall:.1f}",
                f"{cost.cpu:.1f}",
                f"{r.size / cost.wall:,.0f}" if cost.docs else "–",
                f"{r.size / cost.cpu:,.0f}" if cost.cpu and cost.docs else "–",
                f"{cost.docs:,}",
                ratio(cost.wall, fts.wall if fts else None),
                ratio(cost.cpu, fts.cpu if fts else None),
                ratio(cost.wall, naive.wall if naive else None),
                ratio(cost.cpu, naive.cpu if naive else None),
                f"{cost.disk_mb:,.0f}" if cost.disk_mb is not None else "–",
                cost.note,
            ]
        )
    print(f"\n### Indexing {r.size:,} stories (empty index to searchable)\n")
    headers = ["system", "wall s", "CPU s", "stories/s wall", "stories/s CPU", "docs applied",
               "wall vs FTS5", "CPU vs FTS5", "wall vs naive", "CPU vs naive", "index MiB",
               "note"]  # fmt: skip
    print(markdown(headers, rows))
    print(
        "\nWall time counts whatever else the machine runs; CPU seconds are the work of this"
        " process and of its worker processes, the steadier ratio on a busy machine."
    )
    direct = r.builds.get(DIRECT)
    for name in (REINDEX, SYNC):
        whole = r.builds.get(name)
        if whole and direct and direct.wall and whole.wall and whole.cpu:
            cpu_share = 1 - direct.cpu / whole.cpu
            wall_share = 1 - direct.wall / whole.wall
            verdict = "within" if cpu_share <= 0.2 else "over"
            print(
                f"\n{name}: reading the database and building documents (and its writer"
                f" differences) cost {cpu_share:.0%} of its CPU time ({wall_share:.0%} of wall):"
                f" {verdict} the budget of a fifth."
            )


def print_search(r: SizeResult, queries: int, limit: int) -> None:
    fts = r.searches.get(FTS5)
    naive = r.searches.get(NAIVE)
    rows = []
    for name in (PROJECT_20, PROJECT_200, PROJECT_UNMERGED, NAIVE, FTS5):
        lat = r.searches.get(name)
        if lat is None:
            continue
        rows.append(
            [
                name,
                f"{lat.p50:.1f}",
                f"{lat.p95:.1f}",
                f"{lat.mean_hits:.1f}",
                ratio(lat.p50, fts.p50 if fts else None),
                ratio(lat.p95, fts.p95 if fts else None),
                ratio(lat.p50, naive.p50 if naive else None),
                ratio(lat.p95, naive.p95 if naive else None),
            ]
        )
    print(
        f"\n### Search at {r.size:,} stories: {queries} one- and two-word queries,"
        f" {limit} hits with snippets (wall ms)\n"
    )
    headers = ["system", "p50 ms", "p95 ms", "hits/query", "p50 vs FTS5", "p95 vs FTS5",
               "p50 vs naive", "p95 vs naive"]  # fmt: skip
    print(markdown(headers, rows))


def print_memory(results: Sequence[SizeResult]) -> None:
    names = sorted({name for r in results for name in r.rss})
    rows = []
    for r in results:
        fts = r.rss.get(FTS5)
        for name in names:
            if name in r.rss:
                mb, wall = r.rss[name]
                versus = ratio(mb, fts[0] if fts else None)
                rows.append([f"{r.size:,}", name, f"{mb:,.0f}", f"{wall:.2f}", versus])
    print("\n### Peak memory of a one-word CLI search, each in a process of its own\n")
    print(markdown(["stories", "command", "max RSS MiB", "wall s", "vs FTS5"], rows))


# -- profiling ------------------------------------------------------------------------------


def profile(root: Path, size: int, corpus: Corpus, queries: list[str]) -> None:
    """cProfile of the project's indexing (sync_index until the backlog is empty), then
    :func:`profile_search` on the archive it built."""
    data_dir = root / f"profile-{size}"
    build_scale_archive(data_dir, size, corpus).close()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    profiler = cProfile.Profile()
    profiler.enable()
    project_sync(data_dir)
    profiler.disable()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\n### cProfile: indexing {size:,} stories with sync_index() (under the profiler)\n")
    print_stats(profiler)
    print(
        f"\nmax RSS of this process: {rss_before / 1024:,.0f} MiB before indexing,"
        f" {rss_after / 1024:,.0f} MiB after"
    )
    profile_search(data_dir, queries)


def profile_search(data_dir: Path, queries: list[str]) -> None:
    """tracemalloc of the first search in a freshly opened archive, cProfile of a warm one."""
    query = next(q for q in queries if " " in q)
    with Archive(data_dir) as archive:
        tracemalloc.start()
        archive.search(query, limit=20)
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        print(f"\n### tracemalloc: the first search ({query!r}) in a new archive\n")
        held = current / 2**20
        print(f"peak {peak / 2**20:.1f} MiB traced, {held:.1f} MiB still held; top 10:\n")
        print("```")
        for stat in snapshot.statistics("lineno")[:10]:
            print(stat)
        print("```")
        warm = next(q for q in queries if " " in q and q != query)
        profiler = cProfile.Profile()
        profiler.enable()
        archive.search(warm, limit=20)
        profiler.disable()
        print(f"\n### cProfile: the next search ({warm!r}, limit 20)\n")
        print_stats(profiler)


def print_stats(profiler: cProfile.Profile) -> None:
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(15)
        text = out.getvalue()
        print(f"top 15 by {key}:\n```")
        print(text[text.index("   ncalls") :].rstrip())
        print("```")


# -- main -----------------------------------------------------------------------------------


def sizes_arg(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=sizes_arg, default=[1_000, 20_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--words", type=int, default=600, help="words per story")
    parser.add_argument(
        "--project-max", type=int, default=None, help="measure the project only up to this size"
    )
    parser.add_argument(
        "--naive-max", type=int, default=None, help="build naive Whoosh only up to this size"
    )
    parser.add_argument(
        "--reindex-max", type=int, default=1_000, help="also time reindex() up to this size"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the project at the largest size instead"
    )
    parser.add_argument(
        "--profile-search",
        type=Path,
        default=None,
        metavar="DATA_DIR",
        help="only profile searches on an existing, indexed archive",
    )
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    args = parser.parse_args(argv)
    corpus = Corpus.make(words_per_story=args.words)
    queries = query_words(corpus, args.queries)
    if args.profile_search is not None:
        with Archive(args.profile_search) as archive:
            stories = archive.count_stories()
        print(f"## bench.scale: profiling search on {stories:,} stories ({load()})")
        profile_search(args.profile_search, queries)
        return 0
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args.keep, args, corpus, queries)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        return run(Path(tmp), args, corpus, queries)


def run(root: Path, args: argparse.Namespace, corpus: Corpus, queries: list[str]) -> int:
    sizes = ", ".join(f"{s:,}" for s in args.sizes)
    print(f"## bench.scale: {sizes} stories of ~{args.words} words")
    print(f"\nvocabulary {len(corpus.vocabulary):,} words (Zipf), queries seeded: {queries[:6]} …")
    print(f"started with {load()}; Python {sys.version.split()[0]}")
    if args.profile:
        profile(root, max(args.sizes), corpus, queries)
        return 0
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} stories ({load()})", file=sys.stderr)
        result = measure_size(root, size, corpus, queries, args)
        results.append(result)
        if args.keep is None:
            shutil.rmtree(root / f"archive-{size}", ignore_errors=True)
            (root / f"fts5-{size}.sqlite3").unlink(missing_ok=True)
    print_generation(results)
    for r in results:
        print_indexing(r)
        print_search(r, args.queries, args.limit)
        print(f"\nload: {r.load_start} at the start, {r.load_end} at the end")
        for note in r.notes:
            print(f"\nnote: {note}")
    print_memory(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
