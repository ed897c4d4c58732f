"""Readers for OCHA FTS funding *flows*: one row per contribution, not per appeal.

Two published shapes:

* the HDX file ``fts_incoming_funding_<iso3>.csv`` (HXL row under the header)::

      date, budgetYear, description, amountUSD, srcOrganization, srcOrganizationTypes,
      srcLocations, ..., destPlan, destPlanCode, destPlanId, destOrganization, ...,
      destGlobalClusters, ..., boundary, status, ..., id, refCode, createdAt, updatedAt

* the FTS website's "individual flows" export, a legacy ``.xls`` workbook with a
  ``Meta data`` sheet (what was searched) and an ``Export data`` sheet whose header sits
  below a few blank or title rows: ``Flow ID, Source org., Destination org., Description,
  Sector, Amount (US$), Amount shared on boundary, Funding status, Boundary``.

Each flow becomes one indicator row ``flow_usd`` (USD, national, ``level`` "flow"):
``donor`` the source organisation, ``appeal`` / ``appeal_code`` the destination plan,
``sector`` the destination cluster(s), ``category`` the funding status (paid,
commitment, pledge), ``record_id`` FTS's flow id. Negative amounts (refunds,
adjustments) load with ``flag``. Flows are a different granularity from appeal totals:
they are never added to them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers._io import sha256_file
from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._excel import sheet_names, sheet_rows
from helpers.data.sources._hdx import (
    geography,
    parse_dates,
    parse_numbers,
    raise_problems,
    read_hdx,
    text,
)
from helpers.data.sources.fts import NEGATIVE_FLAG
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

SOURCE = "OCHA Financial Tracking Service (FTS), funding flows"

FLOW_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("#date",),
    "budgetYear": ("#date+year+budget",),
    "description": ("#description+notes",),
    "amountUSD": ("#value+funding+total+usd",),
    "srcOrganization": ("#org+name+funder",),
    "srcLocations": ("#country+iso3+funder+list",),
    "destPlan": ("#activity+appeal+name+impl",),
    "destPlanCode": ("#activity+appeal+id+external+impl",),
    "destOrganization": ("#org+name+impl",),
    "destGlobalClusters": ("#sector+cluster+name+impl+list",),
    "destLocations": ("#country+iso3+impl+list",),
    "boundary": ("#financial+direction",),
    "status": ("#status+text",),
    "id": ("#activity+id+fts_internal",),
}
FLOW_REQUIRED = ("date", "amountUSD", "srcOrganization", "id")

#: Headers of the website export's "Export data" sheet (compared lower-cased, spaces folded).
EXPORT_SHEET = "Export data"
EXPORT_HEADERS = {"flow id": "id", "source org.": "srcOrganization",
                  "destination org.": "destOrganization", "description": "description",
                  "sector": "destGlobalClusters", "amount (us$)": "amountUSD",
                  "amount shared on boundary": "shared", "funding status": "status",
                  "boundary": "boundary"}
EXPORT_REQUIRED = ("flow id", "source org.", "amount (us$)")


def _flows(base: pd.DataFrame, amount: pd.Series, file: str, sha: str,
           layout: str) -> pd.DataFrame:
    out = base.copy()
    out["indicator"] = "flow_usd"
    out["value"] = amount.astype("float64")
    out["unit"] = "USD"
    out["level"] = "flow"
    out["province_code"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["geography"] = geography(out["province_code"])
    out["flag"] = pd.Series(pd.NA, index=out.index, dtype="str").where(
        ~out["value"].lt(0).fillna(False), NEGATIVE_FLAG)
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = sha
    out.index.name = "row"
    valid = validate_indicators(out, file=file)
    valid.attrs = {"path": file, "sha256": sha, "layout": layout, "dropped": {}}
    return valid


def read_incoming(path: str | Path, *, breakdown: bool = False, sectors: bool = False
                  ) -> pd.DataFrame:
    """HDX ``fts_incoming_funding`` CSV -> one ``flow_usd`` indicator row per flow."""
    frame = read_hdx(path, FLOW_COLUMNS, FLOW_REQUIRED)
    file = frame.attrs["path"]
    problems: list[Problem] = []
    try:
        when = parse_dates(frame, "date")
    except DataError as exc:
        problems.extend(exc.problems)
        when = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    try:
        amount = parse_numbers(frame, "amountUSD", required=True, minimum=None)
    except DataError as exc:
        problems.extend(exc.problems)
        amount = pd.Series(float("nan"), index=frame.index)
    raise_problems(f"{Path(file).name}: bad values", problems)
    base = pd.DataFrame(index=frame.index)
    base["period_start"] = when.astype("datetime64[ns]")
    base["period_end"] = when.astype("datetime64[ns]")
    base["donor"] = text(frame["srcOrganization"])
    base["appeal"] = text(frame["destPlan"])
    base["appeal_code"] = text(frame["destPlanCode"])
    base["sector"] = text(frame["destGlobalClusters"])
    base["category"] = text(frame["status"])
    base["record_id"] = text(frame["id"])
    base["note"] = text(frame["description"])
    return _flows(base, amount, file, frame.attrs["sha256"], "fts_incoming_funding")


def _cell(value: object) -> str | None:
    """A spreadsheet cell as the text it shows: whole numbers without ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(value: object) -> str:
    return " ".join(str(value or "").split()).lower()


