"""The claims ledger: every claim of the analysis brief, checked on the best evidence loaded.

A curated claim (``data/curated/claims.csv``) carries an optional ``check`` in the grammar
of :mod:`helpers.data.curated` — ``METRIC(ARGS) COMPARATOR NUMBER`` — which says what
would make the claim true, and ``covers`` (``whole`` / ``part``) with ``untested``, what
the check leaves out. :func:`evaluate_claims` computes each metric on an
:class:`~helpers.data.catalog.Evidence` bundle and gives one verdict per claim:

* **supported** — the data show what the claim says (and the check covers all of it);
* **contradicted** — the data show otherwise;
* **partly** — the data confirm the part of the claim the check covers; ``untested``
  names the rest;
* **not testable with these data** — no dataset loaded can test it, or only the synthetic
  demo events could (they are calibrated to the brief, so a match there is true by
  construction and only shows that the check works). ``would_test`` says what would.

Every row says what was computed, in words ("UCDP counts 571 battle deaths in 2022 and 43
in 2023 ..."), and on which evidence (dataset, version, rows). The overview's ledger and
each theme notebook show rows of the same evaluation, so they never disagree.

Metrics on the event table: ``resistance_operations(START,END)``,
``resistance_provinces(START,END)``, ``events_on(DATE,PROVINCE,SIDE)``,
``fatalities(START,END,SIDE)``. On the shipped open data: ``battle_deaths(YEAR,ACTOR)`` and
``battle_deaths_change(YEAR1,YEAR2,ACTOR)`` (UCDP BRD, best estimates, the Afghan
government against ACTOR), ``conflict_active(YEAR,ACTOR)`` (UCDP/PRIO ACD: 1 when ACTOR is
listed as an active opponent), ``fara_registrations(START,END,TEXT)`` (FARA registrations
whose principal or registrant contains TEXT — alternatives separated by ``|`` — registered
in the period), ``people_in_need(YEAR)`` and ``people_in_need_group(YEAR,GROUP)`` (the HNO
workbook, else the best-ranked curated figure, never the brief's own),
``funding_coverage(YEAR1,YEAR2)`` (FTS: percent of response-plan and flash-appeal
requirements funded over those years).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.analysis._common import data_row
from helpers.analysis.humanitarian import APPEAL_TYPES, funding_by_year
from helpers.data import curated
from helpers.data.catalog import Evidence
from helpers.data.curated import EVENT_METRICS, ClaimCheck
from helpers.errors import DataError, Problem

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
PARTLY = "partly"
UNTESTABLE = "not testable with these data"
VERDICTS = (SUPPORTED, CONTRADICTED, PARTLY, UNTESTABLE)

#: Relative tolerance of the ``~`` comparator (defined with the grammar in helpers.data.curated).
APPROX_TOLERANCE = curated.APPROX_TOLERANCE
METRICS = curated.METRICS

#: The columns of the ledger, in the order a reader sees them.
LEDGER_COLUMNS = ("id", "theme", "statement", "speaker", "said_when", "verdict", "reason",
                  "computed", "evidence", "would_test", "check", "value")

SYNTHETIC_REASON = ("The loaded events are the synthetic demo set, calibrated to the brief: "
                    "a match there is true by construction and only shows that the check "
                    "works.")


@dataclass(frozen=True)
class Measure:
    """What a metric found: its value, the sentence saying it, the evidence it used.

    ``missing`` (instead of a value) says why the metric cannot be computed.
    """

    value: float | None
    words: str
    evidence: str
    missing: str | None = None
    synthetic: bool = False


def parse_check(text: object) -> ClaimCheck | None:
    """Parse one ``check`` cell; ``None`` for an empty cell; ``ValueError`` naming the fault."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return None
    return curated.parse_check(str(text))


