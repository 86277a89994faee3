"""A really full disk, not a simulated error: the archive lives on a small tmpfs (mounted in a
mount namespace of the test's own, skipped with the reason where mounting is not allowed), and
an import that runs out of space reports every file in one line each, keeps what it saved, and
exits 3; once space is freed, the next command's start lets search catch up and ``check``
passes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT

FILES = 60
TMPFS = "3m"
FILLER_KIB = 1024
SCRIPT = r"""
set -u
mount -t tmpfs -o size={size} tmpfs "$MNT" || exit 90
dd if=/dev/zero of="$MNT/filler" bs=1024 count={filler} 2>/dev/null
"$PY" main.py --data-dir "$MNT/data" import "$IN" >"$OUT/import.out" 2>"$OUT/import.err"
echo $? >"$OUT/import.rc"
rm "$MNT/filler"
"$PY" main.py --data-dir "$MNT/data" check >"$OUT/check.out" 2>"$OUT/check.err"
echo $? >"$OUT/check.rc"
"$PY" main.py --data-dir "$MNT/data" list --json >"$OUT/list.out" 2>"$OUT/list.err"
"$PY" main.py --data-dir "$MNT/data" search "ledger" --json --limit 500 >"$OUT/search.out"
"""


def _namespace_prefix() -> list[str] | None:
    """How to run a shell in a mount namespace of its own, or None when this machine allows
    none (no unshare, or user namespaces and mounting both forbidden)."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "--mount", "--map-root-user"], ["unshare", "--mount"]):
        probe = subprocess.run(
            [*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return prefix
    return None


PREFIX = _namespace_prefix()


def write_inputs(folder: Path) -> None:
    folder.mkdir()
    paragraph = " ".join(
        f"The harbour ledger for pier {n} lists cranes, tugs and grain silos in turn."
        for n in range(60)
    )
    for n in range(FILES):
        (folder / f"story-{n:03}.md").write_text(
            f"# Ledger entry {n}\n\n{paragraph}\n\n{paragraph}\n", encoding="utf-8"
        )


@pytest.mark.skipif(
    PREFIX is None, reason="mounting a tmpfs is not allowed here (no mount namespace)"
)
def test_an_import_that_fills_the_disk_reports_each_file_and_loses_nothing(tmp_path: Path) -> None:
    assert PREFIX is not None
    inputs, out, mnt = tmp_path / "in", tmp_path / "out", tmp_path / "mnt"
    write_inputs(inputs)
    out.mkdir()
    mnt.mkdir()
    env = {
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(tmp_path),
        "PY": sys.executable,
        "MNT": str(mnt),
        "IN": str(inputs),
        "OUT": str(out),
        "READER_INDEX_WORKERS": "0",
    }
    script = SCRIPT.format(size=TMPFS, filler=FILLER_KIB)
    done = subprocess.run(
        [*PREFIX, "sh", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr

    def read(name: str) -> str:
        return (out / name).read_text(encoding="utf-8")

    err = read("import.err")
    assert "Traceback" not in err, err
    assert read("import.rc").strip() == "3", (read("import.out"), err)
    [summary] = [line for line in read("import.out").splitlines() if "imported," in line]
    imported = int(summary.split()[0])
    failed = int(summary.split("duplicate(s) skipped, ")[1].split()[0])
    assert 0 < imported < FILES and imported + failed == FILES, summary
    failures = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(failures) == failed and all("full" in line or "space" in line for line in failures)
    # Space freed: the next start indexes what the import saved, and nothing is lost.
    assert read("check.rc").strip() == "0", read("check.out") + read("check.err")
    assert "never completed" in read("check.err") and "another format" not in read("check.err")
    import json

    listed = json.loads(read("list.out"))
    assert len(listed) == imported
    found = json.loads(read("search.out"))
    assert len({hit["story_id"] for hit in found}) == imported
