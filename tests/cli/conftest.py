"""Runs the command line: ``cli`` in this process, through the same ``main()`` the
``story-reader`` script calls, with its output captured; ``real_cli`` as a user would, in a
``python main.py`` subprocess, for the few things only a real process shows (exit status from
the interpreter, a closed pipe, no display)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
DIGEST = FIXTURES / "river-digest.html"
MARKDOWN = FIXTURES / "quiet-markets.md"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Runner(Protocol):
    def __call__(
        self, *args: str, env: Mapping[str, str] | None = None, pass_data_dir: bool = True
    ) -> Result: ...


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _exit_status(code: object) -> int:
    """What the interpreter would exit with for ``SystemExit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


@pytest.fixture
def cli(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Runner:
    """``cli("list", "--json")`` runs the command line in this process against a fresh data
    dir; ``env`` is set for that one run, and READER_DATA_DIR is never inherited."""

    def run(*args: str, env: Mapping[str, str] | None = None, pass_data_dir: bool = True) -> Result:
        argv = [*args, "--data-dir", str(data_dir)] if pass_data_dir else list(args)
        capsys.readouterr()
        with monkeypatch.context() as scoped:
            scoped.delenv("READER_DATA_DIR", raising=False)
            for name, value in (env or {}).items():
                scoped.setenv(name, value)
            try:
                code = main.main(argv)
            except SystemExit as done:  # argparse: --help, usage errors
                code = _exit_status(done.code)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(argv: Sequence[str], env: Mapping[str, str] | None = None) -> Result:
    full_env = {k: v for k, v in os.environ.items() if k != "READER_DATA_DIR"}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *argv],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,  # a bound on a hang, never the subject: a command here takes seconds
        cwd=ROOT,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def real_cli(data_dir: Path) -> Runner:
    """The same as ``cli``, but ``python main.py …`` in a subprocess."""

    def run(*args: str, env: Mapping[str, str] | None = None, pass_data_dir: bool = True) -> Result:
        argv = [*args, "--data-dir", str(data_dir)] if pass_data_dir else list(args)
        return run_process(argv, env)

    return run


class Prefill(Protocol):
    def __call__(self, *paths: Path) -> list[int]: ...


@pytest.fixture(scope="session")
def _templates() -> dict[tuple[Path, ...], tuple[Path, list[int]]]:
    return {}


@pytest.fixture
def prefilled(
    data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    _templates: dict[tuple[Path, ...], tuple[Path, list[int]]],
) -> Prefill:
    """``prefilled(DIGEST, MARKDOWN)`` fills ``data_dir`` as ``import DIGEST MARKDOWN`` would
    and returns the imported ids: the import runs once per session, each test gets a copy."""

    def fill(*paths: Path) -> list[int]:
        if paths not in _templates:
            template = tmp_path_factory.mktemp("cli-template") / "data"
            argv = ["import", *map(str, paths), "--json", "--data-dir", str(template)]
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main.main(argv)
            assert status == 0, err.getvalue()
            _templates[paths] = (template, json.loads(out.getvalue())["imported"])
        template, ids = _templates[paths]
        shutil.copytree(template, data_dir)
        return list(ids)

    return fill
