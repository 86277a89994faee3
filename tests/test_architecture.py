"""The project's shape, checked: the core never imports Qt, the two faces (ui/ and reader/cli/)
reach the core only through the facade, only the app module builds the main window, and no
modules import each other in a circle. Imports under ``if TYPE_CHECKING:`` count: they are
coupling all the same."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACADE = ("reader.archive", "reader.model", "reader.errors")
"""What a face may import from reader: the facade and the records and errors it speaks in."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    files = [p for top in ("reader", "ui", "bench") for p in (ROOT / top).rglob("*.py")]
    return {_module_name(p): p for p in [*files, ROOT / "main.py"]}


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module ``name`` imports; ``from pkg import sub`` counts as pkg.sub when sub is one
    of ours, else as pkg."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield sub if sub in MODULES else base


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def _crossings() -> list[str]:
    found = []
    for name, targets in GRAPH.items():
        for target in sorted(targets):
            if name.startswith("reader") and target.split(".")[0] in {"ui", "PySide6", "shiboken6"}:
                found.append(f"{name} (core) imports {target}")
            face = name.startswith(("ui", "reader.cli"))
            inner = target.startswith("reader.") and not target.startswith("reader.cli")
            if face and inner and not target.startswith(FACADE):
                found.append(f"{name} reaches below the facade: {target}")
            if target == "ui.main_window" and name not in {"ui.app", "ui.main_window"}:
                found.append(f"{name} imports the main window (only ui.app may)")
    return found


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph = {n: {t for t in ts if t in MODULES and t != n} for n, ts in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_checker_sees_the_whole_project() -> None:
    assert {"main", "reader.archive", "reader.cli", "ui.app"} <= set(MODULES)
    assert "reader.archive" in GRAPH["reader.cli.runner"] or any(
        t.startswith("reader.archive") for t in GRAPH["reader.cli.runner"]
    )


def test_faces_reach_the_core_only_through_the_facade() -> None:
    assert _crossings() == []


def test_no_module_imports_itself_in_a_circle() -> None:
    assert _cycles() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from reader._storage import db\n", "reaches below the facade"),
        ("from PySide6.QtCore import QObject\n", "(core) imports"),
    ],
)
def test_a_crossing_is_reported(
    source: str, expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check can fail: a face importing storage, or the core importing Qt, is caught."""
    name = "reader.cli.intruder" if "storage" in source else "reader.intruder"
    path = tmp_path / "intruder.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setitem(GRAPH, name, set(_imports(name, path)))
    assert any(expected in line and name in line for line in _crossings())
