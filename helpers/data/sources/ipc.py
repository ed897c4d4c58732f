"""IPC acute food insecurity country files (HDX "<Country>: Acute Food Insecurity Country
Data"), wide and long, at national, level-1 and area level -> indicators.

Long (``ipc_afg_area_long.csv`` ...)::

    Date of analysis, Country, Total country population, [Level 1], [Area],
    Validity period, From, To, Phase, Number, Percentage

Wide (``ipc_afg_area_wide.csv`` ...): the same keys, then for each of ``Current``,
``First projection`` and ``Second projection``: ``<P> from``, ``<P> to``,
``Population analyzed <p>``, and ``Phase <x> number <p>`` / ``Phase <x> percentage <p>``
for x in 3+, 1 … 5. Both carry an HXL row under the header; exports seen in the wild add
a BOM, padded headers, thousands separators and blank lines above the header.

What :func:`read` returns, in HDX HAPI's food-security vocabulary (so one analysis reads
both): ``ipc_population_in_phase`` (people) and ``ipc_fraction_in_phase`` (0..1) per
province (or national), ``ipc_phase`` (``all`` = population analysed, 1 … 5, ``3+``),
``ipc_type`` (current, first projection, second projection), the validity period, and
``source_date`` = the date of analysis. ``level`` says where a row comes from: national,
province, or area.

**Areas roll up into their province, never drop out.** Afghanistan's analyses split
some provinces into the province proper and ``<Province> Urban`` (or clusters such as
``Nangarhar c_3``). HDX HAPI leaves such units out; here they are added to their province
(numbers summed, fractions recomputed from the sums), so Kabul keeps Kabul Urban's people.
When a file holds national rows as well, the national figure is compared with the sum of
its provinces and a difference is written into the national row's ``note``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from helpers.data.reference import gazetteer
from helpers.data.schemas import validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    geography,
    parse_dates,
    parse_numbers,
    raise_problems,
    text,
)
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

SOURCE = "IPC acute food insecurity analysis (IPC Global Platform), via HDX"
PROJECTIONS = {"current": "current", "first projection": "first projection",
               "second projection": "second projection", "projected": "first projection",
               "second_projected": "second projection"}
PHASES = ("all", "1", "2", "3", "4", "5", "3+")
#: Area names that are a part of a province: "<Province> Urban", "<Province> Rural",
#: "<Province> c_3", "<Province> cluster 3", "<Province> (1)".
_PART = re.compile(r"\s+(?:urban|rural|c[_ ]?\d+|cluster\s*\d+|\(\d+\))\s*$", re.IGNORECASE)

_HEADERS = {"date": "date of analysis", "country": "country",
            "population": "total country population", "level1": "level 1", "area": "area",
            "validity": "validity period", "from": "from", "to": "to", "phase": "phase",
            "number": "number", "percentage": "percentage"}


def _rename(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical names for the key columns, compared stripped and lower-cased."""
    lookup = {v: k for k, v in _HEADERS.items()}
    renamed = {c: lookup.get(" ".join(str(c).split()).lower(), c) for c in frame.columns}
    out = frame.rename(columns=renamed)
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = {new: old for old, new in renamed.items()}
    return out


