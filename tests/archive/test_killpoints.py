"""Every declared kill point (reader/_killpoints.py), reached for real: each operation runs in a
process of its own that SIGKILLs itself at the step (``READER_KILL_AT``), then the archive is
opened again and must be whole: ``check`` clean on the first start, every write acknowledged
before the kill still there (and an import's later documents not half there), no half-written
file at a final path, and search agreeing with the database.

A step the operation never reaches fails its case, so a hook that moved away from its operation
is noticed. The cases are the registry, so the number of kill points is the number of ids."""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import runpy
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader import _killpoints
from reader._killpoints import STEPS
from reader.archive import DB_FILENAME, INDEX_DIRNAME, Archive
from reader.model import BackupSettings

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120
"""A generous bound on one killed run (it takes a second or two); never the subject."""

ARCHIVED = ("walrus", "pelican", "quokka")
"""Stories in the archive before the backup that ``restore`` puts back."""
LATE = "narwhal"
"""A story imported after that backup: a restore may take it away."""
INCOMING = ("axolotl", "capybara", "ocelot")
"""What the ``import`` operation imports, one transaction per file."""
MERGED = ("tapir", "gecko")
"""Stories only the JSON export to merge has (it also has a copy of walrus)."""
HIGHLIGHT = ("walrus", "its keepers")
NOTE = ("pelican", "A note the analyst wrote about the pelican.")
MERGED_HIGHLIGHT = ("walrus", "A short story")
"""Made in the other archive, on its copy of walrus: what both merges bring."""
OLD_AUTOMATIC = "archive-20000101-000000-auto.sqlite3"


def _story(folder: Path, word: str) -> Path:
    path = folder / f"{word}.md"
    path.write_text(
        f"# The {word.title()} Report\n\nA short story about the {word} and its keepers.\n",
        encoding="utf-8",
    )
    return path


def _story_id(archive: Archive, word: str) -> int:
    [story_id] = [s.id for s in archive.list_stories() if word in s.title.casefold()]
    return story_id


@dataclass(frozen=True)
class Template:
    data: Path
    backup: Path
    incoming: list[Path]
    merge_json: Path
    merge_w3c: Path


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """One small archive, made once and copied for every case: three stories with a highlight
    and a note, a backup of them, a fourth story after it, a search index that is up to date,
    one old automatic backup that the next one prunes, and files to import and merge."""
    base = tmp_path_factory.mktemp("killpoints")
    files = base / "files"
    files.mkdir()
    data, backup = base / "data", base / "restore-me.sqlite3"
    with Archive(data) as archive:
        archive.import_paths([_story(files, word) for word in ARCHIVED])
        archive.highlight_quote(_story_id(archive, HIGHLIGHT[0]), HIGHLIGHT[1])
        archive.add_note(_story_id(archive, NOTE[0]), NOTE[1])
        archive.set_backup_settings(BackupSettings(enabled=True, keep=1, interval_hours=24))
        archive.backup(backup)
        archive.import_paths([_story(files, LATE)])
        archive.sync_index()
        assert archive.check().ok
    (data / "backups").mkdir(exist_ok=True)
    shutil.copyfile(backup, data / "backups" / OLD_AUTOMATIC)

    other = base / "other"
    with Archive(other) as archive:
        archive.import_paths([_story(files, word) for word in (MERGED_HIGHLIGHT[0], *MERGED)])
        archive.highlight_quote(_story_id(archive, MERGED_HIGHLIGHT[0]), MERGED_HIGHLIGHT[1])
        merge_json, merge_w3c = base / "merge.json", base / "merge-w3c.json"
        with merge_json.open("w", encoding="utf-8") as fh:
            archive.export("json", fh)
        with merge_w3c.open("w", encoding="utf-8") as fh:
            archive.export("w3c", fh)
    incoming = [_story(files, word) for word in INCOMING]
    return Template(data, backup, incoming, merge_json, merge_w3c)


# -- the operations ---------------------------------------------------------------------------


@dataclass
class Case:
    template: Template
    data: Path
    out: Path

    def cli(self, *args: str | Path) -> list[str]:
        return ["main.py", "--data-dir", str(self.data), *map(str, args)]


def _drop_index(case: Case) -> None:
    shutil.rmtree(case.data / INDEX_DIRNAME)


def _segmented_index(case: Case) -> None:
    """A new index written two documents per commit: a segment each, for a merge to take."""
    _drop_index(case)
    with Archive(case.data) as archive:
        archive.sync_index(batch_size=2)


