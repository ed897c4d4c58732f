"""Tiny canonical event tables for the analysis tests (no files, no loader).

``make_events(rows)`` takes a list of dicts with the columns a test cares about and fills
every other canonical column with a plausible default, using the dtypes of
docs/architecture.md, so the analysis code sees exactly what ``catalog.events`` gives.
"""

from __future__ import annotations

import pandas as pd

CANONICAL_DTYPES = {
    "event_id": "string", "source": "string", "event_date": "datetime64[ns]",
    "date_precision": "string", "event_type": "string", "sub_event_type": "string",
    "actor1": "string", "actor2": "string", "side1": "string", "side2": "string",
    "province": "string", "province_code": "string", "district": "string",
    "location": "string", "latitude": "float64", "longitude": "float64",
    "geo_precision": "Int64", "fatalities": "Int64", "target": "string", "urban": "boolean",
    "notes": "string", "source_ref": "string",
}

DEFAULTS = {
    "source": "test", "date_precision": "day", "event_type": "Battles",
    "sub_event_type": "Armed clash", "actor1": "NRF", "actor2": "Taliban",
    "side1": "resistance", "side2": "taliban", "province": "Panjshir",
    "province_code": "AF-PAN", "district": None, "location": None, "latitude": 35.3,
    "longitude": 69.5, "geo_precision": 1, "fatalities": 0, "target": "military",
    "urban": False, "notes": None, "source_ref": None,
}

#: A few gazetteer rows (centroids rounded) for tests that need provinces().
PROVINCES = pd.DataFrame({
    "iso_code": ["AF-PAN", "AF-BGL", "AF-KAB", "AF-KDZ", "AF-BDS"],
    "pcode": ["AF08", "AF09", "AF01", "AF17", "AF15"],
    "name": ["Panjshir", "Baghlan", "Kabul", "Kunduz", "Badakhshan"],
    "region": ["Central", "North-East", "Central", "North-East", "North-East"],
    "latitude": [35.4, 35.8, 34.5, 36.7, 37.0],
    "longitude": [69.7, 68.8, 69.2, 68.8, 71.5],
    "capital": ["Bazarak", "Puli Khumri", "Kabul", "Kunduz", "Fayzabad"],
}).astype({"iso_code": "string", "pcode": "string", "name": "string", "region": "string",
           "capital": "string"})


def make_events(rows: list[dict]) -> pd.DataFrame:
    """Canonical event table from partial rows; ``event_date`` is required in each row."""
    records = []
    for i, row in enumerate(rows, start=1):
        rec = {"event_id": f"E{i}", **DEFAULTS, **row}
        records.append(rec)
    frame = pd.DataFrame(records, columns=list(CANONICAL_DTYPES))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame = frame.astype(CANONICAL_DTYPES)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame.attrs.update(synthetic=False, inputs=[], dropped={})
    return frame


def empty_events() -> pd.DataFrame:
    """A canonical event table with no rows."""
    return make_events([])
