"""Soak benchmark of the real window, offscreen: a compressed hour of an analyst's use on a
generated archive whose whole search index is still to build, with the resident memory of the
window and of its indexing workers sampled throughout, next to issue 10's target (the window's
peak ≤ 500 MB after an hour at 100,000 stories). Nothing here asserts a time or a size.

Usage: python -m bench.soak [--size 100000] [--rounds 10] [--after-drain 3] [--heap]

A round is what an analyst does in a few minutes: the sidebar's views (Unread, Starred, Later,
Highlighted, Archived, a publication), a walk through stories with J and K, highlights, a note
on one and on the story, star, later, archive, a tag, typed searches (words, field queries, one
with many hits), scrolling the hits and opening some, a facet chip, scrolling the story list.
The index backlog drains beside it; after the rounds the bench waits for it to drain and runs
``--after-drain`` rounds more on the whole index. The window is driven as ``bench.window``
drives it (its ``Driver``: keys through the widgets, waits on the window's own signals).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from bench.generate import Corpus, query_words
from bench.scale import load, markdown
from bench.window import (
    Driver,
    Recorder,
    Timeout,
    child_pids,
    drive_window,
    prepare,
    rss_mib,
    wait_until,
)
from reader.archive import INDEX_DIRNAME
from reader.model import Changed, View
from ui.models.search_results import HIT_ROLE
from ui.panes.sidebar import KEY_ROLE, ListFilter

TARGET_MB = 500
TARGET_MIB = TARGET_MB * 1000**2 / 1024**2
STEP_TIMEOUT_S = 60.0


def rss_parts_mib(pid: int) -> tuple[float, float]:
    """A process's resident memory of its own (RssAnon: heaps, caches) and of mapped files
    (RssFile: libraries, and the index segments Whoosh maps), in MiB; 0 where unreadable."""
    parts = {"RssAnon:": 0.0, "RssFile:": 0.0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name = line.split(maxsplit=1)[0] if line.strip() else ""
                if name in parts:
                    parts[name] = int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return parts["RssAnon:"], parts["RssFile:"]


@dataclass(slots=True)
class Sample:
    at: float
    window: float
    workers: dict[int, float]
    backlog: int
    anon: float = 0.0
    """The window's RssAnon (its own memory; the rest is mapped files)."""

    @property
    def workers_total(self) -> float:
        return sum(self.workers.values())


class Sampler:
    """Resident memory of this process (the window) and of its children, every ``interval_s``,
    from a thread of its own so a long step in the GUI thread does not leave a gap."""

    def __init__(self, interval_s: float, backlog: Callable[[], int]) -> None:
        self.interval_s = interval_s
        self.backlog = backlog
        self.samples: list[Sample] = []
        self.start = time.perf_counter()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def begin(self) -> None:
        self._thread.start()

    def end(self) -> None:
        self._stop.set()
        self._thread.join()

    def take(self) -> Sample:
        me = os.getpid()
        sample = Sample(
            time.perf_counter() - self.start,
            rss_mib(me),
            {pid: rss_mib(pid) for pid in child_pids(me)},
            self.backlog(),
            rss_parts_mib(me)[0],
        )
        with self._lock:
            self.samples.append(sample)
        return sample

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.take()


@dataclass(slots=True)
class Round:
    number: int
    label: str
    seconds: float
    after: Sample
    qobjects: Counter[str]
    """The window's QObjects by class."""
    opens: int
    heap_mib: float | None = None