def _downgrade(case: Case) -> None:
    """Back to schema 8, the one before the change triggers (and step 10's count indexes,
    step 11's saved searches and step 12's Later flag and text lengths), so opening migrates
    through four steps."""
    with closing(sqlite3.connect(case.data / DB_FILENAME)) as conn:
        conn.execute("DROP TABLE saved_searches")
        for index in ("idx_stories_live_starred", "idx_stories_live_by_source"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("DROP INDEX idx_stories_live_later")
        for column in ("is_later", "word_count", "preview"):
            conn.execute(f"ALTER TABLE stories DROP COLUMN {column}")
        triggers = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ]
        assert triggers
        for name in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("PRAGMA user_version = 8")
        conn.commit()


BACKUP_SCRIPT = textwrap.dedent(
    """
    import sys
    from reader.archive import Archive

    with Archive(sys.argv[1]) as archive:
        archive.backup()
        archive.backup_if_due()
    """
)


@dataclass(frozen=True)
class Operation:
    command: Callable[[Case], list[str]]
    prepare: Callable[[Case], None] = lambda case: None


OPERATIONS: dict[str, Operation] = {
    "index": Operation(lambda c: c.cli("index"), prepare=_drop_index),
    "index-merge": Operation(lambda c: c.cli("index", "--merge"), prepare=_segmented_index),
    "reindex": Operation(lambda c: c.cli("reindex")),
    "import": Operation(lambda c: c.cli("import", *c.template.incoming)),
    "backup": Operation(lambda c: ["-c", BACKUP_SCRIPT, str(c.data)]),
    "export": Operation(lambda c: c.cli("export", "--format", "json", "-o", c.out / "all.json")),
    "merge": Operation(lambda c: c.cli("import", c.template.merge_json)),
    "merge-w3c": Operation(lambda c: c.cli("import", c.template.merge_w3c)),
    "migrate": Operation(lambda c: c.cli("list"), prepare=_downgrade),
    "restore": Operation(lambda c: c.cli("restore", c.template.backup)),
}

KILL_AT = {"import.committed": "import.committed#2"}
"""Where a step is reached more than once, the time it is killed (else the first)."""

# What each import step leaves committed of the INCOMING files, in order.
IMPORTED_BEFORE = {"import.parsed": 0, "import.committed": 2, "import.finished": 3}

XFAIL: dict[str, str] = {}
"""Kill points known to leave something wrong, with the symptom (none since restore is
journaled)."""


def _kill(case: Case, name: str) -> None:
    operation = OPERATIONS[_operation(name)]
    operation.prepare(case)
    args = operation.command(case)
    log = case.out / "killed.log"
    child = _FORKS.Process(target=_operation_child, args=(args, KILL_AT.get(name, name), log))
    child.start()
    child.join(TIMEOUT)
    if child.is_alive():
        child.kill()
        child.join()
    if child.exitcode != -signal.SIGKILL:
        output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        pytest.fail(
            f"kill point {KILL_AT.get(name, name)} was never reached by {args[:1] + args[3:]}: "
            f"it exited with {child.exitcode}\n{output}"
        )


_FORKS = multiprocessing.get_context("forkserver")
# Each killed run is a process of its own (it must die by SIGKILL), forked from a server that
# has imported the app once, instead of a fresh interpreter importing it again every time.
_FORKS.set_forkserver_preload(["main", "reader.archive", "reader.cli", "whoosh.index"])


