"""Runs the command line as a user would: ``python main.py …`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Result]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data_dir: Path) -> Runner:
    """``cli("list", "--json")`` runs main.py against a fresh data dir."""

    def run(*args: str, env: dict[str, str] | None = None, pass_data_dir: bool = True) -> Result:
        full_env = {k: v for k, v in os.environ.items() if k != "READER_DATA_DIR"}
        full_env.update(env or {})
        command = [sys.executable, str(ROOT / "main.py"), *args]
        if pass_data_dir:
            command += ["--data-dir", str(data_dir)]
        proc = subprocess.run(
            command, capture_output=True, text=True, env=full_env, timeout=120, cwd=ROOT
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
