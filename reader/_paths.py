"""Where things are: the archive (``--data-dir``, else ``READER_DATA_DIR``, else the platform's
user data directory), the bundled resources (the package ``reader._resources``, found through
``importlib.resources``), and the team's reference example (only where a setting names it)."""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "story-reader"
ENV_VAR = "READER_DATA_DIR"
RESOURCE_PACKAGE = "reader._resources"
REFERENCE_ENV_VAR = "READER_REFERENCE_EXAMPLE"
"""Names the team's reference story page. It is a real newsletter's text, so it is not in the
repository or the wheel: the sample archive and its test use it only where this is set."""


def _resources_dir() -> Path:
    root = importlib.resources.files(RESOURCE_PACKAGE)
    if not isinstance(root, Path):
        # Importing a story needs a real file; a zipped install has none to give.
        raise RuntimeError(f"{RESOURCE_PACKAGE} must be installed as files, not zipped: {root}")
    return root


RESOURCES_DIR = _resources_dir()
SAMPLES_DIR = RESOURCES_DIR / "samples"


def reference_example() -> Path | None:
    """The reference example that ``READER_REFERENCE_EXAMPLE`` names, else None. Never guessed
    from where the code happens to be checked out."""
    value = os.environ.get(REFERENCE_ENV_VAR)
    return Path(value).expanduser() if value else None


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data directory to use, in the documented order of precedence."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
