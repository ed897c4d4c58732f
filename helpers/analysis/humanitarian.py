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

from helpers.analysis._common import by_side, in_range, per_capita, require_columns

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

    Rows without a reference period (figures whose year nobody stated, such as the
    brief's) are left out: they have no place in a time series (see :func:`undated`).
    Keeps the value, unit, comparator (when the table has one) and source columns.
    """
    require_columns(indicators, ["indicator", "period_start", "value"], "national_series")
    frame = indicators.loc[province_codes(indicators).isna().to_numpy()]
    if names:
        frame = frame.loc[frame["indicator"].isin(names).fillna(False).astype(bool)]
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]),
                         value=pd.to_numeric(frame["value"]).astype("float64"))
    frame = frame[frame["period_start"].notna()]
    return frame.sort_values(["indicator", "period_start"], kind="stable").reset_index(drop=True)


def undated(indicators: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """National figures without a reference period (kept out of every time series)."""
    frame = indicators.loc[province_codes(indicators).isna().to_numpy()
                           & pd.to_datetime(indicators["period_start"]).isna().to_numpy()]
    if names:
        frame = frame.loc[frame["indicator"].isin(names).fillna(False).astype(bool)]
    return frame.reset_index(drop=True)


#: Source types from most to least trusted (``data/curated/humanitarian_indicators.csv``).
SOURCE_RANK = {"publisher_dataset": 0, "official_document": 1, "press": 2, "brief": 3}


def best_estimates(series: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and period: the most trusted figure, others as alternatives.

    Ranking: a figure another row revises (``supersedes``) loses to its revision; then the
    source type (publisher dataset, official document, press, the brief); then the most
    recent ``source_date`` (missing counts as oldest); then the table's order. The chosen
    row gets ``revised_from`` (the figure its revision replaced) and ``alternatives`` (the
    other figures for the same indicator and period, with their sources, not repeating
    the replaced one), both text.
    """
    require_columns(series, ["indicator", "period_start"], "best_estimates")
    if series.empty:
        return series.assign(alternatives=pd.Series(dtype="str"),
                             revised_from=pd.Series(dtype="str"))
    work = series.reset_index(drop=True).copy()
    ids = work["record_id"] if "record_id" in work else pd.Series(pd.NA, index=work.index)
    superseded = ids.isin(work["supersedes"].dropna()) if "supersedes" in work \
        else pd.Series(False, index=work.index)
    rank = (work["source_type"].map(SOURCE_RANK).fillna(len(SOURCE_RANK))
            if "source_type" in work else pd.Series(0, index=work.index))
    published = (work["source_date"].astype("string").fillna("") if "source_date" in work
                 else pd.Series("", index=work.index))
    work = work.assign(_superseded=superseded.astype(bool).to_numpy(), _rank=rank.to_numpy(),
                       _published=published.to_numpy(), _pos=range(len(work)))
    work = work.sort_values(["indicator", "period_start", "_superseded", "_rank",
                             "_published", "_pos"],
                            ascending=[True, True, True, True, False, True], kind="stable")

    def describe(row: pd.Series) -> str:
        return (f"{row['value']:,.0f} ({row.get('source', 'unknown source')}"
                + (f", {row['source_date']}" if pd.notna(row.get("source_date")) else "") + ")")

    chosen, alternatives, revised = [], [], []
    for _, group in work.groupby(["indicator", "period_start"], sort=False):
        best = group.iloc[0]
        chosen.append(best.name)
        target = best.get("supersedes") if "supersedes" in group else None
        replaced = (group[group["record_id"].eq(target)]
                    if "record_id" in group and pd.notna(target) else group.iloc[0:0])
        revised.append(describe(replaced.iloc[0]) if len(replaced) else pd.NA)
        # the figure the revision replaced is said once, under revised_from
        others = group.iloc[1:].drop(index=replaced.index, errors="ignore")
        alternatives.append("; ".join(describe(r) for _, r in others.iterrows()) or pd.NA)
    out = work.loc[chosen].drop(columns=["_superseded", "_rank", "_published", "_pos"])
    out["alternatives"] = pd.Series(alternatives, index=out.index, dtype="str")
    out["revised_from"] = pd.Series(revised, index=out.index, dtype="str")
    return out.reset_index(drop=True)


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


# ------------------------------------------------------------------- appeals and returns

#: FTS appeal types that are Afghanistan's own appeals (their requirements add up per year).
APPEAL_TYPES = ("Humanitarian response plan", "Flash appeal")


def funding_by_year(funding: pd.DataFrame, appeal_types: tuple[str, ...] = APPEAL_TYPES,
                    start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Per plan year: what Afghanistan's own appeals asked for and received (OCHA FTS).

    ``funding`` is the FTS indicator table (``requirements_usd`` / ``funding_usd`` per
    appeal, ``category`` = appeal type), from HDX HAPI or from FTS's own files; rows below
    a whole appeal (``level`` cluster, global cluster) are ignored. Response plans and
    flash appeals of a year are added (2021 had both); other appeals (regional, COVID) are
    left out. Returns ``year``, ``appeals``, ``requirements_usd``, ``funding_usd``,
    ``gap_usd``, ``coverage_pct`` and ``unattributed_usd`` (funding FTS could not
    attribute to an appeal: context, never added to the appeals' funding).
    """
    require_columns(funding, ["indicator", "value", "appeal_code", "category",
                              "period_start"], "funding_by_year")
    if "level" in funding.columns:  # whole appeals only: breakdowns are the same money
        funding = funding[funding["level"].isna() | funding["level"].eq("plan")]
    wide = funding.pivot_table(index=["appeal_code", "period_start", "category"],
                               columns="indicator", values="value",
                               aggfunc="first").reset_index()
    for col in ("requirements_usd", "funding_usd"):
        if col not in wide:
            wide[col] = float("nan")
    wide["year"] = pd.to_datetime(wide["period_start"]).dt.year
    own = wide[wide["category"].isin(appeal_types)]
    other = wide[wide["appeal_code"].eq("Not specified")]
    out = own.groupby("year").agg(appeals=("appeal_code", lambda v: ", ".join(sorted(v))),
                                  requirements_usd=("requirements_usd", "sum"),
                                  funding_usd=("funding_usd", "sum"))
    out["gap_usd"] = out["requirements_usd"] - out["funding_usd"]
    out["coverage_pct"] = 100 * out["funding_usd"] / out["requirements_usd"]
    out["unattributed_usd"] = other.groupby("year")["funding_usd"].sum().reindex(out.index)
    out = out.reset_index()
    if start is not None:
        out = out[out["year"] >= start]
    if end is not None:
        out = out[out["year"] <= end]
    return out.reset_index(drop=True)


def returns_by_year(returnees: pd.DataFrame) -> pd.DataFrame:
    """Returned refugees and returned IDPs per year (UNHCR totals), one row per year."""
    require_columns(returnees, ["indicator", "period_start", "value"], "returns_by_year")
    totals = returnees[returnees["category"].eq("total")] if "category" in returnees \
        else returnees
    wide = totals.assign(year=pd.to_datetime(totals["period_start"]).dt.year).pivot_table(
        index="year", columns="indicator", values="value", aggfunc="sum")
    for col in ("returned_refugees", "returned_idps"):
        if col not in wide:
            wide[col] = float("nan")
    return wide[["returned_refugees", "returned_idps"]].reset_index().rename_axis(None, axis=1)


def province_needs(people_in_need: pd.DataFrame, population: pd.DataFrame,
                   names: dict[str, str] | None = None) -> pd.DataFrame:
    """People in need per province with the share of the population they are (HNO, COD-PS).

    Columns: ``province_code``, ``province``, ``people_in_need``, ``population``,
    ``share_pct`` (people in need as a percentage of the COD-PS population; the HNO year
    and the population estimate's year can differ: the caller says which they are).
    """
    rows = people_in_need[people_in_need["province_code"].notna()
                          & people_in_need["category"].eq("total")
                          & people_in_need["sector"].eq("Intersectoral")]
    frame = pd.DataFrame({"province_code": rows["province_code"].astype("str"),
                          "people_in_need": rows["value"].astype("float64")})
    frame = per_capita(frame, population, value="people_in_need", per=100, name="share_pct")
    frame.insert(1, "province", frame["province_code"].map(names or {}).fillna(
        frame["province_code"]))
    return frame.sort_values("people_in_need", ascending=False).reset_index(drop=True)