@dataclass
class Soak:
    """The rounds, run from inside the window's event loop through a ``Driver``."""

    args: argparse.Namespace
    corpus: Corpus
    rounds: list[Round] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    heap_diffs: list[str] = field(default_factory=list)
    type_growth: list[tuple[str, int, int]] = field(default_factory=list)
    sampler: Sampler | None = None

    def run(self, d: Driver) -> None:
        sampler = self.sampler = Sampler(self.args.sample_s, lambda: d.backlog)
        self.changed = Recorder().attach(d.window.changes.changed)
        self.loaded = Recorder().attach(d.window.story_list.loaded)
        self.facets = Recorder().attach(d.window.facet_chips.shown)
        sampler.begin()
        first = sampler.take()
        self.rounds.append(Round(0, "window ready", first.at, first, self._qobjects(d), 0))
        snapshot = tracemalloc.take_snapshot() if self.args.heap else None
        types = type_counts() if self.args.heap else None
        number = 0
        try:
            for _ in range(self.args.rounds):
                number += 1
                self._round(d, number, "indexing" if d.backlog != 0 else "index complete")
                if number == 1 and self.args.heap:
                    # Round 1 warms caches: growth is measured from its end.
                    snapshot, types = tracemalloc.take_snapshot(), type_counts()
            self._drain(d)
            for _ in range(self.args.after_drain):
                number += 1
                self._round(d, number, "after drain")
        finally:
            sampler.end()
        if snapshot is not None and types is not None:
            self._heap_report(snapshot, types)

    # -- one round --------------------------------------------------------------------------

    def _round(self, d: Driver, number: int, label: str) -> None:
        started = time.perf_counter()
        opens_before = len(d.run.open_ms)
        w = d.window
        self.activate(d)
        self.view(d, ListFilter(view=View.UNREAD).key)
        d.open_stories(self.args.opens // 2)
        d.open_stories(3, back=True)
        d.add_highlights(self.args.highlights)
        self.highlight_note(d, f"round {number} highlight note")
        self.story_note(d, f"Round {number}: worth following up with the desk.")
        for flag in (Qt.Key.Key_S, Qt.Key.Key_L, Qt.Key.Key_E):
            self.key_change(d, flag)
        self.tag(d, f"soak-{number % 4}")
        for key in ("view:starred", "view:later", "view:highlighted", "view:archived"):
            self.view(d, key)
        self.view(d, self.source_key(d, number))
        d.open_stories(self.args.opens - self.args.opens // 2)
        self.scroll(w.table)
        d.search(self.queries(number))
        self.scroll(w.results)
        self.open_hits(d, self.args.hits)
        self.facet_chip(d)
        self.clear_search(d)
        self.view(d, ListFilter(view=View.ALL).key)
        self.scroll(w.table)
        if self.args.heap:
            gc.collect()
        after = self.sampler.take() if self.sampler else None
        assert after is not None
        heap = tracemalloc.get_traced_memory()[0] / 1024**2 if self.args.heap else None
        self.rounds.append(
            Round(
                number,
                label,
                time.perf_counter() - started,
                after,
                self._qobjects(d),
                len(d.run.open_ms) - opens_before,
                heap,
            )
        )
        print(
            f"round {number} ({label}): {after.window:.0f} MiB window,"
            f" {after.workers_total:.0f} MiB in {len(after.workers)} workers,"
            f" backlog {after.backlog:,} ({load()})",
            file=sys.stderr,
        )

    def queries(self, number: int) -> list[str]:
        words = query_words(self.corpus, 3, seed=100 + number)
        many = self.corpus.content[number % 5]
        # The last has many hits: its hits are scrolled and opened, its chips clicked.
        return [
            *words,
            f"source:northwind {words[0]}",
            f"title:{words[1].split()[0]}",
            f"kind:highlight {many}",
            many,
        ]

    def view(self, d: Driver, key: str) -> None:
        """Choose a sidebar entry; wait until the list shows its ids."""
        sidebar = d.window.sidebar
        if sidebar.current_key == key:
            return
        start = time.perf_counter()
        if sidebar.select_key(key):
            self._wait(lambda: any(t >= start for t, _ in self.loaded.events), f"view {key}")

    def source_key(self, d: Driver, number: int) -> str:
        group = d.window.sidebar.sources
        if not group.childCount():
            return ListFilter(view=View.ALL).key
        key: str = group.child(number % group.childCount()).data(0, KEY_ROLE)
        return key

    def _changed_after(self, start: float, kind: Changed | None = None) -> Callable[[], bool]:
        def seen() -> bool:
            return any(
                t >= start and (kind is None or kind in args[0]) for t, args in self.changed.events
            )

        return seen

    def highlight_note(self, d: Driver, text: str) -> None:
        """Type a note on the highlight the panel shows (the last one made)."""
        panel = d.window.panel
        if panel.selected_highlight is None:
            highlights = d.window.reader.highlights
            if not highlights:
                return
            panel.select_highlight(highlights[-1].id)
        # A highlight's note is saved with the highlight.
        self._type_note(panel.note_edit, text, Changed.HIGHLIGHTS)

    def story_note(self, d: Driver, text: str) -> None:
        self._type_note(d.window.panel.story_note, text, Changed.NOTES)

    def _type_note(self, editor: Any, text: str, kind: Changed) -> None:
        if not editor.isEnabled():
            self._note(f"the {editor.objectName()} editor was disabled: no note typed")
            return
        editor.setFocus()
        start = time.perf_counter()
        QTest.keyClicks(editor, text)
        self._wait(self._changed_after(start, kind), f"{kind} note saved")

    def key_change(self, d: Driver, key: Qt.Key) -> None:
        """A plain key in the story list that changes the open story (S, L, E)."""
        w = d.window
        w.table.setFocus()
        start = time.perf_counter()
        QTest.keyClick(w.table, key)
        self._wait(self._changed_after(start), f"key {key.name}")

    def tag(self, d: Driver, name: str) -> None:
        """T, then the tag typed in its dialog and accepted."""
        w = d.window
        w.table.setFocus()
        QTest.keyClick(w.table, Qt.Key.Key_T)
        dialog = w.findChild(QInputDialog, "tag-many-dialog")
        if dialog is None:
            self._note("T opened no tag dialog: tagging skipped")
            return
        start = time.perf_counter()
        dialog.setTextValue(name)
        # Accepted from the event loop, as a click would be: the dialog's deleteLater, called
        # from this callback outside any loop, would wait until the whole soak had returned.
        QTimer.singleShot(0, dialog.accept)
        self._wait(self._changed_after(start, Changed.TAGS), "tag")
        self.activate(d)

    def activate(self, d: Driver) -> None:
        """Make the window active again (a dialog took it): plain keys fire only there."""
        w = d.window
        w.activateWindow()
        self._wait(lambda: QApplication.activeWindow() is w, "window active")

    def scroll(self, view: Any) -> None:
        """Page down the list to its end in ``--scroll-steps`` steps, then back to the top."""
        bar = view.verticalScrollBar()
        steps = self.args.scroll_steps
        app = QApplication.instance()
        assert app is not None
        for i in range(1, steps + 1):
            bar.setValue(bar.maximum() * i // steps)
            app.processEvents()
        bar.setValue(0)
        app.processEvents()

    def open_hits(self, d: Driver, count: int) -> None:
        """Choose the first ``count`` hits of the search shown, each until its story opens."""
        w = d.window
        model = w.results_model
        for row in range(min(count, model.rowCount())):
            hit = model.index(row, 0).data(HIT_ROLE)
            if hit is None:
                continue
            start = time.perf_counter()
            w.results.setCurrentIndex(model.index(row, 0))
            self._wait(d.opened.seen(start, hit.story_id), "open hit")

    def facet_chip(self, d: Driver) -> None:
        """F, then the first chip: its term joins the query, which runs as if typed."""
        w = d.window
        edit = w.search.edit
        query = edit.text()
        self._wait(lambda: any(args[0] == query for _, args in self.facets.events), "facets")
        w.results.setFocus()
        QTest.keyClick(w.results, Qt.Key.Key_F)
        chips = w.facet_bar.chips
        if not chips:
            self._note("no facet chips for the last query")
            return
        start = time.perf_counter()
        chips[0].click()
        self._wait(d.searched.seen(start, edit.text()), "chip search")

    def clear_search(self, d: Driver) -> None:
        edit = d.window.search.edit
        if not edit.text():
            return
        edit.setFocus()
        start = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_Escape)
        self._wait(d.searched.seen(start, ""), "search cleared")

    def _drain(self, d: Driver) -> None:
        if d.backlog == 0 or not self.args.after_drain:
            return
        print(f"waiting for the index backlog ({d.backlog:,}) to drain", file=sys.stderr)
        try:
            wait_until(lambda: d.backlog == 0, self.args.drain_wait)
        except Timeout:
            self._note(f"the backlog had not drained after {self.args.drain_wait:.0f} s")

    def _wait(self, condition: Callable[[], bool], what: str) -> None:
        try:
            wait_until(condition, STEP_TIMEOUT_S)
        except Timeout:
            self._note(f"{what}: not seen within {STEP_TIMEOUT_S:.0f} s")

    def _note(self, note: str) -> None:
        if note not in self.notes:
            print(f"note: {note}", file=sys.stderr)
            self.notes.append(note)

    @staticmethod
    def _qobjects(d: Driver) -> Counter[str]:
        return Counter(type(o).__name__ for o in d.window.findChildren(QObject))

    def _heap_report(self, since: tracemalloc.Snapshot, types: Counter[str]) -> None:
        gc.collect()
        now = tracemalloc.take_snapshot()
        for stat in now.compare_to(since, "lineno")[: self.args.heap_top]:
            self.heap_diffs.append(str(stat))
        growth = type_counts()
        grown = sorted(growth, key=lambda name: growth[name] - types[name], reverse=True)
        self.type_growth = [(n, types[n], growth[n]) for n in grown[: self.args.heap_top]]


def type_counts() -> Counter[str]:
    """Live objects the collector tracks, by type name (objgraph's ``typestats``)."""
    gc.collect()
    return Counter(type(o).__name__ for o in gc.get_objects())


# -- the report -----------------------------------------------------------------------------


def report(soak: Soak, size: int) -> None:
    samples = soak.sampler.samples if soak.sampler else []
    rounds = soak.rounds
    if not samples:
        print("no samples taken")
        return
    final = samples[-1]
    window_peak = max(s.window for s in samples)
    worker_peak = max((mib for s in samples for mib in s.workers.values()), default=0.0)
    workers_peak = max(s.workers_total for s in samples)
    all_peak = max(s.window + s.workers_total for s in samples)
    minutes = final.at / 60
    print(
        f"\n### Memory over a compressed hour at {size:,} stories ({minutes:.1f} min, offscreen)\n"
    )
    rows = [
        [
            "the window (peak / final)",
            f"{window_peak:.0f} / {final.window:.0f} MiB",
            f"≤ {TARGET_MB} MB ({TARGET_MIB:.0f} MiB)",
            "meets" if window_peak <= TARGET_MIB else "misses",
        ],
        [
            "one indexing worker (peak)",
            f"{worker_peak:.0f} MiB",
            "–",
            "–",
        ],
        [
            "all workers together (peak / final)",
            f"{workers_peak:.0f} / {final.workers_total:.0f} MiB",
            "–",
            "–",
        ],
        [
            "window and workers (peak / final)",
            f"{all_peak:.0f} / {final.window + final.workers_total:.0f} MiB",
            "–",
            "–",
        ],
    ]
    print(markdown(["resident memory", "measured", "target", "verdict"], rows))

    print("\n#### After each round\n")
    heap = soak.args.heap
    headers = [
        "round",
        "phase",
        "took",
        "backlog",
        "window (anon)",
        "Δ window",
        "workers",
        "QObjects",
    ]
    rows = []
    previous: float | None = None
    for r in rounds:
        delta = "–" if previous is None else f"{r.after.window - previous:+.1f}"
        previous = r.after.window
        row = [
            str(r.number),
            r.label,
            f"{r.seconds:.0f} s",
            f"{r.after.backlog:,}" if r.after.backlog >= 0 else "–",
            f"{r.after.window:.0f} MiB ({r.after.anon:.0f})",
            delta,
            f"{r.after.workers_total:.0f} MiB ({len(r.after.workers)})",
            f"{r.qobjects.total():,}",
        ]
        if heap:
            row.append(f"{r.heap_mib:.1f} MiB" if r.heap_mib is not None else "–")
        rows.append(row)
    print(markdown([*headers, "Python heap"] if heap else headers, rows))
    later = [r for r in rounds if r.number >= 2]
    if len(later) >= 2:
        slope = fit_slope([float(r.number) for r in later], [r.after.window for r in later])
        objects = fit_slope(
            [float(r.number) for r in later], [float(r.qobjects.total()) for r in later]
        )
        print(
            f"\ngrowth of the window from round 2 on (least squares): {slope:+.1f} MiB a round,"
            f" {objects:+.1f} QObjects a round"
        )

    if len(rounds) >= 3:
        first, last = rounds[1].qobjects, rounds[-1].qobjects
        grown = [(n, first[n], last[n]) for n in last if last[n] > first[n]]
        grown.sort(key=lambda row: row[2] - row[1], reverse=True)
        print("\nthe window's QObjects that grew from the end of round 1, by class:")
        print(", ".join(f"{n} {a} → {b}" for n, a, b in grown[:8]) or "none")

    print(f"\n#### Over time (the largest sample of each {soak.args.bucket_s:.0f} s)\n")
    headers = ["at", "backlog", "window (anon)", "workers", "together"]
    print(markdown(headers, over_time(soak)))
    opens = soak.rounds and sum(r.opens for r in rounds)
    print(f"\nstories opened: {opens}; samples every {soak.args.sample_s:.0f} s: {len(samples)}")
    if soak.heap_diffs:
        print("\n#### Python heap growth from the end of round 1 (tracemalloc, by line)\n")
        print("\n".join(f"- {line}" for line in soak.heap_diffs))
    if soak.type_growth:
        print("\n#### Live objects by type, end of round 1 → end\n")
        print(
            markdown(
                ["type", "round 1", "end", "growth"],
                [[n, f"{a:,}", f"{b:,}", f"{b - a:+,}"] for n, a, b in soak.type_growth],
            )
        )
    for note in soak.notes:
        print(f"\nnote: {note}")


def over_time(soak: Soak) -> list[list[str]]:
    assert soak.sampler is not None
    buckets: dict[int, Sample] = {}
    for s in soak.sampler.samples:
        key = int(s.at // soak.args.bucket_s)
        best = buckets.get(key)
        if best is None or s.window + s.workers_total > best.window + best.workers_total:
            buckets[key] = s
    return [
        [
            f"{s.at / 60:.1f} min",
            f"{s.backlog:,}" if s.backlog >= 0 else "–",
            f"{s.window:.0f} ({s.anon:.0f})",
            "+".join(f"{mib:.0f}" for mib in s.workers.values()) or "0",
            f"{s.window + s.workers_total:.0f} MiB",
        ]
        for _, s in sorted(buckets.items())
    ]


def fit_slope(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


# -- the run --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument(
        "--data-dir", type=Path, help="copy this archive (its index is dropped) instead"
    )
    parser.add_argument("--rounds", type=int, default=10, help="rounds while the index builds")
    parser.add_argument("--after-drain", type=int, default=3, help="rounds on the whole index")
    parser.add_argument("--drain-wait", type=float, default=900.0, help="seconds, at most")
    parser.add_argument("--opens", type=int, default=40, help="stories opened (J) a round")
    parser.add_argument("--highlights", type=int, default=2)
    parser.add_argument("--hits", type=int, default=5, help="search hits opened a round")
    parser.add_argument("--scroll-steps", type=int, default=20)
    parser.add_argument("--sample-s", type=float, default=3.0)
    parser.add_argument("--bucket-s", type=float, default=60.0)
    parser.add_argument(
        "--heap", action="store_true", help="tracemalloc and live-object counts (slower)"
    )
    parser.add_argument("--heap-top", type=int, default=12)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        root = Path(tmp)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        corpus = Corpus.make()
        if args.data_dir is not None:
            data_dir = root / "soak"
            shutil.copytree(args.data_dir, data_dir)
            shutil.rmtree(data_dir / INDEX_DIRNAME, ignore_errors=True)
        else:
            print(f"generating {args.size:,} stories ({load()})", file=sys.stderr)
            data_dir = prepare(root, args.size, corpus)
        print(f"## bench.soak: {args.size:,} stories ({load()})")
        if args.heap:
            tracemalloc.start()
        soak = Soak(args, corpus)
        run = drive_window(app, data_dir, args.size, soak.run)
        if args.heap:
            tracemalloc.stop()
        report(soak, args.size)
        print(f"\nquit {run.quit_s:.2f} s; load at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
