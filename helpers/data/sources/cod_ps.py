"""OCHA Common Operational Dataset, population statistics (COD-PS), admin 1 -> indicators.

The file OCHA publishes on HDX for Afghanistan (``afg_admpop_adm1_2021_v2``)::

    Admin0_Name, Admin0_Code, Admin1_Name, Admin1_Code, F_TL, M_TL, T_TL,
    F_00_04, M_00_04, T_00_04, ..., F_80Plus, M_80Plus, T_80Plus

with an HXL tag row second (``#adm1+code``, ``#population+f`` ...), headers padded with
spaces and, in some releases, thousands separators in the numbers. Provinces are joined by
their OCHA p-code (``AF01`` .. ``AF34``), never by name.

Each province becomes one ``population`` indicator row (people, ``category`` "total");
``breakdown=True`` adds the rows by sex ("female", "male") and by sex and age band ("f
00_04", "t 80plus" ...). The rows overlap: never sum across categories. The file has no
national row; the national population is the sum of the 34 totals, and the reader checks
that each province's total equals its female plus male counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers._io import sha256_file
from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout, read_table
from helpers.data.sources._hdx import (
    geography,
    parse_numbers,
    provinces_from_pcodes,
    raise_problems,
)
from helpers.errors import DataError, Problem

SOURCE = "NSIA / OCHA Common Operational Dataset, population statistics (COD-PS)"
#: The estimate's reference year; the file's name says 2021 (NSIA's 2021-22 estimates).
YEAR_PATTERN = re.compile(r"(20\d\d)")
_BAND = re.compile(r"^([FMT])_(\d\d_\d\d|\d\dplus|TL)$", re.IGNORECASE)


def read(path: str | Path, *, breakdown: bool = False, sectors: bool = False,
         year: int | None = None) -> pd.DataFrame:
    """COD-PS admin-1 CSV -> ``population`` indicator rows, one per province (see above).

    ``year`` is the reference year of the estimate (default: the first 20xx in the file
    name; 2021 for the shipped file). ``sectors`` is accepted for a uniform signature.
    """
    path = Path(path)
    raw = read_table(path)
    raw.columns = [c.strip() for c in raw.columns]
    file = str(path)
    by_lower = {c.lower(): c for c in raw.columns}
    missing = [c for c in ("admin1_code", "f_tl", "m_tl", "t_tl") if c not in by_lower]
    if missing:
        raise DataError(f"{path.name} lacks COD-PS column(s): {', '.join(missing)}",
                        [Problem(file, None, c, None, "required column is missing")
                         for c in missing])
    if year is None:
        found = YEAR_PATTERN.search(path.stem)
        if not found:
            raise DataError(f"{path.name}: the file name gives no year; pass year=",
                            [Problem(file, None, None, path.name, "no 20xx in the file name")])
        year = int(found.group(1))
    bands = [c for c in raw.columns if _BAND.match(c)]
    frame = raw.rename(columns={by_lower["admin1_code"]: "admin1_code",
                                **({by_lower["admin1_name"]: "admin1_name"}
                                   if "admin1_name" in by_lower else {})})
    frame.attrs = {**raw.attrs, "path": file, "sha256": sha256_file(path),
                   "columns": {c: c for c in frame.columns}}
    codes = provinces_from_pcodes(frame, "admin1_code",
                                  names="admin1_name" if "admin1_name" in frame else None)
    numbers = {c: parse_numbers(frame, c, integer=True, required=True) for c in bands}
    f_tl, m_tl, t_tl = (numbers[by_lower[k]] for k in ("f_tl", "m_tl", "t_tl"))
    bad = (f_tl + m_tl).ne(t_tl).fillna(False)
    raise_problems(f"{path.name}: province totals differ from female + male",
                   [Problem(file, int(r), by_lower["t_tl"], int(t_tl[r]),
                            f"female + male = {int(f_tl[r] + m_tl[r]):,}")
                    for r in frame.index[bad]])
    dup = codes.duplicated(keep=False)
    raise_problems(f"{path.name}: a province appears twice",
                   [Problem(file, int(r), "Admin1_Code", frame.at[r, "admin1_code"],
                            "province listed more than once") for r in frame.index[dup]])
    parts = []
    for column in bands:
        sex, band = _BAND.match(column).groups()
        if band.upper() == "TL":
            category = {"T": "total", "F": "female", "M": "male"}[sex.upper()]
        else:
            category = f"{sex.lower()} {band.lower()}"
        if category != "total" and not breakdown:
            continue
        part = pd.DataFrame(index=frame.index)
        part["province_code"] = codes
        part["category"] = category
        part["value"] = numbers[column].astype("float64")
        parts.append(part)
    out = pd.concat(parts).sort_index(kind="stable")
    out.index.name = "row"
    out["indicator"] = "population"
    out["geography"] = geography(out["province_code"])
    out["period_start"] = pd.Timestamp(f"{year}-01-01")
    out["period_end"] = pd.Timestamp(f"{year}-12-31")
    out["unit"] = "people"
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = frame.attrs["sha256"]
    valid = validate_indicators(out, file=file)
    valid.attrs = {"path": file, "sha256": frame.attrs["sha256"], "layout": "cod_ps_adm1",
                   "dropped": {}}
    return valid


LAYOUTS = [
    Layout("cod_ps_adm1", "indicators",
           frozenset({"admin1_code", "f_tl", "m_tl", "t_tl"}), read,
           "OCHA COD-PS population by province (admin 1), by sex and age"),
]
