"""Readers for HDX HAPI CSV exports: humanitarian needs, food security (IPC), conflict events.

HDX HAPI (the Humanitarian API of OCHA's Humanitarian Data Exchange) publishes each theme as
one global CSV with the same location columns (``location_code, has_hrp, in_gho,
provider_admin1_name, ..., admin1_code, admin1_name, admin2_code, admin2_name,
admin_level``) and the same period and metadata columns (``reference_period_start,
reference_period_end, dataset_hdx_id, resource_hdx_id, warning, error``). Some carry an
HXL hashtag row; the food-security file may start with a UTF-8 byte-order mark.

What each reader returns (all Afghanistan only; other countries are counted in
``attrs["dropped"]``; rows HAPI flags in its ``error`` column are left out with a warning):

* :func:`read_needs` — Humanitarian Needs Overview figures as indicators
  ``population`` / ``people_affected`` / ``people_in_need`` / ``people_targeted`` /
  ``people_reached`` (HAPI ``population_status`` all / AFF / INN / TGT / REA).

  - *Totals, not breakdowns.* Each figure comes once undivided (``category`` empty, or
    ``total`` at district level) and again broken down by overlapping categories
    ("Children", "Children - Female", "Elderly", "People with Disabilities", ...).
    Summing all rows counts people several times, so only the totals are returned unless
    ``breakdown=True``; the ``category`` column says ``total`` or names the breakdown.
  - *Intersectoral, not sectors.* HAPI's sector ``Intersectoral`` (HPC's ``ALL``) is the
    overall figure; per-sector figures (Health, Protection, ...) overlap too. OCHA's HAPI
    guide says not to sum across sectors and to use the intersectoral figure for people in
    need across all sectors. Only intersectoral rows are returned unless ``sectors=True``;
    the ``sector`` column says ``Intersectoral`` or the sector's name.

* :func:`read_food_security` — IPC acute food insecurity: ``ipc_population_in_phase``
  (people) and ``ipc_fraction_in_phase`` (0..1), with ``ipc_phase`` (1..5, ``3+``, ``all``
  = the analysed population) and ``ipc_type`` (current / first projection / second
  projection). Phases overlap (``3+`` = 3 + 4 + 5): never sum across them.

* :func:`read_conflict_events` — ACLED monthly counts per admin area as the
  conflict-aggregate table (see :mod:`helpers.data.catalog`), never as events.

District (admin-2) rows are summed to their province only where the file has no province
row for the same indicator, breakdown and period (see
:func:`helpers.data.sources._hdx.roll_up_admin2`); such rows are marked (``note`` for
indicators, ``from_admin2`` for aggregates). National rows have no province
(``geography == "national"``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_aggregates, validate_indicators
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    HAPI_LOCATION_TAGS,
    geography,
    hapi_flags,
    keep_afghanistan,
    parse_choice,
    parse_dates,
    parse_numbers,
    provinces_from_pcodes,
    raise_problems,
    read_hdx,
    roll_up_admin2,
    text,
)
from helpers.errors import Problem

#: HAPI ``population_status`` -> indicator name.
POPULATION_STATUS = {
    "all": "population",
    "AFF": "people_affected",
    "INN": "people_in_need",
    "TGT": "people_targeted",
    "REA": "people_reached",
}

#: ``category`` values that mean "not broken down" (empty cells count too).
TOTAL_CATEGORIES = ("total", "all")

#: ``sector_code`` values of the intersectoral (overall) figure.
INTERSECTORAL = ("intersectoral", "all")

IPC_PHASES = ("1", "2", "3", "4", "5", "3+", "all")
IPC_TYPES = ("current", "first projection", "second projection")
CONFLICT_EVENT_TYPES = ("political_violence", "civilian_targeting", "demonstration")

SOURCE_NEEDS = "OCHA Humanitarian Needs Overview (HPC), via HDX HAPI"
SOURCE_IPC = "IPC acute food insecurity analysis, via HDX HAPI"
SOURCE_CONFLICT = "ACLED monthly aggregates, via HDX HAPI"

NEEDS_COLUMNS: dict[str, tuple[str, ...]] = {
    **HAPI_LOCATION_TAGS,
    "sector_code": ("#sector+code", "#sector+cluster+code"),
    "sector_name": ("#sector+name", "#sector+cluster+name"),
    "category": ("#category",),
    # HAPI publishes no HXL row for this file; these two are recognised by header only.
    "population_status": (),
    "population": (),
}
NEEDS_REQUIRED = ("location_code", "admin1_code", "sector_code", "category",
                  "population_status", "population", "reference_period_start",
                  "reference_period_end")

IPC_COLUMNS: dict[str, tuple[str, ...]] = {
    **HAPI_LOCATION_TAGS,
    "ipc_phase": ("#severity+v_ipc",),
    "ipc_type": ("#period+v_ipc",),
    "population_in_phase": ("#affected+num",),
    "population_fraction_in_phase": ("#affected+pct",),
}
IPC_REQUIRED = ("location_code", "admin1_code", "ipc_phase", "ipc_type", "population_in_phase",
                "reference_period_start", "reference_period_end")

CONFLICT_COLUMNS: dict[str, tuple[str, ...]] = {
    **HAPI_LOCATION_TAGS,
    "event_type": ("#event+type",),
    "events": ("#indicator+event+num", "#event+num"),
    "fatalities": ("#affected+killed", "#fatality+num"),
}
CONFLICT_REQUIRED = ("location_code", "admin1_code", "event_type", "events",
                     "reference_period_start", "reference_period_end")

_ROLLED_NOTE = "sum of district (admin-2) figures: the file has no province figure"


def _afghan_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return hapi_flags(keep_afghanistan(frame, "location_code"))


def _admin_level(frame: pd.DataFrame) -> pd.Series:
    """0 national, 1 province, 2 district: from ``admin_level``, else from the codes given."""
    derived = pd.Series(0, index=frame.index, dtype="Int64")
    derived[text(frame["admin1_code"]).notna()] = 1
    derived[text(frame["admin2_code"]).notna()] = 2
    given = parse_numbers(frame, "admin_level", integer=True)
    bad = given.notna() & ~given.isin([0, 1, 2])
    raise_problems("unexpected admin levels",
                   [Problem(frame.attrs.get("path"), int(r), "admin_level", given[r],
                            "admin_level must be 0, 1 or 2") for r in frame.index[bad]])
    return given.fillna(derived).astype("Int64")


def _base(frame: pd.DataFrame) -> pd.DataFrame:
    """Province, admin level and period of every row (the columns all HAPI files share)."""
    level = _admin_level(frame)
    out = pd.DataFrame(index=frame.index)
    out["province_code"] = provinces_from_pcodes(frame, "admin1_code", names="admin1_name",
                                                 needed=level.ge(1))
    out["period_start"] = parse_dates(frame, "reference_period_start")
    out["period_end"] = parse_dates(frame, "reference_period_end")
    out["admin_level"] = level
    return out


def _finish(out: pd.DataFrame, frame: pd.DataFrame, source: str, layout: str) -> pd.DataFrame:
    out = out.copy()
    out["geography"] = geography(out["province_code"])
    out["source"] = source
    out["source_file"] = frame.attrs["path"]
    out["source_sha256"] = frame.attrs["sha256"]
    out.attrs = {"path": frame.attrs["path"], "sha256": frame.attrs["sha256"],
                 "layout": layout, "dropped": dict(frame.attrs.get("dropped") or {})}
    return out


def _indicators(out: pd.DataFrame, frame: pd.DataFrame, source: str, layout: str
                ) -> pd.DataFrame:
    if "from_admin2" in out.columns:
        out["note"] = pd.Series(pd.NA, index=out.index, dtype="str").where(
            ~out["from_admin2"].astype(bool), _ROLLED_NOTE)
        out = out.drop(columns=["from_admin2"])
    if "_flag" in frame.columns and "flag" not in out.columns:
        out["flag"] = frame["_flag"].reindex(out.index).astype("str")
    out = _finish(out.drop(columns=["admin_level"]), frame, source, layout)
    attrs = out.attrs
    valid = validate_indicators(out, file=frame.attrs["path"])
    valid.attrs = attrs
    return valid


def _subset(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    out = frame[keep.astype(bool)].copy()
    out.attrs = dict(frame.attrs)
    return out


# -------------------------------------------------------------------------------- needs


def read_needs(path: str | Path, *, breakdown: bool = False, sectors: bool = False
               ) -> pd.DataFrame:
    """HDX HAPI humanitarian needs CSV -> indicator table (see the module docstring).

    ``breakdown``: also return the rows broken down by ``category`` (they overlap: never
    sum them). ``sectors``: also return per-sector figures (they overlap too).
    """
    frame = _afghan_rows(read_hdx(path, NEEDS_COLUMNS, NEEDS_REQUIRED))
    category = text(frame["category"])
    is_total = (category.isna() | category.str.casefold().isin(TOTAL_CATEGORIES)).astype(bool)
    code = text(frame["sector_code"])
    name = text(frame["sector_name"])
    is_inter = (code.str.casefold().isin(INTERSECTORAL).fillna(False)
                | name.str.casefold().eq("intersectoral").fillna(False)).astype(bool)
    keep = pd.Series(True, index=frame.index)
    if not breakdown:
        keep &= is_total
    if not sectors:
        keep &= is_inter
    frame = _subset(frame, keep)
    is_total, is_inter = is_total[keep], is_inter[keep]
    out = _base(frame)
    out["indicator"] = parse_choice(frame, "population_status", POPULATION_STATUS)
    out["value"] = parse_numbers(frame, "population", required=True).astype("float64")
    out["unit"] = "people"
    sector = name[keep].fillna(code[keep])
    out["sector"] = sector.where(~is_inter, "Intersectoral").astype("str")
    out["category"] = category[keep].where(~is_total, "total").astype("str")
    keys = ["indicator", "province_code", "sector", "category", "period_start", "period_end"]
    out = roll_up_admin2(out, keys, ["value"],
                         file=frame.attrs["path"])
    return _indicators(out, frame, SOURCE_NEEDS, "hapi_humanitarian_needs")


# -------------------------------------------------------------------------- food security


def read_food_security(path: str | Path, *, breakdown: bool = False, sectors: bool = False
                       ) -> pd.DataFrame:
    """HDX HAPI food security (IPC) CSV -> indicator table.

    Two indicators per row: ``ipc_population_in_phase`` (people) and, where the file gives
    it, ``ipc_fraction_in_phase`` (0..1). District rows summed to a province get their
    fraction recomputed as population in phase / population of phase ``all`` (HAPI's own
    definition). ``breakdown`` and ``sectors`` are accepted for a uniform reader
    signature and have no effect here.
    """
    frame = _afghan_rows(read_hdx(path, IPC_COLUMNS, IPC_REQUIRED))
    base = _base(frame)
    base["ipc_phase"] = parse_choice(frame, "ipc_phase", {p: p for p in IPC_PHASES})
    base["ipc_type"] = parse_choice(frame, "ipc_type", {t: t for t in IPC_TYPES})
    pop = base.copy()
    pop["indicator"] = "ipc_population_in_phase"
    pop["value"] = parse_numbers(frame, "population_in_phase", required=True).astype("float64")
    pop["unit"] = "people"
    fraction = parse_numbers(frame, "population_fraction_in_phase").astype("float64")
    if fraction.gt(1).any():
        rows = frame.index[fraction.gt(1).fillna(False).astype(bool)]
        raise_problems("IPC fractions above 1",
                       [Problem(frame.attrs["path"], int(r), "population_fraction_in_phase",
                                fraction[r], "a fraction of the population must be <= 1")
                        for r in rows])
    frac = base[fraction.notna()].copy()
    frac["indicator"] = "ipc_fraction_in_phase"
    frac["value"] = fraction[fraction.notna()]
    frac["unit"] = "fraction"
    keys = ["indicator", "province_code", "ipc_phase", "ipc_type", "period_start", "period_end"]
    pop = roll_up_admin2(pop, keys, ["value"],
                         file=frame.attrs["path"])
    frac = frac[frac["admin_level"].ne(2).fillna(True).astype(bool)].copy()
    frac["from_admin2"] = False
    rolled = pop[pop["from_admin2"]]
    if len(rolled):
        period = ["province_code", "ipc_type", "period_start", "period_end"]
        whole = rolled[rolled["ipc_phase"].eq("all")].set_index(period)["value"]
        denominator = whole.reindex(pd.MultiIndex.from_frame(rolled[period])).to_numpy()
        recomputed = rolled.copy()
        recomputed["indicator"] = "ipc_fraction_in_phase"
        recomputed["unit"] = "fraction"
        recomputed["value"] = (rolled["value"].to_numpy() / denominator)
        recomputed["value"] = recomputed["value"].where(pd.notna(denominator) & (denominator > 0))
        frac = pd.concat([frac, recomputed])
    out = pd.concat([pop, frac]).sort_index(kind="stable")
    out.index.name = "row"
    return _indicators(out, frame, SOURCE_IPC, "hapi_food_security")


# ------------------------------------------------------------------------ conflict events


def read_conflict_events(path: str | Path) -> pd.DataFrame:
    """HDX HAPI conflict events CSV (ACLED monthly counts by admin area) -> aggregate table.

    ``event_type`` is ``political_violence``, ``civilian_targeting`` (a subset of political
    violence: never add the two) or ``demonstration`` (no fatalities: NA).
    """
    frame = _afghan_rows(read_hdx(path, CONFLICT_COLUMNS, CONFLICT_REQUIRED))
    out = _base(frame)
    out["event_type"] = parse_choice(frame, "event_type", {t: t for t in CONFLICT_EVENT_TYPES})
    out["events"] = parse_numbers(frame, "events", integer=True, required=True)
    out["fatalities"] = parse_numbers(frame, "fatalities", integer=True)
    out = roll_up_admin2(out, ["province_code", "event_type", "period_start", "period_end"],
                         ["events", "fatalities"],
                         file=frame.attrs["path"])
    out = _finish(out.drop(columns=["admin_level"]), frame, SOURCE_CONFLICT,
                  "hapi_conflict_events")
    attrs = out.attrs
    valid = validate_aggregates(out, file=frame.attrs["path"])
    valid.attrs = attrs
    return valid


# ------------------------------------------------------------------------------ funding

SOURCE_FUNDING = "OCHA Financial Tracking Service (FTS), via HDX HAPI"
FUNDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "location_code": ("#country+code",),
    "appeal_code": ("#activity+appeal+id+external",),
    "appeal_name": ("#activity+appeal+name",),
    "appeal_type": ("#activity+appeal+type+name",),
    "requirements_usd": ("#value+funding+required+usd",),
    "funding_usd": ("#value+funding+total+usd",),
    "funding_pct": ("#value+funding+pct",),
    "reference_period_start": ("#date+start",),
    "reference_period_end": ("#date+end",),
    "warning": ("#meta+warning",),
    "error": ("#meta+error",),
}
FUNDING_REQUIRED = ("location_code", "appeal_code", "appeal_name", "requirements_usd",
                    "funding_usd", "reference_period_start", "reference_period_end")
#: FTS's name for funding it could not attribute to an appeal.
NOT_SPECIFIED = "Not specified"


def read_funding(path: str | Path, *, breakdown: bool = False, sectors: bool = False
                 ) -> pd.DataFrame:
    """HDX HAPI funding CSV (OCHA FTS by appeal) -> indicator table, national.

    Three indicators per appeal: ``requirements_usd``, ``funding_usd`` and
    ``funding_pct`` (FTS's own percentage, which can exceed 100). "Not specified" rows
    (funding FTS could not attribute to an appeal) keep their funding and have no
    requirements (NA, not zero). ``appeal`` / ``appeal_code`` name the appeal,
    ``category`` its type (humanitarian response plan, flash appeal, ...). ``breakdown``
    and ``sectors`` are accepted for a uniform reader signature.
    """
    frame = _afghan_rows(read_hdx(path, FUNDING_COLUMNS, FUNDING_REQUIRED))
    base = pd.DataFrame(index=frame.index)
    base["province_code"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    base["period_start"] = parse_dates(frame, "reference_period_start")
    base["period_end"] = parse_dates(frame, "reference_period_end")
    base["appeal"] = text(frame["appeal_name"])
    base["appeal_code"] = text(frame["appeal_code"])
    base["category"] = text(frame["appeal_type"]).fillna(
        text(frame["appeal_code"]).where(text(frame["appeal_code"]).eq(NOT_SPECIFIED)))
    parts = []
    for indicator, column, unit in (("requirements_usd", "requirements_usd", "USD"),
                                    ("funding_usd", "funding_usd", "USD"),
                                    ("funding_pct", "funding_pct", "percent")):
        part = base.copy()
        part["indicator"] = indicator
        part["value"] = parse_numbers(frame, column).astype("float64")
        part["unit"] = unit
        parts.append(part)
    out = pd.concat(parts)
    out = out[~(out["indicator"].eq("funding_pct") & out["value"].isna())]
    out = out.sort_index(kind="stable")
    out.index.name = "row"
    out["admin_level"] = 0
    return _indicators(out, frame, SOURCE_FUNDING, "hapi_funding")


# ---------------------------------------------------------------------------- returnees

SOURCE_RETURNEES = "UNHCR Refugee Data Finder, via HDX HAPI"
RETURNEE_COLUMNS: dict[str, tuple[str, ...]] = {
    "origin_location_code": ("#country+code+origin",),
    "asylum_location_code": ("#country+code+asylum",),
    "population_group": ("#population_group",),
    "gender": ("#gender",),
    "age_range": ("#age+range",),
    "population": ("#population",),
    "reference_period_start": ("#date+start",),
    "reference_period_end": ("#date+end",),
    "warning": ("#meta+warning",),
    "error": ("#meta+error",),
}
RETURNEE_REQUIRED = ("origin_location_code", "population_group", "gender", "age_range",
                     "population", "reference_period_start", "reference_period_end")
#: UNHCR population groups of returnees -> indicator name.
RETURNEE_GROUPS = {"RET": "returned_refugees", "RDP": "returned_idps"}


def read_returnees(path: str | Path, *, breakdown: bool = False, sectors: bool = False
                   ) -> pd.DataFrame:
    """HDX HAPI returnees CSV (UNHCR) -> indicator table, national, people per year.

    ``returned_refugees`` (population group RET: refugees who came back to Afghanistan)
    and ``returned_idps`` (RDP: displaced people who went home). By default only the
    totals (gender ``all``, age ``all``); ``breakdown=True`` adds the rows by sex and age
    (``category`` "f 0-4", "m all" ...), which overlap: never sum them. Where a total
    differs from the sum of its female and male totals (people of unknown sex), the total
    row's ``note`` says so.
    """
    frame = read_hdx(path, RETURNEE_COLUMNS, RETURNEE_REQUIRED)
    frame = hapi_flags(keep_afghanistan(frame, "origin_location_code"))
    group = parse_choice(frame, "population_group",
                         {k: k for k in RETURNEE_GROUPS})
    gender = text(frame["gender"]).str.casefold()
    age = text(frame["age_range"]).str.casefold()
    out = pd.DataFrame(index=frame.index)
    out["province_code"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    out["period_start"] = parse_dates(frame, "reference_period_start")
    out["period_end"] = parse_dates(frame, "reference_period_end")
    out["indicator"] = group.map(RETURNEE_GROUPS)
    out["value"] = parse_numbers(frame, "population", required=True).astype("float64")
    out["unit"] = "people"
    is_total = gender.eq("all") & age.eq("all")
    out["category"] = (gender + " " + age).where(~is_total, "total")
    keys = ["indicator", "period_start"]
    by_sex = out[gender.isin(["f", "m"]) & age.eq("all")].groupby(keys)["value"].sum()
    totals = out[is_total].set_index(keys)["value"]
    gap = (totals - by_sex.reindex(totals.index)).dropna()
    notes = {k: (f"female and male totals sum to {by_sex[k]:,.0f}; the total includes "
                 f"{v:,.0f} people of unknown sex") for k, v in gap.items() if abs(v) >= 1}
    key = list(zip(out["indicator"], out["period_start"], strict=True))
    out["note"] = pd.Series([notes.get(k) if t else None for k, t in zip(key, is_total,
                                                                         strict=True)],
                            index=out.index, dtype="str")
    if not breakdown:
        out = out[is_total]
    out["admin_level"] = 0
    return _indicators(out, frame, SOURCE_RETURNEES, "hapi_returnees")


def _hxl(*tags: str) -> frozenset[str]:
    return frozenset(t.lower() for t in tags)


LAYOUTS = [
    Layout("hapi_humanitarian_needs", "indicators",
           frozenset({"location_code", "admin_level", "sector_code", "category",
                      "population_status", "population", "reference_period_start"}),
           read_needs, "HDX HAPI humanitarian needs (HNO people in need by sector/category)"),
    Layout("hapi_food_security", "indicators",
           frozenset({"location_code", "admin_level", "ipc_phase", "ipc_type",
                      "population_in_phase", "reference_period_start"}),
           read_food_security, "HDX HAPI food security (IPC phase populations)"),
    Layout("hapi_food_security_hxl", "indicators",
           _hxl("#country+code", "#adm1+code", "#severity+v_ipc", "#period+v_ipc",
                "#affected+num", "#date+start"),
           read_food_security, "HDX HAPI food security recognised by its HXL tags"),
    Layout("hapi_funding", "indicators",
           frozenset({"location_code", "appeal_code", "appeal_name", "requirements_usd",
                      "funding_usd", "reference_period_start"}),
           read_funding, "HDX HAPI funding (OCHA FTS requirements and funding by appeal)"),
    Layout("hapi_returnees", "indicators",
           frozenset({"origin_location_code", "asylum_location_code", "population_group",
                      "gender", "age_range", "population", "reference_period_start"}),
           read_returnees, "HDX HAPI returnees (UNHCR returned refugees and IDPs)"),
    Layout("hapi_conflict_events", "aggregates",
           frozenset({"location_code", "admin_level", "event_type", "events", "fatalities",
                      "reference_period_start"}),
           read_conflict_events, "HDX HAPI conflict events (ACLED monthly counts by area)"),
    Layout("hapi_conflict_events_hxl", "aggregates",
           _hxl("#country+code", "#adm1+code", "#event+type", "#date+start", "#date+end"),
           read_conflict_events, "HDX HAPI conflict events recognised by their HXL tags"),
]