def check_period(check: ClaimCheck) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the data must cover for ``check`` to be evaluated."""
    kinds = METRICS[check.metric]
    points = []
    for arg, kind in zip(check.args, kinds, strict=True):
        if kind == "date":
            points.append((pd.Timestamp(arg), pd.Timestamp(arg)))
        elif kind == "year":
            points.append((pd.Timestamp(f"{arg}-01-01"), pd.Timestamp(f"{arg}-12-31")))
    return min(p[0] for p in points), max(p[1] for p in points)


def format_check(check: ClaimCheck) -> str:
    """A parsed check written back in the grammar (normalised spacing)."""
    return f"{check.metric}({','.join(check.args)}) {check.comparator} {check.number:g}"


def _default_resolver(name: str) -> str:
    """Province name or code -> ISO code via the gazetteer."""
    if re.fullmatch(r"AF-[A-Za-z]{3}", name.strip()):
        return name.strip().upper()
    from helpers.data.reference.gazetteer import resolve_province

    return resolve_province(name)


# ----------------------------------------------------------------------------- evidence text

def _file(frame: pd.DataFrame) -> str:
    path = frame.attrs.get("path") or (frame["source_file"].iloc[0]
                                       if "source_file" in frame and len(frame) else "")
    return Path(str(path)).name


def _rows(index: pd.Index) -> str:
    rows = sorted({int(r) for r in index})
    if not rows:
        return "no rows"
    runs, start, prev = [], rows[0], rows[0]
    for r in rows[1:] + [None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if r is not None:
            start = prev = r
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(runs)


def _int(value: float) -> str:
    return f"{value:,.0f}"


# ----------------------------------------------------------------------------- event metrics

def _event_measure(check: ClaimCheck, events: pd.DataFrame | None,
                   resolve_province: Callable[[str], str]) -> Measure:
    if events is None or events.empty:
        return Measure(None, "", "", missing="no event data are loaded")
    synthetic = bool(events.attrs.get("synthetic"))
    dates = pd.to_datetime(events["event_date"]).dt.normalize()
    start, end = check_period(check)
    if not synthetic and (start < dates.min() or end > dates.max()):
        return Measure(None, "", "", missing=(
            f"the loaded events cover {dates.min().date()} to {dates.max().date()}; the "
            f"claim needs {start.date()} to {end.date()}"))
    side1 = events["side1"].astype("string")
    if check.metric == "events_on":
        day, province, side = check.args
        code = resolve_province(province)
        keep = ((dates == pd.Timestamp(day)) & (side1 == side)
                & (events["province_code"].astype("string") == code)).fillna(False)
        value = float(keep.sum())
        words = f"{value:g} event(s) with side '{side}' in {province} on {day}"
    else:
        in_period = ((dates >= start) & (dates <= end)).fillna(False)
        if check.metric == "fatalities":
            keep = in_period & (side1 == check.args[2]).fillna(False)
            value = float(pd.to_numeric(events.loc[keep, "fatalities"]).fillna(0).sum())
            words = (f"{_int(value)} fatalities in events of side '{check.args[2]}' from "
                     f"{start.date()} to {end.date()}")
        else:
            keep = in_period & (side1 == "resistance").fillna(False)
            if check.metric == "resistance_operations":
                value = float(keep.sum())
                words = (f"{_int(value)} resistance events from {start.date()} to "
                         f"{end.date()}")
            else:
                value = float(events.loc[keep, "province_code"].dropna().nunique())
                words = (f"resistance events in {value:g} provinces from {start.date()} to "
                         f"{end.date()}")
    names = ", ".join(Path(str(i.get("path", "?"))).name
                      for i in events.attrs.get("inputs") or []) or "events"
    kind = "synthetic demo events" if synthetic else "events"
    return Measure(value, words, f"{kind}: {names} ({_int(int(keep.sum()))} matching rows)",
                   synthetic=synthetic)


# ----------------------------------------------------------------------------- UCDP metrics

GOVERNMENT_WORDS = {"republic": "the Islamic Republic", "taliban": "the Taliban-led state",
                    "both": "the Republic and then the Taliban-led state"}


def _dyad_series(brd: pd.DataFrame, actor: str) -> pd.DataFrame:
    rows = brd[brd["opponent"].eq(actor).fillna(False)]
    return rows.sort_values("year")


def battle_deaths_words(brd: pd.DataFrame, actor: str, since: int | None = None) -> str:
    """Every year of UCDP's battle deaths between the Afghan government and ``actor``."""
    rows = _dyad_series(brd, actor)
    if since is not None:
        rows = rows[rows["year"] >= since]
    if rows.empty:
        return f"UCDP records no battle deaths between the Afghan government and {actor}"
    parts = []
    for rec in rows.itertuples(index=False):
        band = f" ({_int(rec.bd_low)}–{_int(rec.bd_high)})"
        who = GOVERNMENT_WORDS.get(rec.government, "the government")
        parts.append(f"{_int(rec.bd_best)} in {rec.year}{band}"
                     + (f" against {who}" if rec.government == "both" else ""))
    govs = {g for g in rows["government"].dropna() if g != "both"}
    against = GOVERNMENT_WORDS[govs.pop()] if len(govs) == 1 else "the Afghan government"
    version = rows["version"].iloc[0]
    return (f"UCDP (BRD {version}) counts battle deaths in the fighting between {against} "
            f"and {actor}: " + ", ".join(parts) + " (best estimate, low–high)")


