"""Analysis for notebook 04 (humanitarian crisis): national series and a province view.

Inputs are long indicator tables: the loader's ``indicators()`` (indicator,
province_code, geography, period_start, period_end, value, unit, source_file ...) or the
curated ``humanitarian_indicators()`` table (geography "AF" for national rows, "AF-XXX"
for a province). A row is province-level when ``province_code`` is set, or, without that
column, when ``geography`` is a province code.

Most published figures for Afghanistan are national. Where no province-level rows exist,
the province comparison returns ``national_only=True`` and a plain message, so the
notebook shows that flag instead of an empty chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis._common import by_side, in_range, require_columns

_PROVINCE = re.compile(r"^AF-[A-Z]{3}$")


def province_codes(indicators: pd.DataFrame) -> pd.Series:
    """The province code of each indicator row, NA for national rows."""
    if "province_code" in indicators.columns:
        codes = indicators["province_code"].astype("string")
    elif "geography" in indicators.columns:
        codes = indicators["geography"].astype("string")
    else:
        return pd.Series(pd.NA, index=indicators.index, dtype="string")
    valid = codes.str.fullmatch(_PROVINCE.pattern).fillna(False).astype(bool)
    return codes.where(valid, pd.NA)


def national_series(indicators: pd.DataFrame,
                    names: list[str] | None = None) -> pd.DataFrame:
    """National rows of the chosen indicators (all when ``names`` is None), by date.

    Keeps the value, unit, comparator (when the table has one) and source columns.
    """
    require_columns(indicators, ["indicator", "period_start", "value"], "national_series")
    frame = indicators.loc[province_codes(indicators).isna().to_numpy()]
    if names:
        frame = frame.loc[frame["indicator"].isin(names).fillna(False).astype(bool)]
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]),
                         value=pd.to_numeric(frame["value"]).astype("float64"))
    return frame.sort_values(["indicator", "period_start"], kind="stable").reset_index(drop=True)


def latest_estimates(series: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and period: the most recently published figure.

    Several sources often give a figure for the same year (an appeal, then its revision);
    a line chart needs one. The row with the latest ``source_date`` (YYYY, YYYY-MM or
    YYYY-MM-DD text; missing counts as oldest) wins; ties keep the table's first row. The
    dropped rows stay in the full table for the notebook's source list.
    """
    require_columns(series, ["indicator", "period_start"], "latest_estimates")
    if series.empty:
        return series.copy()
    order = (series["source_date"].astype("string").fillna("") if "source_date" in series
             else pd.Series("", index=series.index))
    work = series.assign(_published=order.to_numpy(), _pos=range(len(series)))
    work = work.sort_values(["indicator", "period_start", "_published", "_pos"],
                            ascending=[True, True, False, True], kind="stable")
    work = work.drop_duplicates(["indicator", "period_start"], keep="first")
    return work.drop(columns=["_published", "_pos"]).reset_index(drop=True)


