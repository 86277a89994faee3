"""Entry point: with a command, the command line (``reader.cli``); without one, the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def display_problem(screenshot: str | None) -> str | None:
    """Why the window cannot open here, said in one line before Qt aborts with a long one."""
    if screenshot or os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display to open the window on (use a command, or --screenshot FILE)"
    if os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        from ctypes.util import find_library

        missing = [package for lib, package in X11_LIBRARIES if find_library(lib) is None]
        if missing:
            return (
                "Qt needs more X11 libraries to open the window: on Debian/Ubuntu,"
                f" apt-get install {' '.join(missing)}"
            )
    return None


# What Qt's X11 platform plugin loads (ldd of libqxcb.so), as library and Debian/Ubuntu package.
X11_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-randr", "libxcb-randr0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xcb-shape", "libxcb-shape0"),
    ("xcb-xkb", "libxcb-xkb1"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("X11-xcb", "libx11-xcb1"),
    ("EGL", "libegl1"),
    ("fontconfig", "libfontconfig1"),
    ("dbus-1", "libdbus-1-3"),
)


def main(argv: Sequence[str] | None = None) -> int:
    from reader.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args)
    problem = display_problem(args.screenshot or args.screenshots)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
