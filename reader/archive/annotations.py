"""Annotating stories: tags on stories and highlights, the colour codebook, highlights (including
re-attaching orphans) and story notes."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from reader._anchoring import (
    Selector,
    candidates,
    selector_for_quote,
    selector_for_range,
)
from reader._storage import annotations as highlights_and_notes
from reader._storage import codebook, stories, versions
from reader._storage import tags as tagging
from reader.archive.core import ArchiveBase
from reader.errors import CodebookError
from reader.model import (
    Candidate,
    Changed,
    CodebookEntry,
    Color,
    Highlight,
    Note,
    TagRename,
    TagUse,
)


class AnnotationsMixin(ArchiveBase):
    """Tag, codebook, highlight and note methods of :class:`~reader.archive.Archive`."""

    # -- tags -------------------------------------------------------------------------------

    def tag_story(self, story_id: int, tags: Iterable[str]) -> None:
        with self._writing() as db:
            stories.tag_story(db, story_id, [t.strip() for t in tags if t.strip()])
        self._emit(Changed.TAGS)

    def untag_story(self, story_id: int, tags: Iterable[str]) -> None:
        with self._writing() as db:
            stories.untag_story(db, story_id, list(tags))
        self._emit(Changed.TAGS)

    def tag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        with self._writing() as db:
            highlights_and_notes.tag_highlight(
                db, highlight_id, [t.strip() for t in tags if t.strip()]
            )
        self._emit(Changed.TAGS)

    def untag_highlight(self, highlight_id: int, tags: Iterable[str]) -> None:
        with self._writing() as db:
            highlights_and_notes.untag_highlight(db, highlight_id, list(tags))
        self._emit(Changed.TAGS)

    def tag_uses(self) -> list[TagUse]:
        """Every tag in use, with how many live stories and highlights carry it, by name."""
        with self._reading() as db:
            return tagging.uses(db)

    def rename_tag(self, old: str, new: str) -> TagRename:
        """Rename a tag everywhere; to a name in use already, the two tags merge. The search
        index learns it through the change queue. Returns what :meth:`undo_rename_tag`
        needs."""
        with self._writing() as db:
            done = tagging.rename(db, old, new)
        self._emit(Changed.TAGS)
        return done

    def undo_rename_tag(self, done: TagRename) -> None:
        with self._writing() as db:
            tagging.undo_rename(db, done)
        self._emit(Changed.TAGS)

    def tag_names(self, prefix: str = "") -> list[str]:
        """Tag names starting with ``prefix`` (ignoring case), most used first: completion."""
        with self._reading() as db:
            return tagging.names_by_use(db, prefix)

    # -- codebook ---------------------------------------------------------------------------

    def codebook(self) -> list[CodebookEntry]:
        """What the analyst calls each named colour, in the order of :class:`Color`."""
        with self._reading() as db:
            return codebook.entries(db)

    def color_names(self) -> dict[Color, str]:
        """Each named colour's name; a colour without one is absent."""
        return {entry.color: entry.name for entry in self.codebook()}

    def color_for(self, text: str) -> Color:
        """The colour ``text`` names: a colour or a codebook name, in any case."""
        folded = text.strip().casefold()
        entries = self.codebook()
        for entry in entries:
            if entry.name.casefold() == folded:
                return entry.color
        try:
            return Color(folded)
        except ValueError:
            names = [entry.name for entry in entries]
            known = ", ".join([c.value for c in Color] + names)
            raise CodebookError(f"unknown colour {text!r} (choose from {known})") from None

    def set_codebook_entry(self, color: Color, name: str, description: str = "") -> CodebookEntry:
        """Name what ``color`` means (CodebookError if the name is empty or taken)."""
        with self._writing() as db:
            entry = codebook.set_entry(db, color, name, description)
        self._emit(Changed.CODEBOOK)
        return entry

    def clear_codebook_entry(self, color: Color) -> bool:
        """Forget what ``color`` means; False if it had no name."""
        with self._writing() as db:
            cleared = codebook.clear(db, color)
        if cleared:
            self._emit(Changed.CODEBOOK)
        return cleared

    # -- highlights and notes ---------------------------------------------------------------

    def highlight_range(
        self, story_id: int, start: int, end: int, *, color: Color = Color.YELLOW, note: str = ""
    ) -> Highlight:
        """Highlight ``text[start:end]`` of the story's canonical text."""
        text = self._story_text(story_id)
        return self._add_highlight(story_id, selector_for_range(text, start, end), color, note)

    def highlight_quote(
        self, story_id: int, quote: str, *, color: Color = Color.YELLOW, note: str = ""
    ) -> Highlight:
        """Highlight the first occurrence of ``quote``; QuoteNotFoundError if it is absent."""
        text = self._story_text(story_id)
        selector = selector_for_quote(text, unicodedata.normalize("NFC", quote))
        return self._add_highlight(story_id, selector, color, note)

    def _add_highlight(self, story_id: int, sel: Selector, color: Color, note: str) -> Highlight:
        with self._writing() as db:
            highlight = highlights_and_notes.add_highlight(
                db,
                story_id,
                start=sel.start,
                end=sel.end,
                quote=sel.quote,
                prefix=sel.prefix,
                suffix=sel.suffix,
                color=color,
                note=note,
            )
        self._emit(Changed.HIGHLIGHTS)
        return highlight

    def update_highlight(
        self, highlight_id: int, *, color: Color | None = None, note: str | None = None
    ) -> Highlight:
        with self._writing() as db:
            highlight = highlights_and_notes.update_highlight(
                db, highlight_id, color=color, note=note
            )
        self._emit(Changed.HIGHLIGHTS)
        return highlight

    def delete_highlight(self, highlight_id: int) -> Highlight:
        with self._writing() as db:
            highlight = highlights_and_notes.delete_highlight(db, highlight_id)
        self._emit(Changed.HIGHLIGHTS)
        return highlight

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        with self._writing() as db:
            restored = highlights_and_notes.restore_highlight(db, highlight)
        self._emit(Changed.HIGHLIGHTS)
        return restored

    def orphan_candidates(self, highlight_id: int, limit: int = 3) -> list[Candidate]:
        """Places in the story's current text where a highlight that lost its place could go,
        best first; pass one to :meth:`reattach_highlight`."""
        highlight, text = self._highlight_and_text(highlight_id)
        selector = Selector(
            highlight.start, highlight.end, highlight.quote, highlight.prefix, highlight.suffix
        )
        return candidates(text, selector, limit=limit)

    def reattach_highlight(self, highlight_id: int, start: int, end: int) -> Highlight:
        """Put a highlight on ``text[start:end]`` of its story's current text: its quote and
        context become that selection's and it is anchored again."""
        with self._writing() as db:
            highlight = highlights_and_notes.get_highlight(db, highlight_id)
            text = stories.get_story(db, highlight.story_id).text
            versions.reattach(db, highlight_id, selector_for_range(text, start, end))
            reattached = highlights_and_notes.get_highlight(db, highlight_id)
        self._emit(Changed.HIGHLIGHTS)
        return reattached

    def reattach_to_quote(self, highlight_id: int, quote: str) -> Highlight:
        """Put a highlight on the first place in its story's current text that reads ``quote``
        (NotFoundError when no place does)."""
        _, text = self._highlight_and_text(highlight_id)
        place = selector_for_quote(text, quote)
        return self.reattach_highlight(highlight_id, place.start, place.end)

    def add_note(self, story_id: int, body: str) -> Note:
        with self._writing() as db:
            note = highlights_and_notes.add_note(db, story_id, body)
        self._emit(Changed.NOTES)
        return note

    def update_note(self, note_id: int, body: str) -> Note:
        with self._writing() as db:
            note = highlights_and_notes.update_note(db, note_id, body)
        self._emit(Changed.NOTES)
        return note

    def delete_note(self, note_id: int) -> Note:
        with self._writing() as db:
            note = highlights_and_notes.delete_note(db, note_id)
        self._emit(Changed.NOTES)
        return note

    def restore_note(self, note: Note) -> Note:
        with self._writing() as db:
            restored = highlights_and_notes.restore_note(db, note)
        self._emit(Changed.NOTES)
        return restored

    def _story_text(self, story_id: int) -> str:
        with self._reading() as db:
            return stories.get_story(db, story_id).text

    def _highlight_and_text(self, highlight_id: int) -> tuple[Highlight, str]:
        """A highlight and its story's current text, read in one snapshot."""
        with self._reading() as db:
            highlight = highlights_and_notes.get_highlight(db, highlight_id)
            return highlight, stories.get_story(db, highlight.story_id).text
