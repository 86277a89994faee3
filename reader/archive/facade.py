"""The :class:`Archive` facade itself: it combines the helper mixins and adds reading, flags and
search, the thin calls straight through to the store and the index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader._anchoring.reanchor import needs_repair
from reader._paths import SAMPLES_DIR
from reader.archive.annotations import AnnotationsMixin
from reader.archive.feeds import FeedsMixin
from reader.archive.importing import ImportingMixin
from reader.archive.mailboxes import MailboxesMixin
from reader.archive.maintenance import MaintenanceMixin
from reader.archive.samples import SAMPLES_MARKER, sample_annotations, sample_files
from reader.errors import ReaderError
from reader.model import (
    Changed,
    Color,
    Highlight,
    ImportReport,
    Note,
    SearchHit,
    Source,
    Story,
    StorySummary,
)


@dataclass(frozen=True, slots=True)
class StoryBundle:
    """A story with its annotations, as exports and ``show`` need it."""

    story: Story
    highlights: list[Highlight]
    notes: list[Note]


class Archive(ImportingMixin, FeedsMixin, MailboxesMixin, AnnotationsMixin, MaintenanceMixin):
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
        view: str = "all",
        source_id: int | None = None,
        tag: str | None = None,
        order: str = "published",
        descending: bool = True,
        feed_id: int | None = None,
    ) -> list[int]:
        return self.store.story_ids(
            view=view,
            source_id=source_id,
            tag=tag,
            order=order,
            descending=descending,
            feed_id=feed_id,
        )

    def summaries(self, ids: Sequence[int]) -> list[StorySummary]:
        return self.store.summaries(ids)

    def list_stories(self, *, view: str = "all", limit: int | None = None) -> list[StorySummary]:
        """Stories newest first (by published date, else by when they were fetched)."""
        ids = self.story_ids(view=view)
        return self.summaries(ids[:limit] if limit is not None else ids)

    def story(self, story_id: int) -> Story:
        return self.store.get_story(story_id)

    def bundle(self, story_id: int) -> StoryBundle:
        story = self.store.get_story(story_id)
        highlights = self.store.highlights_for(story_id)
        # The story's text is already here: check the fit in memory and go back to the
        # store only when a highlight needs repairing (as highlights() does), instead of
        # reading the text and the highlights a second time for every story of an export.
        if any(needs_repair(story.text, h.start, h.end, h.quote, h.status) for h in highlights):
            highlights = self.highlights(story_id)
        return StoryBundle(story, highlights, self.store.notes_for(story_id))

    def bundles(self, story_ids: Iterable[int] | None = None) -> Iterator[StoryBundle]:
        """Stories with annotations one at a time, so an export of 100,000 stays small."""
        ids = list(story_ids) if story_ids is not None else self.story_ids(view="all")
        if story_ids is None:
            ids += self.story_ids(view="archived")
        for story_id in ids:
            yield self.bundle(story_id)

    def highlight(self, highlight_id: int) -> Highlight:
        return self.store.get_highlight(highlight_id)

    def highlights(self, story_id: int) -> list[Highlight]:
        """The story's highlights, each valid for its current text: one that no longer fits
        (its quote is not where it points) is re-anchored and written back first."""
        if self.store.repair_highlights(story_id):
            self._emit(Changed.HIGHLIGHTS)
        return self.store.highlights_for(story_id)

    def all_highlights(
        self,
        *,
        color: Color | None = None,
        tag: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
        status: str | None = None,
    ) -> list[Highlight]:
        return self.store.all_highlights(
            color=color, tag=tag, source_id=source_id, limit=limit, offset=offset, status=status
        )

    def notes(self, story_id: int) -> list[Note]:
        return self.store.notes_for(story_id)

    def sources(self) -> list[tuple[Source, int]]:
        return self.store.sources()

    def tags(self) -> list[tuple[str, int]]:
        return self.store.tags()

    def count_stories(self, view: str = "all") -> int:
        return self.store.count_stories(view)

    # -- flags ------------------------------------------------------------------------------

    def set_flags(
        self,
        story_id: int,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        archived: bool | None = None,
    ) -> None:
        self.store.set_flags(story_id, read=read, starred=starred, archived=archived)
        self._emit(Changed.STORIES)

    def delete_story(self, story_id: int) -> None:
        """Hide a story (undoable with :meth:`undelete_story`)."""
        self.store.delete_story(story_id)
        self._emit(Changed.STORIES)

    def undelete_story(self, story_id: int) -> None:
        self.store.undelete_story(story_id)
        self._emit(Changed.STORIES)

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, *, sync: bool = True) -> list[SearchHit]:
        """Hits for ``query`` (InvalidQueryError if it cannot be parsed), best first.
        ``color:`` takes a colour or its codebook name. With ``sync`` every pending change is
        indexed first; the window passes False because its worker indexes in the background
        and a search must not wait for a backlog of 100,000 stories."""
        if sync:
            self.sync_index()
        names = {entry.name: entry.color.value for entry in self.store.codebook()}
        return self.index.search(query, limit=limit, color_names=names)

    # -- samples ----------------------------------------------------------------------------

    def seed_samples(self, samples_dir: Path = SAMPLES_DIR) -> ImportReport | None:
        """Import the samples and their annotations if this archive has never had them.

        Returns None when nothing was done: the archive already holds stories or was seeded
        before (the analyst may have deleted the samples on purpose).
        """
        marker = self.data_dir / SAMPLES_MARKER
        if marker.exists() or self.count_stories("all") or self.count_stories("archived"):
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
