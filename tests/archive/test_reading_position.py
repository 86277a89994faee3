"""The place the reader was in each story is kept with the archive (its settings table), per
story, and survives closing it; back at the start, it is forgotten."""

from __future__ import annotations

from pathlib import Path

from reader.archive import Archive

FIXTURES = Path(__file__).resolve().parents[1] / "cli" / "fixtures"


def test_reading_position_is_kept_per_story_across_opening(tmp_path: Path) -> None:
    with Archive(tmp_path / "data") as archive:
        first, second = archive.import_paths([FIXTURES]).imported[:2]
        assert archive.reading_position(first) == 0, "never read: at the start"
        archive.set_reading_position(first, 420)
        archive.set_reading_position(second, 17)
    with Archive(tmp_path / "data") as archive:
        assert (archive.reading_position(first), archive.reading_position(second)) == (420, 17)
        archive.set_reading_position(first, 0)
        assert archive.reading_position(first) == 0
        rows = archive._db.db.execute("SELECT key FROM settings").fetchall()
        assert [key for (key,) in rows if key.startswith("reading/")] == [
            f"reading/position/{second}"
        ]
