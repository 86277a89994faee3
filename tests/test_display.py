"""Before Qt aborts with a page of text, main.py says in one line what the window lacks: no
display, or which X11 libraries to install (by their Debian/Ubuntu package names)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

import main


@pytest.fixture
def x11(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":9")


def test_missing_x11_libraries_are_named_by_package(
    x11: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = {"xcb-icccm", "xkbcommon-x11"}
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: None if name in absent else f"lib{name}.so"
    )
    problem = main.display_problem(None)
    assert problem is not None and "\n" not in problem
    assert problem.endswith("apt-get install libxcb-icccm4 libxkbcommon-x11-0")


def test_nothing_to_say_when_every_library_is_there(
    x11: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert main.display_problem(None) is None
    assert main.display_problem("shot.png") is None


def test_no_display_at_all(x11: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY")
    assert main.display_problem(None) == (
        "no display to open the window on (use a command, or --screenshot FILE)"
    )
