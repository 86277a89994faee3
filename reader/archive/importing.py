"""Importing into the archive: files, folders, URLs, documents in memory, our own exports and W3C
annotation files, and the versions a changed story accumulates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from reader import _killpoints
from reader._anchoring import (
    word_diff,
)
from reader._export.importing import detect as detect_export
from reader._parse import canonical_text, content_hash, parse_bytes
from reader._protocols import FetchResult
from reader._sources.feeds import feed_format, parse_feed
from reader._sources.files import FileItem, FileKind, collect_files, read_file
from reader._sources.mail import mbox_messages, message_stories, read_message
from reader._sources.subscriptions import import_feed
from reader._storage import codebook, stories, versions
from reader.archive.core import ArchiveBase, ProgressCallback
from reader.errors import ParseError, ReaderError
from reader.model import (
    Changed,
    DiffOp,
    ImportFailure,
    ImportReport,
    ImportWarning,
    MergeReport,
    ParsedStory,
    StoryVersion,
)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class UrlProbe:
    """What an address holds, fetched but not stored: a feed when ``feed_title`` is set
    (``feed_entries`` is how many entries it has now), else a page."""

    url: str
    result: FetchResult
    feed_title: str | None = None
    feed_entries: int = 0

    @property
    def is_feed(self) -> bool:
        return self.feed_title is not None


class ImportingMixin(ArchiveBase):
    """Import and version methods of :class:`~reader.archive.Archive`."""

    # -- import -----------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import files, folders and URLs (strings with a scheme, such as ``https://``). One
        that fails is reported and the rest go on. Our JSON exports and W3C annotation files
        are recognised by their content and merged (see :meth:`import_export`). E-mail
        (.eml files, mbox files, Maildir folders) is read message by message; a message that
        fails is reported as ``PATH#N`` in an mbox and the others go on."""
        paths = list(paths)
        urls = [p for p in paths if isinstance(p, str) and _URL.match(p)]
        items = collect_files(p for p in paths if not (isinstance(p, str) and _URL.match(p)))
        total = len(items) + len(urls)
        report = ImportReport()
        done = 0
        for item in items:
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, total, str(item.path))
            done += 1
            if item.error is not None:
                report.failed.append(ImportFailure(str(item.path), item.error))
                continue
            if item.kind is not FileKind.DOCUMENT:
                report.merge(self._import_mail(item, cancelled))
                continue
            try:
                kind = detect_export(item.path)
                if kind is not None:
                    report.merges.append(self._import_export(item.path, kind))
                    continue
                data = read_file(item.path)
                notes: list[str] = []
                parsed = parse_bytes(data, filename=item.path.name, warn=notes.append)
                _killpoints.step("import.parsed")
                added = self._add_parsed(parsed, origin=str(item.path))
                added.warnings.extend(ImportWarning(str(item.path), note) for note in notes)
                report.merge(added)
            except ReaderError as err:
                report.failed.append(ImportFailure(str(item.path), str(err)))
        for url in urls:
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, total, url)
            done += 1
            try:
                report.merge(self._import_url(url))
            except ReaderError as err:
                report.failed.append(ImportFailure(url, str(err)))
        if progress is not None:
            progress(done, total, "")
        _killpoints.step("import.finished")
        self._emit_imported(report)
        return report

    def _import_mail(self, item: FileItem, cancelled: Callable[[], bool] | None) -> ImportReport:
        """One message file, or every message of an mbox, each failing on its own."""
        report = ImportReport()
        try:
            if item.kind is FileKind.MAIL:
                return self._add_message(read_file(item.path), str(item.path))
            number = 0
            for number, raw in mbox_messages(item.path):
                if cancelled is not None and cancelled():
                    break
                label = f"{item.path}#{number}"
                try:
                    report.merge(self._add_message(raw, label))
                except ReaderError as err:
                    report.failed.append(ImportFailure(label, str(err)))
            if number == 0:
                report.failed.append(ImportFailure(str(item.path), "no messages in the mailbox"))
        except ReaderError as err:
            report.failed.append(ImportFailure(str(item.path), str(err)))
        return report

    def _add_message(self, raw: bytes, label: str) -> ImportReport:
        """A message's stories; they group under its newsletter (``mail:<list-id>``), or
        under ``label`` for a message that names neither a list nor a sender."""
        message = read_message(raw)
        return self._add_parsed(message_stories(message), origin=message.origin or label)

    def import_bytes(
        self,
        data: bytes,
        *,
        origin: str,
        filename: str | None = None,
        url: str | None = None,
        content_type: str | None = None,
    ) -> ImportReport:
        """Import one document already in memory; raises ReaderError if it cannot be read."""
        notes: list[str] = []
        parsed = parse_bytes(
            data, filename=filename, url=url, content_type=content_type, warn=notes.append
        )
        report = self._add_parsed(parsed, origin=origin)
        report.warnings.extend(ImportWarning(origin, note) for note in notes)
        self._emit_imported(report)
        return report

    def _add_parsed(self, parsed_stories: Sequence[ParsedStory], *, origin: str) -> ImportReport:
        """Store a document's stories in one transaction. One already archived (same URL or
        GUID) whose content changed becomes a new version of it; others are duplicates."""
        report = ImportReport()
        fetched = datetime.now(UTC)
        with self._writing() as db:
            for parsed in parsed_stories:
                text = canonical_text(parsed.sections)
                digest = content_hash(parsed.title, text)
                existing = stories.find_duplicate(
                    db, url=parsed.url, guid=parsed.guid, content_hash=digest
                )
                if existing is None:
                    story_id = stories.add_story(
                        db, parsed, text=text, content_hash=digest, origin=origin, fetched=fetched
                    )
                    report.imported.append(story_id)
                elif (
                    (parsed.url or parsed.guid)
                    # Two parts of one document sharing a link are not versions of each other.
                    and existing not in report.imported
                    and digest not in versions.known_hashes(db, existing)
                ):
                    report.versions.append(
                        versions.add_version(
                            db, existing, parsed, text=text, content_hash=digest, fetched=fetched
                        )
                    )
                else:
                    report.duplicates += 1
        _killpoints.step("import.committed")
        return report

    def _emit_imported(self, report: ImportReport) -> None:
        if report.imported or report.versions:
            self._emit(Changed.STORIES)
        if any(v.moved or v.changed or v.orphaned for v in report.versions):
            self._emit(Changed.HIGHLIGHTS)

    def import_url(self, url: str) -> ImportReport:
        """Import the page or feed at ``url``: an article, a digest's stories, or a feed's
        entries (without subscribing). Raises a ReaderError with a one-line reason."""
        report = self._import_url(url)
        self._emit_imported(report)
        return report

    def _import_url(self, url: str) -> ImportReport:
        return self._import_fetched(url, self._fetcher.fetch(url))

    def _import_fetched(self, url: str, result: FetchResult) -> ImportReport:
        if not result.body.strip():
            raise ParseError("the response is empty")
        if feed_format(result.body, result.content_type) is not None:
            counts = import_feed(self._db, result, url=url)
            return ImportReport(counts.new, duplicates=counts.unchanged, versions=counts.versions)
        parsed = parse_bytes(result.body, url=result.url_final, content_type=result.content_type)
        return self._add_parsed(parsed, origin=url)

    def probe_url(self, url: str) -> UrlProbe:
        """Fetch ``url`` and say whether it is a feed (with its title and entry count) or a page,
        storing nothing. It touches only the fetcher, so unlike every other call it may run on
        a thread other than the archive's (the window fetches while its worker goes on)."""
        result = self._fetcher.fetch(url)
        if not result.body.strip():
            raise ParseError("the response is empty")
        if feed_format(result.body, result.content_type) is None:
            return UrlProbe(url, result)
        feed = parse_feed(
            result.body, feed_url=url, base_url=result.url_final, content_type=result.content_type
        )
        title = feed.title or urlsplit(url).hostname or url
        return UrlProbe(url, result, feed_title=title, feed_entries=len(feed.entries))

    def import_probed(self, probe: UrlProbe) -> ImportReport:
        """Import what :meth:`probe_url` fetched (a page's stories, or a feed's entries without
        subscribing), without fetching it again."""
        report = self._import_fetched(probe.url, probe.result)
        self._emit_imported(report)
        return report

    # -- versions ---------------------------------------------------------------------------

    def versions(self, story_id: int) -> list[StoryVersion]:
        """The story's earlier versions, oldest first; the current one is the story itself."""
        with self._reading() as db:
            return versions.versions_for(db, story_id)

    def version_diff(
        self, story_id: int, old_version: int, new_version: int | None = None
    ) -> list[DiffOp]:
        """Word-level changes from one version's text to another's (by default the current)."""
        with self._reading() as db:
            old = versions.get_version(db, story_id, old_version).text
            new = (
                versions.get_version(db, story_id, new_version).text
                if new_version is not None
                else stories.get_story(db, story_id).text
            )
        return word_diff(old, new)

    # -- merging exports --------------------------------------------------------------------

    def import_export(self, path: str | Path) -> MergeReport:
        """Merge one of our JSON exports or a W3C Web Annotation file into the archive
        (ParseError if it is neither). Nothing is duplicated: stories match by url, guid or
        content, highlights by story, position and quote, notes by text; tags are united."""
        path = Path(path)
        kind = detect_export(path)
        if kind is None:
            raise ParseError(f"{path} is neither a story archive export nor Web Annotations")
        return self._import_export(path, kind)

    def _import_export(self, path: Path, kind: str) -> MergeReport:
        from reader._export.importing import import_file

        with self._reading() as db:
            names = {entry.name.casefold(): entry.color for entry in codebook.entries(db)}
        report = import_file(self._db, path, kind, names)
        if report.stories_added:
            self._emit(Changed.STORIES)
        if report.highlights_added or report.notes_added or report.stories_merged:
            self._emit(Changed.HIGHLIGHTS)
            self._emit(Changed.NOTES)
        return report