def _ucdp_measure(check: ClaimCheck, ev: Evidence) -> Measure:
    metric, args = check.metric, check.args
    if metric in ("battle_deaths", "battle_deaths_change"):
        brd = ev.battle_deaths
        if brd is None or brd.empty:
            return Measure(None, "", "", missing="UCDP battle-related deaths are not loaded")
        years = [int(a) for a in args[:-1]]
        actor = args[-1]
        first, last = int(brd["year"].min()), int(brd["year"].max())
        version = brd["version"].iloc[0]
        outside = [y for y in years if not first <= y <= last]
        if outside:
            return Measure(None, "", "", missing=(
                f"UCDP BRD {version} covers {first}-{last}; {', '.join(map(str, outside))} "
                "is not in it"))
        series = _dyad_series(brd, actor)
        best = {int(y): float(v) for y, v in zip(series["year"], series["bd_best"],
                                                  strict=True)}
        values = [best.get(y, 0.0) for y in years]
        value = values[0] if metric == "battle_deaths" else values[1] - values[0]
        used = series[series["year"].isin(years)]
        words = battle_deaths_words(brd, actor, since=min(years) - 1)
        if metric == "battle_deaths_change":
            words += f"; from {years[0]} to {years[1]}: {value:+,.0f}"
        return Measure(value, words,
                       f"UCDP Battle-Related Deaths {version} ({_file(brd)}, "
                       f"{_rows(used.index)})")
    acd = ev.conflicts
    if acd is None or acd.empty:
        return Measure(None, "", "", missing="UCDP/PRIO armed conflict data are not loaded")
    year, actor = int(args[0]), args[1]
    first, last = int(acd["year"].min()), int(acd["year"].max())
    version = acd["version"].iloc[0]
    if not first <= year <= last:
        return Measure(None, "", "", missing=f"UCDP/PRIO ACD {version} covers {first}-{last}")
    rows = acd[acd["year"].eq(year) & acd["opponent"].eq(actor).fillna(False)]
    if rows.empty:
        words = f"UCDP/PRIO ACD {version} does not list {actor} as active in {year}"
        return Measure(0.0, words, f"UCDP/PRIO ACD {version} ({_file(acd)})")
    rec = rows.iloc[0]
    level = {1: "minor (25–999 battle deaths in the year)",
             2: "war (1,000 or more battle deaths)"}[int(rec["intensity_level"])]
    who = GOVERNMENT_WORDS.get(rec["government"], "the Afghan government")
    words = (f"UCDP/PRIO ACD {version} lists {actor} as an active opponent of {who} in "
             f"{year}, at intensity {level}")
    return Measure(1.0, words, f"UCDP/PRIO Armed Conflict Dataset {version} ({_file(acd)}, "
                               f"{_rows(rows.index)})")


# ----------------------------------------------------------------------------- FARA

def _fara_measure(check: ClaimCheck, ev: Evidence) -> Measure:
    fara = ev.registrations
    if fara is None:
        return Measure(None, "", "", missing="FARA registrations are not loaded")
    start, end, text = check.args
    pattern = "|".join(re.escape(t.strip()) for t in text.split("|") if t.strip())
    named = (fara["principal"].str.contains(pattern, case=False, regex=True)
             | fara["registrant"].str.contains(pattern, case=False, regex=True)).fillna(False)
    dated = fara["principal_registered"].between(pd.Timestamp(start), pd.Timestamp(end))
    rows = fara[named & dated]
    numbers = sorted(rows["registration_number"].unique(), key=int)
    parts = []
    for number in numbers:
        group = rows[rows["registration_number"] == number]
        principals = "; ".join(dict.fromkeys(group["principal"]))
        parts.append(f"No. {number} {group['registrant'].iloc[0]} (for {principals}, "
                     f"registered {group['principal_registered'].min():%Y-%m-%d})")
    words = (f"FARA records {len(numbers)} registration(s) from {start} to {end}"
             + (": " + "; ".join(parts) if parts else ""))
    return Measure(float(len(numbers)), words,
                   f"US DOJ FARA bulk data ({_file(fara)}, {_rows(rows.index)})")


# ----------------------------------------------------------------------------- HNO and FTS