def _operation_child(args: list[str], kill_at: str, log: Path) -> None:
    """In the forked process: run ``python ARGS`` (main.py and its arguments, or ``-c
    SCRIPT``) with the kill point set, its output into ``log``."""
    os.environ[_killpoints.ENV] = kill_at
    os.chdir(ROOT)
    with log.open("w", encoding="utf-8") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        if args[0] == "-c":
            sys.argv = ["-c", *args[2:]]
            exec(compile(args[1], "<kill-point script>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = list(args)
            runpy.run_path(str(ROOT / args[0]), run_name="__main__")


def _operation(name: str) -> str:
    [step] = [s for s in STEPS if s.name == name]
    return step.operation


# -- after the kill ---------------------------------------------------------------------------


def _assert_intact_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
        assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] > 0, path


def _assert_no_half_files(case: Case, name: str, stories: int) -> None:
    """Backups and exports at their final names are complete; one killed before its rename is
    not there at all, one killed after it is."""
    backups = sorted((case.data / "backups").glob("*.sqlite3"))
    for path in backups:
        _assert_intact_sqlite(path)
    manual = [p for p in backups if p.name.startswith("archive-") and "-auto" not in p.name]
    if name == "backup.part_written":
        assert not manual
    elif _operation(name) == "backup":
        assert len(manual) == 1
    if name == "backup.pruned":
        assert OLD_AUTOMATIC not in {p.name for p in backups}
    export = case.out / "all.json"
    assert export.exists() == (name == "export.renamed")
    if export.exists():
        exported = json.loads(export.read_text(encoding="utf-8"))
        assert len(exported["stories"]) == stories


def _expected(name: str) -> set[str]:
    """The title words of stories whose write was acknowledged before the kill."""
    operation = _operation(name)
    words = set(ARCHIVED)
    if operation != "restore":
        words.add(LATE)
    if operation == "import":
        words.update(INCOMING[: IMPORTED_BEFORE[name]])
    if name == "merge.batch_committed":
        words.update(MERGED)
    return words


def _forbidden(name: str) -> set[str]:
    """Words of stories the kill came before: they must not be there, not even in part."""
    if _operation(name) == "import":
        return set(INCOMING[IMPORTED_BEFORE[name] :])
    if name == "merge.header_committed":
        return set(MERGED)
    return set()


def _assert_recovered(case: Case, name: str) -> None:
    # Between a restore's renames there is no archive file until the next start finishes the
    # journaled restore; that start must never make an empty archive instead.
    assert (case.data / DB_FILENAME).exists() or (case.data / "restore-journal.json").exists()
    with Archive(case.data) as archive:
        assert archive.count_stories() > 0, "the start made an empty archive"
        report = archive.check()
        assert report.ok, f"check after one start: {report.problems}"
        archive.sync_index()
        stories = archive.list_stories()
        words = {word for s in stories for word in s.title.casefold().split()}
        assert _expected(name) <= words
        assert not _forbidden(name) & words
        quotes = {h.quote for h in archive.highlights(_story_id(archive, HIGHLIGHT[0]))}
        assert HIGHLIGHT[1] in quotes
        if name in ("merge.batch_committed", "merge.annotations_committed"):
            assert MERGED_HIGHLIGHT[1] in quotes
        assert NOTE[1] in {n.body for n in archive.notes(_story_id(archive, NOTE[0]))}
        for story in stories:
            word = story.title.split()[1]
            assert story.id in {hit.story_id for hit in archive.search(word)}, word
    _assert_no_half_files(case, name, len(stories))


def _case_params() -> list[object]:
    return [
        pytest.param(
            step.name,
            id=step.name,
            marks=[pytest.mark.xfail(strict=True, reason=XFAIL[step.name])]
            if step.name in XFAIL
            else [],
        )
        for step in STEPS
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", _case_params())
def test_killed_at(name: str, template: Template, tmp_path: Path) -> None:
    case = Case(template, tmp_path / "data", tmp_path / "out")
    shutil.copytree(template.data, case.data)
    case.out.mkdir()
    _kill(case, name)
    _assert_recovered(case, name)


# -- the registry -----------------------------------------------------------------------------


def _step_calls() -> list[tuple[str, str]]:
    """(step name, where) for every ``_killpoints.step("…")`` and ``kill_point("…")`` call."""
    found = []
    for path in sorted((ROOT / "reader").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            hook = (isinstance(func, ast.Name) and func.id == "kill_point") or (
                isinstance(func, ast.Attribute)
                and func.attr == "step"
                and isinstance(func.value, ast.Name)
                and func.value.id == "_killpoints"
            )
            if not hook:
                continue
            [arg] = node.args
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                f"{path}:{node.lineno}: a kill point is named by a string literal"
            )
            found.append((arg.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def test_every_step_in_the_code_is_registered_and_every_registered_one_is_in_the_code() -> None:
    calls = _step_calls()
    names = [step.name for step in STEPS]
    assert len(names) == len(set(names)), "a step is registered twice"
    called = [name for name, _ in calls]
    assert sorted(set(called)) == sorted(names), {
        "in the code, not registered": sorted(set(called) - set(names)),
        "registered, not in the code": sorted(set(names) - set(called)),
    }
    assert len(called) == len(set(called)), f"a step is called in two places: {calls}"
    assert {step.operation for step in STEPS} <= OPERATIONS.keys()


def test_the_cases_are_the_registry() -> None:
    ids = [param.id for param in _case_params()]  # type: ignore[attr-defined]
    assert ids == [step.name for step in STEPS]
    assert set(XFAIL) <= set(ids)
    print(f"{len(ids)} kill points, {len(XFAIL)} of them known to fail: {sorted(XFAIL)}")


@pytest.mark.parametrize(
    ("spec", "alive"),
    [("", True), ("other", True), ("here#3", True), ("here", False), ("here#2", False)],
)
def test_step_kills_only_where_and_when_it_is_told(spec: str, alive: bool) -> None:
    script = "from reader._killpoints import step\nstep('here')\nstep('here')\nprint('alive')"
    env = {**os.environ, _killpoints.ENV: spec}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if alive:
        assert (proc.returncode, proc.stdout) == (0, "alive\n"), proc.stderr
    else:
        assert proc.returncode == -signal.SIGKILL, proc.stderr
