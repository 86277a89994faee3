"""Where the archive lives: ``--data-dir``, else ``READER_DATA_DIR``, else the platform's
user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "story-reader"
ENV_VAR = "READER_DATA_DIR"
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
SAMPLES_DIR = RESOURCES_DIR / "samples"
REFERENCE_EXAMPLE = RESOURCES_DIR.parent.parent / "shared" / "examples" / "input-stories.txt"
"""The team's reference story page. It is a real newsletter's text, so it is not copied into
the repository; the sample archive imports it from the shared folder when that is present."""


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data directory to use, in the documented order of precedence."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
