"""Writing command output to a file safely: all of it, or (on failure) nothing."""

from __future__ import annotations

from reader.archive import write_atomically

__all__ = ["write_atomically"]
