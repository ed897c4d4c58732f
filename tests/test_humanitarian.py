"""Humanitarian analysis: national series, coverage flags, province comparison."""

from __future__ import annotations

import pandas as pd
import pytest
from _analysis_events import PROVINCES, empty_events, make_events

from helpers.analysis import humanitarian as hu


def _indicators(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "geography", "period_start", "value",
                                        "unit", "source"])
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


NATIONAL = _indicators([
    ["people_in_need", "AF", "2024-01-01", 23.7e6, "people", "s1"],
    ["people_in_need", "AF", "2023-01-01", 28.3e6, "people", "s2"],
    ["poverty_rate", "AF", "2023-01-01", 90.0, "percent", "s3"],
])
PROVINCIAL = _indicators([
    ["ipc3_plus", "AF-KAB", "2023-01-01", 100.0, "people", "p1"],
    ["ipc3_plus", "AF-KAB", "2024-01-01", 150.0, "people", "p2"],
    ["ipc3_plus", "AF-PAN", "2024-01-01", 40.0, "people", "p3"],
    ["ipc3_plus", "AF", "2024-01-01", 999.0, "people", "p4"],
])


def test_national_series_sorted_and_filtered():
    out = hu.national_series(pd.concat([NATIONAL, PROVINCIAL]), ["people_in_need"])
    assert out["value"].tolist() == [28.3e6, 23.7e6]
    assert list(out["source"]) == ["s2", "s1"]
    everything = hu.national_series(pd.concat([NATIONAL, PROVINCIAL]))
    assert len(everything) == 4  # the province rows are left out


def test_province_codes_from_either_layout():
    loader = pd.DataFrame({"indicator": ["x", "x"], "province_code": [None, "AF-KAB"],
                           "geography": ["national", "province"],
                           "period_start": ["2024-01-01"] * 2, "value": [1, 2]})
    assert hu.province_codes(loader).isna().tolist() == [True, False]
    assert hu.province_codes(PROVINCIAL).tolist()[:3] == ["AF-KAB", "AF-KAB", "AF-PAN"]
    assert pd.isna(hu.province_codes(PROVINCIAL).iloc[3])


def test_coverage_and_flags():
    cov = hu.coverage(pd.concat([NATIONAL, PROVINCIAL])).set_index("indicator")
    assert cov.loc["people_in_need", "level"] == "national only"
    assert cov.loc["ipc3_plus", "level"] == "province"
    assert cov.loc["ipc3_plus", "provinces"] == 2
    assert cov.loc["ipc3_plus", "national_rows"] == 1
    assert not hu.has_province_data(NATIONAL)
    assert hu.has_province_data(PROVINCIAL, "ipc3_plus")
    assert hu.coverage(NATIONAL.iloc[0:0]).empty


def test_province_vs_conflict_latest_value_and_counts():
    events = make_events([
        {"event_date": "2024-02-01", "province": "Kabul", "province_code": "AF-KAB",
         "fatalities": 2},
        {"event_date": "2024-03-01", "province": "Kabul", "province_code": "AF-KAB",
         "fatalities": 1, "side1": "taliban"},
        {"event_date": "2024-03-01", "province": "Kunduz", "province_code": "AF-KDZ"},
    ])
    res = hu.province_vs_conflict(PROVINCIAL, events, "ipc3_plus")
    assert not res.national_only and not res.empty
    got = res.frame.set_index("province_code")
    assert got.loc["AF-KAB", "value"] == 150.0  # latest period wins
    assert got.loc["AF-KAB", "events"] == 2 and got.loc["AF-KAB", "fatalities"] == 3
    assert got.loc["AF-PAN", "events"] == 0
    assert "AF-KDZ" not in got.index  # no indicator value there
    assert got.loc["AF-PAN", "province"] is pd.NA or pd.isna(got.loc["AF-PAN", "province"])
    named = hu.province_vs_conflict(PROVINCIAL, events, "ipc3_plus", side="resistance",
                                    provinces=PROVINCES).frame.set_index("province_code")
    assert named.loc["AF-PAN", "province"] == "Panjshir"
    assert named.loc["AF-KAB", "events"] == 1


def test_national_only_flag():
    res = hu.province_vs_conflict(NATIONAL, make_events([{"event_date": "2024-01-01"}]),
                                  "people_in_need")
    assert res.national_only and res.empty and "national" in res.message
    missing = hu.province_vs_conflict(NATIONAL, empty_events(), "nothing")
    assert not missing.national_only and missing.empty


@pytest.mark.parametrize("frame", [NATIONAL.iloc[0:0]])
def test_empty_inputs(frame):
    assert hu.national_series(frame).empty
    res = hu.province_vs_conflict(PROVINCIAL, empty_events(), "ipc3_plus")
    assert res.frame["events"].tolist() == [0, 0]


def test_latest_estimates_keeps_most_recent_publication():
    frame = _indicators([
        ["people_in_need", "AF", "2023-01-01", 28.3e6, "people", "appeal"],
        ["people_in_need", "AF", "2023-01-01", 29.2e6, "people", "revision"],
        ["people_in_need", "AF", "2024-01-01", 23.7e6, "people", "appeal 2024"],
    ]).assign(source_date=["2022-12", "2023-06", None])
    out = hu.latest_estimates(hu.national_series(frame))
    assert out["value"].tolist() == [29.2e6, 23.7e6]
    assert out["source"].tolist() == ["revision", "appeal 2024"]
    assert hu.latest_estimates(frame.iloc[0:0]).empty
