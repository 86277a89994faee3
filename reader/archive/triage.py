"""Bulk triage: marking, tagging, deleting, recolouring many stories or highlights at once, each
call one transaction (all or nothing) and one change event, returning what its undo needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from reader._storage import annotations as highlights_and_notes
from reader._storage import bulk
from reader._storage.bulk import StoryFlag, TagLinks

__all__ = ["StoryFlag", "TagLinks", "TriageMixin"]
from reader.archive.core import ArchiveBase
from reader.model import Changed, Color, Highlight


class TriageMixin(ArchiveBase):
    """The many-at-once methods of :class:`~reader.archive.Archive`."""

    def count_flagged(self, story_ids: Sequence[int], flag: StoryFlag) -> int:
        """How many of the stories have ``flag``: a bulk toggle sets it unless all have it."""
        with self._reading() as db:
            return bulk.count_flagged(db, story_ids, flag)

    def set_stories_flag(self, story_ids: Sequence[int], flag: StoryFlag, value: bool) -> list[int]:
        """Set ``flag`` ("read", "starred", "archived", "later") on every story (NotFoundError, and
        nothing changed, if one is missing); returns the ids it changed, which
        ``set_stories_flag(changed, flag, not value)`` puts back."""
        with self._writing() as db:
            changed = bulk.set_flag(db, story_ids, flag, value)
        # As set_flags: reading changes no list's rows, so no list reloads its ids for it.
        self._emit(Changed.READ if flag == "read" else Changed.STORIES)
        return changed

    def delete_stories(self, story_ids: Sequence[int]) -> list[int]:
        """Hide every story and its annotations (undo with :meth:`undelete_stories`)."""
        with self._writing() as db:
            deleted = bulk.delete_stories(db, story_ids)
        self._emit(Changed.STORIES)
        return deleted

    def undelete_stories(self, story_ids: Sequence[int]) -> None:
        with self._writing() as db:
            bulk.undelete_stories(db, story_ids)
        self._emit(Changed.STORIES)

    def tag_stories(self, story_ids: Sequence[int], tags: Iterable[str]) -> TagLinks:
        """Tag every story; returns the links made (stories that had a tag already are not
        listed under it), which :meth:`untag_stories` takes off again."""
        return self._link_tags("story", story_ids, tags)

    def untag_stories(self, links: Mapping[str, Sequence[int]]) -> None:
        self._unlink_tags("story", links)

    def tag_highlights(self, highlight_ids: Sequence[int], tags: Iterable[str]) -> TagLinks:
        """As :meth:`tag_stories`, for highlights."""
        return self._link_tags("highlight", highlight_ids, tags)

    def untag_highlights(self, links: Mapping[str, Sequence[int]]) -> None:
        self._unlink_tags("highlight", links)

    def recolor_highlights(self, colors: Mapping[int, Color]) -> dict[int, Color]:
        """Give each highlight its colour; returns the colours they had, for the undo."""
        with self._writing() as db:
            before = bulk.recolor(db, colors)
        self._emit(Changed.HIGHLIGHTS)
        return before

    def delete_highlights(self, highlight_ids: Sequence[int]) -> list[Highlight]:
        """Delete every highlight; returns them, for :meth:`restore_highlights`."""
        with self._writing() as db:
            bulk.require_all(db, "highlight", highlight_ids)
            deleted = [highlights_and_notes.delete_highlight(db, i) for i in highlight_ids]
        self._emit(Changed.HIGHLIGHTS)
        return deleted

    def restore_highlights(self, highlights: Sequence[Highlight]) -> list[Highlight]:
        """Put deleted highlights back under their old ids, with their tags."""
        with self._writing() as db:
            restored = [highlights_and_notes.restore_highlight(db, h) for h in highlights]
        self._emit(Changed.HIGHLIGHTS)
        return restored

    def _link_tags(self, target: bulk.Target, ids: Sequence[int], tags: Iterable[str]) -> TagLinks:
        names = [t.strip() for t in tags if t.strip()]
        with self._writing() as db:
            added = bulk.link_tags(db, target, ids, names)
        self._emit(Changed.TAGS)
        return added

    def _unlink_tags(self, target: bulk.Target, links: Mapping[str, Sequence[int]]) -> None:
        with self._writing() as db:
            bulk.unlink_tags(db, target, links)
        self._emit(Changed.TAGS)
