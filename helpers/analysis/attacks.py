"""Analysis for notebook 01 (attacks): monthly operations, targets, urban share, escalation.

Every function is pure: it takes the canonical event table (``helpers.data.schemas``) or a curated
table and returns a DataFrame or a small result dataclass. Nothing here reads files or
draws; ``helpers.views.charts`` draws the results. Empty input gives an empty frame with the same
columns (or a result with ``empty=True``) so notebooks can say "no events for this
selection" instead of failing.

The escalation test answers the brief's claim of "increasing intensity" with a count
regression of monthly resistance operations on time (Poisson, or negative binomial when
the counts are overdispersed), reported as a yearly incidence-rate ratio (IRR) with a 95%
confidence interval. The verdict is "supported" only when the whole interval lies above 1.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.analysis._common import (
    by_side,
    date_span,
    in_range,
    period_index,
    period_start,
    require_columns,
)
from helpers.data.reference.vocabulary import TARGETS

log = logging.getLogger(__name__)

#: Count models as a reader says them.
_MODEL_WORDS = {"poisson": "Poisson model", "negative binomial": "negative binomial model",
                "quasi-Poisson": "quasi-Poisson model"}

#: Fewest months a trend model is fitted on; shorter series get "insufficient data".
MIN_MONTHS = 6
#: Pearson chi-square / df above which Poisson counts count as overdispersed.
OVERDISPERSION = 1.5
#: Fewest events with a known urban flag for the urban-share trend.
MIN_URBAN_EVENTS = 20

SUPPORTED, NOT_SUPPORTED, INSUFFICIENT = "supported", "not supported", "insufficient data"


# --------------------------------------------------------------------------- monthly series
def _monthly(events: pd.DataFrame, by: str | None, value: str | None,
             start: object, end: object) -> pd.DataFrame:
    """Counts (value None) or sums of ``value`` per month and ``by`` group, zero-filled."""
    name = "events" if value is None else value
    group_cols = ["month"] + ([by] if by else [])
    columns = [*group_cols, name]
    needed = ["event_date"] + ([by] if by else []) + ([value] if value else [])
    require_columns(events, needed, "monthly series")
    span = date_span(events, start, end)
    frame = in_range(events, start, end)
    if span is None or frame.empty and start is None:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c, by)) for c in columns})
    months = period_index(*span, "M", name="month")
    work = pd.DataFrame({"month": period_start(frame["event_date"], "M")})
    if by:
        work[by] = frame[by].astype("string").fillna("unknown").to_numpy()
    work[name] = 1 if value is None else pd.to_numeric(frame[value]).fillna(0).to_numpy()
    agg = work.groupby(group_cols, observed=True)[name].sum()
    if by:
        groups = sorted(work[by].unique()) if len(work) else []
        full = pd.MultiIndex.from_product([months, groups], names=group_cols)
    else:
        full = months
    out = agg.reindex(full, fill_value=0).reset_index()
    out[name] = out[name].astype("int64")
    if by:
        out[by] = out[by].astype("string")
    return out


def _dtype(column: str, by: str | None) -> str:
    if column == "month":
        return "datetime64[ns]"
    if column == by:
        return "string"
    return "int64"


def _add_rolling(frame: pd.DataFrame, by: str | None, value: str, window: int) -> pd.DataFrame:
    frame = frame.sort_values(([by] if by else []) + ["month"]).reset_index(drop=True)
    if frame.empty:
        frame["rolling_mean"] = pd.Series(dtype="float64")
        return frame
    if by:
        rolled = frame.groupby(by, observed=True)[value].transform(
            lambda s: s.rolling(window, min_periods=window).mean())
    else:
        rolled = frame[value].rolling(window, min_periods=window).mean()
    frame["rolling_mean"] = rolled.astype("float64")
    return frame.sort_values(["month"] + ([by] if by else []), kind="stable").reset_index(drop=True)


def monthly_operations(events: pd.DataFrame, by: str = "side1", start: object = None,
                       end: object = None, window: int = 3) -> pd.DataFrame:
    """Events per month and ``by`` group (side1, sub_event_type ...), with a rolling mean.

    Months without events inside the range appear with 0, so gaps are not hidden.
    Columns: ``month``, ``<by>``, ``events``, ``rolling_mean`` (``window``-month trailing
    mean; NaN for the first ``window - 1`` months). Missing group values become "unknown".
    """
    return _add_rolling(_monthly(events, by, None, start, end), by, "events", window)


def monthly_total(events: pd.DataFrame, start: object = None, end: object = None,
                  window: int = 3) -> pd.DataFrame:
    """All events per month with a trailing rolling mean: ``month, events, rolling_mean``."""
    return _add_rolling(_monthly(events, None, None, start, end), None, "events", window)


def monthly_fatalities(events: pd.DataFrame, by: str = "side1", start: object = None,
                       end: object = None) -> pd.DataFrame:
    """Reported fatalities per month and group: ``month``, ``<by>``, ``fatalities``."""
    return _monthly(events, by, "fatalities", start, end)


# --------------------------------------------------------------------------- targets, urban
def target_shares(events: pd.DataFrame, freq: str = "Q", side: str | None = "resistance",
                  start: object = None, end: object = None) -> pd.DataFrame:
    """Share of each target category per period (events by ``side``; None = all sides).

    Columns: ``period``, ``target``, ``events``, ``share`` (of the period's events; NaN in a
    period without events). Every category in ``TARGETS`` appears in every period.
    """
    require_columns(events, ["event_date", "side1", "target"], "target_shares")
    columns = {"period": "datetime64[ns]", "target": "string", "events": "int64",
               "share": "float64"}
    frame = in_range(by_side(events, side), start, end)
    span = date_span(frame if start is None and end is None else events, start, end)
    if span is None or (frame.empty and start is None and end is None):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    periods = period_index(*span, freq)
    work = pd.DataFrame({"period": period_start(frame["event_date"], freq),
                         "target": frame["target"].astype("string").fillna("unknown").to_numpy()})
    counts = work.groupby(["period", "target"]).size()
    targets = list(TARGETS) + sorted(set(work["target"]) - set(TARGETS))
    full = pd.MultiIndex.from_product([periods, targets], names=["period", "target"])
    out = counts.reindex(full, fill_value=0).rename("events").reset_index()
    totals = out.groupby("period")["events"].transform("sum")
    out["events"] = out["events"].astype("int64")
    out["share"] = (out["events"] / totals.where(totals > 0)).astype("float64")
    out["target"] = out["target"].astype("string")
    return out


def urban_share(events: pd.DataFrame, freq: str = "Q", side: str | None = "resistance",
                start: object = None, end: object = None) -> pd.DataFrame:
    """Share of events in urban places per period.

    Columns: ``period``, ``events``, ``known`` (events with an urban flag), ``urban_events``,
    ``urban_share`` (urban / known; NaN when nothing is known in that period).
    """
    require_columns(events, ["event_date", "side1", "urban"], "urban_share")
    columns = {"period": "datetime64[ns]", "events": "int64", "known": "int64",
               "urban_events": "int64", "urban_share": "float64"}
    frame = in_range(by_side(events, side), start, end)
    span = date_span(frame if start is None and end is None else events, start, end)
    if span is None or (frame.empty and start is None and end is None):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    urban = frame["urban"].astype("boolean")
    work = pd.DataFrame({"period": period_start(frame["event_date"], freq),
                         "known": urban.notna().astype("int64").to_numpy(),
                         "urban_events": urban.fillna(False).astype("int64").to_numpy()})
    work["events"] = 1
    agg = work.groupby("period")[["events", "known", "urban_events"]].sum()
    out = agg.reindex(period_index(*span, freq), fill_value=0).reset_index()
    for col in ("events", "known", "urban_events"):
        out[col] = out[col].astype("int64")
    out["urban_share"] = (out["urban_events"] / out["known"].where(out["known"] > 0)).astype(
        "float64")
    return out[list(columns)]


def category_totals(events: pd.DataFrame, column: str = "target",
                    side: str | None = "resistance", start: object = None,
                    end: object = None) -> pd.DataFrame:
    """Events and fatalities of ``side`` per value of ``column`` over the whole selection.

    Columns: ``<column>``, ``events``, ``share`` (of the side's events; NaN when it has
    none), ``fatalities``. For ``column="target"`` every category in ``TARGETS``
    appears, zeros included, in that order; otherwise categories are sorted by events
    (largest first, ties by name). Missing values count as "unknown".
    """
    require_columns(events, ["event_date", "side1", column, "fatalities"], "category_totals")
    frame = in_range(by_side(events, side), start, end)
    work = pd.DataFrame({
        column: frame[column].astype("string").fillna("unknown").to_numpy(),
        "fatalities": pd.to_numeric(frame["fatalities"]).fillna(0).to_numpy()})
    agg = work.groupby(column).agg(events=("fatalities", "size"),
                                   fatalities=("fatalities", "sum"))
    if column == "target":
        order = list(TARGETS) + sorted(set(agg.index) - set(TARGETS))
    else:
        order = sorted(agg.index, key=lambda k: (-int(agg.loc[k, "events"]), str(k)))
    agg = agg.reindex(order, fill_value=0)
    out = pd.DataFrame({column: pd.Series(order, dtype="string")})
    out["events"] = agg["events"].astype("int64").to_numpy()
    total = int(out["events"].sum())
    out["share"] = (out["events"] / (total or np.nan)).astype("float64")
    out["fatalities"] = agg["fatalities"].astype("int64").to_numpy()
    return out


@dataclass
class TrendResult:
    """Outcome of a trend test, with the numbers a narrative sentence needs.

    ``ratio`` is the yearly ratio (odds ratio for urban share, incidence-rate ratio for
    counts) with its 95% interval; ``verdict`` is "supported", "not supported" or
    "insufficient data"; ``summary`` says the same in one plain sentence.
    """

    verdict: str
    summary: str
    ratio: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    n: int = 0
    model: str = ""
    empty: bool = False
    details: dict = field(default_factory=dict)
    series: pd.DataFrame = field(default_factory=pd.DataFrame)


def _verdict(ci_low: float, ci_high: float, rising: str, falling: str,
             flat: str) -> tuple[str, str]:
    if ci_low > 1:
        return SUPPORTED, rising
    if ci_high < 1:
        return NOT_SUPPORTED, falling
    return NOT_SUPPORTED, flat


def urban_trend(events: pd.DataFrame, side: str | None = "resistance", start: object = None,
                end: object = None) -> TrendResult:
    """Test the brief's "shift toward urban centres" on the events of ``side``.

    A binomial (logistic) regression of each event's urban flag on time in years; the
    result's ``ratio`` is the yearly odds ratio of an event being urban. "supported" needs
    the 95% interval above 1. ``details`` also compares the urban share in the first and
    second half of the covered period (split at its midpoint). Events with an unknown
    urban flag are left out of the model and counted in ``details["unknown"]``.
    """
    require_columns(events, ["event_date", "side1", "urban"], "urban_trend")
    frame = in_range(by_side(events, side), start, end)
    urban = frame["urban"].astype("boolean")
    known = frame.loc[urban.notna().to_numpy()]
    y = urban.dropna().astype("int64").to_numpy()
    details: dict = {"events": len(frame), "unknown": int(urban.isna().sum())}
    if len(known) < MIN_URBAN_EVENTS:
        return TrendResult(INSUFFICIENT, f"Too few events with a known urban flag ({len(known)};"
                           f" at least {MIN_URBAN_EVENTS} needed) to test an urban shift.",
                           n=len(known), empty=len(frame) == 0, details=details)
    dates = pd.to_datetime(known["event_date"])
    lo, hi = dates.min(), dates.max()
    mid = lo + (hi - lo) / 2
    first, second = y[(dates <= mid).to_numpy()], y[(dates > mid).to_numpy()]
    details.update(split_date=mid.normalize(),
                   share_first=float(first.mean()) if len(first) else math.nan,
                   share_second=float(second.mean()) if len(second) else math.nan)
    if y.min() == y.max() or hi == lo:
        return TrendResult(INSUFFICIENT, "The urban share does not vary (all events urban, all"
                           " rural, or a single date), so no trend can be estimated.",
                           n=len(known), details=details)
    years = ((dates - lo).dt.days / 365.25).to_numpy()
    import statsmodels.api as sm

    X = sm.add_constant(years)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    except (ValueError, np.linalg.LinAlgError) as exc:  # perfect separation and the like
        log.warning("urban trend model failed: %s", exc)
        return TrendResult(INSUFFICIENT, f"The urban-share model could not be fitted ({exc}).",
                           n=len(known), details=details)
    b, se = float(fit.params[1]), float(fit.bse[1])
    ratio, lo_ci, hi_ci = math.exp(b), math.exp(b - 1.96 * se), math.exp(b + 1.96 * se)
    verdict, summary = _verdict(
        lo_ci, hi_ci,
        "the odds that an event is urban rose by a factor of "
        f"{ratio:.2f} a year (95% CI {lo_ci:.2f}–{hi_ci:.2f})",
        f"the urban share fell (yearly odds ratio {ratio:.2f}, "
        f"95% CI {lo_ci:.2f}–{hi_ci:.2f})",
        f"no clear change in the urban share (yearly odds ratio {ratio:.2f}, "
        f"95% CI {lo_ci:.2f}–{hi_ci:.2f} includes 1)")
    return TrendResult(verdict, summary, ratio, lo_ci, hi_ci, float(fit.pvalues[1]),
                       n=len(known), model="logistic", details=details)


# --------------------------------------------------------------------------- places, incidents
def top_places(events: pd.DataFrame, level: str = "province", n: int = 10,
               side: str | None = "resistance") -> pd.DataFrame:
    """The ``n`` provinces (or districts) with most events of ``side``.

    Columns: ``province_code``, ``province`` (+ ``district`` when ``level="district"``),
    ``events``, ``fatalities``, ``share`` (of all events of ``side``). Ties are broken by
    name so the order is stable. A missing district is shown as "unknown".
    """
    if level not in ("province", "district"):
        raise ValueError("level must be 'province' or 'district'")
    keys = ["province_code", "province"] + (["district"] if level == "district" else [])
    require_columns(events, [*keys, "side1", "fatalities"], "top_places")
    frame = by_side(events, side)
    columns = [*keys, "events", "fatalities", "share"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c in keys else
                                          ("float64" if c == "share" else "int64"))
                             for c in columns})
    work = frame[keys].astype("string").fillna("unknown")
    work["fatalities"] = pd.to_numeric(frame["fatalities"]).fillna(0).to_numpy()
    out = work.groupby(keys).agg(events=("fatalities", "size"),
                                 fatalities=("fatalities", "sum")).reset_index()
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    out["share"] = out["events"] / len(frame)
    out = out.sort_values(["events", keys[-1]], ascending=[False, True], kind="stable")
    return out.head(n).reset_index(drop=True)[columns]


def notable_incidents(key_events: pd.DataFrame, start: object = None, end: object = None,
                      themes: list[str] | None = None) -> pd.DataFrame:
    """Curated key events inside [start, end] (optionally of some themes), by date.

    These are the cited incidents placed on the timeline charts; the columns of the curated
    table are kept as they are.
    """
    require_columns(key_events, ["event_date", "description"], "notable_incidents")
    frame = key_events.copy()
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame = in_range(frame, start, end)
    if themes and "theme" in frame.columns:
        frame = frame.loc[frame["theme"].isin(themes).fillna(False).astype(bool)]
    return frame.sort_values("event_date", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- escalation
def monthly_counts(events: pd.DataFrame, side: str | None = "resistance", start: object = None,
                   end: object = None) -> pd.DataFrame:
    """Monthly event counts of ``side`` with the days each month is observed.

    The covered range is [start, end], defaulting to the first and last date of *all*
    events (any side), so a month without resistance events inside the data's coverage is a
    real zero. ``days`` is the number of days of the month inside that range: the first and
    last months are often partial and the regression uses ``days`` as exposure.
    Columns: ``month``, ``days``, ``events``.
    """
    require_columns(events, ["event_date", "side1"], "monthly_counts")
    span = date_span(events, start, end)
    if span is None:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                             "days": pd.Series(dtype="int64"),
                             "events": pd.Series(dtype="int64")})
    counts = _monthly(by_side(events, side), None, None, *span)
    lo, hi = span
    month_end = counts["month"] + pd.offsets.MonthEnd(0)
    first = counts["month"].where(counts["month"] > lo, lo)
    last = month_end.where(month_end < hi, hi)
    counts["days"] = ((last - first).dt.days + 1).astype("int64")
    return counts[["month", "days", "events"]]


def escalation(events: pd.DataFrame, side: str | None = "resistance", start: object = None,
               end: object = None, overdispersion: float = OVERDISPERSION) -> TrendResult:
    """Is the monthly count of ``side``'s operations rising? (the brief's "escalation").

    Fits ``events ~ month index`` with a log link and log(days observed) as offset: Poisson
    first; when Pearson chi2/df exceeds ``overdispersion`` a negative-binomial (NB2) model
    replaces it (if that fails to converge, a quasi-Poisson fit with scaled errors is used,
    and ``model`` says so). ``ratio`` is the yearly incidence-rate ratio exp(12 * slope)
    with its 95% CI; "supported" needs the CI's lower bound above 1. ``series`` holds the
    monthly counts with the model's fitted values (``fitted``), for the chart.
    """
    series = monthly_counts(events, side, start, end)
    n_events = int(series["events"].sum()) if len(series) else 0
    if len(series) < MIN_MONTHS or n_events == 0:
        series = series.assign(fitted=pd.Series(np.nan, index=series.index, dtype="float64"))
        reason = ("no events of this side in the selection" if n_events == 0 else
                  f"only {len(series)} month(s) covered, at least {MIN_MONTHS} needed")
        return TrendResult(INSUFFICIENT, f"Cannot test for escalation: {reason}.",
                           n=len(series), empty=n_events == 0, series=series)
    import statsmodels.api as sm

    y = series["events"].to_numpy(dtype="float64")
    t = np.arange(len(series), dtype="float64")
    X = sm.add_constant(t)
    offset = np.log(series["days"].to_numpy(dtype="float64"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        poisson = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit()
    dispersion = float(poisson.pearson_chi2 / max(poisson.df_resid, 1))
    model, fit, slope_idx = "poisson", poisson, 1
    details: dict = {"dispersion": dispersion, "months": len(series), "events": n_events}
    if dispersion > overdispersion:
        model, fit = _negative_binomial(y, X, offset, poisson, details)
    b, se = float(fit.params[slope_idx]), float(fit.bse[slope_idx])
    ratio = math.exp(12 * b)
    lo_ci, hi_ci = math.exp(12 * (b - 1.96 * se)), math.exp(12 * (b + 1.96 * se))
    pct = (ratio - 1) * 100
    verdict, summary = _verdict(
        lo_ci, hi_ci,
        f"operations rose by about {pct:.0f}% a year (IRR {ratio:.2f}, "
        f"95% CI {lo_ci:.2f}–{hi_ci:.2f}, {_MODEL_WORDS.get(model, model)})",
        f"operations fell by about {-pct:.0f}% a year (IRR {ratio:.2f}, "
        f"95% CI {lo_ci:.2f}–{hi_ci:.2f}, {_MODEL_WORDS.get(model, model)})",
        f"no clear trend (IRR {ratio:.2f}, 95% CI {lo_ci:.2f}–{hi_ci:.2f} "
        f"includes 1, {_MODEL_WORDS.get(model, model)})")
    fitted = np.exp(float(fit.params[0]) + b * t + offset)
    series = series.assign(fitted=fitted.astype("float64"))
    return TrendResult(verdict, summary, ratio, lo_ci, hi_ci, float(fit.pvalues[slope_idx]),
                       n=len(series), model=model, details=details, series=series)


def _negative_binomial(y: np.ndarray, X: np.ndarray, offset: np.ndarray, poisson: object,
                       details: dict) -> tuple[str, object]:
    """NB2 fit (alpha estimated); quasi-Poisson when it does not converge."""
    import statsmodels.api as sm

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = sm.NegativeBinomial(y, X, offset=offset, loglike_method="nb2").fit(
                disp=0, maxiter=200, start_params=np.append(poisson.params, 0.1))
        converged = bool(nb.mle_retvals.get("converged", False))
        if converged and np.all(np.isfinite(nb.bse)):
            details["alpha"] = float(nb.params[-1])
            return "negative binomial", nb
        log.warning("negative-binomial fit did not converge; using quasi-Poisson")
    except (ValueError, np.linalg.LinAlgError) as exc:
        log.warning("negative-binomial fit failed (%s); using quasi-Poisson", exc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quasi = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(scale="X2")
    return "quasi-Poisson", quasi


# --------------------------------------------------------------------------- overview
def key_figures(events: pd.DataFrame, side: str = "resistance") -> dict:
    """Headline numbers for the overview notebook, computed from the loaded events.

    Keys: ``events`` (all sides), ``operations`` (events of ``side``), ``provinces``
    (distinct provinces with ``side`` activity), ``fatalities`` (in ``side``'s events),
    ``first_date`` / ``last_date`` (of all events; None when empty), ``urban_share``
    (share of ``side``'s events with a known flag that are urban; NaN when unknown).
    Use with ``helpers.views.cells.finding`` so narrative numbers come from this run.
    """
    require_columns(events, ["event_date", "side1", "province_code", "fatalities", "urban"],
                    "key_figures")
    own = by_side(events, side)
    dates = pd.to_datetime(events["event_date"])
    urban = own["urban"].astype("boolean").dropna()
    return {
        "events": len(events),
        "operations": len(own),
        "provinces": int(own["province_code"].nunique()),
        "fatalities": int(pd.to_numeric(own["fatalities"]).fillna(0).sum()),
        "first_date": dates.min() if len(dates) else None,
        "last_date": dates.max() if len(dates) else None,
        "urban_share": float(urban.mean()) if len(urban) else math.nan,
    }


# ------------------------------------------------------------------ UCDP conflict-level data

#: Opponents of the Taliban-led state whose battle deaths the attacks report charts.
OPPONENTS = ("National Resistance Front", "Afghanistan Freedom Front",
             "Islamic State Khorasan Province")
#: ACD intensity levels in words (a conflict's level in a year, all its opponents together).
INTENSITY = {1: "minor (25-999 battle deaths)", 2: "war (1,000+ battle deaths)"}


def battle_deaths_by_opponent(battle_deaths: pd.DataFrame,
                              opponents: tuple[str, ...] = OPPONENTS,
                              since: int = 2021) -> pd.DataFrame:
    """UCDP battle deaths per year in the Afghan government's dyads with ``opponents``.

    One row per dyad-year UCDP records (best, low, high); a year without a row means UCDP
    recorded fewer than 25 battle deaths in that dyad, or none — charts leave it as a gap.
    ``government`` says which government "Government of Afghanistan" means (``both`` for
    2021 against Islamic State).
    """
    require_columns(battle_deaths, ["year", "opponent", "bd_best", "bd_low", "bd_high",
                                    "government"], "battle_deaths_by_opponent")
    rows = battle_deaths[battle_deaths["opponent"].isin(opponents).fillna(False)
                         & battle_deaths["year"].ge(since).fillna(False)
                         & battle_deaths["side_a"].eq("Government of Afghanistan")]
    cols = ["year", "opponent", "bd_best", "bd_low", "bd_high", "government", "version"]
    return rows[cols].sort_values(["opponent", "year"]).reset_index(drop=True)


def active_opponents(conflicts: pd.DataFrame, since: int = 2021) -> pd.DataFrame:
    """The opponents UCDP/PRIO lists against the Afghan government each year since ``since``.

    Columns: ``year``, ``opponent``, ``government``, ``conflict_id``,
    ``conflict_intensity`` (words). The intensity is the *conflict's* in that year, all its
    opponents together: in 2021 conflict 333 reached war level through the Taliban's war
    on the Republic, not through the NRF's fighting alone.
    """
    require_columns(conflicts, ["year", "opponent", "intensity_level", "government",
                                "side_a"], "active_opponents")
    rows = conflicts[conflicts["year"].ge(since).fillna(False)
                     & conflicts["side_a"].eq("Government of Afghanistan")]
    out = rows[["year", "opponent", "government", "conflict_id"]].copy()
    out["conflict_intensity"] = rows["intensity_level"].map(INTENSITY)
    return out.sort_values(["year", "opponent"]).reset_index(drop=True)


def dyad_change(series: pd.DataFrame, opponent: str) -> dict:
    """Peak and last year of one opponent's battle-deaths series, and the change between them.

    ``series`` is :func:`battle_deaths_by_opponent`'s output. Keys: ``first_year``,
    ``last_year``, ``peak_year``, ``peak``, ``last``, ``change_pct`` (last vs peak), all NA
    when the opponent has no rows.
    """
    rows = series[series["opponent"].eq(opponent)].sort_values("year")
    if rows.empty:
        return {k: pd.NA for k in ("first_year", "last_year", "peak_year", "peak", "last",
                                   "change_pct")}
    peak = rows.loc[rows["bd_best"].idxmax()]
    last = rows.iloc[-1]
    return {"first_year": int(rows["year"].iloc[0]), "last_year": int(last["year"]),
            "peak_year": int(peak["year"]), "peak": int(peak["bd_best"]),
            "last": int(last["bd_best"]),
            "change_pct": 100.0 * (int(last["bd_best"]) - int(peak["bd_best"]))
            / int(peak["bd_best"])}
