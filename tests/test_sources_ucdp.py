"""UCDP GED reader: codebook columns mapped to the canonical table, by hand-checked rows."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from _ingest_fakes import FIXTURES, install

from helpers.data.sources import detect_layout, ucdp
from helpers.errors import SchemaError


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
    install(monkeypatch)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    mp = pytest.MonkeyPatch()
    install(mp)
    try:
        return ucdp.parse(FIXTURES / "ucdp_small.csv")
    finally:
        mp.undo()


def test_layout_detected():
    layout = detect_layout(FIXTURES / "ucdp_small.csv")
    assert (layout.name, layout.kind) == ("ucdp_ged", "events")


def test_rows_outside_afghanistan_dropped_and_counted(frame):
    assert list(frame.index) == [1, 2, 3]
    assert frame.attrs["dropped"] == {"outside_afghanistan": 1}
    assert frame.attrs["layout"] == "ucdp_ged"


def test_basic_mapping(frame):
    row = frame.loc[1]
    assert row["event_id"] == "900001"
    assert row["source"] == "ucdp"
    assert row["event_date"] == pd.Timestamp("2021-09-09")  # "2021-09-09 00:00:00.000"
    assert row["event_type"] == "State-based conflict"
    assert pd.isna(row["sub_event_type"])
    assert (row["province"], row["province_code"]) == ("Panjshir", "AF-PAN")  # "... province"
    assert row["district"] == "Anaba"  # "Anaba district"
    assert row["location"] == "Anaba village"
    assert row["fatalities"] == 3  # best
    assert row["source_ref"] == "Test Fixture article"


def test_government_of_afghanistan_depends_on_the_date(frame):
    # After 15 August 2021 UCDP's "Government of Afghanistan" is the Taliban state.
    assert (frame.loc[1, "actor1"], frame.loc[1, "side1"]) == ("Taliban", "taliban")
    assert (frame.loc[1, "actor2"], frame.loc[1, "side2"]) == ("National Resistance Front",
                                                               "resistance")
    # Before it, the Republic.
    assert (frame.loc[2, "actor1"], frame.loc[2, "side1"]) == ("Republic forces", "republic")


def test_precision_codes(frame):
    # date_prec 1 -> day, 3 -> week, 4 -> month; where_prec 1 -> 1, 4 -> 3, 6 -> 3
    assert list(frame["date_precision"]) == ["day", "week", "month"]
    assert list(frame["geo_precision"]) == [1, 3, 3]


def test_one_sided_violence_and_missing_province(frame):
    row = frame.loc[3]
    assert row["event_type"] == "One-sided violence"
    assert row["target"] == "civilian"
    assert pd.isna(row["province"]) and pd.isna(row["province_code"])  # country-level event
    assert pd.isna(row["source_ref"])
    assert frame.attrs["unknown_actors"] == ["Civilians"]  # not in the fake registry


def test_urban_flag(frame):
    assert list(frame["urban"]) == [False, True, False]


def _rewrite(tmp_path, **changes) -> str:
    with (FIXTURES / "ucdp_small.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(changes)
    out = tmp_path / "ged.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_bad_codes_and_dates_are_reported_together(tmp_path):
    path = _rewrite(tmp_path, type_of_violence="4", date_start="09/09/2021 noon", best="2.5")
    with pytest.raises(SchemaError) as info:
        ucdp.parse(path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(1, "type_of_violence"), (1, "date_start"), (1, "best")}
    assert "ged.csv" in str(info.value)


def _csv_records():
    with open(FIXTURES / "ucdp_small.csv", encoding="utf-8") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def _shapefile_geojson(path):
    """The CSV as UCDP's GeoJSON download: ten-character property names, some numbers as
    strings and some as numbers, the place as a point geometry."""
    import json

    features = []
    for i, row in enumerate(_csv_records()):
        props = {k[:10]: v for k, v in row.items() if k and k not in ("latitude", "longitude")}
        props["best"] = int(props["best"]) if i % 2 else props["best"]  # both shapes occur
        props["id"] = int(props["id"])
        features.append({"type": "Feature", "properties": props, "geometry": {
            "type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _api_pages(path):
    """The CSV as two saved pages of the UCDP API."""
    import json

    records = [{k: v for k, v in row.items() if k} for row in _csv_records()]
    for r in records:
        r["best"], r["latitude"], r["longitude"] = (int(r["best"]), float(r["latitude"]),
                                                    float(r["longitude"]))
    pages = [{"TotalCount": len(records), "TotalPages": 2, "PreviousPageUrl": "",
              "NextPageUrl": "https://ucdpapi.pcr.uu.se/api/gedevents/25.1?page=1",
              "Result": records[:2]},
             {"TotalCount": len(records), "TotalPages": 2, "NextPageUrl": "",
              "Result": records[2:]}]
    path.write_text(json.dumps(pages), encoding="utf-8")
    return path


@pytest.mark.parametrize("make, layout", [(_shapefile_geojson, "ucdp_ged_geojson"),
                                          (_api_pages, "ucdp_ged_api")])
def test_geojson_and_api_json_read_the_same_events_as_the_csv(tmp_path, frame, make, layout):
    path = make(tmp_path / f"ged.{'geojson' if 'geo' in layout else 'json'}")
    assert detect_layout(path).name == layout
    out = ucdp.parse_geojson(path) if "geo" in layout else ucdp.parse_api(path)
    columns = ["event_id", "event_date", "actor1", "actor2", "province_code", "district",
               "latitude", "longitude", "fatalities", "event_type"]
    pd.testing.assert_frame_equal(out[columns].reset_index(drop=True),
                                  frame[columns].reset_index(drop=True))
    assert out.attrs["layout"] == layout