def best_national(indicators: pd.DataFrame, indicator: str, year: int) -> pd.Series | None:
    """The most trusted national figure of ``indicator`` for ``year`` in a curated table.

    Publisher datasets beat official documents beat the press; the brief's own figures
    are never evidence for its claims. A revised figure (``supersedes``) wins over the one
    it revises; among equals the most recently published wins.
    """
    if indicators is None or indicators.empty:
        return None
    rows = indicators[indicators["indicator"].eq(indicator)
                      & indicators["geography"].eq("national")
                      & indicators["period_start"].dt.year.eq(year).fillna(False)]
    if "source_type" in rows:
        rows = rows[rows["source_type"].ne("brief").fillna(True)]
    if rows.empty:
        return None
    if "supersedes" in rows and "record_id" in rows:
        rows = rows[~rows["record_id"].isin(rows["supersedes"].dropna())]
    order = {t: i for i, t in enumerate(curated.SOURCE_TYPES)}
    rank = rows["source_type"].map(order).fillna(len(order)) if "source_type" in rows else 0
    return rows.assign(_rank=rank).sort_values(["_rank", "source_date"],
                                               ascending=[True, False]).iloc[0]


def _hno_measure(check: ClaimCheck, ev: Evidence) -> Measure:
    year = int(check.args[0])
    group = check.args[1] if check.metric == "people_in_need_group" else "total"
    pin = ev.people_in_need
    if pin is not None and len(pin):
        rows = pin[pin["geography"].eq("national") & pin["sector"].eq("Intersectoral")
                   & pin["period_start"].dt.year.eq(year)]
        total = rows[rows["category"].eq("total")]
        part = rows[rows["category"].eq(group)]
        if len(part):
            value = float(part["value"].iloc[0])
            whole = float(total["value"].iloc[0]) if len(total) else float("nan")
            label = "people in need" if group == "total" else f"{group} in need"
            share = "" if group == "total" else f" ({100 * value / whole:.1f}% of {_int(whole)})"
            return Measure(value, f"OCHA's HNO {year} people-in-need workbook counts "
                                  f"{_int(value)} {label}{share}",
                           f"OCHA HNO {year} PiN workbook ({_file(pin)}, sheet SUMMARY_{year}, "
                           f"{_rows(part.index)})")
    if group == "total":
        row = best_national(ev.indicators, "people_in_need", year)
        if row is not None:
            return Measure(float(row["value"]),
                           f"{row['source']} ({row['source_date']}) gives {_int(row['value'])} "
                           f"people in need in {year}",
                           f"curated humanitarian indicators, record {row.get('record_id', '?')}")
    return Measure(None, "", "", missing=f"no people-in-need figure for {year} is loaded")


def _fts_measure(check: ClaimCheck, ev: Evidence) -> Measure:
    fts = ev.funding
    if fts is None or fts.empty:
        return Measure(None, "", "", missing="OCHA FTS funding data are not loaded")
    first, last = int(check.args[0]), int(check.args[1])
    years = funding_by_year(fts)
    chosen = years[years["year"].between(first, last)]
    if sorted(chosen["year"]) != list(range(first, last + 1)):
        return Measure(None, "", "", missing=f"FTS data lack appeals for some of {first}-{last}")
    need, got = chosen["requirements_usd"].sum(), chosen["funding_usd"].sum()
    value = 100 * got / need
    per_year = ", ".join(f"{int(r.year)} {r.coverage_pct:.0f}%" for r in chosen.itertuples())
    words = (f"OCHA FTS: Afghanistan's appeals for {first}-{last} asked for "
             f"US${need / 1e9:.2f} billion and received US${got / 1e9:.2f} billion "
             f"({value:.0f}%; {per_year})")
    rows = fts[fts["period_start"].dt.year.between(first, last)
               & fts["category"].isin(APPEAL_TYPES)]
    return Measure(value, words, f"OCHA FTS via HDX HAPI ({_file(fts)}, {_rows(rows.index)})")


# ----------------------------------------------------------------------------- evaluation

