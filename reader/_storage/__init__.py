"""The archive database: stories, sources, highlights, notes, tags and the search change queue."""

from reader._storage.schema import SCHEMA_VERSION
from reader._storage.store import Store

__all__ = ["SCHEMA_VERSION", "Store"]
