"""The wheel, built from a clean copy of this checkout: it carries the resources, the licence
and the typing marker, no tests, and installed on its own it finds its sample stories."""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_BOUND = 600
"""Seconds: a bound on a hung build, never the subject (it takes a few seconds)."""
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def _can_build_offline() -> bool:
    """The setuptools here reads the PEP 639 licence fields (77+), so no build environment
    needs to be downloaded (the test extra pins one that does)."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One wheel for the module, built from a copy so no stale build/ of the checkout leaks
    into it; links (reader/_resources) stay links, as git keeps them."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=IGNORED)
    # Verbose, so that setuptools' own warnings reach the log (pip hides them otherwise).
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "-w", str(work)]
    if _can_build_offline():
        command.append("--no-build-isolation")
    built_log = subprocess.run(
        [*command, str(source)],
        check=True,
        timeout=BUILD_BOUND,
        capture_output=True,
        text=True,
    )
    (work / "build.log").write_text(built_log.stdout + built_log.stderr, encoding="utf-8")
    [built] = work.glob("story_reader-*.whl")
    return built


def test_the_build_warns_of_no_packaging_mistake(wheel: Path) -> None:
    """setuptools warns at length when a folder of package data could be a package that
    `packages` leaves out ("Installing 'reader._resources.samples' as data is deprecated")."""
    log = (wheel.parent / "build.log").read_text(encoding="utf-8")
    for warning in ("absent from the `packages` configuration", "as data is deprecated"):
        assert warning not in log, warning


def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        [path] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(path).decode("utf-8"))


def test_every_resource_is_in_the_wheel(wheel: Path) -> None:
    resources = ROOT / "resources"
    shipped = {
        "reader/_resources/" + path.relative_to(resources).as_posix()
        for path in resources.rglob("*")
        if path.is_file()
        and not {"__pycache__", "screenshots"} & set(path.relative_to(resources).parts)
    }
    assert "reader/_resources/samples/annotations.json" in shipped
    assert len([n for n in shipped if "/samples/" in n]) >= 6
    assert shipped <= names(wheel), sorted(shipped - names(wheel))
    assert not [n for n in names(wheel) if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names(wheel) if "/screenshots/" in n], "the README's pictures"


def test_every_package_of_the_checkout_is_in_the_wheel(wheel: Path) -> None:
    packages = {
        init.relative_to(ROOT).as_posix()
        for top in ("reader", "ui")
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts and "_resources" not in init.parts
    }
    assert {"reader/__init__.py", "reader/cli/__init__.py", "ui/__init__.py"} <= packages
    assert packages <= names(wheel), sorted(packages - names(wheel))
    assert {"main.py", "reader/py.typed"} <= names(wheel)


def test_no_tests_or_benchmarks_only_the_app(wheel: Path) -> None:
    tops = {name.split("/", 1)[0] for name in names(wheel)}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"main.py", "reader", "ui"}


def test_the_licence_travels_with_it(wheel: Path) -> None:
    meta = metadata(wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    [licence] = [n for n in names(wheel) if n.endswith(".dist-info/licenses/LICENSE")]
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(licence) == (ROOT / "LICENSE").read_bytes()
    assert b"the story-reader authors" in (ROOT / "LICENSE").read_bytes()


def test_the_script_is_declared(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        [path] = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        entry_points = archive.read(path).decode("utf-8")
    assert "story-reader = main:main" in entry_points


INSTALLED_CHECK = """
import sys
from pathlib import Path

import reader._paths
from reader.archive import Archive

target = Path(sys.argv[1]).resolve()
assert reader._paths.RESOURCES_DIR.resolve().is_relative_to(target), reader._paths.RESOURCES_DIR
with Archive(Path(sys.argv[2])) as archive:
    report = archive.seed_samples()
    assert report is not None and not report.failed, report
    print(len(report.imported))
"""


def test_installed_alone_it_seeds_its_samples(wheel: Path, tmp_path: Path) -> None:
    """The bug this file exists for: a wheel without resources/ started on an empty list."""
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run(
        [*install, "--target", str(target), str(wheel)],
        check=True,
        timeout=BUILD_BOUND,
    )
    # Away from the checkout, with the installed copy first on the path: nothing of the
    # checkout (nor an editable install of it) can stand in for the wheel's files.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "READER_DATA_DIR")}
    env.pop("READER_REFERENCE_EXAMPLE", None)
    env["PYTHONPATH"] = str(target)
    proc = subprocess.run(
        [sys.executable, "-c", INSTALLED_CHECK, str(target), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=BUILD_BOUND,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 12
