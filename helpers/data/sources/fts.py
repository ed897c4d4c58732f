"""Reader for OCHA FTS "requirements and funding" CSVs from HDX (plan level and by cluster).

The Financial Tracking Service publishes, per country, what each humanitarian appeal
(plan) asked for and what it received::

    countryCode, id, name, code, typeId, typeName, startDate, endDate, year,
    requirements, funding, percentFunded

with an HXL hashtag row under the header. The cluster file adds ``clusterCode, cluster``.
Older files use other headers (``Requirements``, ``Funding``, ``Percent Funded``; a
``country`` name instead of ``countryCode``); columns are recognised by header or by HXL
tag (:data:`FTS_COLUMNS`).

Each plan row becomes three indicators, all national (``geography == "national"``):
``funding_requirements`` (USD), ``funding_received`` (USD) and ``funding_percent_funded``
(percent; FTS's own figure, which can exceed 100). ``appeal`` / ``appeal_code`` name the
plan, ``sector`` the cluster.

Two traps handled here:

* **"Not specified" rows** — funding FTS could not attribute to a plan (or a cluster).
  Their requirements are blank: they stay NA (requirements unknown, not zero) and their
  funding is kept. Without a year they have no period (NaT).
* **Cluster names that change case between years** ("Emergency Shelter and NFI" /
  "Emergency shelter and NFI"): names equal up to case and spacing are merged under the
  spelling of the most recent year (:func:`normalise_clusters`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    geography,
    keep_afghanistan,
    parse_dates,
    parse_numbers,
    read_hdx,
    text,
)
from helpers.errors import DataError, Problem

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

#: indicator name -> (FTS column, unit)
INDICATORS = {
    "funding_requirements": ("requirements", "USD"),
    "funding_received": ("funding", "USD"),
    "funding_percent_funded": ("percentFunded", "percent"),
}


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


def read(path: str | Path, *, breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """FTS requirements-and-funding CSV (plan or cluster level) -> indicator table.

    ``breakdown`` and ``sectors`` are accepted for a uniform reader signature; a cluster
    file always returns its clusters (``sector`` column).
    """
    frame = read_hdx(path, FTS_COLUMNS, FTS_REQUIRED)
    file = frame.attrs["path"]
    if text(frame["countryCode"]).isna().all() and text(frame["country"]).isna().all():
        raise DataError(f"{Path(file).name} names no country",
                        [Problem(file, None, "countryCode", None,
                                 "needs a countryCode (ISO3) or country column")])
    frame = keep_afghanistan(frame, "countryCode", names="country")
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
    is_cluster_file = text(frame["cluster"]).notna().any()
    if is_cluster_file:
        base["sector"] = normalise_clusters(frame["cluster"], year)
    values = {"requirements": parse_numbers(frame, "requirements"),
              "funding": parse_numbers(frame, "funding"),
              "percentFunded": parse_numbers(frame, "percentFunded")}
    parts = []
    for indicator, (column, unit) in INDICATORS.items():
        part = base.copy()
        part["indicator"] = indicator
        part["value"] = values[column].astype("float64")
        part["unit"] = unit
        parts.append(part)
    out = pd.concat(parts)
    out["geography"] = geography(out["province_code"])
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = frame.attrs["sha256"]
    layout = "fts_requirements_funding_cluster" if is_cluster_file else "fts_requirements_funding"
    valid = validate_indicators(out, file=file)
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
           frozenset({"countrycode", "id", "name", "code", "startdate", "enddate", "year",
                      "clustercode", "cluster", "requirements", "funding", "percentfunded"}),
           read, "OCHA FTS requirements and funding per appeal and cluster (HDX)"),
    Layout("fts_requirements_funding_hxl", "indicators",
           _hxl("#activity+appeal+name", "#value+funding+required+usd",
                "#value+funding+total+usd"),
           read, "OCHA FTS requirements and funding recognised by their HXL tags"),
]
