"""UCDP Georeferenced Event Dataset (GED) -> the canonical event table.

Three published shapes, one conversion: the CSV download; the GeoJSON download (point
features whose property names were cut to ten characters for shapefiles: ``type_of_vi``,
``where_coor``, ``source_art``, ``source_hea`` ..., numbers sometimes written as
strings; the point geometry stands in for missing ``latitude`` / ``longitude``); and the
UCDP API's JSON pages (``{"TotalCount": ..., "NextPageUrl": ..., "Result": [...]}``, one
page or a list of pages).

GED columns used (codebook names): ``id``, ``type_of_violence``, ``side_a``, ``side_b``,
``where_prec``, ``where_coordinates``, ``adm_1`` ("Panjshir province"), ``adm_2``
("Anaba district"), ``latitude``, ``longitude``, ``country``, ``date_prec``,
``date_start`` ("2021-09-09 00:00:00.000"), ``best`` (best fatality estimate),
``source_article``, ``source_headline``. Other columns (``deaths_a``, ``high``, ``low``,
``priogrid_gid`` ...) are read but not carried into the canonical table.

Actors are resolved with the event date because UCDP's "Government of Afghanistan" is the
Republic before 15 August 2021 and the Taliban-led state from then on (the actor registry
holds that rule).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers.data.sources import _canonical as canon
from helpers.data.sources import _json
from helpers.data.sources._csv import Layout, read_table
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("id", "type_of_violence", "side_a", "side_b", "adm_1", "latitude",
                    "longitude", "country", "date_start", "best")

#: Every column the reader uses (GED has ~50; the rest are not converted, for speed).
USED_COLUMNS = REQUIRED_COLUMNS + ("date_prec", "where_prec", "where_coordinates", "adm_2",
                                   "source_article", "source_headline")

DATE_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d", "ISO8601")

#: Canonical column -> the GED column it comes from (error messages name the latter).
SOURCE_COLUMNS = {"event_id": "id", "event_date": "date_start", "date_precision": "date_prec",
                  "event_type": "type_of_violence", "actor1": "side_a", "actor2": "side_b",
                  "province": "adm_1", "province_code": "adm_1", "district": "adm_2",
                  "location": "where_coordinates", "geo_precision": "where_prec",
                  "fatalities": "best", "notes": "source_headline",
                  "source_ref": "source_article"}

VIOLENCE_TYPES = {"1": "State-based conflict", "2": "Non-state conflict",
                  "3": "One-sided violence"}
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "longer"}
WHERE_PRECISION = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 3, "6": 3, "7": 3}


def _strip_suffix(values: pd.Series, suffix: str) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.str.replace(rf"\s+{suffix}$", "", case=False, regex=True)


def parse(path: str | Path) -> pd.DataFrame:
    """Read one UCDP GED CSV into a validated canonical event frame.

    Rows outside Afghanistan are dropped and counted in ``attrs["dropped"]``; unknown actor
    names are listed in ``attrs["unknown_actors"]``.
    """
    path = Path(path)
    file = str(path)
    raw = canon.lower_columns(read_table(path, columns=USED_COLUMNS, where=canon.AFGHAN_ROWS),
                              file=file)
    return _convert(raw, file, "ucdp_ged")


#: GED column -> the ten-character name a shapefile export (and the GeoJSON made from it)
#: gives it.
SHORT_NAMES = {name: name[:10] for name in USED_COLUMNS}


def _records_frame(records: list[dict], file: str, layout: str) -> pd.DataFrame:
    """JSON records -> the string frame the CSV reader gets (full GED column names)."""
    frame = pd.DataFrame.from_records(records)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for full, short in SHORT_NAMES.items():
        if full not in frame.columns and short in frame.columns:
            frame = frame.rename(columns={short: full})
    frame = frame.astype("object").where(frame.notna(), None)
    frame = frame.map(_as_text).astype("str")
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def _as_text(value: object) -> str | None:
    """A JSON value as the CSV would write it: 12.0 -> "12", blanks -> missing."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_geojson(path: str | Path) -> pd.DataFrame:
    """Read a UCDP GED GeoJSON download (see the module docstring)."""
    path = Path(path)
    file = str(path)
    data = _json.load(path)
    records = []
    for feature in data.get("features") or []:
        props = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if coords and len(coords) >= 2:  # GeoJSON order is longitude, latitude
            props.setdefault("longitude", coords[0])
            props.setdefault("latitude", coords[1])
        records.append(props)
    if not records:
        raise DataError(f"{path.name} holds no features",
                        [Problem(file, None, None, None, "an empty FeatureCollection")])
    return _convert(_records_frame(records, file, "ucdp_ged_geojson"), file,
                    "ucdp_ged_geojson")


def parse_api(path: str | Path) -> pd.DataFrame:
    """Read saved UCDP API JSON: one page (``{"Result": [...]}``) or a list of pages."""
    path = Path(path)
    file = str(path)
    records = _json.api_records(_json.load(path))
    if not records:
        raise DataError(f"{path.name} holds no UCDP API records",
                        [Problem(file, None, None, None, "no 'Result' records")])
    return _convert(_records_frame(records, file, "ucdp_ged_api"), file, "ucdp_ged_api")