def read_export(path: str | Path, *, breakdown: bool = False, sectors: bool = False
                ) -> pd.DataFrame:
    """The FTS website's individual-flows export (.xls or .xlsx; header below blank rows)
    -> one ``flow_usd`` indicator row per flow. The export has no dates: the flows keep
    no period (the ``Meta data`` sheet says what was searched)."""
    path = Path(path)
    file = str(path)
    rows = sheet_rows(path, EXPORT_SHEET)
    header_at = next((i for i, row in enumerate(rows)
                      if {_norm(c) for c in row} >= set(EXPORT_REQUIRED)), None)
    if header_at is None:
        seen = next((", ".join(str(c) for c in row if c) for row in rows if any(row)), "")
        raise DataError(f"{path.name}: no flows header in sheet {EXPORT_SHEET!r}",
                        [Problem(file, None, None, seen[:200],
                                 f"expected a header row with {', '.join(EXPORT_REQUIRED)}")])
    names = [EXPORT_HEADERS.get(_norm(c), _norm(c) or f"column {j + 1}")
             for j, c in enumerate(rows[header_at])]
    body = [r for r in rows[header_at + 1:] if any(v not in (None, "") for v in r)]
    frame = pd.DataFrame(body, columns=names).astype("object")
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame = frame.map(_cell).astype("str")
    frame = frame.where(frame.ne("None"))
    frame.attrs = {"path": file, "columns": {v: k for k, v in EXPORT_HEADERS.items()}}
    amount = parse_numbers(frame, "amountUSD", required=True, minimum=None)
    base = pd.DataFrame(index=frame.index)
    base["period_start"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    base["period_end"] = base["period_start"]
    base["donor"] = text(frame["srcOrganization"])
    base["appeal"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    base["sector"] = text(frame["destGlobalClusters"]) if "destGlobalClusters" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="str")
    base["category"] = text(frame["status"]) if "status" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="str")
    base["record_id"] = text(frame["id"])
    note = text(frame["description"]) if "description" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="str")
    if "shared" in frame:
        shared = text(frame["shared"])
        note = note.fillna("").str.cat(
            ("amount shared on boundary: " + shared).where(shared.notna(), ""), sep=" · "
        ).str.strip(" ·").replace("", pd.NA)
    base["note"] = note
    searched = [", ".join(str(c) for c in r if c) for r in sheet_rows(path, "Meta data")
                if any(r)] if "Meta data" in sheet_names(path) else []
    if searched:
        log.info("%s: FTS export of %s", path.name, "; ".join(searched[:4]))
    return _flows(base, amount, file, sha256_file(path), "fts_flows_export")


LAYOUTS = [
    Layout("fts_incoming_funding", "indicators",
           frozenset({"date", "budgetyear", "amountusd", "srcorganization", "destplan",
                      "destplancode", "status", "id"}),
           read_incoming, "OCHA FTS incoming funding flows, one row per flow (HDX)"),
    Layout("fts_flows_export", "indicators", frozenset({"sheet:export data", "sheet:meta data"}),
           read_export, "OCHA FTS website export of individual flows (.xls, 'Export data' sheet)"),
]
