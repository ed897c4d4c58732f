"""Expansion analysis: spread per quarter, onset, distance from Panjshir, regions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from _analysis_events import PROVINCES, empty_events, make_events

from helpers.analysis import expansion as ex
from helpers.data.reference.gazetteer import haversine_km
from helpers.errors import DataError

PAN = {"province": "Panjshir", "province_code": "AF-PAN", "latitude": 35.4, "longitude": 69.7}
KAB = {"province": "Kabul", "province_code": "AF-KAB", "latitude": 34.5, "longitude": 69.2}
KDZ = {"province": "Kunduz", "province_code": "AF-KDZ", "latitude": 36.7, "longitude": 68.8}
AND = {"province": "Baghlan", "province_code": "AF-BGL", "district": "Pul-e Hesar",
       "latitude": 35.6, "longitude": 69.3}


@pytest.fixture
def events():
    return make_events([
        {"event_date": "2022-01-10", **PAN},
        {"event_date": "2022-02-10", **AND},
        # Q2 2022: nothing
        {"event_date": "2022-07-05", **KAB},
        {"event_date": "2022-08-05", **PAN, "latitude": None, "longitude": None},
        {"event_date": "2022-08-06", **KDZ, "side1": "taliban"},
        {"event_date": "2022-10-01", **KDZ},
    ])


def test_provinces_per_period(events):
    out = ex.provinces_per_period(events, freq="Q")
    assert out["period"].dt.strftime("%Y-%m").tolist() == ["2022-01", "2022-04", "2022-07",
                                                           "2022-10"]
    assert out["events"].tolist() == [2, 0, 2, 1]
    assert out["provinces"].tolist() == [2, 0, 2, 1]
    assert out["new_provinces"].tolist() == [2, 0, 1, 1]
    assert out["cumulative_provinces"].tolist() == [2, 2, 3, 4]


def test_onset_table_order_and_region(events):
    out = ex.onset_table(events, provinces=PROVINCES)
    assert out["province_code"].tolist() == ["AF-PAN", "AF-BGL", "AF-KAB", "AF-KDZ"]
    assert out["order"].tolist() == [1, 2, 3, 4]
    assert out.loc[0, "events"] == 2
    assert out.loc[0, "last_event"] == pd.Timestamp("2022-08-05")
    assert out.loc[3, "first_event"] == pd.Timestamp("2022-10-01")  # taliban event ignored
    assert out["region"].tolist() == ["Central", "North-East", "Central", "North-East"]
    assert ex.onset_table(events)["region"].isna().all()


def test_core_mask_matches_district_spellings():
    ev = make_events([{"event_date": "2022-01-01", **PAN},
                      {"event_date": "2022-01-01", **AND},
                      {"event_date": "2022-01-01", **AND, "district": "Deh Salah"},
                      {"event_date": "2022-01-01", **AND, "district": "ANDARAB"},
                      {"event_date": "2022-01-01", **AND, "district": "Puli Khumri"},
                      {"event_date": "2022-01-01", **KAB, "district": "Andarab"},
                      {"event_date": "2022-01-01", **AND, "district": "Andarāb"},
                      {"event_date": "2022-01-01", **AND, "district": "Dih Saleh"},
                      {"event_date": "2022-01-01", **AND, "district": "Pul-i-Hisar"},
                      {"event_date": "2022-01-01", **AND, "district": None}])
    assert ex.core_mask(ev).tolist() == [True, True, True, True, False, False,
                                         True, True, True, False]


def test_distance_from_core_hand_computed(events):
    ref = (35.4, 69.7)
    out = ex.distance_from_core(events, ref, freq="Q")
    d_and = haversine_km(35.6, 69.3, *ref)
    d_kab = haversine_km(34.5, 69.2, *ref)
    q1 = out.iloc[0]
    assert q1["located"] == 2 and q1["median_km"] == pytest.approx(d_and / 2)
    assert q1["outside_core"] == 0 and q1["share_outside_core"] == 0
    q3 = out.iloc[2]
    assert q3["events"] == 2 and q3["located"] == 1
    assert q3["median_km"] == pytest.approx(d_kab)
    assert q3["share_outside_core"] == pytest.approx(0.5)
    assert math.isnan(out.iloc[1]["median_km"]) and out.iloc[1]["events"] == 0


def test_haversine_known_distance():
    # Kabul (34.53, 69.17) to Mazar-i-Sharif (36.71, 67.11): about 305 km great circle
    assert haversine_km(34.53, 69.17, 36.71, 67.11) == pytest.approx(305, abs=5)


def test_reference_point():
    assert ex.reference_point(PROVINCES) == (35.4, 69.7)  # no capital coordinates: centroid
    with_capital = PROVINCES.assign(capital_latitude=[35.31, 35.9, 34.5, 36.7, 37.1],
                                    capital_longitude=[69.51, 68.7, 69.2, 68.9, 70.6])
    assert ex.reference_point(with_capital) == (35.31, 69.51)
    assert ex.reference_point(with_capital, point="centroid") == (35.4, 69.7)
    with pytest.raises(DataError):
        ex.reference_point(PROVINCES, "AF-XXX")


def test_by_region(events):
    out = ex.by_region(events, PROVINCES, freq="Y")
    got = out.set_index("region")
    assert got.loc["Central", "events"] == 3 and got.loc["North-East", "events"] == 2
    assert got.loc["Central", "share"] == pytest.approx(0.6)


def test_province_aggregates(events):
    out = ex.province_aggregates(events, PROVINCES)
    assert len(out) == len(PROVINCES)
    got = out.set_index("province_code")
    assert got.loc["AF-PAN", "events"] == 2 and got.loc["AF-PAN", "first_year"] == 2022
    assert got.loc["AF-BDS", "events"] == 0 and pd.isna(got.loc["AF-BDS", "first_year"])
    assert out["province_code"].iloc[0] == "AF-PAN"


def test_reach_says_when_the_total_was_first_reached(events):
    spread = ex.provinces_per_period(events, freq="Q")
    got = ex.reach(spread)
    # Panjshir and Baghlan in Q1 2022, Kabul in Q3, Kunduz in Q4: four by 2022-10
    assert got == {"total": 4, "reached": pd.Timestamp("2022-10-01"), "peak": 2}
    assert ex.reach(spread.iloc[0:0]) == {"total": 0, "reached": None, "peak": 0}


def test_a_narrow_window_never_makes_a_province_newly_reached(events):
    # Panjshir was active in January and August 2022; the window holds only August.
    out = ex.province_aggregates(events, PROVINCES, start="2022-07-01", end="2022-12-31")
    got = out.set_index("province_code")
    assert got.loc["AF-PAN", "events"] == 1
    assert got.loc["AF-PAN", "first_event"] == pd.Timestamp("2022-01-10")
    # Baghlan (Andarab, February) had no event in the window, but its onset is kept
    assert got.loc["AF-BGL", "events"] == 0
    assert got.loc["AF-BGL", "first_event"] == pd.Timestamp("2022-02-10")


@pytest.mark.parametrize("call", [
    lambda e: ex.provinces_per_period(e),
    lambda e: ex.onset_table(e),
    lambda e: ex.distance_from_core(e, (35.4, 69.7)),
    lambda e: ex.by_region(e, PROVINCES),
])
def test_empty(call):
    out = call(empty_events())
    assert out.empty and len(out.columns) >= 3


def test_empty_aggregates_keep_all_provinces():
    out = ex.province_aggregates(empty_events(), PROVINCES)
    assert len(out) == 5 and out["events"].sum() == 0
