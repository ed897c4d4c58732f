"""helpers.data.catalog.events(): sources, combination, attrs, filters, warnings, layout errors."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest
from _ingest_fakes import FIXTURES, install, write_acled

import helpers.data.sources as sources
from helpers import config
from helpers.data.catalog import events
from helpers.data.sources import Layout
from helpers.errors import DataError, UnknownProvinceError


@pytest.fixture
def dirs(monkeypatch, tmp_path):
    """Data folders in tmp_path: raw/ with an ACLED and a UCDP export, demo/ with the demo."""
    raw = tmp_path / "raw"
    demo = tmp_path / "demo"
    raw.mkdir()
    demo.mkdir()
    shutil.copy(FIXTURES / "acled_small.csv", raw / "acled_2024.csv")
    shutil.copy(FIXTURES / "ucdp_small.csv", raw / "GEDEvent_test.csv")
    (raw / "README.md").write_text("drop zone\n")
    shutil.copy(FIXTURES / "demo_small.csv", demo / "acled_demo_events.csv")
    monkeypatch.setattr(config, "RAW_DIR", raw)
    monkeypatch.setattr(config, "DEMO_DIR", demo)
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "processed")
    return tmp_path


@pytest.fixture
def fake_deps(monkeypatch):
    install(monkeypatch)


def quiet_events(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return events(*args, **kwargs)


def test_demo_source(dirs, fake_deps):
    frame = events()
    assert len(frame) == 3
    assert frame.attrs["synthetic"] is True
    [info] = frame.attrs["inputs"]
    assert info["path"].endswith("acled_demo_events.csv")
    assert info["layout"] == "acled" and info["rows"] == 3 and len(info["sha256"]) == 64
    assert frame.attrs["dropped"] == {}
    assert isinstance(frame.index, pd.RangeIndex) and frame.index[0] == 0
    assert list(frame["event_date"]) == sorted(frame["event_date"])


def test_missing_demo_says_how_to_make_it(dirs, fake_deps):
    (dirs / "demo" / "acled_demo_events.csv").unlink()
    with pytest.raises(DataError, match="make demo-data"):
        events("demo")


def test_keywords_pick_files_of_their_layout_in_raw(dirs, fake_deps):
    acled_frame = quiet_events("acled")
    assert set(acled_frame["source"]) == {"acled"}
    assert [i["layout"] for i in acled_frame.attrs["inputs"]] == ["acled"]
    assert acled_frame.attrs["dropped"] == {"outside_afghanistan": 1}
    assert acled_frame.attrs["synthetic"] is False
    ucdp_frame = quiet_events("ucdp")
    assert set(ucdp_frame["source"]) == {"ucdp"}
    assert len(ucdp_frame) == 3


def test_keyword_without_files_is_a_clear_error(dirs, fake_deps):
    (dirs / "raw" / "GEDEvent_test.csv").unlink()
    with pytest.raises(DataError, match="no UCDP export found"):
        events("ucdp")


def test_sources_combine_and_sort(dirs, fake_deps):
    frame = quiet_events(["acled", "ucdp", "demo"])
    assert len(frame) == 3 + 3 + 3
    assert frame.attrs["synthetic"] is False  # not every row is synthetic
    assert frame.attrs["dropped"] == {"outside_afghanistan": 2}
    assert [i["layout"] for i in frame.attrs["inputs"]] == ["acled", "ucdp_ged", "acled"]
    keys = list(zip(frame["event_date"], frame["event_id"], strict=True))
    assert keys == sorted(keys)
    assert list(frame.index) == list(range(9))


def test_folder_and_file_paths(dirs, fake_deps):
    folder = quiet_events(dirs / "raw")
    assert len(folder) == 6
    single = quiet_events(str(dirs / "raw" / "GEDEvent_test.csv"))
    assert len(single) == 3


def test_same_file_twice_counts_once(dirs, fake_deps):
    shutil.copy(dirs / "raw" / "acled_2024.csv", dirs / "raw" / "acled_2024_copy.csv")
    frame = quiet_events("acled")
    assert len(frame) == 3
    assert frame.attrs["dropped"] == {"outside_afghanistan": 2, "duplicate_across_files": 3}


def test_unknown_actor_warns_once_with_the_full_list(dirs, fake_deps, tmp_path):
    other = write_acled(tmp_path / "other.csv", [{"actor1": "Second Unknown Group",
                                                  "event_id_cnty": "AFG77"}])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        events([dirs / "raw" / "acled_2024.csv", other, dirs / "raw" / "GEDEvent_test.csv"])
    unknown = [w for w in record if "Unknown" in type(w.category).__name__
               or "unknown" in str(w.message).lower()]
    assert len(unknown) == 1
    message = str(unknown[0].message)
    for name in ("Unknown Armed Group X", "Second Unknown Group", "Civilians"):
        assert name in message


def test_date_filter_is_inclusive(dirs, fake_deps):
    frame = quiet_events(["acled", "ucdp"], start_date="2021-09-09", end_date="2024-02-26")
    assert sorted(frame["event_id"]) == ["900001", "900003", "AFG1", "AFG4"]
    assert frame.attrs["dropped"] == {"outside_afghanistan": 2}  # filters are not drops
    with pytest.raises(DataError, match="after"):
        events("demo", start_date="2024-01-01", end_date="2023-01-01")
    with pytest.raises(DataError, match="not a date"):
        events("demo", start_date="soon")


@pytest.mark.parametrize("wanted", [["Panjshir"], ["panjsher"], ["AF-PAN"], "Panjshir"])
def test_province_filter_accepts_any_spelling_or_code(dirs, fake_deps, wanted):
    frame = quiet_events(["acled", "ucdp"], provinces=wanted)
    assert sorted(frame["event_id"]) == ["900001", "AFG1", "AFG4"]


def test_unknown_province_filter_is_an_error(dirs, fake_deps):
    with pytest.raises(UnknownProvinceError):
        events("demo", provinces=["Atlantis"])


def test_side_filter_matches_either_side(dirs, fake_deps):
    frame = quiet_events(["acled", "ucdp"], sides=["resistance"])
    assert sorted(frame["event_id"]) == ["900001", "AFG1"]  # side2 in UCDP, side1 in ACLED
    frame = quiet_events(["acled", "ucdp"], sides="republic")
    assert list(frame["event_id"]) == ["900002"]
    with pytest.raises(DataError, match="unknown side"):
        events("demo", sides=["rebels"])


def test_event_type_filter(dirs, fake_deps):
    frame = quiet_events(["acled", "ucdp"], event_types=["One-sided violence",
                                                         "Violence against civilians"])
    assert sorted(frame["event_id"]) == ["900003", "AFG2"]


def test_combined_filters_and_empty_result_keeps_columns(dirs, fake_deps):
    frame = quiet_events("demo", provinces=["Kabul"], sides=["resistance"])
    assert frame.empty
    assert frame.attrs["synthetic"] is True
    assert "event_id" in frame.columns


def test_non_event_layout_points_to_the_right_loader(dirs, fake_deps, monkeypatch, tmp_path):
    table = tmp_path / "needs.csv"
    table.write_text("admin1_name,population_status,population\nKabul,INN,100\n")
    fake = Layout(name="fake_needs", kind="indicators",
                  signature=frozenset({"admin1_name", "population_status", "population"}),
                  read=lambda p: pd.DataFrame(), description="test indicator table")
    real = sources.layouts
    monkeypatch.setattr(sources, "layouts", lambda kind=None: [*real(kind), fake])
    with pytest.raises(DataError, match=r"catalog\.indicators\(\)"):
        events(table)


def test_bad_source_value(dirs, fake_deps):
    with pytest.raises(DataError, match="neither 'demo', 'acled', 'ucdp'"):
        events("acleed")
    with pytest.raises(DataError, match="empty list"):
        events([])


def test_second_call_reads_the_cache(dirs, fake_deps):
    first = quiet_events("acled")
    assert list((dirs / "processed").glob("acled_2024.acled.*.arrow"))
    second = quiet_events("acled")
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs == first.attrs


def test_fixtures_through_the_real_registries(dirs):
    frame = quiet_events(["acled", "ucdp", "demo"])
    assert len(frame) == 9
    assert set(frame["province_code"].dropna()) <= {"AF-PAN", "AF-KAB", "AF-BGL"}
    nrf = frame[frame["event_id"] == "AFG1"]
    assert set(nrf["side1"]) == {"resistance"}
    ucdp_after = frame[frame["event_id"] == "900001"].iloc[0]
    assert ucdp_after["side1"] == "taliban"  # Government of Afghanistan after 2021-08-15
    ucdp_before = frame[frame["event_id"] == "900002"].iloc[0]
    assert ucdp_before["side1"] == "republic"
    assert set(frame["target"]) <= {"official", "military", "infrastructure", "civilian",
                                     "unknown"}
