"""ACLED reader: both layouts, date formats, country filter, mapping to canonical columns.

The gazetteer, actor registry and target rules are replaced by the small fakes in
``_ingest_fakes`` so every expected value below is computed by hand.
"""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from _ingest_fakes import FIXTURES, install, write_acled

from helpers.data.sources import acled, detect_layout
from helpers.errors import SchemaError


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
    install(monkeypatch)


def test_layouts_are_detected_from_the_header():
    assert detect_layout(FIXTURES / "acled_small.csv").name == "acled"
    assert detect_layout(FIXTURES / "demo_small.csv").name == "acled"
    assert detect_layout(FIXTURES / "acled_legacy_small.csv").name == "acled_legacy"
    assert detect_layout(FIXTURES / "acled_small.csv").kind == "events"


def test_current_layout_maps_every_canonical_column(caplog):
    with caplog.at_level(logging.INFO):
        frame = acled.parse(FIXTURES / "acled_small.csv")
    # Row 3 is in Pakistan: dropped, counted and logged, and the row numbers keep the file's.
    assert list(frame.index) == [1, 2, 4]
    assert frame.attrs["dropped"] == {"outside_afghanistan": 1}
    assert "dropped 1 row(s) whose country is not Afghanistan" in caplog.text
    first = frame.loc[1]
    assert first["event_id"] == "AFG1"
    assert first["source"] == "acled"
    assert first["source_ref"] == "Test Fixture"
    assert first["event_date"] == pd.Timestamp("2024-02-26")
    assert first["date_precision"] == "day"
    assert (first["actor1"], first["side1"]) == ("National Resistance Front", "resistance")
    assert (first["actor2"], first["side2"]) == ("Taliban", "taliban")
    assert (first["province"], first["province_code"]) == ("Panjshir", "AF-PAN")
    assert (first["district"], first["location"]) == ("Anaba", "Anaba")
    assert first["fatalities"] == 3
    assert first["geo_precision"] == 1
    assert first["target"] == "military"
    assert not first["urban"]
    second = frame.loc[2]
    assert second["event_date"] == pd.Timestamp("2025-05-16")  # "16 May 2025"
    assert second["date_precision"] == "week"
    assert second["target"] == "civilian"  # civilian_targeting column
    assert second["urban"]  # Kabul coordinates
    fourth = frame.loc[4]
    assert fourth["province_code"] == "AF-PAN"  # "Panjsher" spelling
    assert fourth["date_precision"] == "month"
    assert pd.isna(fourth["actor2"]) and pd.isna(fourth["side2"])
    assert fourth["location"] == "Dara"  # admin3 when location is empty
    assert pd.isna(fourth["district"])
    assert fourth["geo_precision"] == 3
    assert frame.attrs["unknown_actors"] == ["Unknown Armed Group X"]
    assert (fourth["actor1"], fourth["side1"]) == ("Unknown Armed Group X", "other")
    assert frame.attrs["layout"] == "acled"


def test_read_warns_once_about_unknown_actors():
    with pytest.warns(UserWarning, match="Unknown Armed Group X") as record:
        acled.read(FIXTURES / "acled_small.csv")
    assert len([w for w in record if "Unknown Armed Group X" in str(w.message)]) == 1


def test_synthetic_demo_rows_keep_their_source():
    frame = acled.parse(FIXTURES / "demo_small.csv")
    assert set(frame["source"]) == {"synthetic-demo"}
    assert frame.attrs["dropped"] == {}
    assert frame.loc[3, "side1"] == "islamic_state"
    assert frame.loc[2, "province_code"] == "AF-BGL"


def test_mixed_sources_in_one_file(tmp_path):
    path = write_acled(tmp_path / "mixed.csv", [{}, {"source": "synthetic-demo"}])
    frame = acled.parse(path)
    assert list(frame["source"]) == ["acled", "synthetic-demo"]


def test_legacy_upper_case_layout():
    frame = acled.parse(FIXTURES / "acled_legacy_small.csv")
    assert frame.attrs["layout"] == "acled_legacy"
    assert frame.attrs["dropped"] == {"outside_afghanistan": 1}
    assert list(frame["event_id"]) == ["AFG9001", "AFG9002"]
    assert list(frame["event_date"]) == [pd.Timestamp("2019-02-26"), pd.Timestamp("2019-03-03")]
    assert list(frame["date_precision"]) == ["day", "week"]
    assert frame["sub_event_type"].isna().all()  # the old layout has no sub-event types
    assert list(frame["side2"]) == ["republic", "civilians"]
    assert list(frame["fatalities"]) == [4, 2]


@pytest.mark.parametrize("text, expected", [
    ("2024-02-26", "2024-02-26"),
    ("26 February 2024", "2024-02-26"),
    ("16 May 2025", "2025-05-16"),
    ("26-February-2015", "2015-02-26"),
    ("03/04/2019", "2019-04-03"),  # day first, as ACLED wrote it
    ("26 Feb 2024", "2024-02-26"),
])
def test_date_formats(tmp_path, text, expected):
    frame = acled.parse(write_acled(tmp_path / "d.csv", [{"event_date": text}]))
    assert frame["event_date"].iloc[0] == pd.Timestamp(expected)


def test_dates_beyond_what_a_timestamp_holds_are_named_not_raised(tmp_path):
    # A placeholder 9999-12-31 once escaped as pandas' OutOfBoundsDatetime.
    path = write_acled(tmp_path / "far.csv", [{}, {"event_date": "9999-12-31"},
                                              {"event_date": "01 January 1500"},
                                              {"event_date": "31/02/2024"}])
    with pytest.raises(SchemaError) as caught:
        acled.parse(path)
    rules = {(p.row, p.column): p.rule for p in caught.value.problems}
    assert rules == {(2, "event_date"): "event_date is outside the years 1677-2262",
                     (3, "event_date"): "event_date is outside the years 1677-2262",
                     (4, "event_date"): rules[(4, "event_date")]}
    assert "is not a date" in rules[(4, "event_date")]


def test_only_outside_rows_gives_an_empty_canonical_table(tmp_path):
    path = write_acled(tmp_path / "pak.csv", [{"country": "Pakistan"}, {"country": "Iran"}])
    frame = acled.parse(path)
    assert frame.empty
    assert frame.attrs["dropped"] == {"outside_afghanistan": 2}
    assert list(frame.columns)[:3] == ["event_id", "source", "event_date"]


def test_unknown_time_precision_is_an_error(tmp_path):
    path = write_acled(tmp_path / "tp.csv", [{}, {"time_precision": "9"}])
    with pytest.raises(SchemaError) as info:
        acled.parse(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "time_precision")]


def test_raw_file_is_not_modified(tmp_path):
    path = write_acled(tmp_path / "raw.csv", [{}, {"event_date": "26 February 2024"}])
    before = path.read_bytes()
    acled.parse(path)
    assert path.read_bytes() == before
