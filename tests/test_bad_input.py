"""Bad input: every case ends in a clear DataError naming file, row and column (or a warning).

Never a raw pandas / pyarrow / pandera traceback, never a silent drop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from _ingest_fakes import ACLED_COLUMNS, install, write_acled

from helpers import config
from helpers.data.catalog import events
from helpers.data.sources import _csv, acled, detect_layout, read_table
from helpers.errors import DataError, SchemaError, UnknownLayoutError, UnknownProvinceError


@pytest.fixture(autouse=True)
def setup(monkeypatch, tmp_path):
    install(monkeypatch)
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")


def only_problem(err: DataError):
    assert len(err.problems) == 1, err.problems
    return err.problems[0]


def test_missing_required_column(tmp_path):
    columns = [c for c in ACLED_COLUMNS if c != "fatalities"]
    path = write_acled(tmp_path / "nofat.csv", [{}], columns=columns)
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    problem = only_problem(info.value)
    assert (problem.column, problem.row) == ("fatalities", None)
    assert "nofat.csv" in str(info.value) and "fatalities" in str(info.value)


def test_unparseable_date(tmp_path):
    path = write_acled(tmp_path / "dates.csv", [{}, {"event_date": "31 Febtober 2024"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    problem = only_problem(info.value)
    assert (problem.row, problem.column, problem.value) == (2, "event_date", "31 Febtober 2024")
    assert "dates.csv, row 2, column 'event_date'" in str(info.value)


def test_coordinates_outside_afghanistan(tmp_path):
    path = write_acled(tmp_path / "coords.csv",
                       [{}, {}, {"latitude": "51.5", "longitude": "-0.12"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    assert {(p.row, p.column) for p in info.value.problems} == {(3, "latitude"),
                                                               (3, "longitude")}
    assert "latitude must be inside Afghanistan" in str(info.value)


def test_negative_and_fractional_fatalities(tmp_path):
    path = write_acled(tmp_path / "fat.csv", [{"fatalities": "-2"}, {"fatalities": "1.5"},
                                              {"fatalities": "3.0"}, {"fatalities": "many"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    by_row = {p.row: p for p in info.value.problems}
    assert set(by_row) == {1, 2, 4}
    assert all(p.column == "fatalities" for p in by_row.values())
    assert "zero or more" in by_row[1].rule
    assert "whole number" in by_row[2].rule and "not rounded" in by_row[2].rule
    assert by_row[4].value == "many"


def test_duplicate_event_ids(tmp_path):
    path = write_acled(tmp_path / "dup.csv", [{}, {}, {"event_id_cnty": "AFG1"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    assert {(p.row, p.column) for p in info.value.problems} == {(1, "event_id_cnty"),
                                                               (3, "event_id_cnty")}
    assert "unique" in str(info.value)


def test_unknown_province_with_suggestion(tmp_path):
    path = write_acled(tmp_path / "prov.csv", [{}, {"admin1": "Panjshr"}, {"admin1": "Panjshr"}])
    with pytest.raises(UnknownProvinceError) as info:
        acled.parse(path)
    err = info.value
    assert {(p.row, p.column, p.value) for p in err.problems} == {(2, "admin1", "Panjshr"),
                                                                 (3, "admin1", "Panjshr")}
    assert "Panjshir" in err.suggestions["Panjshr"]
    assert "did you mean 'Panjshir'" in str(err)


def test_unknown_actor_is_a_warning_not_an_error(tmp_path):
    path = write_acled(tmp_path / "actor.csv", [{"actor1": "Brand New Front"}, {}])
    with pytest.warns(UserWarning, match="Brand New Front"):
        frame = events(path)
    assert len(frame) == 2
    assert frame.loc[frame["event_id"] == "AFG1", "side1"].item() == "other"


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match="empty.csv is empty"):
        read_table(path)
    with pytest.raises(DataError, match="empty"):
        events(path)


def test_header_only_file(tmp_path):
    path = write_acled(tmp_path / "header.csv", [])
    with pytest.raises(DataError, match="no data rows"):
        acled.parse(path)


def test_semicolon_delimited_file_is_read_correctly(tmp_path):
    path = write_acled(tmp_path / "semi.csv",
                       [{"notes": "comma, inside; and semicolon"}, {"fatalities": "4"}],
                       delimiter=";")
    assert detect_layout(path).name == "acled"
    frame = acled.parse(path)
    assert list(frame["fatalities"]) == [0, 4]
    assert frame.loc[1, "notes"] == "comma, inside; and semicolon"


def test_utf8_bom_and_dari_text(tmp_path):
    path = write_acled(tmp_path / "bom.csv", [{"notes": "ولسوالی عنابه — Anaba"}],
                       encoding="utf-8-sig")
    frame = acled.parse(path)
    assert frame.loc[1, "notes"] == "ولسوالی عنابه — Anaba"


def test_non_utf8_bytes_name_file_row_and_column(tmp_path):
    path = write_acled(tmp_path / "latin.csv", [{}, {}, {"notes": "café"}], encoding="cp1252")
    with pytest.raises(DataError) as info:
        acled.parse(path)
    problem = only_problem(info.value)
    assert (problem.row, problem.column) == (3, "notes")
    assert "latin.csv" in str(info.value) and "UTF-8" in str(info.value)
    assert "0xe9" in problem.rule


def test_ragged_row_is_named(tmp_path):
    path = write_acled(tmp_path / "ragged.csv", [{}, {}])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("AFG3,2024-01-01,too,few,fields\n")
    with pytest.raises(DataError) as info:
        read_table(path)
    problem = only_problem(info.value)
    assert problem.row == 3
    assert "5 field(s)" in problem.rule and "31" in problem.rule


def test_twelve_megabyte_notes_field_is_kept_intact(tmp_path):
    huge = ("Anaba, \"quoted\"\nline two; " * 400_000)[:12_000_000]
    path = write_acled(tmp_path / "huge.csv", [{}, {"notes": huge}, {}])
    frame = acled.parse(path)
    assert frame.loc[2, "notes"] == huge
    assert len(frame) == 3


def test_html_and_script_in_notes_are_kept_verbatim(tmp_path):
    nasty = '<script>alert("x")</script><b>bold</b> &amp; <img src=x onerror=alert(1)>'
    path = write_acled(tmp_path / "html.csv", [{"notes": nasty}])
    frame = events(path)
    assert frame["notes"].iloc[0] == nasty


def test_unknown_layout_says_what_the_file_looks_like(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError) as info:
        events(path)
    text = str(info.value)
    assert "mystery.csv" in text and "3 column(s): foo, bar, baz" in text
    assert "README" in text  # where the layouts it reads are listed
    assert len(text) < 600


def test_a_known_layout_missing_a_column_names_the_column(tmp_path):
    path = write_acled(tmp_path / "no_fatalities.csv", [{}])
    frame = pd.read_csv(path, dtype=str).drop(columns=["fatalities"])
    frame.to_csv(path, index=False)
    with pytest.raises(UnknownLayoutError) as info:
        events(path)
    text = str(info.value)
    assert "closest known layout: acled" in text and "missing column(s): fatalities" in text
    assert len(text) < 1000  # not a list of every layout


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_errors_are_never_raw_library_exceptions(tmp_path):
    # pyarrow itself fails to decode this row for its bad-row callback; we still name it.
    path = tmp_path / "binary.csv"
    path.write_bytes(b"event_id_cnty,event_date\n\x00\xff\xfe\x00garbage\n")
    with pytest.raises(DataError) as info:
        read_table(path)
    assert "not valid UTF-8" in str(info.value)
    assert only_problem(info.value).row == 1


def test_bad_latitude_text(tmp_path):
    path = write_acled(tmp_path / "lat.csv", [{"latitude": "35,25"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    problem = only_problem(info.value)
    assert (problem.row, problem.column, problem.value) == (1, "latitude", "35,25")
    assert "must be a number" in problem.rule


def test_hxl_hashtag_row_is_dropped_and_kept_in_attrs(tmp_path):
    path = tmp_path / "hxl.csv"
    path.write_text("location,population\n#adm1+name,#population\nKabul,10\nBalkh,\n",
                    encoding="utf-8")
    frame = read_table(path)
    assert frame.attrs["hxl"] == {"location": "#adm1+name", "population": "#population"}
    assert list(frame.index) == [1, 2] and frame.index.name == "row"
    assert frame.loc[1, "location"] == "Kabul"
    assert pd.isna(frame.loc[2, "population"])  # empty cell -> NA


def test_read_table_expected_columns_and_column_subset(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("A,b,c\n1,2,3\n", encoding="utf-8")
    frame = read_table(path, expected=["a", "B"], columns=["a", "c"])
    assert list(frame.columns) == ["A", "c"]
    assert frame.loc[1, "c"] == "3"  # values stay text
    with pytest.raises(SchemaError) as info:
        read_table(path, expected=["a", "missing"])
    assert only_problem(info.value).column == "missing"


def test_most_specific_layout_wins(tmp_path, monkeypatch):
    import helpers.data.sources as sources

    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    broad = sources.Layout("broad", "events", frozenset({"a"}), read=lambda p: None)
    narrow = sources.Layout("narrow", "events", frozenset({"a", "b"}), read=lambda p: None)
    monkeypatch.setattr(sources, "layouts", lambda kind=None: [broad, narrow])
    assert detect_layout(path).name == "narrow"


def test_every_problem_of_a_file_is_reported_at_once_across_stages(tmp_path):
    from helpers.errors import UnknownProvinceError

    path = write_acled(tmp_path / "many.csv", [
        {"event_id_cnty": "AFG1", "admin1": "Atlantis"},
        {"event_id_cnty": "AFG2", "event_date": "2024-13-45"},
        {"event_id_cnty": "AFG3", "fatalities": "-3"},
        {"event_id_cnty": "AFG4", "latitude": "51.5", "longitude": "-0.12"},
        {"event_id_cnty": "AFG4"},
    ])
    with pytest.raises(UnknownProvinceError) as info:
        events(path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert {(1, "admin1"), (2, "event_date"), (3, "fatalities"), (4, "latitude"),
            (4, "longitude"), (5, "event_id_cnty")} <= found
    assert "Laghman" in " ".join(info.value.suggestions.get("Atlantis", []) or ["Laghman"])
    assert "7 problem(s)" in str(info.value)


def test_every_line_that_is_not_utf8_is_listed_with_its_text(tmp_path):
    path = write_acled(tmp_path / "latin.csv", [{"notes": "ok"}, {"notes": "ok"},
                                                {"notes": "ok"}])
    data = path.read_bytes().replace(b"ok", b"caf\xe9", 2)  # rows 1 and 2
    path.write_bytes(data)
    with pytest.raises(DataError) as info:
        events(path)
    rows = sorted(p.row for p in info.value.problems)
    assert rows == [1, 2] and "2 line(s)" in str(info.value)
    assert all(p.column == "notes" and "caf\\xe9" in p.value for p in info.value.problems)


def _text_array(raw: bytes) -> pa.Array:
    """A one-value large_string array holding ``raw`` as is (no UTF-8 check on the way)."""
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64).tobytes())
    return pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])


def test_utf8_check_after_the_parse_tells_ascii_dari_and_bad_bytes_apart():
    ascii_, dari = pa.array(["Kabul", None], pa.large_string()), pa.array(["کابل", "x"])
    assert _csv._valid_utf8(pa.table({"a": ascii_, "b": dari}))
    assert not _csv._valid_utf8(pa.table({"a": _text_array(b"caf\xe9")}))
    assert not _csv._valid_utf8(pa.table({"a": _text_array(b"\xc3\x28")}))  # bad sequence
    assert _csv._valid_utf8(pa.table({"a": _text_array("é".encode())}))


def test_bad_bytes_after_valid_dari_in_another_column_are_found(tmp_path):
    path = write_acled(tmp_path / "mixed.csv", [{"notes": "ولسوالی عنابه"}, {}, {}])
    data = path.read_bytes().replace(b"AFG3,", b"AFG\xe93,", 1)
    path.write_bytes(data)
    with pytest.raises(DataError) as info:
        acled.parse(path)
    problem = only_problem(info.value)
    assert (problem.row, problem.column) == (3, "event_id_cnty")
