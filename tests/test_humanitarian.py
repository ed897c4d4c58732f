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


def test_best_estimates_prefers_revisions_then_trust_then_recency():
    frame = _indicators([
        ["people_in_need", "AF", "2023-01-01", 28.3e6, "people", "appeal"],
        ["people_in_need", "AF", "2023-01-01", 28.8e6, "people", "revision"],
        ["people_in_need", "AF", "2023-01-01", 30.0e6, "people", "a newspaper"],
        ["people_in_need", "AF", "2024-01-01", 23.7e6, "people", "appeal 2024"],
        ["people_in_need", "AF", "2024-01-01", 23.0e6, "people", "the brief"],
        ["people_in_need", "AF", None, 99.0e6, "people", "undated"],
    ]).assign(source_date=["2022-12", "2023-06", "2024-01", "2023-12", "2024-11", None],
              source_type=["official_document", "official_document", "press",
                           "official_document", "brief", "brief"],
              record_id=["H1", "H2", "H3", "H4", "H5", "H6"],
              supersedes=[None, "H1", None, None, None, None])
    series = hu.national_series(frame)
    assert len(series) == 5  # the undated figure stays out of the series
    out = hu.best_estimates(series)
    assert out["value"].tolist() == [28.8e6, 23.7e6]
    assert out["revised_from"].iloc[0] == "28,300,000 (appeal, 2022-12)"
    assert "30,000,000 (a newspaper, 2024-01)" in out["alternatives"].iloc[0]
    assert "28,300,000" not in out["alternatives"].iloc[0]  # said once, as revised_from
    assert out["alternatives"].iloc[1] == "23,000,000 (the brief, 2024-11)"
    assert hu.best_estimates(frame.iloc[0:0]).empty
    assert hu.undated(frame)["source"].tolist() == ["undated"]


def _funding(rows):
    frame = pd.DataFrame(rows, columns=["appeal_code", "category", "period_start",
                                        "indicator", "value"])
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def test_funding_by_year_adds_a_year_s_appeals_and_keeps_unattributed_apart():
    fts = _funding([
        ["HRP21", "Humanitarian response plan", "2021-01-01", "requirements_usd", 800.0],
        ["HRP21", "Humanitarian response plan", "2021-01-01", "funding_usd", 600.0],
        ["FA21", "Flash appeal", "2021-09-01", "requirements_usd", 200.0],
        ["FA21", "Flash appeal", "2021-09-01", "funding_usd", 300.0],
        ["Not specified", "Not specified", "2021-01-01", "funding_usd", 50.0],
        ["COVID", "Other", "2021-05-01", "requirements_usd", 1000.0],
        ["HRP22", "Humanitarian response plan", "2022-01-01", "requirements_usd", 400.0],
        ["HRP22", "Humanitarian response plan", "2022-01-01", "funding_usd", 100.0],
    ])
    out = hu.funding_by_year(fts).set_index("year")
    assert out.loc[2021, "requirements_usd"] == 1000 and out.loc[2021, "funding_usd"] == 900
    assert out.loc[2021, "coverage_pct"] == 90 and out.loc[2021, "gap_usd"] == 100
    assert out.loc[2021, "appeals"] == "FA21, HRP21"
    assert out.loc[2021, "unattributed_usd"] == 50  # reported, never added
    assert out.loc[2022, "coverage_pct"] == 25 and pd.isna(out.loc[2022, "unattributed_usd"])
    assert hu.funding_by_year(fts, start=2022)["year"].tolist() == [2022]


def test_returns_by_year_uses_totals_only():
    rows = pd.DataFrame({
        "indicator": ["returned_idps", "returned_idps", "returned_refugees"],
        "period_start": pd.to_datetime(["2021-01-01", "2021-01-01", "2022-01-01"]),
        "category": ["total", "f all", "total"], "value": [10.0, 4.0, 3.0]})
    out = hu.returns_by_year(rows).set_index("year")
    assert out.loc[2021, "returned_idps"] == 10 and pd.isna(out.loc[2021, "returned_refugees"])
    assert out.loc[2022, "returned_refugees"] == 3


def test_province_needs_share_and_missing_population():
    pin = pd.DataFrame({"province_code": ["AF-KAB", "AF-PAN", None],
                        "category": ["total"] * 3, "sector": ["Intersectoral"] * 3,
                        "value": [50.0, 30.0, 80.0]})
    population = pd.DataFrame({"province_code": ["AF-KAB", "AF-KAB"],
                               "category": ["total", "female"], "value": [200.0, 100.0]})
    out = hu.province_needs(pin, population, {"AF-KAB": "Kabul"})
    assert out["province"].tolist() == ["Kabul", "AF-PAN"]
    assert out["share_pct"].iloc[0] == 25  # the female row is not added to the total
    assert pd.isna(out["share_pct"].iloc[1])  # no population: NA, never a guess
