"""The archive database: stories, sources, highlights, notes, tags and the search change queue,
one module per domain. Each module's functions take a sqlite-utils ``Database`` inside a
transaction the caller (the facade, ``reader.archive``) opens on a :class:`Connection`."""

from reader._storage.db import Connection
from reader._storage.schema import SCHEMA_VERSION, open_archive, upgrade_pending

__all__ = ["SCHEMA_VERSION", "Connection", "open_archive", "upgrade_pending"]
