"""Multi-country exports: rows are kept for Afghanistan while the file is read, batch by
batch, and every row left out is counted; row numbers in errors stay the file's own."""

from __future__ import annotations

import pytest
from _ingest_fakes import install, write_acled

from helpers import config
from helpers.data.sources import _csv, acled, read_table
from helpers.data.sources._csv import RowFilter
from helpers.errors import DataError, SchemaError

AFGHAN = RowFilter("country", "Afghanistan")


@pytest.fixture(autouse=True)
def setup(monkeypatch, tmp_path):
    install(monkeypatch)
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")


def _mixed(n: int) -> list[dict]:
    """Every third row Afghan; the others cycle through two neighbours."""
    others = ["Pakistan", "Iran"]
    return [{"country": "Afghanistan"} if i % 3 == 0 else {"country": others[i % 2]}
            for i in range(n)]


def test_kept_rows_keep_their_file_row_numbers_and_the_rest_are_counted(tmp_path):
    path = write_acled(tmp_path / "m.csv", _mixed(9))
    frame = read_table(path, where=AFGHAN)
    assert list(frame.index) == [1, 4, 7]
    assert list(frame["event_id_cnty"]) == ["AFG1", "AFG4", "AFG7"]
    assert frame.attrs["rows_left_out"] == 6


def test_the_comparison_ignores_case_and_surrounding_spaces(tmp_path):
    path = write_acled(tmp_path / "c.csv", [{"country": "  AFGHANISTAN "}, {"country": "x"},
                                            {"country": ""}])
    frame = read_table(path, where=AFGHAN)
    assert list(frame.index) == [1]
    assert frame.attrs["rows_left_out"] == 2


def test_batches_are_stitched_with_the_right_row_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(_csv, "_STREAM_BLOCK", 2048)  # many batches for a small file
    rows = _mixed(600)
    path = write_acled(tmp_path / "big.csv", rows)
    frame = read_table(path, where=AFGHAN)
    expected = [i + 1 for i, row in enumerate(rows) if row["country"] == "Afghanistan"]
    assert list(frame.index) == expected
    assert list(frame["event_id_cnty"]) == [f"AFG{i}" for i in expected]
    assert frame.attrs["rows_left_out"] == 400


def test_a_file_without_the_filter_column_is_read_whole(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    frame = read_table(path, where=AFGHAN)
    assert len(frame) == 2 and "rows_left_out" not in frame.attrs


def test_a_ragged_row_among_other_countries_is_still_named(tmp_path, monkeypatch):
    monkeypatch.setattr(_csv, "_STREAM_BLOCK", 2048)
    path = write_acled(tmp_path / "ragged.csv", _mixed(60))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("PAK61,2024-01-01,too,few,fields\n")
    with pytest.raises(DataError) as info:
        read_table(path, where=AFGHAN)
    assert [p.row for p in info.value.problems] == [61]


def test_bad_bytes_in_another_countrys_row_are_still_reported(tmp_path):
    path = write_acled(tmp_path / "latin.csv", [{}, {"country": "Pakistan", "notes": "café"}],
                       encoding="cp1252")
    with pytest.raises(DataError) as info:
        read_table(path, where=AFGHAN)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "notes")]


def test_reader_errors_name_the_row_in_the_file_not_in_the_filtered_table(tmp_path):
    path = write_acled(tmp_path / "e.csv", [{"country": "Pakistan"}, {"country": "Iran"},
                                            {"time_precision": "9"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    assert [p.row for p in info.value.problems] == [3]


def test_reader_counts_rows_left_out_while_reading(tmp_path):
    path = write_acled(tmp_path / "m.csv", _mixed(9))
    frame = acled.parse(path)
    assert len(frame) == 3
    assert frame.attrs["dropped"] == {"outside_afghanistan": 6}
    assert frame.attrs["rows_read"] == 9


def test_legacy_upper_case_country_column_is_filtered_too(tmp_path):
    from _ingest_fakes import FIXTURES

    frame = read_table(FIXTURES / "acled_legacy_small.csv", where=AFGHAN)
    assert frame.attrs["rows_left_out"] == 1
    assert len(frame) == 2


def test_a_mostly_afghan_file_is_read_whole_then_filtered_the_same_way(tmp_path, monkeypatch):
    monkeypatch.setattr(_csv, "_STREAM_BLOCK", 2048)
    rows = [{"country": "Pakistan"} if i % 10 == 3 else {} for i in range(300)]
    path = write_acled(tmp_path / "mostly.csv", rows)
    calls = []
    real_parse = _csv._parse
    monkeypatch.setattr(_csv, "_parse", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    frame = read_table(path, where=AFGHAN)
    assert calls  # the whole-file read was used
    expected = [i + 1 for i, row in enumerate(rows) if not row]
    assert list(frame.index) == expected
    assert frame.attrs["rows_left_out"] == 30


def test_the_first_block_decides_how_the_file_is_read(tmp_path, monkeypatch):
    # Other countries first, then mostly Afghan rows: the first block says "global", so
    # the file is filtered batch by batch, never read whole (and the counts still add up).
    monkeypatch.setattr(_csv, "_STREAM_BLOCK", 2048)
    monkeypatch.setattr(_csv, "_PROBE_BLOCK", 2048)
    rows = [{"country": "Pakistan"}] * 40 + [{}] * 200
    path = write_acled(tmp_path / "late.csv", rows)
    calls = []
    real_parse = _csv._parse
    monkeypatch.setattr(_csv, "_parse", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    frame = read_table(path, where=AFGHAN)
    assert not calls
    assert list(frame.index) == list(range(41, 241))
    assert frame.attrs["rows_left_out"] == 40
    # The same rows, Afghan ones first: read whole, same kept rows and count.
    path = write_acled(tmp_path / "early.csv", rows[40:] + rows[:40])
    frame = read_table(path, where=AFGHAN)
    assert calls
    assert list(frame.index) == list(range(1, 201))
    assert frame.attrs["rows_left_out"] == 40


def test_a_probe_that_cannot_parse_the_first_block_leaves_the_errors_to_the_read(tmp_path):
    # A ragged row in the first block: the probe says no, the read names the row.
    path = write_acled(tmp_path / "bad_start.csv", [{}] * 5)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "AFG-X,2024-01-01,too,few")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path, where=AFGHAN)
    assert [p.row for p in info.value.problems] == [2]


def test_bad_bytes_in_the_first_block_are_named_not_raised_raw(tmp_path):
    # found by review: the probe filtered unchecked text, and a country spelled in
    # Windows-1252 ("Côte d'Ivoire") made pyarrow raise instead of the named error
    path = write_acled(tmp_path / "cp1252.csv", [{"country": "Côte d'Ivoire"}, {}, {}],
                       encoding="cp1252")
    with pytest.raises(DataError) as info:
        read_table(path, where=AFGHAN)
    assert [(p.row, p.column) for p in info.value.problems] == [(1, "country")]
    assert "UTF-8" in str(info.value)
