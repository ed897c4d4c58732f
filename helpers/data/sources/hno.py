"""OCHA's Humanitarian Needs Overview people-in-need (PiN) workbook -> indicators.

The workbook OCHA Afghanistan publishes on HDX with each HNO (``afg_hno_pin_2024.xlsx``)
holds a ``SUMMARY_<year>`` sheet with two tables under merged header rows:

* "1.1 Overall people in need": one row per cluster (Education in Emergencies, Health,
  ..., Water, Sanitation & Hygiene) and a ``Total`` row, the overall (intersectoral)
  people in need;
* "1.2 People in need by province": one row per province (OCHA spellings: Hilmand, Hirat,
  Panjsher ...) and a ``Total`` row.

Columns of both: people in need by population group (A. internally displaced, B.
cross-border returnees, C. shock-affected non-displaced, D. refugees and asylum seekers),
by location (urban, rural), shares by sex, age and disability, and ``Total``. The figures
are Excel formulas; the values Excel cached are read. Other sheets (one per cluster, the
district table, a 2021-era "Summary COVID-Non-COVID" sheet holding ``#REF!`` errors) are
not read.

What :func:`read` returns (indicator ``people_in_need``, people, the HNO's year):

* one row per province (``category`` "total", ``sector`` "Intersectoral") and one national
  row from the province table's ``Total``; the national figure is checked against the sum
  of the provinces (a difference is written in the national row's ``note``);
* ``breakdown=True`` adds urban / rural and the four population groups as categories.
  Population groups are not exhaustive (people in need who are none of the four are only
  in the total), so they never sum to the total;
* ``sectors=True`` adds the national figure of each cluster (``sector`` = the cluster).
  Cluster figures overlap (one person can need health and water): never sum them; OCHA's
  overall figure is the intersectoral total.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from helpers._io import sha256_file
from helpers.data.reference import gazetteer
from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._excel import sheet_names, sheet_rows
from helpers.errors import DataError, Problem, UnknownProvinceError

log = logging.getLogger(__name__)

SOURCE = "OCHA Afghanistan, Humanitarian Needs Overview people-in-need workbook"
SUMMARY = re.compile(r"^summary_(\d{4})$", re.IGNORECASE)
CLUSTER_TABLE = "1.1 overall people in need"
PROVINCE_TABLE = "1.2 people in need by province"

#: Header text (lower-cased, spaces folded) -> category of the breakdown.
BREAKDOWN_COLUMNS = {
    "a. internally displaced people": "internally displaced people",
    "b. cross-border returnees": "cross-border returnees",
    "c. shock-affected non-displaced": "shock-affected non-displaced people",
    "d. refugees & asylum seekers": "refugees and asylum seekers",
    "urban": "urban",
    "rural": "rural",
}
#: Absolute difference (people) between the national total and the sum of the provinces
#: above which the national row gets a note (the workbook's figures are fractional).
TOLERANCE = 1.0


def _fold(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().lower()


def _table(rows: list[tuple], title: str, file: str, sheet: str) -> tuple[dict, list]:
    """(column index by header, [(excel row number, label, cells)]) of one titled table."""
    start = next((i for i, r in enumerate(rows) if r and _fold(r[0]) == title), None)
    if start is None:
        raise DataError(f"{Path(file).name}: sheet {sheet} has no table '{title}'",
                        [Problem(file, None, sheet, None, f"table '{title}' not found")])
    head = next((i for i in range(start + 1, min(start + 6, len(rows)))
                 if rows[i] and _fold(rows[i][0]) == "cluster"), None)
    if head is None:
        raise DataError(f"{Path(file).name}: table '{title}' has no header row",
                        [Problem(file, start + 1, sheet, None, "no 'Cluster' header row")])
    columns = {_fold(c): j for j, c in enumerate(rows[head]) if c is not None}
    missing = [c for c in (*BREAKDOWN_COLUMNS, "total") if c not in columns]
    if missing:
        raise DataError(f"{Path(file).name}: table '{title}' lacks column(s) {missing}",
                        [Problem(file, head + 1, c, None, "required column is missing")
                         for c in missing])
    body = []
    for i in range(head + 1, len(rows)):
        label = rows[i][0] if rows[i] else None
        if label is None:
            if body and body[-1][1].lower() == "total":
                break
            continue
        body.append((i + 1, str(label).strip(), rows[i]))
        if _fold(label) == "total":
            break
    if not body or body[-1][1].lower() != "total":
        raise DataError(f"{Path(file).name}: table '{title}' has no Total row",
                        [Problem(file, head + 1, sheet, None, "no 'Total' row below the table")])
    return columns, body


def _number(value: object, file: str, row: int, column: str, problems: list) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            problems.append(Problem(file, row, column, value, "people in need cannot be negative"))
        return float(value)
    problems.append(Problem(file, row, column, value,
                            "not a number (an Excel error or text where a figure belongs)"))
    return float("nan")


def read(path: str | Path, *, breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """HNO PiN workbook -> ``people_in_need`` indicator rows (see the module docstring)."""
    path = Path(path)
    file = str(path)
    summary = next((s for s in sheet_names(path) if SUMMARY.match(s.strip())), None)
    if summary is None:
        raise DataError(f"{path.name} has no SUMMARY_<year> sheet",
                        [Problem(file, None, None, ", ".join(sheet_names(path)),
                                 "the HNO workbook's SUMMARY_<year> sheet is missing")])
    year = int(SUMMARY.match(summary.strip()).group(1))
    rows = sheet_rows(path, summary)
    problems: list[Problem] = []
    records = []
    columns, body = _table(rows, PROVINCE_TABLE, file, summary)
    names = [label for _, label, _ in body[:-1]]
    try:
        codes = list(gazetteer.resolve_provinces(
            pd.Series(names, dtype="string"), file=file,
            rows=[row for row, _, _ in body[:-1]]))
    except UnknownProvinceError as exc:
        problems += exc.problems
        codes = [None] * len(names)
    wanted = {**BREAKDOWN_COLUMNS, "total": "total"}
    for (row, label, cells), code in zip(body, [*codes, None], strict=True):
        for header, category in wanted.items():
            if category != "total" and not breakdown:
                continue
            value = _number(cells[columns[header]], file, row, header, problems)
            records.append({"row": row, "province_code": code, "category": category,
                            "sector": "Intersectoral", "value": value, "label": label})
    if sectors:
        columns, clusters = _table(rows, CLUSTER_TABLE, file, summary)
        for row, label, cells in clusters[:-1]:
            value = _number(cells[columns["total"]], file, row, "total", problems)
            records.append({"row": row, "province_code": None, "category": "total",
                            "sector": label, "value": value, "label": label})
    if problems:
        raise DataError(f"{path.name}: {len(problems)} problem(s) in sheet {summary}", problems)
    out = pd.DataFrame.from_records(records).set_index("row")
    out["note"] = pd.Series(pd.NA, index=out.index, dtype="str")
    totals = out[out["category"].eq("total") & out["sector"].eq("Intersectoral")]
    provinces_sum = totals.loc[totals["province_code"].notna(), "value"].sum()
    national = totals.loc[totals["province_code"].isna(), "value"]
    gap = float(national.iloc[0]) - provinces_sum
    if abs(gap) > TOLERANCE:
        log.warning("%s: the national total differs from the sum of the provinces by %.0f",
                    path.name, gap)
        is_national = (out["province_code"].isna() & out["category"].eq("total")
                       & out["sector"].eq("Intersectoral"))
        out.loc[is_national, "note"] = (f"the provinces sum to {provinces_sum:,.0f}; the "
                                        f"workbook's national total differs by {gap:,.0f}")
    out = out.drop(columns=["label"])
    out["province_code"] = out["province_code"].astype("str")
    out["geography"] = out["province_code"].where(out["province_code"].notna(), "national")
    out["indicator"] = "people_in_need"
    out["period_start"] = pd.Timestamp(f"{year}-01-01")
    out["period_end"] = pd.Timestamp(f"{year}-12-31")
    out["unit"] = "people"
    out["source"] = f"{SOURCE} {year}"
    out["source_file"] = file
    out["source_sha256"] = sha256_file(path)
    valid = validate_indicators(out, file=file)
    valid.attrs = {"path": file, "sha256": out["source_sha256"].iloc[0],
                   "layout": "hno_pin_workbook", "dropped": {},
                   "national_minus_provinces": gap}
    return valid


LAYOUTS = [
    Layout("hno_pin_workbook", "indicators",
           frozenset({"sheet:summary_<year>", "sheet:total"}), read,
           "OCHA HNO people-in-need workbook (.xlsx, SUMMARY_<year> sheet)"),
]
