"""Scale benchmark of the real window, offscreen: on generated archives whose whole search index
is still to build, the time to the first story list, opening stories, adding a highlight, the
first page of a search and quitting, next to the issue's targets. Nothing here asserts a time.

Usage: python -m bench.window [--size 20000] [--baseline 1000] [--opens 30] [--searches 5]

The window is opened the way ``main.py`` opens it, by ``ui.app.run_gui`` (only ui.app may
build the main window), with the settings in a temporary XDG_CONFIG_HOME, never the user's.
Every step goes through the widgets as the analyst's keys do (J in the story list, H in the
reader, typing in the search box, closing the window) and waits on the window's own signals
(``opener.storyOpened``, ``searcher.finished``) or, for a highlight, on the reader showing it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer, SignalInstance
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.generate import Corpus, build_scale_archive, query_words
from bench.scale import load, markdown
from reader.archive import INDEX_DIRNAME
from ui.app import run_gui
from ui.panes.search_bar import DEBOUNCE_MS

TIMEOUT_S = 300.0
POLL_MS = 2


class Timeout(Exception):
    pass


def wait_until(condition: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> float:
    """Run the event loop until ``condition()`` holds; returns when it did (perf_counter).

    The loop sleeps between checks (a 2 ms timer), so the GUI thread does not compete with the
    worker thread for the interpreter while it waits."""
    loop = QEventLoop()
    stamp: list[float] = []

    def check() -> None:
        if not stamp and condition():
            stamp.append(time.perf_counter())
            loop.quit()

    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(check)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    check()
    if not stamp:
        poll.start()
        guard.start(int(timeout_s * 1000))
        loop.exec()
    poll.stop()
    guard.stop()
    if not stamp:
        raise Timeout(f"gave up after {timeout_s:.0f}s")
    return stamp[0]


@dataclass  # not slots: a connected slot's object must be weakly referenceable
class Recorder:
    """The time of every emission of a signal, with its arguments."""

    events: list[tuple[float, tuple[Any, ...]]] = field(default_factory=list)

    def attach(self, signal: SignalInstance) -> Recorder:
        signal.connect(self.on_emit)
        return self

    def on_emit(self, *args: Any) -> None:
        self.events.append((time.perf_counter(), args))

    def after(self, start: float, first_arg: object) -> float | None:
        """When the signal was first emitted at or after ``start`` with ``first_arg``."""
        for stamp, args in self.events:
            if stamp >= start and args and args[0] == first_arg:
                return stamp
        return None

    def seen(self, start: float, first_arg: object) -> Callable[[], bool]:
        return lambda: self.after(start, first_arg) is not None


def more_than(items: Callable[[], Sequence[object]], count: int) -> Callable[[], bool]:
    return lambda: len(items()) > count


@dataclass(slots=True)
class WindowRun:
    size: int
    first_list_ms: float = 0.0
    first_paint_ms: float = 0.0
    open_ms: list[float] = field(default_factory=list)
    open_backlog: list[int] = field(default_factory=list)
    highlight_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    search_hits: list[int] = field(default_factory=list)
    search_backlog: list[int] = field(default_factory=list)
    ready_backlog: int = -1
    """The backlog the worker had reported when the list first showed (-1: no index batch yet)."""
    quit_s: float = 0.0
    quit_backlog: int = -1
    worker_stopped: bool = True
    window_mib: float = 0.0
    """The window process's resident memory just before quitting."""
    children_mib: list[float] = field(default_factory=list)
    """Resident memory of each child process then (the indexing workers)."""
    notes: list[str] = field(default_factory=list)


