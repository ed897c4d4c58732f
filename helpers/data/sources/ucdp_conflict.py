"""UCDP conflict-level data: Battle-Related Deaths (dyad-years) and UCDP/PRIO ACD (conflict-years).

Two layouts, as UCDP releases them (columns as in the codebooks):

* **Battle-Related Deaths, dyadic** (``BattleDeaths_v24_1.csv``): one row per dyad and
  year with ``bd_best`` / ``bd_low`` / ``bd_high`` battle-related deaths. Read by
  :func:`read_battle_deaths` into the :data:`~helpers.data.schemas.DYAD_YEARS` table.
* **UCDP/PRIO Armed Conflict Dataset** (``UcdpPrioConflict_v25_1.csv``): one row per
  conflict and year, ``side_b`` listing every opposition actor active that year ("AFF,
  NRF") and ``intensity_level`` 1 (25-999 battle-related deaths) or 2 (1,000 or more).
  Read by :func:`read_conflicts` into :data:`~helpers.data.schemas.CONFLICT_YEARS`, one row
  per conflict, year and opponent. ``side_b_id`` is not used: the release lists names and
  ids in different orders, so they cannot be paired by position.

Only rows whose location includes Afghanistan are kept (others are counted in
``attrs["dropped"]``). Every opponent is resolved through the actor registry
(``data/curated/actors.csv``, UCDP spellings): ``opponent`` is the canonical actor,
``opponent_side`` its side; names the registry does not know keep their own spelling with
side ``other`` and are listed in ``attrs["unknown_actors"]``.

Which government? UCDP writes "Government of Afghanistan" for whoever governs Kabul. The
``government`` column says which one a row means, from 2002 on (earlier rows: NA):

* 2002-2020: ``republic`` (the Islamic Republic); 2022 on: ``taliban`` (the Taliban-led
  state, from 15 August 2021);
* 2021 spans the takeover, so it depends on the opponent: the Taliban fought the Republic
  (``republic``); the anti-Taliban resistance (NRF, AFF) fought the Taliban-led state
  (``taliban``); anyone else (Islamic State, Pakistan) fought both within the year
  (``both``) — the year's deaths cannot be split between the two governments.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers.data.reference import actors
from helpers.data.schemas import validate_conflict_years, validate_dyad_years
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import parse_numbers, read_hdx, text
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

AFGHAN_GOVERNMENT = "Government of Afghanistan"
#: First and last year of the Islamic Republic as UCDP's "Government of Afghanistan".
REPUBLIC_YEARS = (2002, 2020)
TAKEOVER_YEAR = 2021
#: In 2021, which government an opponent of each side fought (see the module docstring).
GOVERNMENT_2021 = {"taliban": "republic", "resistance": "taliban"}

BRD_COLUMNS: dict[str, tuple[str, ...]] = {
    c: () for c in ("conflict_id", "dyad_id", "location_inc", "side_a", "side_b", "year",
                    "bd_best", "bd_low", "bd_high", "type_of_conflict", "version")}
BRD_REQUIRED = ("conflict_id", "dyad_id", "side_a", "side_b", "year", "bd_best", "bd_low",
                "bd_high")

ACD_COLUMNS: dict[str, tuple[str, ...]] = {
    c: () for c in ("conflict_id", "location", "side_a", "side_b", "year", "intensity_level",
                    "type_of_conflict", "incompatibility", "version")}
ACD_REQUIRED = ("conflict_id", "location", "side_a", "side_b", "year", "intensity_level")


def government(year: pd.Series, side_a: pd.Series, opponent_side: pd.Series) -> pd.Series:
    """Which government "Government of Afghanistan" means in each row (see the docstring)."""
    afghan = text(side_a).eq(AFGHAN_GOVERNMENT).fillna(False)
    out = pd.Series(pd.NA, index=year.index, dtype="str")
    years = year.astype("Int64")
    out[afghan & years.between(*REPUBLIC_YEARS).fillna(False)] = "republic"
    out[afghan & years.gt(TAKEOVER_YEAR).fillna(False)] = "taliban"
    in_2021 = afghan & years.eq(TAKEOVER_YEAR).fillna(False)
    out[in_2021] = opponent_side[in_2021].map(GOVERNMENT_2021).fillna("both")
    return out


def _resolve(names: pd.Series, years: pd.Series) -> tuple[pd.Series, pd.Series, list[str]]:
    """Canonical actor and side of each opponent name (UCDP spellings, mid-year date)."""
    dates = pd.to_datetime(years.astype("Int64").astype("string") + "-07-01", errors="coerce")
    resolved = actors.resolve_actors(names.reset_index(drop=True),
                                     pd.Series(dates.to_numpy()), "ucdp")
    unknown = sorted({str(n) for n in resolved.attrs.get("unknown", [])})
    actor = pd.Series(resolved["actor"].to_numpy(), index=names.index, dtype="str")
    side = pd.Series(resolved["side"].to_numpy(), index=names.index, dtype="str")
    return actor, side, unknown


def _afghan_rows(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows whose location names Afghanistan; the others are counted, not silently lost."""
    location = text(frame[column]).fillna("")
    keep = location.str.contains("Afghanistan", case=False, regex=False)
    out = frame[keep].copy()
    out.attrs = {**frame.attrs, "dropped": {"outside_afghanistan": int((~keep).sum())}
                 if (~keep).any() else {}}
    if out.empty:
        raise DataError(f"{Path(frame.attrs['path']).name}: no row is located in Afghanistan",
                        [Problem(frame.attrs["path"], None, column, None,
                                 "no row names Afghanistan in its location")])
    return out


