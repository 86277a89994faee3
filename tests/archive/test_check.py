"""``check`` sees content: every indexed document carries a fingerprint of what it was given,
compared with one computed from the database, so a document that is stale, missing or extra is
counted, and ``check --repair`` re-queues exactly those; a damaged segment, met by ``check`` or
by a search, is reported in one line and the index is rebuilt through the change queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from reader._search import WhooshIndex
from reader.archive import INDEX_DIRNAME, Archive
from reader.errors import SearchError
from tests.archive.test_indexing import write_stories
from tests.search.search_fakes import FakeQueue, flip_middle, make_doc


def _archive(tmp_path: Path, count: int = 5) -> Archive:
    archive = Archive(tmp_path / "data")
    archive.import_paths(write_stories(tmp_path / "in", count))
    archive.sync_index()
    return archive


def _index(archive: Archive) -> WhooshIndex:
    index = archive._index
    assert isinstance(index, WhooshIndex)
    return index


def _write_behind(archive: Archive, queue: FakeQueue) -> None:
    """Change the index directly, as no trigger would: the database is left as it was."""
    _index(archive).drain(queue)


def test_a_stale_document_is_counted_and_repaired(tmp_path: Path) -> None:
    with _archive(tmp_path) as archive:
        story_id = archive.story_ids()[0]
        real = archive.story(story_id).title
        behind = FakeQueue()
        behind.put(make_doc(story_id, "Lighthouse keeper retires", "An old text"))
        _write_behind(archive, behind)
        assert [hit.story_id for hit in archive.search("lighthouse")] == [story_id]

        report = archive.check()
        assert not report.ok
        assert (report.stale, report.missing, report.extra) == (1, 0, 0)
        assert "1 stale, 0 missing, 0 extra; run check --repair" in report.problems[0]

        repaired = archive.check(repair=True)
        assert repaired.ok, repaired.problems
        assert repaired.repaired == ["1 item(s) re-queued for the search index"]
        assert archive.search("lighthouse") == []
        assert [hit.title for hit in archive.search(f'"{real}"')] == [real]
        assert archive.check().ok


def test_missing_and_extra_documents_are_counted_and_repaired(tmp_path: Path) -> None:
    with _archive(tmp_path) as archive:
        ids = archive.story_ids()
        behind = FakeQueue()
        behind.enqueue("story", ids[0])  # no such document in the fake: deleted from the index
        behind.put(make_doc(9999, "A story the archive never had", "ghost"))
        behind.put(make_doc(7, "A note the archive never had", "ghost", kind="note"))
        _write_behind(archive, behind)

        report = archive.check()
        assert (report.stale, report.missing, report.extra) == (0, 1, 2)
        assert "0 stale, 1 missing, 2 extra; run check --repair" in report.problems[0]

        repaired = archive.check(repair=True)
        assert repaired.ok and repaired.repaired == ["3 item(s) re-queued for the search index"]
        assert archive.search("ghost") == []
        assert archive._index.doc_ids() == {f"story:{story_id}" for story_id in ids}
        assert archive.check().ok


def _stored_files(tmp_path: Path) -> list[Path]:
    files = sorted((tmp_path / "data" / INDEX_DIRNAME).glob("MAIN_*._stored.col"))
    assert files, "the index has stored-field files to damage"
    return files


def test_a_damaged_segment_met_by_a_search_is_one_line_and_the_next_open_heals(
    tmp_path: Path,
) -> None:
    with _archive(tmp_path) as archive:
        pass
    for path in _stored_files(tmp_path):
        flip_middle(path)
    with Archive(tmp_path / "data") as archive:
        with pytest.raises(SearchError) as raised:
            archive.search("tide", limit=100)
        message = str(raised.value)
        assert "\n" not in message and "damaged" in message and "rebuilt" in message
        assert raised.value.__cause__ is None and raised.value.__suppress_context__
    with Archive(tmp_path / "data") as archive:
        hits = archive.search("tide", limit=100)
        assert len(hits) == 5
        assert any("search index was damaged (zlib.error" in m for m in archive.messages)
        assert archive.check().ok
    assert (tmp_path / "data" / f"{INDEX_DIRNAME}.corrupt").is_dir()


def test_a_search_that_met_damage_heals_within_the_same_archive(tmp_path: Path) -> None:
    with _archive(tmp_path) as archive:
        for path in _stored_files(tmp_path):
            flip_middle(path)
        archive._index.refresh()
        with pytest.raises(SearchError, match="damaged"):
            archive.search("tide", limit=100)
        assert len(archive.search("tide", limit=100)) == 5


def test_check_reports_a_damaged_segment_and_repair_rebuilds(tmp_path: Path) -> None:
    with _archive(tmp_path) as archive:
        pass
    postings = sorted((tmp_path / "data" / INDEX_DIRNAME).glob("MAIN_*.pst"))
    assert postings
    for path in postings:
        flip_middle(path)
    with Archive(tmp_path / "data") as archive:
        report = archive.check()
        assert not report.ok and report.damaged is not None
        assert report.problems[-1].startswith("search index is damaged (")
        assert report.problems[-1].endswith("run check --repair")
        repaired = archive.check(repair=True)
        assert repaired.ok, repaired.problems
        assert repaired.repaired == ["search index replaced; 5 item(s) queued to refill it"]
        assert len(archive.search("tide", limit=100)) == 5


def _cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main.main([*args, "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


def test_the_command_line_says_what_differs_and_exits_honestly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_DATA_DIR", raising=False)
    with _archive(tmp_path) as archive:
        behind = FakeQueue()
        behind.put(make_doc(archive.story_ids()[0], "Stale title", "stale"))
        _write_behind(archive, behind)
    data = tmp_path / "data"
    code, out = _cli(capsys, data, "check")
    assert code == 1 and "1 stale, 0 missing, 0 extra; run check --repair" in out
    code, out = _cli(capsys, data, "check", "--json")
    assert code == 1 and json.loads(out)["stale"] == 1
    code, out = _cli(capsys, data, "check", "--repair", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["stale"] == 0
    assert report["repaired"] == ["1 item(s) re-queued for the search index"]
    assert _cli(capsys, data, "check")[0] == 0
