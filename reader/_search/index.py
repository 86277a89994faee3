"""The Whoosh index on disk: opening it (recreating it when missing, unreadable, outdated or
marked damaged), waiting a bounded time for the write lock, applying the change queue in
batches, and checking it: reading every segment, and comparing each document's fingerprint
with the database's."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.query import And, NumericRange, Term
from whoosh.query.qcore import QueryError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, NO_MERGE

from reader import _killpoints
from reader._processes import pid_alive
from reader._protocols import (
    Change,
    ChangeQueue,
    FingerprintBatch,
    IndexDifferences,
    IndexDocument,
)
from reader._search import checksums, leftovers, merging, skipping, snippets, workers
from reader._search.analysis import analysis_stamp
from reader._search.conjunction import ConjunctionCollector
from reader._search.postings import positioned_at
from reader._search.query import MatchTerms, QueryParser, check_expansion, matchable_terms
from reader._search.schema import (
    ALL_TEXT,
    SCHEMA_VERSION,
    build_schema,
    document_fields,
)
from reader._search.scoring import CachedLengthBM25F
from reader._search.segment_writer import IndexSegmentWriter
from reader.errors import InvalidQueryError, ReaderError, SearchError
from reader.model import ItemKind, SearchHit, SearchResults

INDEX_NAME = "MAIN"
VERSION_FILE = "reader-search.json"
# Whoosh's on-disk posting lists skip within a block by binary search from here on.
skipping.install()

# Who last took the write lock, so "locked" can name the process that holds it.
OWNER_FILE = "writer.pid"
OPEN_ATTEMPTS = 3
LOCK_TIMEOUT = 10.0
LOCK_POLL = 0.05
REBUILD_BATCH = 1000
# The whole rebuild goes through one writer; beyond this it spills postings to disk.
REBUILD_LIMIT_MB = 256
# With several cores, a backlog of at least this many changes is applied by worker processes
# (reader._search.workers), one segment each per batch. A batch takes about as many changes as
# the index holds documents, from PARALLEL_FIRST_BATCH up to PARALLEL_WORKER_MAX a worker: a
# worker's writer holding more than that spills postings past WORKER_LIMIT_MB and merges the
# spilled runs back (10,000 600-word stories in one writer: 52 s spilling, 36 s not; 3,000 fit).
PARALLEL_MIN = 1000
PARALLEL_FIRST_BATCH = 2000
PARALLEL_WORKER_MAX = 3000
# Documents sent to a worker at a time: this process reads the next ones while it analyses.
PARALLEL_CHUNK = 250
# What each worker's writer may hold in memory before spilling postings to disk: at 128 MB,
# 2,200 stories already spill, and merging the spilled runs made indexing 40 % slower.
WORKER_LIMIT_MB = 256
# Segments a search is happy to read; beyond them optimize() merges. Drain slices never merge
# (Whoosh's default policy would merge thousands of documents inside one slice), so each adds
# a segment until the queue is empty and the background indexer calls optimize().
MAX_SEGMENTS = 8
# Segments of at most this many documents are merged by optimize(); bigger ones (the worker
# processes' batches of a long backlog) stay as they are: Whoosh merges about as fast as it
# indexes, so merging them would cost as much as writing them again.
SMALL_SEGMENT_DOCS = 1000
# With the queue empty and at least this many segments (after a long backlog, about 20), the
# index is merged beside the writers (start_merge), as far as _background_choice says.
MERGE_WHEN = 8
# A merge of at least this many documents runs in a worker process, not on this thread.
MERGE_IN_WORKER = 300
# A prefix query may expand to many words; past this many, a snippet finds them by
# re-reading its text rather than opening the postings of every word.
MAX_POSTING_LOOKUPS = 64
# Every segment is written as separate files, not one compound file: Whoosh reads a compound
# file by copying each part into memory (filedb/compound.py), plain files it reads in place.
WRITER_OPTIONS: dict[str, Any] = {"compound": False}
# What reading a damaged segment raises: its blocks are zlib-compressed, its numbers packed with
# struct, its stored fields pickled. Met while searching, they mark the index damaged at once;
# anything else unexpected marks it only when verify() confirms the damage.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    zlib.error,
    struct.error,
    EOFError,
    pickle.UnpicklingError,
    UnicodeDecodeError,
)


class _IndexLocked(SearchError):
    """Another writer holds the index's write lock."""