def _finish(out: pd.DataFrame, frame: pd.DataFrame, unknown: list[str], layout: str,
            validate) -> pd.DataFrame:
    out["version"] = text(frame["version"]).reindex(out.index).fillna("unknown")
    out["source_file"] = frame.attrs["path"]
    out["source_sha256"] = frame.attrs["sha256"]
    valid = validate(out, file=frame.attrs["path"])
    valid.attrs = {"path": frame.attrs["path"], "sha256": frame.attrs["sha256"],
                   "layout": layout, "dropped": dict(frame.attrs.get("dropped") or {}),
                   "unknown_actors": unknown}
    return valid


def read_battle_deaths(path: str | Path) -> pd.DataFrame:
    """UCDP Battle-Related Deaths (dyadic) CSV -> one row per dyad-year located in Afghanistan."""
    frame = _afghan_rows(read_hdx(path, BRD_COLUMNS, BRD_REQUIRED), "location_inc")
    year = parse_numbers(frame, "year", integer=True, required=True, minimum=1946)
    side_b = text(frame["side_b"])
    opponent, side, unknown = _resolve(side_b, year)
    out = pd.DataFrame(index=frame.index)
    out["conflict_id"] = text(frame["conflict_id"])
    out["dyad_id"] = text(frame["dyad_id"])
    out["year"] = year
    out["side_a"] = text(frame["side_a"])
    out["side_b"] = side_b
    out["opponent"] = opponent
    out["opponent_side"] = side
    out["government"] = government(year, frame["side_a"], side)
    for col in ("bd_best", "bd_low", "bd_high"):
        out[col] = parse_numbers(frame, col, integer=True, required=True)
    out["type_of_conflict"] = parse_numbers(frame, "type_of_conflict", integer=True)
    out["location"] = text(frame["location_inc"])
    return _finish(out, frame, unknown, "ucdp_battle_deaths", validate_dyad_years)


def read_conflicts(path: str | Path) -> pd.DataFrame:
    """UCDP/PRIO Armed Conflict Dataset CSV -> one row per conflict, year and opponent."""
    frame = _afghan_rows(read_hdx(path, ACD_COLUMNS, ACD_REQUIRED), "location")
    year = parse_numbers(frame, "year", integer=True, required=True, minimum=1946)
    intensity = parse_numbers(frame, "intensity_level", integer=True, required=True)
    base = pd.DataFrame(index=frame.index)
    base["conflict_id"] = text(frame["conflict_id"])
    base["year"] = year
    base["side_a"] = text(frame["side_a"])
    base["side_b"] = text(frame["side_b"])
    base["intensity_level"] = intensity
    base["type_of_conflict"] = parse_numbers(frame, "type_of_conflict", integer=True)
    base["incompatibility"] = parse_numbers(frame, "incompatibility", integer=True)
    base["location"] = text(frame["location"])
    long = base.assign(opponent_as_written=base["side_b"].str.split(",")).explode(
        "opponent_as_written")
    long["opponent_as_written"] = long["opponent_as_written"].str.strip()
    long = long[long["opponent_as_written"].fillna("").ne("")]
    opponent, side, unknown = _resolve(long["opponent_as_written"], long["year"])
    long["opponent"] = opponent
    long["opponent_side"] = side
    long["government"] = government(long["year"], long["side_a"], side)
    long = long.drop(columns=["opponent_as_written"])
    long.index.name = "row"  # exploded rows keep their file row number
    return _finish(long, frame, unknown, "ucdp_acd", validate_conflict_years)


LAYOUTS = [
    Layout("ucdp_battle_deaths", "dyad_years",
           frozenset({"conflict_id", "dyad_id", "side_a", "side_b", "year", "bd_best", "bd_low",
                      "bd_high"}),
           read_battle_deaths,
           "UCDP Battle-Related Deaths, dyadic (dyad-years with best / low / high deaths)"),
    Layout("ucdp_acd", "conflict_years",
           frozenset({"conflict_id", "location", "side_a", "side_b", "year", "intensity_level",
                      "type_of_conflict", "ep_end"}),
           read_conflicts,
           "UCDP/PRIO Armed Conflict Dataset (conflict-years with intensity level)"),
]