def measure(check: ClaimCheck, ev: Evidence,
            resolve_province: Callable[[str], str] = _default_resolver) -> Measure:
    """The value of ``check``'s metric on the evidence, in numbers and in words."""
    if check.metric in EVENT_METRICS:
        return _event_measure(check, ev.events, resolve_province)
    if check.metric in ("battle_deaths", "battle_deaths_change", "conflict_active"):
        return _ucdp_measure(check, ev)
    if check.metric == "fara_registrations":
        return _fara_measure(check, ev)
    if check.metric in ("people_in_need", "people_in_need_group"):
        return _hno_measure(check, ev)
    return _fts_measure(check, ev)


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _verdict(record: dict, check: ClaimCheck | None, found: Measure | None
             ) -> tuple[str, str]:
    would = _text(record.get("would_test"))
    untested = _text(record.get("untested"))
    if check is None:
        return UNTESTABLE, f"No shipped dataset records this. Would test it: {would}."
    if found.missing:
        return UNTESTABLE, f"{found.missing[0].upper()}{found.missing[1:]}."
    ok = curated.compare(found.value, check.comparator, check.number)
    if found.synthetic:
        outcome = "would pass" if ok else "would fail"
        return UNTESTABLE, (f"{SYNTHETIC_REASON} (The check {outcome} there.) Would test it: "
                            f"{would or 'ACLED or UCDP GED events'}.")
    if ok and _text(record.get("covers")) == "part":
        return PARTLY, f"The data confirm what they can test; they cannot test {untested}."
    if ok:
        return SUPPORTED, "The data show what the claim says."
    extra = f" Not tested: {untested}." if untested else ""
    return CONTRADICTED, (f"The claim needs {check.comparator} {check.number:,g}; the data "
                          f"give {found.value:,g}.{extra}")


def evaluate_claims(claims: pd.DataFrame, ev: Evidence | pd.DataFrame | None,
                    resolve_province: Callable[[str], str] = _default_resolver,
                    file: str | None = None) -> pd.DataFrame:
    """The ledger: one row per claim with ``verdict``, ``reason``, ``computed``, ``evidence``.

    ``ev`` is an :class:`~helpers.data.catalog.Evidence` bundle (an event table alone is
    accepted too). A malformed ``check`` or an unknown province raises one
    :class:`DataError` naming every row (1-based data row of the claims file) and column.
    """
    if isinstance(ev, pd.DataFrame) or ev is None:
        ev = Evidence(events=ev)
    file = file or claims.attrs.get("source_file") or "claims.csv"
    rows, problems = [], []
    for pos, record in enumerate(claims.to_dict("records")):
        try:
            check = parse_check(record.get("check"))
            found = measure(check, ev, resolve_province) if check is not None else None
        except ValueError as exc:
            problems.append(Problem(str(file), data_row(claims, pos), "check",
                                    record.get("check"), str(exc)))
            continue
        except (DataError, LookupError) as exc:
            problems.append(Problem(str(file), data_row(claims, pos), "check",
                                    record.get("check"), f"cannot evaluate: {exc}"))
            continue
        verdict, reason = _verdict(record, check, found)
        computed = found.words if found is not None and not found.missing else ""
        if found is not None and found.synthetic:
            computed = f"On the synthetic demo set (not a finding): {computed}"
        rows.append({
            **{k: record.get(k) for k in ("id", "theme", "statement", "speaker", "said_when")},
            "verdict": verdict, "reason": reason, "computed": computed,
            "evidence": found.evidence if found is not None and not found.missing else "",
            "would_test": _text(record.get("would_test")),
            "check": _text(record.get("check")),
            "value": found.value if found is not None and not found.missing else float("nan"),
        })
    if problems:
        raise DataError("claims: some checks cannot be evaluated", problems)
    out = pd.DataFrame(rows, columns=list(LEDGER_COLUMNS), index=claims.index)
    out["value"] = out["value"].astype("float64")
    return out


def verdict_counts(ledger: pd.DataFrame) -> pd.DataFrame:
    """How many claims have each verdict (every verdict listed, zeros included)."""
    counts = ledger["verdict"].value_counts() if "verdict" in ledger else pd.Series()
    return pd.DataFrame({"verdict": list(VERDICTS),
                         "claims": [int(counts.get(v, 0)) for v in VERDICTS]})


def claim_for(claims: pd.DataFrame, metric: str) -> dict | None:
    """The first claim whose machine check uses ``metric`` (e.g. ``resistance_provinces``).

    Returns ``{"id", "quantity", "comparator", "speaker", "said_when", "statement"}`` so a
    chart can draw the claimed value as a reference line; None when no claim uses it.
    """
    if "check" not in claims.columns:
        return None
    for record in claims.to_dict("records"):
        check = parse_check(record.get("check"))
        if check is not None and check.metric == metric:
            return {k: record.get(k) for k in ("id", "quantity", "comparator", "speaker",
                                               "said_when", "statement")}
    return None


def ledger_rows(ledger: pd.DataFrame, *ids: str) -> pd.DataFrame:
    """The rows of an evaluated ledger for the claims ``ids`` (theme notebooks show these)."""
    return ledger[ledger["id"].isin(ids)]
