"""Analysis for notebook 02 (geographic expansion of resistance activity).

Answers the brief's claims that operations spread from the Panjshir/Andarab core to
the north, to Kabul and to "nearly 20" provinces: provinces active per quarter, the
first-activity (onset) date per province, distance of operations from the Panjshir
reference point over time, the share outside the core, and counts by region.

Pure functions: events (canonical table) and the gazetteer's ``provinces()`` frame in,
DataFrame out. The gazetteer frame is an argument rather than read here, so these
functions never touch files and tests can pass a few rows.

Reference point: by default Bazarak, Panjshir's provincial capital, with the coordinates
the gazetteer carries for it (``capital_latitude``/``capital_longitude``, from GeoNames);
``reference_point(provinces, point="centroid")`` uses the province centroid instead (about
28 km north-east of Bazarak). Any (lat, lon) can be passed to the distance functions.

The core: Panjshir province (AF-PAN) plus the Andarab valley districts of Baghlan
(Andarab, and Banu, Deh Salah and Pul-e Hesar, the districts carved out of it), matched on
the event's ``district`` through the gazetteer's district names, so every spelling
``districts.csv`` lists ("Andarāb", "Dih Saleh", "Pul-i-Hisar") counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis._common import (
    by_side,
    date_span,
    in_range,
    period_index,
    period_start,
    require_columns,
)
from helpers.data.reference import gazetteer
from helpers.data.reference.gazetteer import haversine_km
from helpers.errors import DataError

CORE_PROVINCES = ("AF-PAN",)
#: The Andarab valley districts of Baghlan, by their names in ``districts.csv`` (Banu is
#: not listed there yet; its own spelling is matched).
CORE_DISTRICTS = ("Andarab", "Banu", "Deh Salah", "Pul-e-Hesar")
CORE_DISTRICT_PROVINCE = "AF-BGL"


def reference_point(provinces: pd.DataFrame, code: str = "AF-PAN",
                    point: str = "capital") -> tuple[float, float]:
    """(latitude, longitude) of a province's capital (default) or centroid, from the gazetteer.

    Falls back to the centroid when the table has no capital coordinates for ``code``.
    """
    if point not in ("capital", "centroid"):
        raise ValueError("point must be 'capital' or 'centroid'")
    require_columns(provinces, ["iso_code", "latitude", "longitude"], "reference_point")
    row = provinces.loc[(provinces["iso_code"] == code).fillna(False).astype(bool)]
    if row.empty:
        raise DataError(f"reference province {code} is not in the gazetteer table")
    lat_col, lon_col = "latitude", "longitude"
    if point == "capital" and {"capital_latitude", "capital_longitude"} <= set(row.columns) \
            and row[["capital_latitude", "capital_longitude"]].notna().all(axis=None):
        lat_col, lon_col = "capital_latitude", "capital_longitude"
    return float(row[lat_col].iloc[0]), float(row[lon_col].iloc[0])


def core_mask(events: pd.DataFrame, core_provinces: tuple[str, ...] = CORE_PROVINCES,
              core_districts: tuple[str, ...] = CORE_DISTRICTS) -> pd.Series:
    """True for events in the Panjshir/Andarab core (see the module docstring)."""
    require_columns(events, ["province_code", "district"], "core_mask")
    in_province = events["province_code"].isin(core_provinces).fillna(False).astype(bool)
    keys = {gazetteer.district_key(d) for d in core_districts}
    names = events["district"].astype("string")
    unique = names.dropna().unique()
    in_core = {name: gazetteer.district_key(name) in keys for name in unique}
    in_district = names.map(in_core).fillna(False).astype(bool) & (
        events["province_code"] == CORE_DISTRICT_PROVINCE).fillna(False).astype(bool)
    return (in_province | in_district).astype(bool)


def event_distances(events: pd.DataFrame, reference: tuple[float, float]) -> pd.Series:
    """Distance (km) of each event from ``reference``; NaN where coordinates are missing."""
    require_columns(events, ["latitude", "longitude"], "event_distances")
    km = haversine_km(events["latitude"].astype("float64"), events["longitude"].astype(
        "float64"), reference[0], reference[1])
    return pd.Series(km, index=events.index, name="distance_km", dtype="float64")


# --------------------------------------------------------------------------- spread over time
def provinces_per_period(events: pd.DataFrame, side: str | None = "resistance",
                         freq: str = "Q", start: object = None,
                         end: object = None) -> pd.DataFrame:
    """Provinces with at least one event of ``side`` per period (the brief's "nearly 20").

    Columns: ``period``, ``events``, ``provinces`` (active that period), ``new_provinces``
    (active for the first time), ``cumulative_provinces`` (ever active up to that period).
    """
    require_columns(events, ["event_date", "side1", "province_code"], "provinces_per_period")
    cols = ("period", "events", "provinces", "new_provinces", "cumulative_provinces")
    frame = in_range(by_side(events, side), start, end)
    span = date_span(frame if start is None and end is None else events, start, end)
    if span is None or (frame.empty and start is None and end is None):
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "period" else "int64")
                             for c in cols})
    work = pd.DataFrame({"period": period_start(frame["event_date"], freq),
                         "province_code": frame["province_code"].astype("string").to_numpy()})
    periods = period_index(*span, freq)
    active = work.dropna().groupby("period")["province_code"].nunique()
    count = work.groupby("period").size()
    first = work.dropna().groupby("province_code")["period"].min()
    new = first.value_counts()
    out = pd.DataFrame({"period": periods})
    out["events"] = count.reindex(periods, fill_value=0).to_numpy()
    out["provinces"] = active.reindex(periods, fill_value=0).to_numpy()
    out["new_provinces"] = new.reindex(periods, fill_value=0).to_numpy()
    out["cumulative_provinces"] = out["new_provinces"].cumsum()
    return out.astype({c: "int64" for c in cols[1:]})


def onset_table(events: pd.DataFrame, side: str | None = "resistance",
                provinces: pd.DataFrame | None = None) -> pd.DataFrame:
    """First (and last) event date of ``side`` per province, earliest first.

    Columns: ``order`` (1 = first province reached), ``province_code``, ``province``,
    ``region`` (when the gazetteer table is given, else NA), ``first_event``,
    ``first_year``, ``last_event``, ``events``.
    """
    require_columns(events, ["event_date", "side1", "province_code", "province"], "onset_table")
    frame = by_side(events, side)
    frame = frame.loc[frame["province_code"].notna()]
    columns = {"order": "int64", "province_code": "string", "province": "string",
               "region": "string", "first_event": "datetime64[ns]", "first_year": "int64",
               "last_event": "datetime64[ns]", "events": "int64"}
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    work = pd.DataFrame({"province_code": frame["province_code"].astype("string"),
                         "province": frame["province"].astype("string"),
                         "event_date": pd.to_datetime(frame["event_date"])})
    out = work.groupby("province_code").agg(
        province=("province", "first"), first_event=("event_date", "min"),
        last_event=("event_date", "max"), events=("event_date", "size")).reset_index()
    out["region"] = _regions(out["province_code"], provinces)
    out["first_year"] = out["first_event"].dt.year.astype("int64")
    out = out.sort_values(["first_event", "province_code"], kind="stable").reset_index(drop=True)
    out["order"] = np.arange(1, len(out) + 1)
    return out[list(columns)].astype(columns)


def _regions(codes: pd.Series, provinces: pd.DataFrame | None) -> pd.Series:
    if provinces is None:
        return pd.Series(pd.NA, index=codes.index, dtype="string")
    lookup = provinces.set_index("iso_code")["region"].astype("string")
    return codes.map(lookup).astype("string")


def distance_from_core(events: pd.DataFrame, reference: tuple[float, float],
                       side: str | None = "resistance", freq: str = "Q",
                       start: object = None, end: object = None) -> pd.DataFrame:
    """How far from Panjshir ``side`` operates, per period.

    Columns: ``period``, ``events``, ``located`` (events with coordinates), ``median_km``,
    ``q1_km``, ``q3_km`` (inter-quartile range of distance to ``reference``),
    ``outside_core`` and ``share_outside_core`` (events outside Panjshir/Andarab, judged on
    province and district, so events without coordinates still count here).
    """
    require_columns(events, ["event_date", "side1", "latitude", "longitude", "province_code",
                             "district"], "distance_from_core")
    cols = {"period": "datetime64[ns]", "events": "int64", "located": "int64",
            "median_km": "float64", "q1_km": "float64", "q3_km": "float64",
            "outside_core": "int64", "share_outside_core": "float64"}
    frame = in_range(by_side(events, side), start, end)
    span = date_span(frame if start is None and end is None else events, start, end)
    if span is None or (frame.empty and start is None and end is None):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    work = pd.DataFrame({"period": period_start(frame["event_date"], freq).to_numpy(),
                         "km": event_distances(frame, reference).to_numpy(),
                         "outside": (~core_mask(frame)).astype("int64").to_numpy()})
    grouped = work.groupby("period")
    agg = pd.DataFrame({
        "events": grouped.size(), "located": grouped["km"].count(),
        "median_km": grouped["km"].median(), "q1_km": grouped["km"].quantile(0.25),
        "q3_km": grouped["km"].quantile(0.75), "outside_core": grouped["outside"].sum()})
    periods = period_index(*span, freq)
    out = agg.reindex(periods).reset_index()
    for c in ("events", "located", "outside_core"):
        out[c] = out[c].fillna(0)
    out["share_outside_core"] = out["outside_core"] / out["events"].where(out["events"] > 0)
    return out[list(cols)].astype(cols)


def by_region(events: pd.DataFrame, provinces: pd.DataFrame, side: str | None = "resistance",
              freq: str = "Q", start: object = None, end: object = None) -> pd.DataFrame:
    """Events of ``side`` per period and region (gazetteer regions), with the period share.

    Columns: ``period``, ``region``, ``events``, ``share``. A province the gazetteer table
    does not list is counted under region "unknown".
    """
    require_columns(events, ["event_date", "side1", "province_code"], "by_region")
    require_columns(provinces, ["iso_code", "region"], "by_region (gazetteer)")
    cols = {"period": "datetime64[ns]", "region": "string", "events": "int64",
            "share": "float64"}
    frame = in_range(by_side(events, side), start, end)
    span = date_span(frame if start is None and end is None else events, start, end)
    if span is None or (frame.empty and start is None and end is None):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    region = _regions(frame["province_code"].astype("string"), provinces).fillna("unknown")
    work = pd.DataFrame({"period": period_start(frame["event_date"], freq).to_numpy(),
                         "region": region.to_numpy()})
    regions = sorted(set(provinces["region"].dropna().astype(str)) | set(work["region"]))
    full = pd.MultiIndex.from_product([period_index(*span, freq), regions],
                                      names=["period", "region"])
    out = work.groupby(["period", "region"]).size().reindex(full, fill_value=0)
    out = out.rename("events").reset_index()
    totals = out.groupby("period")["events"].transform("sum")
    out["share"] = out["events"] / totals.where(totals > 0)
    return out.astype(cols)


def province_aggregates(events: pd.DataFrame, provinces: pd.DataFrame,
                        side: str | None = "resistance", start: object = None,
                        end: object = None) -> pd.DataFrame:
    """One row per gazetteer province: events, fatalities and first activity of ``side``.

    ``events`` and ``fatalities`` count the window ``start``..``end``; ``first_event`` is
    the province's first activity in ALL of ``events``, so narrowing the window never makes
    a province look newly reached when it was active before (pass the undated history,
    e.g. ``Selection.history``). Provinces without events in the window are kept (events
    0) so a choropleth shows them as zero. Columns: ``province_code``, ``province``,
    ``region``, ``latitude``, ``longitude`` (centroid), ``events``, ``fatalities``,
    ``first_event``, ``first_year`` (Int64, NA when never active).
    """
    require_columns(events, ["event_date", "side1", "province_code", "fatalities"],
                    "province_aggregates")
    require_columns(provinces, ["iso_code", "name", "region", "latitude", "longitude"],
                    "province_aggregates (gazetteer)")
    history = by_side(events, side)
    frame = in_range(history, start, end)
    work = pd.DataFrame({"province_code": frame["province_code"].astype("string").to_numpy(),
                         "fatalities": pd.to_numeric(frame["fatalities"]).fillna(0).to_numpy(),
                         "event_date": pd.to_datetime(frame["event_date"]).to_numpy()})
    agg = work.groupby("province_code").agg(
        events=("event_date", "size"), fatalities=("fatalities", "sum"))
    onset = pd.DataFrame({"province_code": history["province_code"].astype("string"),
                          "event_date": pd.to_datetime(history["event_date"])}
                         ).groupby("province_code")["event_date"].min()
    agg = agg.reindex(agg.index.union(onset.index), fill_value=0)
    agg["first_event"] = onset.reindex(agg.index)
    out = pd.DataFrame({"province_code": provinces["iso_code"].astype("string").to_numpy(),
                        "province": provinces["name"].astype("string").to_numpy(),
                        "region": provinces["region"].astype("string").to_numpy(),
                        "latitude": provinces["latitude"].astype("float64").to_numpy(),
                        "longitude": provinces["longitude"].astype("float64").to_numpy()})
    joined = agg.reindex(out["province_code"])
    out["events"] = joined["events"].fillna(0).astype("int64").to_numpy()
    out["fatalities"] = joined["fatalities"].fillna(0).astype("int64").to_numpy()
    out["first_event"] = pd.to_datetime(joined["first_event"]).astype(
        "datetime64[ns]").to_numpy()
    out["first_year"] = out["first_event"].dt.year.astype("Int64")
    return out.sort_values(["events", "province"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def spread_series(spread: pd.DataFrame) -> pd.DataFrame:
    """``provinces_per_period`` in long form for one chart: ``period``, ``measure``,
    ``provinces`` with measures "active this period" and "ever active (cumulative)"."""
    require_columns(spread, ["period", "provinces", "cumulative_provinces"], "spread_series")
    labels = {"provinces": "active this period",
              "cumulative_provinces": "ever active (cumulative)"}
    out = spread.melt(id_vars="period", value_vars=list(labels), var_name="measure",
                      value_name="count")
    out["measure"] = out["measure"].map(labels).astype("string")
    return out.rename(columns={"count": "provinces"}).astype({"provinces": "int64"})


def reach(spread: pd.DataFrame) -> dict:
    """How far ``provinces_per_period`` got: ``total`` provinces ever active, the period in
    which that total was first reached (``reached``), and the most active in one period
    (``peak``). ``reached`` is None when no province was active."""
    require_columns(spread, ["period", "provinces", "cumulative_provinces"], "reach")
    if spread.empty or int(spread["cumulative_provinces"].max()) == 0:
        return {"total": 0, "reached": None, "peak": 0}
    total = int(spread["cumulative_provinces"].max())
    first = spread.loc[spread["cumulative_provinces"] == total, "period"].iloc[0]
    return {"total": total, "reached": first, "peak": int(spread["provinces"].max())}


def spread_summary(distances: pd.DataFrame) -> dict:
    """Headline numbers from ``distance_from_core``: the median distance in the first and
    last period with located events, and the share of all events outside the core.

    Keys: ``first_period``, ``first_median_km``, ``last_period``, ``last_median_km``,
    ``events``, ``outside_core``, ``share_outside_core`` (NaN / None when there is nothing).
    """
    require_columns(distances, ["period", "events", "median_km", "outside_core"],
                    "spread_summary")
    located = distances.loc[distances["median_km"].notna()]
    events = int(distances["events"].sum())
    outside = int(distances["outside_core"].sum())
    first = located.iloc[0] if len(located) else None
    last = located.iloc[-1] if len(located) else None
    return {"first_period": None if first is None else first["period"],
            "first_median_km": np.nan if first is None else float(first["median_km"]),
            "last_period": None if last is None else last["period"],
            "last_median_km": np.nan if last is None else float(last["median_km"]),
            "events": events, "outside_core": outside,
            "share_outside_core": outside / events if events else np.nan}


def region_totals(events: pd.DataFrame, provinces: pd.DataFrame,
                  side: str | None = "resistance", start: object = None,
                  end: object = None) -> pd.DataFrame:
    """Events of ``side`` per gazetteer region over the whole selection, largest first.

    Columns: ``region``, ``events``, ``share`` (of the side's events). Regions without
    events are listed with 0; provinces the gazetteer lacks count as "unknown".
    """
    per_period = by_region(events, provinces, side, "Y", start, end)
    cols = {"region": "string", "events": "int64", "share": "float64"}
    if per_period.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    out = per_period.groupby("region", as_index=False)["events"].sum()
    total = int(out["events"].sum())
    out["share"] = out["events"] / total if total else np.nan
    out = out.sort_values(["events", "region"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True).astype(cols)