class Driver:
    """One window on one archive, driven step by step from inside its event loop."""

    def __init__(self, app: QApplication, window: Any, run: WindowRun, start: float) -> None:
        self.app = app
        self.run = run
        self.window = window
        self.backlog = -1
        w = self.window
        w.worker.indexing.connect(self.on_indexing)
        self.ready = Recorder().attach(w.ready)
        self.opened = Recorder().attach(w.opener.storyOpened)
        self.searched = Recorder().attach(w.searcher.finished)
        if w.story_model.rowCount():
            run.notes.append(
                "the list was loaded before the bench could listen: first paint is late"
            )
            self.ready.on_emit()
        ready = wait_until(lambda: bool(self.ready.events))
        self.app.processEvents()  # the list's paint events, queued by the first load
        painted = time.perf_counter()
        self.run.first_list_ms = (ready - start) * 1000
        self.run.first_paint_ms = (painted - start) * 1000
        self.run.ready_backlog = self.backlog

    def on_indexing(self, left: int) -> None:
        self.backlog = left

    # -- steps ------------------------------------------------------------------------------

    def open_stories(self, count: int, *, back: bool = False) -> None:
        """J (K when ``back``) in the story list, ``count`` times; each waits until the reader
        shows the story. It stops at the end (or the top) of the list."""
        w = self.window
        key, step = (Qt.Key.Key_K, -1) if back else (Qt.Key.Key_J, 1)
        if w.opener.story is None:
            wait_until(lambda: bool(self.opened.events))
        w.table.setFocus()
        for _ in range(count):
            row = w.table.currentIndex().row()
            start = time.perf_counter()
            QTest.keyClick(w.table, key)
            new_row = w.table.currentIndex().row()
            if new_row == row:
                # No shortcut reached the list: the same controller method J and K call.
                w.commands.move_selection(step)
                new_row = w.table.currentIndex().row()
                if new_row == row:
                    break
                note = f"{key.name} did not move the selection offscreen; move_selection used"
                if note not in self.run.notes:
                    self.run.notes.append(note)
            summary = w.story_model.summary(new_row)
            if summary is None:
                break
            target = summary.id
            done = wait_until(self.opened.seen(start, target))
            stamp = self.opened.after(start, target) or done
            self.run.open_ms.append((stamp - start) * 1000)
            self.run.open_backlog.append(self.backlog)

    def add_highlights(self, count: int) -> None:
        """Select a sentence in the reader and press H; wait until the reader draws it."""
        w = self.window
        reader = w.reader
        story = reader.story
        if story is None:
            self.run.notes.append("no story open: highlight not measured")
            return
        text = story.text
        at = 0
        for _ in range(count):
            start = text.find(". ", at) + 2
            end = text.find(".", start + 20)
            if start < 2 or end < 0:
                break
            at = end
            reader.setTextCursor(reader.cursor_for(start, end))
            reader.setFocus()
            before = len(reader.highlights)
            pressed = time.perf_counter()
            QTest.keyClick(reader, Qt.Key.Key_H)
            shown = wait_until(more_than(lambda: reader.highlights, before))
            self.run.highlight_ms.append((shown - pressed) * 1000)

    def search(self, queries: Sequence[str]) -> None:
        """Type each query in the search box; from the last key to ``searcher.finished``."""
        w = self.window
        edit = w.search.edit
        for query in queries:
            edit.setFocus()
            if edit.text():
                cleared = time.perf_counter()
                QTest.keyClick(edit, Qt.Key.Key_Escape)
                wait_until(self.searched.seen(cleared, ""))
            edit.setFocus()
            QTest.keyClicks(edit, query)
            typed = time.perf_counter()
            done = wait_until(self.searched.seen(typed, query))
            stamp = self.searched.after(typed, query) or done
            self.run.search_ms.append((stamp - typed) * 1000)
            self.run.search_hits.append(w.results_model.rowCount())
            self.run.search_backlog.append(self.backlog)

    def quit(self) -> None:
        """Close the window; it returns once the worker has stopped (the process can exit)."""
        self.run.quit_backlog = self.backlog
        self.run.window_mib = rss_mib(os.getpid())
        self.run.children_mib = [rss_mib(pid) for pid in child_pids(os.getpid())]
        start = time.perf_counter()
        self.window.close()
        self.run.quit_s = time.perf_counter() - start
        # Worker.stop() waits at most 30 s: say so if it gave up rather than finished.
        thread = getattr(self.window.worker, "_thread", None)
        self.run.worker_stopped = thread is None or not thread.isRunning()
        self.window.deleteLater()


# -- the run --------------------------------------------------------------------------------


Steps = Callable[[Driver], None]


def drive_window(app: QApplication, data_dir: Path, size: int, steps: Steps) -> WindowRun:
    """``run_gui`` on ``data_dir``; from the event loop's first pass, find the window, measure
    its first paint, run ``steps`` and close it, which ends ``run_gui``."""
    run = WindowRun(size)
    failure: list[BaseException] = []

    def on_started() -> None:
        window = next((w for w in app.topLevelWidgets() if w.objectName() == "main-window"), None)
        if window is None:
            failure.append(RuntimeError("run_gui built no window named main-window"))
            app.exit(1)
            return
        driver: Driver | None = None
        try:
            driver = Driver(app, window, run, start)
            steps(driver)
        # Reported after run_gui returns: the window's excepthook would only log it, and the
        # event loop would wait forever.
        except BaseException as err:
            failure.append(err)
        finally:
            if driver is not None:
                driver.quit()
            else:
                window.close()

    QTimer.singleShot(0, on_started)
    start = time.perf_counter()
    run_gui(argparse.Namespace(data_dir=str(data_dir), screenshot=None))
    sys.excepthook = sys.__excepthook__
    if failure:
        raise failure[0]
    return run


