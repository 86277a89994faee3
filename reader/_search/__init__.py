"""Full-text search over stories, highlights and notes, kept in a Whoosh index that is derived
from the database and can always be rebuilt from it."""

from reader._search.index import IndexDamagedError, WhooshIndex, open_index

__all__ = ["IndexDamagedError", "WhooshIndex", "open_index"]
