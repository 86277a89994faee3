"""The :class:`Archive` facade itself: it combines the helper mixins and adds reading, flags and
search, each a transaction around the storage module that does the work, or a call to the index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader._anchoring.reanchor import needs_repair
from reader._paths import SAMPLES_DIR
from reader._storage import annotations as highlights_and_notes
from reader._storage import codebook, stories, versions
from reader._storage import settings as archive_settings
from reader._storage import tags as tagging
from reader.archive.annotations import AnnotationsMixin
from reader.archive.checking import CheckingMixin
from reader.archive.facets import FacetsMixin
from reader.archive.feeds import FeedsMixin
from reader.archive.importing import ImportingMixin
from reader.archive.mailboxes import MailboxesMixin
from reader.archive.maintenance import MaintenanceMixin
from reader.archive.samples import SAMPLES_MARKER, sample_annotations, sample_files
from reader.archive.saved_searches import SavedSearchesMixin
from reader.archive.triage import TriageMixin
from reader.errors import ReaderError
from reader.model import (
    AnchorStatus,
    Changed,
    Color,
    Highlight,
    ImportReport,
    Note,
    Order,
    SearchHit,
    SearchResults,
    Source,
    Story,
    StorySummary,
    View,
)

READING_POSITION_KEY = "reading/position/"
"""Followed by a story id in the settings table: where the reader was in that story."""


@dataclass(frozen=True, slots=True)
class StoryBundle:
    """A story with its annotations, as exports and ``show`` need it."""

    story: Story
    highlights: list[Highlight]
    notes: list[Note]


class Archive(
    ImportingMixin,
    FeedsMixin,
    MailboxesMixin,
    AnnotationsMixin,
    TriageMixin,
    SavedSearchesMixin,
    MaintenanceMixin,
    CheckingMixin,
    FacetsMixin,
):
    """An open archive in ``data_dir``: the SQLite database and the search index beside it.

    ``fetcher`` fetches URLs and feeds (tests pass a double); by default an HTTP client is
    made on first use and closed with the archive. ``imap_connect`` opens IMAP connections
    for mailbox folders (by default ``imaplib``; tests of error paths pass a fake).
    """

    # -- life cycle -------------------------------------------------------------------------

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------------

    def story_ids(
        self,
        *,
        view: View = View.ALL,
        source_id: int | None = None,
        tag: str | None = None,
        order: Order = Order.PUBLISHED,
        descending: bool = True,
        feed_id: int | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Ids of live stories in ``view``, sorted by ``order``, ties by id; the first
        ``limit`` of them if given."""
        with self._reading() as db:
            return stories.story_ids(
                db,
                view=view,
                source_id=source_id,
                tag=tag,
                order=order,
                descending=descending,
                feed_id=feed_id,
                limit=limit,
            )

    def summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        """Summaries in the order of ``ids``; ids of missing or deleted stories are skipped."""
        with self._reading() as db:
            return stories.summaries(db, ids)

    def list_stories(
        self, *, view: View = View.ALL, limit: int | None = None
    ) -> list[StorySummary]:
        """Stories newest first (by published date, else by when they were fetched, below the
        stories published that day)."""
        ids = self.story_ids(view=view)
        return self.summaries(ids[:limit] if limit is not None else ids)

    def story(self, story_id: int) -> Story:
        with self._reading() as db:
            return stories.get_story(db, story_id)

    # -- reading position -------------------------------------------------------------------

    def reading_position(self, story_id: int) -> int:
        """The canonical offset the reader last showed at its top for this story (0: never
        scrolled, or back at the start)."""
        with self._reading() as db:
            value = archive_settings.get(db, f"{READING_POSITION_KEY}{story_id}")
        return int(value) if value is not None and value.isdigit() else 0

    def set_reading_position(self, story_id: int, offset: int) -> None:
        """Keep where the analyst is in a story; 0 forgets it (the start needs no entry)."""
        key = f"{READING_POSITION_KEY}{story_id}"
        with self._writing() as db:
            if offset > 0:
                archive_settings.put(db, key, str(offset))
            else:
                archive_settings.delete(db, key)

    def bundle(self, story_id: int) -> StoryBundle:
        with self._reading() as db:
            story = stories.get_story(db, story_id)
            highlights = highlights_and_notes.highlights_for(db, story_id)
            notes = highlights_and_notes.notes_for(db, story_id)
        # The story's text is already here: check the fit in memory and go back to the
        # database only when a highlight needs repairing (as highlights() does), instead of
        # reading the text and the highlights a second time for every story of an export.
        if any(needs_repair(story.text, h.start, h.end, h.quote, h.status) for h in highlights):
            highlights = self.highlights(story_id)
        return StoryBundle(story, highlights, notes)

    def bundles(self, story_ids: Iterable[int] | None = None) -> Iterator[StoryBundle]:
        """Stories with annotations one at a time, so an export of 100,000 stays small."""
        ids = list(story_ids) if story_ids is not None else self.story_ids(view=View.ALL)
        if story_ids is None:
            ids += self.story_ids(view=View.ARCHIVED)
        for story_id in ids:
            yield self.bundle(story_id)

    def highlight(self, highlight_id: int) -> Highlight:
        with self._reading() as db:
            return highlights_and_notes.get_highlight(db, highlight_id)

    def highlights(self, story_id: int) -> list[Highlight]:
        """The story's highlights, each valid for its current text: one that no longer fits
        (its quote is not where it points) is re-anchored and written back first. The write
        lock is taken only when one needs it."""
        with self._reading() as db:
            unfit = bool(versions.unfit_highlights(db, story_id)[1])
            if not unfit:
                return highlights_and_notes.highlights_for(db, story_id)
        with self._writing() as db:
            repaired = versions.repair_highlights(db, story_id)
            result = highlights_and_notes.highlights_for(db, story_id)
        if repaired:
            self._emit(Changed.HIGHLIGHTS)
        return result

    def all_highlights(
        self,
        *,
        color: Color | None = None,
        tag: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
        status: AnchorStatus | None = None,
    ) -> list[Highlight]:
        """Highlights on live stories, newest first; ``limit``/``offset`` page through them
        and ``status`` keeps only those that sit on their story's text that way."""
        with self._reading() as db:
            return highlights_and_notes.all_highlights(
                db,
                color=color,
                tag=tag,
                source_id=source_id,
                limit=limit,
                offset=offset,
                status=status,
            )

    def notes(self, story_id: int) -> list[Note]:
        with self._reading() as db:
            return highlights_and_notes.notes_for(db, story_id)

    def sources(self, *, publications: bool = False) -> list[tuple[Source, int]]:
        """Sources with their live story counts; ``publications``: leave out those whose
        stories all came from a web feed (the sidebar lists those as feeds)."""
        with self._reading() as db:
            return stories.sources(db, publications=publications)

    def tags(self) -> list[tuple[str, int]]:
        """Tag names with how many live stories and highlights carry each, by name."""
        with self._reading() as db:
            return tagging.counts(db)

    def view_counts(self) -> dict[View, int]:
        """The number of stories in every view, read in one go (the sidebar's numbers)."""
        with self._reading() as db:
            return stories.view_counts(db)

    def count_stories(self, view: View = View.ALL) -> int:
        with self._reading() as db:
            return stories.count_stories(db, view=view)

    # -- flags ------------------------------------------------------------------------------

    def set_flags(
        self,
        story_id: int,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        archived: bool | None = None,
        later: bool | None = None,
    ) -> None:
        """Set the story's flags given (None leaves one as it is); ``later`` sets it aside in
        the Later view."""
        with self._writing() as db:
            stories.set_flags(
                db, story_id, read=read, starred=starred, archived=archived, later=later
            )
        # Opening a story marks it read: that must not make every list reload its rows.
        only_read = read is not None and (starred, archived, later) == (None, None, None)
        self._emit(Changed.READ if only_read else Changed.STORIES)

    def delete_story(self, story_id: int) -> None:
        """Hide a story and its annotations (undoable with :meth:`undelete_story`)."""
        with self._writing() as db:
            stories.delete_story(db, story_id)
        self._emit(Changed.STORIES)

    def undelete_story(self, story_id: int) -> None:
        with self._writing() as db:
            stories.undelete_story(db, story_id)
        self._emit(Changed.STORIES)

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, *, sync: bool = True) -> list[SearchHit]:
        """Hits for ``query`` (InvalidQueryError if it cannot be parsed), best first.
        ``color:`` takes a colour or its codebook name. With ``sync`` every pending change is
        indexed first; the window passes False because its worker indexes in the background
        and a search must not wait for a backlog of 100,000 stories."""
        return list(self.search_results(query, limit, sync=sync).hits)

    def search_results(self, query: str, limit: int = 20, *, sync: bool = True) -> SearchResults:
        """As :meth:`search`, with whether more than ``limit`` documents matched, so a count
        of the hits can say "200+" when the limit cut them off."""
        if sync:
            self.sync_index()
        with self._reading() as db:
            names = {entry.name: entry.color.value for entry in codebook.entries(db)}
        return self._index.search_results(query, limit=limit, color_names=names)

    # -- samples ----------------------------------------------------------------------------

    def seed_samples(self, samples_dir: Path = SAMPLES_DIR) -> ImportReport | None:
        """Import the samples and their annotations if this archive has never had them.

        Returns None when nothing was done: the archive already holds stories or was seeded
        before (the analyst may have deleted the samples on purpose).
        """
        marker = self.data_dir / SAMPLES_MARKER
        if marker.exists() or self.count_stories(View.ALL) or self.count_stories(View.ARCHIVED):
            return None
        report = self.import_paths(sample_files(samples_dir))
        by_title = {s.title: s.id for s in self.summaries(report.imported)}
        for entry in sample_annotations(samples_dir):
            story_id = by_title.get(entry["story_title"])
            if story_id is None:
                continue
            for spec in entry.get("highlights", []):
                try:
                    self.highlight_quote(
                        story_id,
                        spec["quote"],
                        color=Color(spec["color"]),
                        note=spec.get("note", ""),
                    )
                except ReaderError as err:
                    self.messages.append(f"sample highlight skipped: {err}")
            for body in entry.get("notes", []):
                self.add_note(story_id, body)
        marker.write_text("The bundled sample stories were imported into this archive.\n")
        return report
