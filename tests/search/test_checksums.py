"""Segment checksums: damage that decodes into plausible values (a field-length byte) is found
by verify(); a segment without a recorded checksum is not reported; merges and rebuilds keep
the record to the files that exist."""

from __future__ import annotations

import json
from pathlib import Path

from reader._search import WhooshIndex
from reader._search.checksums import CHECKSUM_FILE
from tests.search.search_fakes import FakeQueue, make_doc


def filled(index: WhooshIndex, queue: FakeQueue) -> None:
    queue.put(*(make_doc(n, f"Story {n} about quays", f"Crane {n} idle.") for n in range(1, 6)))
    index.drain(queue, batch_size=2)


def recorded(index: WhooshIndex) -> dict[str, str]:
    data = json.loads((index.directory / CHECKSUM_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_segment_file_is_recorded_once_committed(
    index: WhooshIndex, queue: FakeQueue
) -> None:
    filled(index, queue)
    names = recorded(index)
    on_disk = {p.name for p in index.directory.iterdir() if p.name.startswith("MAIN_")}
    assert set(names) == {n for n in on_disk if not n.endswith("WRITELOCK")}
    assert any(name.endswith("_title_len.col") for name in names)
    assert index.verify() is None


def test_a_changed_field_length_byte_is_found(index: WhooshIndex, queue: FakeQueue) -> None:
    filled(index, queue)
    lengths = next(index.directory.glob("MAIN_*._title_len.col"))
    data = bytearray(lengths.read_bytes())
    data[0] ^= 0x01  # still a plausible length: reading alone cannot tell
    lengths.write_bytes(bytes(data))
    found = index.verify()
    assert found == f"{lengths.name} does not match its checksum"


def test_a_segment_without_a_checksum_is_not_reported(index: WhooshIndex, queue: FakeQueue) -> None:
    filled(index, queue)
    (index.directory / CHECKSUM_FILE).unlink()
    lengths = next(index.directory.glob("MAIN_*._title_len.col"))
    data = bytearray(lengths.read_bytes())
    data[0] ^= 0x01
    lengths.write_bytes(bytes(data))
    assert index.verify() is None


def test_merged_and_rebuilt_segments_leave_the_record(
    index: WhooshIndex, queue: FakeQueue, tmp_path: Path
) -> None:
    filled(index, queue)
    before = set(recorded(index))
    assert index.optimize(max_segments=1)
    after = set(recorded(index))
    assert after and not (after & before), "the merged segments' files are forgotten"
    index.rebuild(queue)
    assert set(recorded(index)) != after and index.verify() is None
