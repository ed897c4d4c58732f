"""Readers for OCHA FTS "requirements and funding" CSVs from HDX (plan, cluster, global
cluster, COVID-19) and for FTS funding flows (HDX CSV and the FTS website's .xls export).

The Financial Tracking Service publishes, per country, what each humanitarian appeal
(plan) asked for and what it received::

    countryCode, id, name, code, typeId, typeName, startDate, endDate, year,
    requirements, funding, percentFunded

with an HXL hashtag row under the header. The cluster file adds ``clusterCode, cluster``;
the global-cluster file has the same two columns (global clusters) and no ``typeId`` /
``typeName``; the COVID-19 file has the plan columns (its ``percentFunded`` may be absent).
Older files use other headers (``Requirements``, ``Funding``, ``Percent Funded``; a
``country`` name instead of ``countryCode``); columns are recognised by header or by HXL
tag (:data:`FTS_COLUMNS`).

Each row becomes up to three indicators, national, named as HDX HAPI's funding layout
names them (so one analysis reads both): ``requirements_usd``, ``funding_usd`` and
``funding_pct`` (FTS's own figure, which can exceed 100). ``appeal`` / ``appeal_code``
name the plan, ``category`` its type (``typeName``: "Humanitarian response plan", "Flash
appeal" ...), ``sector`` the cluster, and ``level`` the granularity: ``plan``,
``cluster``, ``global cluster`` or ``covid-19``. The same money appears at every level:
:func:`helpers.data.catalog.indicators` keeps only plan rows unless ``sectors=True``, and
the analysis never adds rows of different levels.

Traps handled here:

* **"Not specified" rows** — funding FTS could not attribute to a plan (or a cluster).
  Their requirements are blank: they stay NA (requirements unknown, not zero) and their
  funding is kept. Without a year they have no period (NaT).
* **Negative amounts** — refunds and pledge adjustments are real: they load, with
  ``flag`` saying so, instead of rejecting the file.
* **Cluster names that change case between years** ("Emergency Shelter and NFI" /
  "Emergency shelter and NFI"): names equal up to case and spacing are merged under the
  spelling of the most recent year (:func:`normalise_clusters`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    geography,
    keep_afghanistan,
    parse_dates,
    parse_numbers,
    raise_problems,
    read_hdx,
    text,
)
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

SOURCE = "OCHA Financial Tracking Service (FTS), via HDX"

FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "countryCode": ("#country+code",),
    "country": ("#country+name",),
    "id": ("#activity+appeal+id+fts_internal",),
    "name": ("#activity+appeal+name",),
    "code": ("#activity+appeal+id+external",),
    "typeId": ("#activity+appeal+type+id+fts_internal",),
    "typeName": ("#activity+appeal+type+name",),
    "startDate": ("#date+start",),
    "endDate": ("#date+end",),
    "year": ("#date+year",),
    "clusterCode": ("#sector+cluster+code", "#sector+code"),
    "cluster": ("#sector+cluster+name", "#sector+name"),
    "requirements": ("#value+funding+required+usd",),
    "funding": ("#value+funding+total+usd",),
    "percentFunded": ("#value+funding+pct",),
}
FTS_REQUIRED = ("name", "requirements", "funding")

#: indicator name (as HDX HAPI's funding layout names it) -> (FTS column, unit)
INDICATORS = {
    "requirements_usd": ("requirements", "USD"),
    "funding_usd": ("funding", "USD"),
    "funding_pct": ("percentFunded", "percent"),
}
#: What a negative amount means in FTS, carried in ``flag``.
NEGATIVE_FLAG = "negative amount as FTS reports it (a refund or pledge adjustment)"


def normalise_clusters(names: pd.Series, years: pd.Series) -> pd.Series:
    """One spelling per cluster: names equal up to case and spacing are merged.

    The spelling kept is the one of the most recent year (ties: the most frequent, then
    alphabetical), so a renamed capitalisation follows FTS's current usage.
    """
    cleaned = text(names).str.replace(r"\s+", " ", regex=True)
    key = cleaned.str.casefold()
    table = pd.DataFrame({"name": cleaned, "key": key, "year": years}).dropna(
        subset=["name"])
    spelling: dict[str, str] = {}
    for k, group in table.groupby("key", sort=False):
        counts = group["name"].value_counts()
        ranked = (group.assign(n=group["name"].map(counts))
                  .sort_values(["year", "n", "name"], ascending=[False, False, True],
                               na_position="last"))
        spelling[k] = ranked["name"].iloc[0]
    return key.map(spelling).astype("str")


def _level(frame: pd.DataFrame, path: Path) -> str:
    """Plan, cluster, global cluster or COVID-19: the granularity the file reports."""
    name = path.name.lower()
    if "covid" in name:
        return "covid-19"
    if text(frame["cluster"]).notna().any():
        written = frame.attrs.get("columns") or {}
        if "globalcluster" in name or "typeName" not in written:
            return "global cluster"
        return "cluster"
    return "plan"


def read(path: str | Path, *, breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """FTS requirements-and-funding CSV (plan, cluster, global cluster or COVID-19 level)
    -> indicator table.

    ``breakdown`` and ``sectors`` are accepted for a uniform reader signature; a cluster
    file always returns its clusters (``sector``), and ``level`` says which file it was.
    """
    path = Path(path)
    frame = read_hdx(path, FTS_COLUMNS, FTS_REQUIRED)
    file = frame.attrs["path"]
    if text(frame["countryCode"]).isna().all() and text(frame["country"]).isna().all():
        raise DataError(f"{Path(file).name} names no country",
                        [Problem(file, None, "countryCode", None,
                                 "needs a countryCode (ISO3) or country column")])
    frame = keep_afghanistan(frame, "countryCode", names="country")
    level = _level(frame, path)
    year = parse_numbers(frame, "year", integer=True)
    start = parse_dates(frame, "startDate", required=False)
    end = parse_dates(frame, "endDate", required=False)
    from_year = pd.to_datetime(year.astype("string") + "-01-01", errors="coerce")
    start = start.fillna(from_year).astype("datetime64[ns]")
    end = end.fillna(from_year + pd.offsets.YearEnd(0)).astype("datetime64[ns]")
    base = pd.DataFrame(index=frame.index)
    base["province_code"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    base["period_start"] = start
    base["period_end"] = end
    base["appeal"] = text(frame["name"])
    base["appeal_code"] = text(frame["code"])
    kind = text(frame["typeName"])
    base["category"] = kind.where(~kind.str.fullmatch(r"\d+").fillna(False).astype(bool))
    base["level"] = level
    if level in ("cluster", "global cluster"):
        base["sector"] = normalise_clusters(frame["cluster"], year)
    # every number at once, so one file's problems are reported together
    problems: list[Problem] = []
    values = {}
    for column in ("requirements", "funding", "percentFunded"):
        try:
            values[column] = parse_numbers(frame, column, minimum=None)
        except DataError as exc:
            problems.extend(exc.problems)
    raise_problems(f"{path.name}: bad numbers", problems)
    parts = []
    for indicator, (column, unit) in INDICATORS.items():
        part = base.copy()
        part["indicator"] = indicator
        part["value"] = values[column].astype("float64")
        part["unit"] = unit
        part["flag"] = pd.Series(pd.NA, index=part.index, dtype="str").where(
            ~part["value"].lt(0).fillna(False), NEGATIVE_FLAG)
        parts.append(part)
    out = pd.concat(parts)
    out = out[~(out["indicator"].eq("funding_pct") & out["value"].isna())]
    out["geography"] = geography(out["province_code"])
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = frame.attrs["sha256"]
    layout = {"plan": "fts_requirements_funding", "cluster": "fts_requirements_funding_cluster",
              "global cluster": "fts_requirements_funding_globalcluster",
              "covid-19": "fts_requirements_funding_covid"}[level]
    valid = validate_indicators(out, file=file)
    flagged = int(out["flag"].notna().sum())
    if flagged:
        log.info("%s: %d negative amount(s) kept and flagged", path.name, flagged)
    valid.attrs = {"path": file, "sha256": frame.attrs["sha256"], "layout": layout,
                   "dropped": dict(frame.attrs.get("dropped") or {})}
    return valid


def _hxl(*tags: str) -> frozenset[str]:
    return frozenset(t.lower() for t in tags)


LAYOUTS = [
    Layout("fts_requirements_funding", "indicators",
           frozenset({"countrycode", "id", "name", "code", "startdate", "enddate", "year",
                      "requirements", "funding", "percentfunded"}),
           read, "OCHA FTS requirements and funding per appeal (HDX)"),
    Layout("fts_requirements_funding_cluster", "indicators",
           frozenset({"countrycode", "id", "name", "code", "typeid", "typename", "startdate",
                      "enddate", "year", "clustercode", "cluster", "requirements", "funding"}),
           read, "OCHA FTS requirements and funding per appeal and cluster (HDX)"),
    Layout("fts_requirements_funding_globalcluster", "indicators",
           frozenset({"countrycode", "id", "name", "code", "startdate", "enddate", "year",
                      "clustercode", "cluster", "requirements", "funding"}),
           read, "OCHA FTS requirements and funding per appeal and global cluster (HDX)"),
    Layout("fts_requirements_funding_basic", "indicators",
           frozenset({"countrycode", "id", "name", "code", "startdate", "enddate", "year",
                      "requirements", "funding"}),
           read, "OCHA FTS requirements and funding per appeal without percentFunded "
                 "(the COVID-19 file)"),
    Layout("fts_requirements_funding_hxl", "indicators",
           _hxl("#activity+appeal+name", "#value+funding+required+usd",
                "#value+funding+total+usd"),
           read, "OCHA FTS requirements and funding recognised by their HXL tags"),
]
