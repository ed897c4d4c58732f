"""HNO people-in-need exports from OCHA's Humanitarian Programme Cycle tools -> indicators.

Two published shapes (HDX "Afghanistan: Humanitarian Needs"):

* the HPC API CSV::

      Admin 1 PCode, Admin 1 Name, Admin 2 PCode, Admin 2 Name, Description, Cluster,
      Category, Population, In Need, Targeted, Affected, Reached, Info

* the HXL-tagged table (HXL row under the header)::

      Admin 1 PCode, Admin 2 PCode, Sector, Gender, Age Range, Min Age, Max Age,
      Disabled, Population Group, Population, In Need, Targeted, Affected, Reached

National rows (no admin-1 p-code), cluster rows and category rows (a population group,
a sex, an age range ...) sit together in one file. What :func:`read` returns, per place
and figure (``people_in_need``, ``people_targeted``, ``people_affected``,
``people_reached``, ``population``):

* by default only the **totals**: the overall (intersectoral) figure of each place with
  no breakdown; district rows are summed to their province where the file has no
  province row (the province figure always wins);
* ``breakdown=True`` adds the category rows (``category`` says which); they overlap and
  never sum to the total;
* ``sectors=True`` adds the cluster rows (``sector``); clusters overlap (one person can
  need health and water): OCHA's overall figure is the intersectoral one.

These exports carry no dates: the plan year is taken from the file name
(``..._2024_...``) when it has one; otherwise the period stays empty and the rows say so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    parse_numbers,
    provinces_from_pcodes,
    raise_problems,
    read_hdx,
    roll_up_admin2,
    text,
)
from helpers.data.sources.hapi import _finish
from helpers.errors import DataError, Problem

SOURCE = "OCHA Humanitarian Needs Overview (HPC tools export), via HDX"

#: Figure columns -> indicator names (the same as HDX HAPI's population statuses).
FIGURES = {"In Need": "people_in_need", "Targeted": "people_targeted",
           "Affected": "people_affected", "Reached": "people_reached",
           "Population": "population"}
#: Words that mean "no breakdown" / "all sectors" in these exports.
ALL = {"", "all", "total", "overall", "intersectoral", "inter-sectoral", "inter sectoral"}

API_COLUMNS: dict[str, tuple[str, ...]] = {
    "Admin 1 PCode": ("#adm1+code",), "Admin 1 Name": ("#adm1+name",),
    "Admin 2 PCode": ("#adm2+code",), "Admin 2 Name": ("#adm2+name",),
    "Description": ("#description",), "Cluster": ("#sector",), "Category": ("#category",),
    **{k: () for k in FIGURES}, "Info": ("#meta+info",),
}
HXL_COLUMNS: dict[str, tuple[str, ...]] = {
    "Admin 1 PCode": ("#adm1+code",), "Admin 2 PCode": ("#adm2+code",),
    "Sector": ("#sector",), "Gender": ("#gender",), "Age Range": ("#age+range",),
    "Min Age": ("#age+min",), "Max Age": ("#age+max",), "Disabled": ("#disabled",),
    "Population Group": ("#population_group",),
    "Population": ("#population",), "In Need": ("#inneed",), "Targeted": ("#targeted",),
    "Affected": ("#affected",), "Reached": ("#reached",),
}
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _is_all(series: pd.Series) -> pd.Series:
    return text(series).fillna("").str.casefold().str.strip().isin(ALL)


def _period(path: Path, index: pd.Index) -> tuple[pd.Series, pd.Series, str | None]:
    found = _YEAR.search(path.stem)
    if not found:
        nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        return nat, nat, "no plan year in the file or its name"
    year = int(found.group(1))
    return (pd.Series(pd.Timestamp(year, 1, 1), index=index, dtype="datetime64[ns]"),
            pd.Series(pd.Timestamp(year, 12, 31), index=index, dtype="datetime64[ns]"), None)


def _read(path: str | Path, columns: dict, sector_col: str, category_cols: list[str],
          layout: str, *, breakdown: bool, sectors: bool) -> pd.DataFrame:
    path = Path(path)
    frame = read_hdx(path, columns, ("Admin 1 PCode", "In Need"))
    file = frame.attrs["path"]
    attrs = dict(frame.attrs)
    is_inter = _is_all(frame[sector_col])
    named = pd.DataFrame({c: (c.lower() + ": " + text(frame[c])).where(~_is_all(frame[c]))
                          for c in category_cols}, index=frame.index)
    labels = named.apply(lambda r: "; ".join(v for v in r if isinstance(v, str)) or None,
                         axis=1).astype("str")
    is_total = labels.isna()
    keep = pd.Series(True, index=frame.index)
    if not breakdown:
        keep &= is_total
    if not sectors:
        keep &= is_inter
    keep = keep.astype(bool)
    frame = frame[keep]
    frame.attrs = attrs
    level = pd.Series(0, index=frame.index).mask(text(frame["Admin 1 PCode"]).notna(), 1)
    level = level.mask(text(frame["Admin 2 PCode"]).notna(), 2)
    problems: list[Problem] = []
    try:
        province = provinces_from_pcodes(frame, "Admin 1 PCode",
                                         names="Admin 1 Name" if "Admin 1 Name" in frame
                                         else None, needed=level.ge(1))
    except DataError as exc:
        problems.extend(exc.problems)
        province = pd.Series(pd.NA, index=frame.index, dtype="str")
    values = {}
    for column, indicator in FIGURES.items():
        try:
            values[indicator] = parse_numbers(frame, column)
        except DataError as exc:
            problems.extend(exc.problems)
    raise_problems(f"{path.name}: problems in an HNO export", problems)
    start, end, missing_year = _period(path, frame.index)
    parts_out = []
    for indicator, value in values.items():
        part = pd.DataFrame(index=frame.index)
        part["province_code"] = province
        part["admin_level"] = level
        part["period_start"] = start
        part["period_end"] = end
        part["indicator"] = indicator
        part["value"] = value.astype("float64")
        part["unit"] = "people"
        part["sector"] = text(frame[sector_col]).where(~is_inter[keep], "Intersectoral")
        part["category"] = labels[keep].where(~is_total[keep], "total").astype("str")
        parts_out.append(part[part["value"].notna()])
    out = pd.concat(parts_out).sort_index(kind="stable")
    out.index.name = "row"
    keys = ["indicator", "province_code", "sector", "category", "period_start", "period_end"]
    out = roll_up_admin2(out, keys, ["value"], file=file)
    note = pd.Series(pd.NA, index=out.index, dtype="str")
    note = note.where(~out["from_admin2"].astype(bool), "summed from its districts")
    if missing_year:
        note = note.fillna(missing_year)
    out["note"] = note
    out = _finish(out.drop(columns=["admin_level", "from_admin2"]), frame, SOURCE, layout)
    attrs = out.attrs
    valid = validate_indicators(out, file=file)
    valid.attrs = attrs
    return valid


def read_api(path: str | Path, *, breakdown: bool = False, sectors: bool = False
             ) -> pd.DataFrame:
    """The HPC API CSV (``Cluster``, ``Category``) -> indicators (module docstring)."""
    return _read(path, API_COLUMNS, "Cluster", ["Category"], "hno_hpc_api",
                 breakdown=breakdown, sectors=sectors)


def read_hxl(path: str | Path, *, breakdown: bool = False, sectors: bool = False
             ) -> pd.DataFrame:
    """The HXL-tagged table (``Sector``, ``Gender``, ``Age Range``, ``Disabled``,
    ``Population Group``) -> indicators (module docstring)."""
    return _read(path, HXL_COLUMNS, "Sector",
                 ["Gender", "Age Range", "Disabled", "Population Group"], "hno_hpc_hxl",
                 breakdown=breakdown, sectors=sectors)


LAYOUTS = [
    Layout("hno_hpc_api", "indicators",
           frozenset({"admin 1 pcode", "admin 2 pcode", "cluster", "category", "in need",
                      "targeted"}),
           read_api, "OCHA HNO people in need, HPC API export (Cluster, Category)"),
    Layout("hno_hpc_hxl", "indicators",
           frozenset({"admin 1 pcode", "admin 2 pcode", "sector", "gender", "age range",
                      "population group", "in need"}),
           read_hxl, "OCHA HNO people in need, HXL-tagged table (Sector, Gender, Age Range)"),
]