def coverage(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: national and province rows, provinces covered, first/last period.

    ``level`` is "province" when any province-level row exists, else "national only".
    """
    require_columns(indicators, ["indicator", "period_start"], "coverage")
    cols = {"indicator": "string", "national_rows": "int64", "province_rows": "int64",
            "provinces": "int64", "first_period": "datetime64[ns]",
            "last_period": "datetime64[ns]", "level": "string"}
    if indicators.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    work = pd.DataFrame({"indicator": indicators["indicator"].astype("string"),
                         "code": province_codes(indicators),
                         "period": pd.to_datetime(indicators["period_start"])})
    work["is_province"] = work["code"].notna()
    out = work.groupby("indicator").agg(
        province_rows=("is_province", "sum"), rows=("is_province", "size"),
        provinces=("code", "nunique"), first_period=("period", "min"),
        last_period=("period", "max")).reset_index()
    out["national_rows"] = out["rows"] - out["province_rows"]
    out["level"] = out["province_rows"].gt(0).map({True: "province", False: "national only"})
    return out[list(cols)].astype(cols)


def has_province_data(indicators: pd.DataFrame, indicator: str | None = None) -> bool:
    """Whether any (or ``indicator``'s) rows are at province level."""
    codes = province_codes(indicators)
    if indicator is not None:
        codes = codes[(indicators["indicator"] == indicator).fillna(False).astype(bool)]
    return bool(codes.notna().any())


@dataclass
class ProvinceComparison:
    """An indicator beside conflict events, province by province.

    ``frame`` columns: ``province_code``, ``province``, ``value``, ``unit``,
    ``period_start`` (latest period per province), ``events``, ``fatalities``.
    ``national_only`` is True when the indicator has no province rows (``frame`` is then
    empty and ``message`` says so).
    """

    indicator: str
    frame: pd.DataFrame
    national_only: bool
    message: str
    details: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when there is nothing to plot."""
        return self.frame.empty


def province_vs_conflict(indicators: pd.DataFrame, events: pd.DataFrame, indicator: str,
                         side: str | None = None, start: object = None, end: object = None,
                         provinces: pd.DataFrame | None = None) -> ProvinceComparison:
    """``indicator`` per province (latest period) beside event counts of ``side``.

    Events are those of ``side`` (None = all sides) dated in [start, end]. Provinces with
    the indicator but no events get 0 events. ``provinces`` (the gazetteer table) supplies
    names when given; otherwise the events' own province names are used.
    """
    require_columns(indicators, ["indicator", "period_start", "value"], "province_vs_conflict")
    require_columns(events, ["event_date", "side1", "province_code", "fatalities"],
                    "province_vs_conflict (events)")
    cols = {"province_code": "string", "province": "string", "value": "float64",
            "unit": "string", "period_start": "datetime64[ns]", "events": "int64",
            "fatalities": "int64"}
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    rows = indicators.loc[(indicators["indicator"] == indicator).fillna(False).astype(bool)]
    codes = province_codes(rows)
    prov_rows = rows.loc[codes.notna().to_numpy()].assign(province_code=codes.dropna())
    if prov_rows.empty:
        msg = (f"Only national figures exist for '{indicator}': no province view is possible."
               if len(rows) else f"No figures for '{indicator}' are loaded.")
        return ProvinceComparison(indicator, empty, national_only=len(rows) > 0, message=msg)
    prov_rows = prov_rows.assign(period_start=pd.to_datetime(prov_rows["period_start"]))
    latest = prov_rows.sort_values("period_start", kind="stable").groupby(
        "province_code").tail(1).set_index("province_code")
    ev = in_range(by_side(events, side), start, end)
    counts = pd.DataFrame({"code": ev["province_code"].astype("string").to_numpy(),
                           "fatalities": pd.to_numeric(ev["fatalities"]).fillna(0).to_numpy()})
    agg = counts.groupby("code").agg(events=("fatalities", "size"),
                                     fatalities=("fatalities", "sum"))
    out = pd.DataFrame({"province_code": latest.index.astype("string")})
    out["value"] = pd.to_numeric(latest["value"]).to_numpy()
    out["unit"] = (latest["unit"] if "unit" in latest else pd.Series(pd.NA, index=latest.index)
                   ).to_numpy()
    out["period_start"] = latest["period_start"].to_numpy()
    joined = agg.reindex(out["province_code"])
    out["events"] = joined["events"].fillna(0).to_numpy()
    out["fatalities"] = joined["fatalities"].fillna(0).to_numpy()
    out["province"] = out["province_code"].map(_names(events, provinces))
    out = out[list(cols)].astype(cols).sort_values("value", ascending=False, kind="stable")
    return ProvinceComparison(indicator, out.reset_index(drop=True), national_only=False,
                              message=f"{len(out)} province(s) with '{indicator}' figures.",
                              details={"events_total": len(ev)})


def _names(events: pd.DataFrame, provinces: pd.DataFrame | None) -> dict:
    names = {}
    if "province" in events.columns:
        pairs = events[["province_code", "province"]].dropna().drop_duplicates("province_code")
        names.update(zip(pairs["province_code"], pairs["province"], strict=True))
    if provinces is not None:
        names.update(zip(provinces["iso_code"], provinces["name"], strict=True))
    return names