def prepare(root: Path, size: int, corpus: Corpus) -> Path:
    data_dir = root / f"window-{size}"
    build_scale_archive(data_dir, size, corpus).close()
    shutil.rmtree(data_dir / INDEX_DIRNAME, ignore_errors=True)
    return data_dir


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux /proc; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def child_pids(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:
            continue
        # "pid (name) state ppid ...": the name may hold spaces, so split after the ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(entry.name))
    return pids


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def fmt_ms(values: Sequence[float]) -> str:
    if not values:
        return "–"
    return f"p50 {statistics.median(values):.0f} / p95 {p95(values):.0f} / max {max(values):.0f}"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("meets" if ok else "misses")


def report(base: WindowRun, big: WindowRun) -> None:
    paint_ratio = big.first_paint_ms / base.first_paint_ms if base.first_paint_ms else None
    open_p95 = p95(big.open_ms) if big.open_ms else None
    hl = max(big.highlight_ms) if big.highlight_ms else None
    search_max = max(big.search_ms) if big.search_ms else None
    rows = [
        [
            "first paint (window built → ready → one event-loop pass)",
            f"{big.first_paint_ms:.0f} ms at {big.size:,}; {base.first_paint_ms:.0f} ms at"
            f" {base.size:,} ({paint_ratio:.2f}×)"
            if paint_ratio
            else "–",
            f"≤ 1.3× the {base.size:,}-story archive",
            verdict(paint_ratio <= 1.3 if paint_ratio else None),
        ],
        [
            f"open story (J, until storyOpened), {len(big.open_ms)} stories",
            fmt_ms(big.open_ms),
            "p95 ≤ 100 ms",
            verdict(open_p95 <= 100 if open_p95 is not None else None),
        ],
        [
            f"add a highlight (H, until drawn), {len(big.highlight_ms)} times",
            fmt_ms(big.highlight_ms),
            "≤ 100 ms",
            verdict(hl <= 100 if hl is not None else None),
        ],
        [
            f"search first page (last key → results), {len(big.search_ms)} queries",
            fmt_ms(big.search_ms) + f" (incl. {DEBOUNCE_MS} ms debounce)",
            "≤ 1 s",
            verdict(search_max <= 1000 if search_max is not None else None),
        ],
        [
            "quit (close() until the worker thread ended)",
            f"{big.quit_s:.2f} s at {big.size:,}; {base.quit_s:.2f} s at {base.size:,}",
            "≤ 2 s",
            verdict(big.quit_s <= 2 and base.quit_s <= 2),
        ],
    ]
    print(f"\n### The window at {big.size:,} stories, index still building (offscreen)\n")
    print(markdown(["step", "measured", "target", "verdict"], rows))
    workers = ", ".join(f"{mib:.0f}" for mib in big.children_mib) or "none running"
    print(
        f"\nmemory before quitting at {big.size:,}: the window {big.window_mib:.0f} MiB"
        f" (at {base.size:,}: {base.window_mib:.0f} MiB); indexing worker processes: {workers} MiB"
    )
    print("\nsearch index backlog (changes left) while measuring, as the worker reported it:")
    print(f"- opening stories: {_span(big.open_backlog)}")
    print(f"- searching: {_span(big.search_backlog)}; hits shown: {big.search_hits}")
    print(
        f"- at quit: {big.quit_backlog:,} at {big.size:,}, {base.quit_backlog:,} at {base.size:,}"
    )
    print(f"\nfirst story list (ready signal): {big.first_list_ms:.0f} ms at {big.size:,},")
    print(f"{base.first_list_ms:.0f} ms at {base.size:,}")
    for run in (base, big):
        before = "an index batch ran" if run.ready_backlog >= 0 else "no index batch had finished"
        print(f"- at {run.size:,}: {before} before the list showed (backlog {run.ready_backlog:,})")
    print(f"\nopen-story latencies at {big.size:,} in order (ms): {_list(big.open_ms)}")
    print(f"search latencies (ms): {_list(big.search_ms)}")
    for run in (base, big):
        if not run.worker_stopped:
            run.notes.append(f"at {run.size:,} the worker thread was still running after close()")
        for note in run.notes:
            print(f"\nnote ({run.size:,}): {note}")


def _span(values: Sequence[int]) -> str:
    known = [v for v in values if v >= 0]
    if not known:
        return "not reported yet"
    return f"{max(known):,} → {min(known):,}"


def _list(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--opens", type=int, default=30)
    parser.add_argument("--highlights", type=int, default=5)
    parser.add_argument("--searches", type=int, default=5)
    parser.add_argument(
        "--warmup", type=int, default=50, help="stories in an unreported first window (0: none)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-window-") as tmp:
        root = Path(tmp)
        # Before Qt starts: offscreen, and QSettings(organization, application) in our folder.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        return measure(args, root)


def measure(args: argparse.Namespace, root: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    corpus = Corpus.make()
    queries = query_words(corpus, args.searches, seed=5)
    print(f"## bench.window: {args.size:,} stories against {args.baseline:,} ({load()})")
    runs = []
    if args.warmup:
        # The first window of a process pays for fonts, styles and imports: not reported.
        data_dir = prepare(root, args.warmup, corpus)
        drive_window(app, data_dir, args.warmup, lambda _driver: None)
        shutil.rmtree(data_dir, ignore_errors=True)
    for size in (args.baseline, args.size):
        data_dir = prepare(root, size, corpus)
        print(f"generated {size:,} stories; opening the window ({load()})", file=sys.stderr)

        def steps(driver: Driver) -> None:
            if driver.run.size == args.size:
                driver.open_stories(args.opens)
                driver.add_highlights(args.highlights)
                driver.search(queries)

        runs.append(drive_window(app, data_dir, size, steps))
        shutil.rmtree(data_dir, ignore_errors=True)
    report(runs[0], runs[1])
    print(f"\nload at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