class IndexDamagedError(SearchError):
    """The index could not be read (``reason``: how, in one line); once marked damaged, it is
    rebuilt from the database the next time it is opened."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"search index is damaged ({reason}); it will be rebuilt from the archive")
        self.reason = reason


def open_index(directory: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> WhooshIndex:
    """Open the index in ``directory``, creating or recreating it when needed.

    A new or recreated index is empty and has ``needs_rebuild`` set; ``rebuilt_reason`` says why
    an existing one was thrown away (unreadable, or written for another schema version).
    """
    directory = Path(directory)
    schema = build_schema()
    storage = FileStorage(str(directory))
    if _is_blank(directory):
        return _create(directory, storage, schema, None, lock_timeout)
    stamp = _stored_stamp(directory)
    version = stamp.get("schema_version")
    damaged = stamp.get("damaged")
    if not isinstance(version, int):
        version = None
    if isinstance(damaged, str) and version == SCHEMA_VERSION:
        reason = f"search index was damaged ({damaged[:200]}); rebuilt"
        _discard(directory, aside=True)
        return _create(directory, storage, schema, reason, lock_timeout)
    if version is None and not damaged and not _has_toc(directory):
        # Created, then cut short before its first table of contents (a full disk, a kill):
        # nothing was in it, so nothing is lost.
        _discard(directory, aside=False)
        reason = "search index was never completed (its creation was cut short); rebuilt"
        return _create(directory, storage, schema, reason, lock_timeout)
    if version != SCHEMA_VERSION:
        found = "no version" if version is None else f"version {version}"
        reason = f"search index was built for another format ({found}, now {SCHEMA_VERSION})"
        _discard(directory, aside=False)
        return _create(directory, storage, schema, f"{reason}; rebuilt", lock_timeout)
    if stamp.get("analysis") != analysis_stamp():
        # Another version of the stemmer: the index's terms are not what queries look for.
        reason = "search index was built with another stemmer; rebuilt"
        _discard(directory, aside=False)
        return _create(directory, storage, schema, reason, lock_timeout)
    try:
        ix = _open_existing(storage, schema)
    # The table of contents holds pickles and every segment is a binary format: damage shows
    # up as almost any exception. The index is derived data, so any failure to read it is
    # answered by rebuilding it, and the error is reported, not hidden.
    except Exception as err:
        reason = f"search index was unreadable ({_describe(err)}); rebuilt"
        _discard(directory, aside=True)
        return _create(directory, storage, schema, reason, lock_timeout)
    return WhooshIndex(directory, ix, schema, needs_rebuild=False, lock_timeout=lock_timeout)


def _open_existing(storage: Any, schema: Any) -> Any:
    attempt = 1
    while True:
        try:
            ix = FileIndex(storage, schema=schema, indexname=INDEX_NAME)
            break
        # A commit in another process may delete the table of contents between listing and
        # reading it; looking again finds the new one. (Whoosh's reader retries segment files.)
        except FileNotFoundError:
            if attempt >= OPEN_ATTEMPTS:
                raise
            attempt += 1
    _verify(ix)
    return ix


def _error_name(err: BaseException) -> str:
    # struct.error and zlib.error are both just "error" on their own.
    name = type(err).__name__
    return f"{type(err).__module__}.{name}" if name == "error" else name


def _describe(err: BaseException) -> str:
    """One line of at most 200 characters naming the error."""
    detail = f"{_error_name(err)}: {err}" if str(err) else _error_name(err)
    return " ".join(detail.split())[:200]


def _is_blank(directory: Path) -> bool:
    return not directory.is_dir() or not any(directory.iterdir())


def _has_toc(directory: Path) -> bool:
    return any(directory.glob(f"_{INDEX_NAME}_*.toc"))


def _stamp() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_stamp()}


def _stored_stamp(directory: Path) -> dict[str, Any]:
    """The version file: ``schema_version``, ``analysis`` (:func:`analysis_stamp`), and
    ``damaged`` once the index was found damaged."""
    try:
        data = json.loads((directory / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _verify(ix: Any) -> None:
    # Opening a reader reads the table of contents and every segment's directory; reading one
    # stored document and one term exercises the stored-field and term files. Cheap at any size.
    with ix.reader() as reader:
        reader.doc_count()
        for docnum in reader.all_doc_ids():
            reader.stored_fields(docnum)
            break
        for _term in reader.lexicon("doc_id"):
            break


def _discard(directory: Path, *, aside: bool) -> None:
    # The last damaged index is kept aside for diagnosis; an outdated one is just deleted.
    try:
        if aside:
            kept = directory.with_name(directory.name + ".corrupt")
            shutil.rmtree(kept, ignore_errors=True)
            directory.rename(kept)
        else:
            shutil.rmtree(directory)
    except OSError as err:
        raise SearchError(f"cannot replace the search index in {directory}: {err}") from err


def _create(
    directory: Path, storage: Any, schema: Any, reason: str | None, lock_timeout: float
) -> WhooshIndex:
    try:
        storage.create()
        ix = FileIndex.create(storage, schema, INDEX_NAME)
        _write_atomic(directory / VERSION_FILE, json.dumps(_stamp()))
    except OSError as err:
        raise SearchError(f"cannot create the search index in {directory}: {err}") from err
    return WhooshIndex(
        directory,
        ix,
        schema,
        needs_rebuild=True,
        rebuilt_reason=reason,
        lock_timeout=lock_timeout,
    )


def _write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


class WhooshIndex:
    """The search index (implements :class:`reader._protocols.SearchIndex`).

    Searches may run while another process writes; writes from several processes are
    serialised by Whoosh's write lock, which the operating system releases when its holder
    dies, so a killed writer never leaves the index locked.
    """

    def __init__(
        self,
        directory: Path,
        ix: Any,
        schema: Any,
        *,
        needs_rebuild: bool,
        rebuilt_reason: str | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.directory = directory
        self.needs_rebuild = needs_rebuild
        self.damaged: str | None = None
        self.rebuilt_reason = rebuilt_reason
        self._ix = ix
        self._schema = schema
        self._parser = QueryParser(schema)
        self._analyzer = schema["title"].analyzer
        self._lock_timeout = lock_timeout
        self._searcher: Any = None
        self._searcher_generation = -1
        self._workers: workers.SegmentWorkers | None = None
        # A merge under way beside the writers: what it merges and the process writing it.
        self._merge: tuple[merging.MergePlan, workers.SegmentWorkers] | None = None
        # Whoosh searchers are not safe to share between threads.
        self._mutex = threading.Lock()

    def __enter__(self) -> WhooshIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Reading

    def search(
        self, query: str, limit: int = 20, *, color_names: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        return list(self.search_results(query, limit, color_names=color_names).hits)

    def search_results(
        self, query: str, limit: int = 20, *, color_names: Mapping[str, str] | None = None
    ) -> SearchResults:
        parsed = self._parser.parse(query, color_names)
        if limit <= 0:
            return SearchResults((), capped=False)
        with self._mutex:
            try:
                searcher = self._current_searcher()
                if searcher.doc_count() == 0:
                    return SearchResults((), capped=False)
                check_expansion(parsed, searcher.reader())
                # One more than asked for says whether there were more, without counting them.
                results = _top_hits(searcher, parsed, limit + 1)
                # Not list(results): its length hint counts every matching document.
                scored = results.scored_length()
                shown = [results[n] for n in range(min(limit, scored))]
                terms = matchable_terms(parsed, searcher.reader())
                spans = self._match_spans(searcher, [hit.docnum for hit in shown], terms.text)
                hits = tuple(self._hit(hit, terms, spans[hit.docnum]) for hit in shown)
                return SearchResults(hits, capped=scored > limit)
            except QueryError as err:
                raise InvalidQueryError(f"cannot run query: {err}") from None
            except OSError as err:
                raise SearchError(f"search index could not be read: {err}") from err
            except ReaderError:
                raise
            except DAMAGE_ERRORS as err:
                raise self._damage_found(_describe(err)) from None
            except Exception:
                # Not a decoding error: damage only if reading every segment finds some.
                found = self._verify_unlocked()
                if found is None:
                    raise
                raise self._damage_found(found) from None

    def document_count(self) -> int:
        with self._reading() as reader:
            return int(reader.doc_count())

    def doc_ids(self) -> set[str]:
        with self._reading() as reader:
            deletions = reader.has_deletions()
            return {
                term.decode("utf-8")
                for term in reader.lexicon("doc_id")
                # A deleted document's term stays in the lexicon until its segment is merged.
                if not deletions or reader.postings("doc_id", term).is_active()
            }

    def segment_count(self) -> int:
        with self._reading() as reader:
            return len(reader.leaf_readers())

    # Checking

    def verify(self) -> str | None:
        """Read every segment's stored fields, terms, postings and field lengths, so a damaged
        block anywhere is met (Whoosh keeps no checksums: reading is the only test). Returns
        the damage (one line) or None; only reports it (:meth:`mark_damaged` is the repair).
        Reads the whole index: on 20,000 stories, seconds."""
        with self._mutex:
            return self._verify_unlocked()

    def _verify_unlocked(self) -> str | None:
        try:
            with self._ix.reader() as reader:
                leaves = reader.leaf_readers()
                ids = [leaf.segment().segment_id() for leaf, _base in leaves]
                mismatch = checksums.verify(self.directory, ids)
                if mismatch is not None:
                    return mismatch
                for leaf, _base in leaves:
                    _read_segment(leaf)
        except ReaderError:
            raise
        except Exception as err:
            return _describe(err)
        return None

    def compare(self, expected: Iterable[FingerprintBatch]) -> IndexDifferences:
        """Compare the index with ``expected``, batch by batch: each batch's documents are
        looked up by kind and id range, so one batch's fingerprints are in memory at a time.
        The batches must cover every id of every kind once (as
        :func:`reader._storage.documents.fingerprint_batches` does)."""
        missing: list[str] = []
        extra: list[str] = []
        stale: list[str] = []
        try:
            with self._ix.searcher() as searcher:
                for batch in expected:
                    found: dict[str, str | None] = {}
                    for docnum in searcher.docs_for_query(_batch_query(batch)):
                        fields = searcher.stored_fields(docnum)
                        doc_id = str(fields.get("doc_id"))
                        stored = fields.get("fingerprint")
                        # Twice in the index is as wrong as stale: re-indexing replaces both.
                        found[doc_id] = None if doc_id in found else stored
                    for doc_id, wanted in batch.fingerprints.items():
                        if doc_id not in found:
                            missing.append(doc_id)
                        elif found.pop(doc_id) != wanted:
                            stale.append(doc_id)
                    extra.extend(found)
        except ReaderError:
            raise
        except OSError as err:
            raise SearchError(f"search index could not be read: {err}") from err
        except Exception as err:
            # Reported, not marked: check decides whether to repair.
            raise self._damage_found(_describe(err), mark=False) from None
        return IndexDifferences(tuple(missing), tuple(extra), tuple(stale))

    def mark_damaged(self, reason: str) -> None:
        """Record in the version file that the index is damaged, so the next :func:`open_index`
        (in any process) puts it aside and starts an empty one to be refilled; this handle
        keeps answering from what it has until it is closed."""
        self.damaged = reason
        # Unwritable, the mark holds for this handle only: the archive still reopens it, but
        # the next process finds the damage only when it reads the damaged part again.
        with suppress(OSError):
            _write_atomic(
                self.directory / VERSION_FILE,
                json.dumps({**_stamp(), "damaged": reason}),
            )

    def damage_recorded(self) -> str | None:
        if self.damaged is not None:
            return self.damaged
        damaged = _stored_stamp(self.directory).get("damaged")
        return damaged if isinstance(damaged, str) else None

    def _damage_found(self, reason: str, *, mark: bool = True) -> IndexDamagedError:
        if mark:
            self.mark_damaged(reason)
        return IndexDamagedError(reason)

    def refresh(self) -> None:
        """Let the next search see the latest commit (searches do this themselves)."""
        with self._mutex:
            self._current_searcher()

    def close(self) -> None:
        self.close_workers()
        self.cancel_merge()
        with self._mutex:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def _current_searcher(self) -> Any:
        """The searcher kept open between queries, moved to the latest commit if there is one.

        Not Searcher.refresh(): whoosh-reloaded's reader reuse keeps segments the new
        generation merged away, and reuses a segment's reader even when the new generation
        deleted documents in it, so updated documents would be found in their old versions.
        This reuses a segment's reader only when its deletions are unchanged (a segment only
        ever gains deletions, so an equal count is an equal set).
        """
        generation = self._ix.latest_generation()
        if self._searcher is not None and self._searcher_generation == generation:
            return self._searcher
        # Whoosh's FileIndex.reader() reads the table of contents the same way.
        toc = self._ix._read_toc()
        kept: dict[str, Any] = {}
        if self._searcher is not None:
            # An empty index's reader has no segment: nothing of it to keep.
            kept = {
                r.segment().segment_id(): r
                for r, _ in self._searcher.reader().leaf_readers()
                if r.segment() is not None
            }
        readers = []
        for segment in toc.segments:
            old = kept.get(segment.segment_id())
            if old is not None and old.segment().deleted_count() == segment.deleted_count():
                del kept[segment.segment_id()]
                readers.append(old)
            else:
                readers.append(
                    SegmentReader(self._ix.storage, self._schema, segment, toc.generation)
                )
        for unused in kept.values():
            unused.close()
        if not readers:
            reader = EmptyReader(self._schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation)
        self._searcher = Searcher(reader, fromindex=self._ix, weighting=CachedLengthBM25F())
        self._searcher_generation = toc.generation
        return self._searcher

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        try:
            with self._ix.reader() as reader:
                yield reader
        except OSError as err:
            raise SearchError(f"search index could not be read: {err}") from err

    def _match_spans(
        self, searcher: Any, docnums: list[int], terms: frozenset[str]
    ) -> dict[int, list[snippets.Span] | None]:
        """Where the matched terms are in each hit's title and body, in ALL_TEXT's offsets,
        read from the postings (None: too many terms, find them in the text instead)."""
        if len(terms) > MAX_POSTING_LOOKUPS:
            return dict.fromkeys(docnums)
        found: dict[int, list[snippets.Span] | None] = {docnum: [] for docnum in docnums}
        ordered = sorted(docnums)
        for term in terms:
            try:
                postings = searcher.postings(ALL_TEXT, term)
            except TermNotFound:
                continue
            for docnum in positioned_at(postings, ordered):
                chars = postings.value_as("characters")
                found[docnum].extend((start, end) for _pos, start, end in chars)  # type: ignore[union-attr]
        return found

    def _hit(self, hit: Any, terms: MatchTerms, spans: list[snippets.Span] | None) -> SearchHit:
        # Stored fields (and so the body) are loaded for the returned hits only.
        fields = hit.fields()
        title = str(fields.get("title", ""))
        body = str(fields.get("body", ""))
        source = str(fields.get("source") or "")
        snippet = snippets.hit_snippet(self._analyzer, (title, body, source), terms, spans)
        published = fields.get("published_iso")
        return SearchHit(
            kind=str(fields["kind"]),
            item_id=int(fields["item_id"]),
            story_id=int(fields["story_id"]),
            title=title,
            score=float(hit.score),
            snippet=snippet.html,
            source=source or None,
            published=datetime.fromisoformat(published) if published else None,
            terms=snippet.terms,
            title_terms=snippet.title_terms,
            source_terms=snippet.source_terms,
        )

    # Writing

    def drain(
        self,
        queue: ChangeQueue,
        batch_size: int = 500,
        max_batches: int | None = None,
        *,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Apply pending changes in batches of ``batch_size``, or in the larger batches of the
        worker processes while the backlog is long. ``stop`` is asked now and then during a
        parallel batch: when it says so, the batch is dropped (it stays queued) and drain
        returns what it applied before."""
        try:
            return self._drain(queue, batch_size, max_batches, stop)
        finally:
            # Workers live as long as the backlog: their memory is given back once it is gone.
            if self._workers is not None and queue.pending_count() < PARALLEL_MIN:
                self.close_workers()

    def _drain(
        self,
        queue: ChangeQueue,
        batch_size: int,
        max_batches: int | None,
        stop: Callable[[], bool] | None,
    ) -> int:
        applied = 0
        last_seq: int | None = None
        batches = 0
        while max_batches is None or batches < max_batches:
            batches += 1
            parallel = self._parallel_batch(queue)
            changes = queue.pending_changes(parallel or batch_size)
            if not changes:
                return applied
            if parallel and _distinct_items(changes) < PARALLEL_MIN:
                # Many changes to a few items (a story tagged over and over): not worth
                # the workers, and a slice of the usual size stays short.
                parallel = 0
                changes = changes[:batch_size]
            top = max(change.seq for change in changes)
            if last_seq is not None and top <= last_seq:
                raise SearchError(f"change queue did not advance past seq {last_seq}")
            if parallel:
                try:
                    self._apply_parallel(changes, queue, stop)
                except workers.Interrupted:
                    return applied
            else:
                self._apply(changes, queue.documents_for(changes))
            _killpoints.step("index.slice_committed")
            # Only after the commit: dying here re-applies the batch next time, harmlessly.
            queue.acknowledge(top)
            _killpoints.step("index.acknowledged")
            applied += len(changes)
            last_seq = top
        return applied

    def rebuild(self, queue: ChangeQueue) -> int:
        # Every change queued so far is reflected in the documents read below; later ones stay
        # queued and are applied by the next drain.
        high_water = _pending_high_water(queue)
        count = 0
        batches = queue.all_documents(REBUILD_BATCH)
        pool = self._worker_pool() if len(batches) > 1 else None
        with self._writing(limitmb=REBUILD_LIMIT_MB) as writer:
            if pool is None:
                for batch in batches:
                    for doc in batch:
                        writer.add_document(**document_fields(doc))
                        count += 1
                # CLEAR drops every existing segment in the same commit, so searches see the
                # old index until the new one is complete.
                mergetype = CLEAR
            else:
                # Segments of at most PARALLEL_WORKER_MAX documents from each worker, the old
                # ones dropped in the same commit.
                with self._using(pool):
                    pool.begin(segment_docs=PARALLEL_WORKER_MAX)
                    for batch in batches:
                        # In small pieces, so the workers get equal shares of the last batch.
                        for start in range(0, len(batch), PARALLEL_CHUNK):
                            piece = batch[start : start + PARALLEL_CHUNK]
                            pool.add([document_fields(doc) for doc in piece])
                        count += len(batch)
                    mergetype = _replacing_with(pool.finish())
            _killpoints.step("reindex.before_commit")
            writer.commit(mergetype=mergetype)
        self.close_workers()
        _killpoints.step("reindex.committed")
        if high_water is not None:
            queue.acknowledge(high_water)
        _killpoints.step("reindex.acknowledged")
        self.needs_rebuild = False
        return count

    def _apply(
        self, changes: list[Change], documents: dict[tuple[ItemKind, int], IndexDocument]
    ) -> None:
        done: set[tuple[str, int]] = set()
        with self._writing() as writer:
            for change in changes:
                key = (change.kind, change.item_id)
                if key in done:
                    continue
                done.add(key)
                doc = documents.get(key)
                if doc is None:
                    writer.delete_by_term("doc_id", f"{change.kind}:{change.item_id}")
                else:
                    writer.update_document(**document_fields(doc))
            writer.commit(mergetype=NO_MERGE)

    def _parallel_batch(self, queue: ChangeQueue) -> int:
        """How many changes the next batch takes through the workers (0: apply it here)."""
        if workers.worker_count() < 2 or queue.pending_count() < PARALLEL_MIN:
            return 0
        ceiling = PARALLEL_WORKER_MAX * max(2, workers.worker_count())
        return max(PARALLEL_FIRST_BATCH, min(ceiling, self.document_count()))

    def _apply_parallel(
        self, changes: list[Change], queue: ChangeQueue, stop: Callable[[], bool] | None
    ) -> None:
        """Apply ``changes`` through the worker processes: this process deletes the old
        versions, the workers analyse the new ones into segments of their own, committed
        together with the deletions in one table of contents. Where the queue names a
        :class:`DocumentSource` the workers read the documents themselves, so this process
        (the window's, say) spends next to no time under its interpreter lock; otherwise it
        reads them and hands them over."""
        latest: dict[tuple[ItemKind, int], Change] = {}
        for change in changes:
            latest.setdefault((change.kind, change.item_id), change)
        unique = list(latest.values())
        source = queue.document_source()
        pool = self._worker_pool()
        with self._writing() as writer, self._using(pool):
            pool.begin(stop, source, segment_docs=PARALLEL_WORKER_MAX)
            indexed = bool(writer.segments)
            for start in range(0, len(unique), PARALLEL_CHUNK):
                chunk = unique[start : start + PARALLEL_CHUNK]
                if source is not None:
                    pool.add_items([(change.kind, change.item_id) for change in chunk], stop)
                else:
                    documents = queue.documents_for(chunk)
                    found = [documents.get((change.kind, change.item_id)) for change in chunk]
                    pool.add([document_fields(doc) for doc in found if doc is not None], stop)
                if indexed:
                    for change in chunk:
                        writer.delete_by_term("doc_id", f"{change.kind}:{change.item_id}")
            segments = pool.finish(stop)
            writer.commit(mergetype=_appending(segments))

    def _worker_pool(self) -> workers.SegmentWorkers:
        if self._workers is None:
            self._workers = workers.SegmentWorkers(
                self.directory,
                INDEX_NAME,
                max(2, workers.worker_count()),
                limitmb=WORKER_LIMIT_MB,
                **WRITER_OPTIONS,
            )
        return self._workers

    @contextmanager
    def _using(self, pool: workers.SegmentWorkers) -> Iterator[None]:
        """Cancel the workers' segments when the block fails or is interrupted."""
        try:
            yield
        except BaseException:
            pool.cancel()
            raise

    def close_workers(self) -> None:
        """Stop the worker processes (the next large write starts new ones)."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def optimize(self, max_segments: int = MAX_SEGMENTS) -> bool:
        """Merge the smallest segments so that at most ``max_segments`` remain, as far as
        small segments (:data:`SMALL_SEGMENT_DOCS`) allow; returns whether it merged.

        For the background indexer to call when the change queue is empty: draining never
        merges, so each slice adds a segment. Large segments are left to :meth:`start_merge`,
        and so are the segments a merge under way takes. A merge of many documents runs in a
        worker process; either way this holds the write lock until it is committed.
        """
        if not self._small_merge(self._ix._read_toc().segments, max_segments):
            return False
        with self._writing() as writer:
            chosen = self._small_merge(writer.segments, max_segments)
            if not chosen:
                writer.cancel()
                return False
            documents = sum(segment.doc_count() for segment in chosen)
            in_worker = documents >= MERGE_IN_WORKER and workers.worker_count() >= 2
            if in_worker:
                pool = self._worker_pool()
                with self._using(pool):
                    merged = pool.merge(chosen)
            else:
                merged = merging.merge_segments(
                    writer.storage, writer.schema, INDEX_NAME, chosen, WRITER_OPTIONS
                )
            writer.commit(mergetype=_merged_into(chosen, merged))
        if in_worker:
            self.close_workers()
        return True

    def _small_merge(self, segments: Sequence[Any], max_segments: int) -> list[Any]:
        busy = set() if self._merge is None else self._merge[0].ids
        free = [segment for segment in segments if segment.segment_id() not in busy]
        return _merge_choice(free, max_segments - len(segments) + len(free))

    # Merging beside the writers

    @property
    def merging(self) -> bool:
        """Whether a merge started by :meth:`start_merge` is under way (or done, not yet
        committed by :meth:`finish_merge`)."""
        return self._merge is not None

    def start_merge(self, when: int | None = None) -> bool:
        """Start merging segments into one (:func:`_background_choice` says which, once there
        are ``when``, by default :data:`MERGE_WHEN`) in a worker process beside the writers:
        no lock is held while it works, so drains, highlights and searches go on. Returns
        whether a merge started; :meth:`finish_merge` commits it."""
        if self._merge is not None:
            return False
        chosen = _background_choice(
            self._ix._read_toc().segments, MERGE_WHEN if when is None else when
        )
        if not chosen:
            return False
        leftovers.mark_merging(self.directory)
        pool = workers.SegmentWorkers(
            self.directory, INDEX_NAME, 1, limitmb=WORKER_LIMIT_MB, **WRITER_OPTIONS
        )
        try:
            pool.start_merge(chosen)
        except SearchError:
            leftovers.unmark_merging(self.directory)
            raise
        self._merge = (merging.MergePlan(chosen), pool)
        return True

    def merge_done(self) -> bool:
        """Whether the merge under way has finished writing (or failed) and waits for
        :meth:`finish_merge`."""
        return self._merge is not None and self._merge[1].merge_ready()

    def finish_merge(self, stop: Callable[[], bool] | None = None) -> bool:
        """Wait for the merge under way, then commit it under the write lock: its segment in
        place of the ones it merged, with what was deleted from them since. Returns whether
        it committed (False: no merge, or one of its segments was merged away meanwhile).
        A failed merge raises :class:`SearchError` and leaves the index as it was; when only
        the lock could not be had, the merged segment is kept for the next call."""
        if self._merge is None:
            return False
        plan, pool = self._merge
        try:
            if plan.pending:
                plan.merged, plan.pending = pool.merge_result(stop), False
            _killpoints.step("index.merge_written")
            with self._writing() as writer:
                segments = plan.replace(writer.segments, plan.merged)
                if segments is None:
                    writer.cancel()
                else:
                    # Unmarked before the commit, so that it deletes the merged-away files.
                    leftovers.unmark_merging(self.directory)
                    writer.commit(mergetype=lambda _writer, _segments: segments)
        except _IndexLocked:
            raise
        except BaseException:
            self.cancel_merge()
            raise
        self.cancel_merge()
        return segments is not None

    def cancel_merge(self) -> None:
        """Stop the merge under way; what it wrote is deleted by a later commit."""
        if self._merge is not None:
            _plan, pool = self._merge
            self._merge = None
            pool.close()
            leftovers.unmark_merging(self.directory)

    @contextmanager
    def _writing(self, **kwargs: Any) -> Iterator[Any]:
        """A writer holding the index's write lock, cancelled if the block fails."""
        try:
            writer = IndexSegmentWriter(
                self._ix, timeout=self._lock_timeout, delay=LOCK_POLL, **WRITER_OPTIONS, **kwargs
            )
        except LockError:
            raise _IndexLocked(self._locked_message()) from None
        except OSError as err:
            raise SearchError(f"search index could not be opened for writing: {err}") from err
        try:
            _write_atomic(self.directory / OWNER_FILE, str(os.getpid()))
            yield writer
        except BaseException as err:
            if not writer.is_closed:
                writer.cancel()
            if isinstance(err, OSError):
                raise SearchError(f"search index could not be written: {err}") from err
            raise
        self._record_checksums()

    def _record_checksums(self) -> None:
        # After the commit (which released the lock): the segments in the latest table of
        # contents are complete, whoever committed them. Best effort, as the record is.
        try:
            segments = self._ix._read_toc().segments
        except Exception:
            return
        checksums.record(self.directory, [segment.segment_id() for segment in segments])

    def _locked_message(self) -> str:
        message = f"search index is locked by another process (waited {self._lock_timeout:g}s)"
        try:
            pid = int((self.directory / OWNER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return message
        if pid_alive(pid):
            return f"{message}: pid {pid} is writing to it"
        return message


def _top_hits(searcher: Any, query: Any, limit: int) -> Any:
    """Whoosh's top ``limit`` results, through the conjunction fast path where it applies."""
    if limit >= searcher.doc_count():
        # Whoosh collects every match then (UnlimitedCollector): nothing to skip.
        return searcher.search(query, limit=limit)
    collector = ConjunctionCollector(limit)
    searcher.search_with_collector(query, collector)
    return collector.results()


def _batch_query(batch: FingerprintBatch) -> Any:
    kind = Term("kind", str(batch.kind))
    if batch.start is None and batch.end is None:
        return kind
    return And([kind, NumericRange("item_id", batch.start, batch.end, endexcl=True)])


def _read_segment(leaf: Any) -> None:
    """Decode all of one segment: every stored document, every term of every field with all
    its postings (ids, weights and values), and the field lengths."""
    for docnum in range(leaf.doc_count_all()):
        leaf.stored_fields(docnum)
    for fieldname in leaf.indexed_field_names():
        for text in leaf.lexicon(fieldname):
            leaf.term_info(fieldname, text)
            _read_postings(leaf.postings(fieldname, text))
        if leaf.schema[fieldname].scorable:
            for docnum in range(leaf.doc_count_all()):
                leaf.doc_field_length(docnum, fieldname)


_BLOCK_READS = ("_read_ids", "_read_weights", "_read_values", "_next_block")


def _read_postings(matcher: Any) -> None:
    # Whoosh's block matcher decodes a whole block's ids, weights and values at once; stepping
    # through every posting in Python would take several times as long.
    by_block = all(hasattr(matcher, name) for name in _BLOCK_READS)
    while matcher.is_active():
        if by_block:
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            matcher._next_block()
        else:
            matcher.id()
            matcher.weight()
            matcher.value()
            matcher.next()


def _distinct_items(changes: Sequence[Change]) -> int:
    return len({(change.kind, change.item_id) for change in changes})


def _appending(segments: Sequence[Any]) -> Any:
    """A Whoosh merge policy that merges nothing and adds the workers' ``segments``."""

    def policy(writer: Any, existing: list[Any]) -> list[Any]:
        return [*existing, *segments]

    return policy


def _replacing_with(segments: Sequence[Any]) -> Any:
    """A Whoosh merge policy that drops every existing segment for the workers' ones."""

    def policy(writer: Any, existing: list[Any]) -> list[Any]:
        return list(segments)

    return policy


def _merge_choice(segments: Sequence[Any], keep: int) -> list[Any]:
    """The smallest segments, merged into one, that leave ``keep`` segments (or as close as
    segments of at most :data:`SMALL_SEGMENT_DOCS` documents get); empty: nothing to merge."""
    small = sorted(
        (segment for segment in segments if segment.doc_count_all() <= SMALL_SEGMENT_DOCS),
        key=lambda segment: segment.doc_count_all(),
    )
    chosen = small[: max(0, len(segments) - keep + 1)]
    return chosen if len(chosen) >= 2 else []


def _background_choice(segments: Sequence[Any], when: int) -> list[Any]:
    """What a merge beside the writers takes once ``when`` segments are there: all of
    them, except a segment more than twice the size of all the smaller ones together (merging
    a few hundred new documents into it would rewrite the whole archive for little gain). The
    segments are returned in the index's order."""
    if len(segments) < max(2, when):
        return []
    chosen = sorted(segments, key=lambda segment: segment.doc_count_all(), reverse=True)
    while len(chosen) > 2 and chosen[0].doc_count_all() > 2 * sum(
        segment.doc_count_all() for segment in chosen[1:]
    ):
        chosen = chosen[1:]
    ids = {segment.segment_id() for segment in chosen}
    return [segment for segment in segments if segment.segment_id() in ids]


def _merged_into(chosen: Sequence[Any], merged: Any) -> Any:
    """A Whoosh merge policy: the ``chosen`` segments replaced by the worker's ``merged`` one
    (None when every document in them was deleted)."""
    ids = {segment.segment_id() for segment in chosen}

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        kept = [segment for segment in segments if segment.segment_id() not in ids]
        return kept if merged is None else [*kept, merged]

    return policy


def _pending_high_water(queue: ChangeQueue) -> int | None:
    pending = queue.pending_count()
    if pending == 0:
        return None
    changes = queue.pending_changes(pending)
    return max((change.seq for change in changes), default=None)