def _convert(raw: pd.DataFrame, file: str, layout: str) -> pd.DataFrame:
    """GED columns (as text) -> the validated canonical event frame."""
    canon.require_columns(raw, REQUIRED_COLUMNS, file=file, layout=layout)
    raw, dropped = canon.drop_outside(raw, raw["country"], file=file)
    attrs = {"dropped": dropped, "unknown_actors": [],
             "rows_read": len(raw) + sum(dropped.values())}
    if raw.empty:
        return canon.empty_result(attrs, layout=layout, file=file)

    def col(name: str) -> pd.Series:
        return canon.text_column(raw, name)

    problems: list[Problem] = []
    suggestions: dict = {}
    dates = canon.parse_dates(raw["date_start"], DATE_FORMATS, column="date_start", file=file,
                              problems=problems, hint="expected e.g. 2021-09-09 00:00:00.000")
    violence = canon.map_codes(raw["type_of_violence"], VIOLENCE_TYPES,
                               column="type_of_violence", file=file, problems=problems,
                               allowed="1 (state-based), 2 (non-state), 3 (one-sided)")
    precision = (canon.map_codes(raw["date_prec"], DATE_PRECISION, column="date_prec",
                                 file=file, problems=problems, allowed="1 to 5")
                 if "date_prec" in raw.columns
                 else pd.Series("day", index=raw.index, dtype="string"))
    geo = (canon.map_codes(raw["where_prec"], WHERE_PRECISION, column="where_prec",
                           file=file, problems=problems, allowed="1 to 7", dtype="Int64",
                           required=False)
           if "where_prec" in raw.columns
           else pd.Series(pd.NA, index=raw.index, dtype="Int64"))
    lat = canon.to_number(raw["latitude"], column="latitude", file=file, problems=problems)
    lon = canon.to_number(raw["longitude"], column="longitude", file=file, problems=problems)
    deaths = canon.to_number(raw["best"], column="best", file=file, problems=problems,
                             integer=True)
    codes, names = canon.resolve_provinces(_strip_suffix(raw["adm_1"], "province"), file=file,
                                           column="adm_1", problems=problems,
                                           suggestions=suggestions)
    actors, unknown = canon.resolve_actor_pairs(raw["side_a"], raw["side_b"], dates, "ucdp")
    attrs["unknown_actors"] = unknown

    frame = pd.DataFrame({
        "event_id": col("id").str.strip(),
        "source": pd.Series("ucdp", index=raw.index, dtype="string"),
        "event_date": dates,
        "date_precision": precision,
        "event_type": violence,
        "sub_event_type": pd.Series(pd.NA, index=raw.index, dtype="string"),
        "actor1": actors["actor1"],
        "actor2": actors["actor2"],
        "side1": actors["side1"],
        "side2": actors["side2"],
        "province": names,
        "province_code": codes,
        "district": _strip_suffix(col("adm_2"), "district"),
        "location": col("where_coordinates"),
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo,
        "fatalities": deaths,
        "target": pd.Series(pd.NA, index=raw.index, dtype="string"),
        "urban": canon.urban_flags(lat, lon),
        "notes": col("source_headline"),
        "source_ref": col("source_article"),
    }, index=raw.index, copy=False)
    one_sided = (violence == VIOLENCE_TYPES["3"]).fillna(False)
    civilian = pd.Series(pd.NA, index=raw.index, dtype="string").where(
        ~one_sided, "Civilian targeting")
    frame["target"] = canon.target_classes(frame.assign(civilian_targeting=civilian))
    return canon.finish(frame, problems, file=file, layout=layout, attrs=attrs,
                        source_columns=SOURCE_COLUMNS, suggestions=suggestions)


def read(path: str | Path) -> pd.DataFrame:
    """Read one UCDP GED CSV and warn (once) about actor names the registry does not know."""
    frame = parse(path)
    canon.actors.warn_unknown(frame.attrs.get("unknown_actors", []), source=Path(path).name,
                              stacklevel=3)
    return frame


LAYOUTS = [
    Layout("ucdp_ged_geojson", "events",
           frozenset({"geojson:featurecollection", "id", "side_a", "side_b", "date_start"}),
           parse_geojson, "UCDP GED GeoJSON download (point features, shapefile-length "
                          "property names)"),
    Layout("ucdp_ged_api", "events",
           frozenset({"json:result", "id", "side_a", "side_b", "date_start", "best"}),
           parse_api, "UCDP API JSON pages of GED events (Result records)"),
    Layout(
        name="ucdp_ged",
        kind="events",
        signature=frozenset(REQUIRED_COLUMNS),
        read=parse,
        description="UCDP Georeferenced Event Dataset CSV (id, side_a, side_b, adm_1, "
                    "date_start, best)",
    ),
]