def _wide_to_long(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (area, projection, phase) from a wide file."""
    names = {" ".join(str(c).split()).lower(): c for c in frame.columns}
    keys = [c for c in ("date", "country", "population", "level1", "area") if c in frame]
    parts = []
    for label in ("current", "first projection", "second projection"):
        start, end = names.get(f"{label} from"), names.get(f"{label} to")
        if start is None or end is None:
            continue
        for phase in PHASES:
            number = names.get("population analyzed " + label if phase == "all"
                               else f"phase {phase} number {label}")
            if number is None:
                continue
            pct = names.get(f"phase {phase} percentage {label}")
            part = frame[keys].copy()
            part["validity"] = label
            part["from"] = frame[start]
            part["to"] = frame[end]
            part["phase"] = phase
            part["number"] = frame[number]
            part["percentage"] = frame[pct] if pct is not None else "1" if phase == "all" \
                else pd.NA
            parts.append(part)
    if not parts:
        raise DataError(f"{Path(frame.attrs['path']).name}: no '<Current> from' / "
                        "'Phase … number …' columns",
                        [Problem(frame.attrs["path"], None, None, None,
                                 "not an IPC wide file")])
    out = pd.concat(parts)
    out.index.name = "row"
    out.attrs = dict(frame.attrs)
    return out


def _province(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(ISO code, level) per row: national when Level 1 and Area are both blank; else the
    province of Level 1, or of the Area with its part ("Urban", "c_3") taken off."""
    blank = pd.Series(pd.NA, index=frame.index, dtype="str")
    level1 = text(frame["level1"]) if "level1" in frame else blank
    area = text(frame["area"]) if "area" in frame else blank
    name = level1.fillna(area.str.replace(_PART, "", regex=True))
    level = pd.Series("province", index=frame.index, dtype="str")
    level = level.mask(name.isna(), "national")
    is_part = area.str.contains(_PART).fillna(False).astype(bool)
    level = level.mask(level1.isna() & is_part, "area")
    codes = gazetteer.resolve_provinces(name.tolist(), file=frame.attrs.get("path"),
                                        rows=list(frame.index))
    return pd.Series(list(codes), index=frame.index, dtype="str"), level


def _number(frame: pd.DataFrame, column: str, percent: bool = False) -> pd.Series:
    """A numeric column (thousands separators allowed; "40%" for a percentage)."""
    values = frame[column].astype("str").str.strip()
    pct = values.str.endswith("%").fillna(False).astype(bool)
    probe = pd.DataFrame({column: values.str.rstrip("%") if percent else values},
                         index=frame.index)
    probe.attrs = {"path": frame.attrs.get("path"),
                   "columns": {column: (frame.attrs.get("columns") or {}).get(column, column)}}
    out = parse_numbers(probe, column).astype("float64")
    return out.where(~pct, out / 100) if percent else out


def read(path: str | Path, *, breakdown: bool = False, sectors: bool = False
         ) -> pd.DataFrame:
    """An IPC country file (wide or long, national / level 1 / area) -> indicators."""
    path = Path(path)
    file = str(path)
    frame = _rename(_read_loose(path))
    wide = "phase" not in frame.columns
    long = _wide_to_long(frame) if wide else frame
    # the index stays the file's row number (a wide row gives many long rows), so every
    # problem names the row an analyst can find
    problems: list[Problem] = []

    def attempt(fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except DataError as exc:
            problems.extend(exc.problems)
            return None

    found = attempt(_province, long)
    number = attempt(_number, long, "number")
    fraction = attempt(_number, long, "percentage", percent=True)
    start = attempt(parse_dates, long, "from", required=False)
    end = attempt(parse_dates, long, "to", required=False)
    validity = text(long["validity"]).str.lower().map(PROJECTIONS)
    for row in long.index[validity.isna() & text(long["validity"]).notna()]:
        problems.append(Problem(file, int(row), "Validity period", long.loc[row, "validity"],
                                "must be current, first projection or second projection"))
    phase = text(long["phase"]).str.lower().str.replace("p3+", "3+", regex=False)
    for row in long.index[~phase.isin(PHASES) & phase.notna()]:
        problems.append(Problem(file, int(row), "Phase", long.loc[row, "phase"],
                                f"must be one of {', '.join(PHASES)}"))
    if fraction is not None:
        for row in long.index[fraction.gt(1).fillna(False).astype(bool)]:
            problems.append(Problem(file, int(row), "Percentage", long.loc[row, "percentage"],
                                    "a share of the population must be at most 1 (100%)"))
    raise_problems(f"{path.name}: problems in an IPC file", problems)
    codes, level = found
    base = pd.DataFrame({
        "province_code": codes.to_numpy(), "level": level.to_numpy(),
        "ipc_type": validity.to_numpy(), "ipc_phase": phase.to_numpy(),
        "period_start": start.astype("datetime64[ns]").to_numpy(),
        "period_end": end.astype("datetime64[ns]").to_numpy(),
        "source_date": (text(long["date"]) if "date" in long
                        else pd.Series(pd.NA, index=long.index)).to_numpy(),
        "value": number.to_numpy()})
    base = base[base["value"].notna()]
    out = _roll_up(base)
    out["geography"] = geography(out["province_code"])
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = long.attrs.get("sha256")
    out.index = pd.RangeIndex(1, len(out) + 1, name="row")
    valid = validate_indicators(out, file=file)
    valid.attrs = {"path": file, "sha256": long.attrs.get("sha256"),
                   "layout": "ipc_wide" if wide else "ipc_long", "dropped": {}}
    return valid


#: What identifies one figure: place, projection, phase, validity, analysis.
KEYS = ["province_code", "ipc_type", "ipc_phase", "period_start", "period_end", "source_date"]


def _roll_up(base: pd.DataFrame) -> pd.DataFrame:
    """Province figures (areas summed into their province), national figures checked
    against the sum of their provinces, and fractions recomputed from the sums."""
    national = base[base["level"].eq("national")]
    parts = base[~base["level"].eq("national")].assign(
        _area=lambda f: f["level"].eq("area"))
    summed = (parts.groupby(KEYS, dropna=False, sort=False)
              .agg(value=("value", "sum"), _area=("_area", "any")).reset_index())
    summed["level"] = "province"
    summed["note"] = pd.Series(pd.NA, index=summed.index, dtype="str").where(
        ~summed["_area"], "includes urban or cluster areas of the province")
    summed = summed.drop(columns="_area")
    national = national.assign(note=pd.Series(pd.NA, index=national.index, dtype="str"))
    if len(national) and len(summed):
        totals = summed.groupby(KEYS[1:], dropna=False)["value"].sum()
        for i in national.index:
            key = tuple(national.loc[i, KEYS[1:]])
            if key in totals.index and abs(totals[key] - national.loc[i, "value"]) > 0.5:
                national.loc[i, "note"] = (
                    f"the provinces in this file add up to {totals[key]:,.0f}, not "
                    f"{national.loc[i, 'value']:,.0f}")
    pop = pd.concat([national, summed], ignore_index=True)
    pop["indicator"] = "ipc_population_in_phase"
    pop["unit"] = "people"
    group = ["province_code", "ipc_type", "period_start", "period_end", "source_date"]
    whole = pop[pop["ipc_phase"].eq("all")].set_index(group)["value"]
    whole = whole[~whole.index.duplicated()]
    denominator = whole.reindex(pd.MultiIndex.from_frame(pop[group])).to_numpy()
    frac = pop.assign(indicator="ipc_fraction_in_phase", unit="fraction",
                      value=pop["value"].to_numpy() / denominator)
    frac = frac[pd.notna(denominator) & (denominator > 0)]
    return pd.concat([pop, frac], ignore_index=True)


def _read_loose(path: Path) -> pd.DataFrame:
    """The file as text columns with stripped headers, Afghanistan's rows only (IPC
    headers vary by level and by how many projections an analysis has)."""
    from helpers._io import sha256_file
    from helpers.data.sources._csv import read_table

    table = read_table(path)
    table.columns = [" ".join(str(c).split()) for c in table.columns]
    table.attrs.update({"path": str(path), "sha256": sha256_file(path)})
    if "Country" in table.columns:
        country = text(table["Country"]).str.upper()
        keep = country.isna() | country.isin(["AFG", "AF", "AFGHANISTAN"])
        table = table[keep.fillna(True).astype(bool)]
    return table


LAYOUTS = [
    Layout("ipc_long", "indicators",
           frozenset({"date of analysis", "country", "total country population",
                      "validity period", "from", "to", "phase", "number", "percentage"}),
           read, "IPC acute food insecurity country file, long (HDX)"),
    Layout("ipc_wide", "indicators",
           frozenset({"date of analysis", "country", "total country population",
                      "current from", "current to", "population analyzed current",
                      "phase 3+ number current"}),
           read, "IPC acute food insecurity country file, wide (HDX)"),
]
