"""Check the brief's quantitative claims against the event data (the claims ledger).

A curated claim carries a ``check`` cell written in a small grammar shared with
``data/curated/claims.csv``::

    METRIC(ARGS) COMPARATOR NUMBER
    resistance_operations(2024-01-01,2024-08-31) >= 200
    resistance_provinces(2021-08-15,2024-10-31) ~ 20
    events_on(2024-02-26,Kabul,resistance) >= 1
    fatalities(2024-01-01,2024-12-31,taliban) > 100

Metrics (dates inclusive, ISO; province in any spelling the gazetteer knows):

* ``resistance_operations(START,END)``: events with side1 == "resistance" in the range;
* ``resistance_provinces(START,END)``: distinct province_code of those events;
* ``events_on(DATE,PROVINCE,SIDE)``: events on DATE in PROVINCE with side1 == SIDE;
* ``fatalities(START,END,SIDE)``: sum of fatalities of events of SIDE in the range.

Comparators ``> >= < <= =`` and ``~`` (within ±15% of NUMBER). Status is "supported",
"not supported", "insufficient data" (the data do not cover the claim's whole period, or
no data are loaded) or "not checkable with these data" (empty check).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from helpers.analysis._common import data_row
from helpers.data import curated
from helpers.data.curated import ClaimCheck
from helpers.errors import DataError, Problem

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
INSUFFICIENT = "insufficient data"
NOT_CHECKABLE = "not checkable with these data"
STATUSES = (SUPPORTED, NOT_SUPPORTED, INSUFFICIENT, NOT_CHECKABLE)

#: Relative tolerance of the ``~`` comparator (defined with the grammar in helpers.data.curated).
APPROX_TOLERANCE = curated.APPROX_TOLERANCE
METRICS = curated.METRICS



def parse_check(text: object) -> ClaimCheck | None:
    """Parse one ``check`` cell; ``None`` for an empty cell; ``ValueError`` naming the fault.

    The grammar itself lives in :func:`helpers.data.curated.parse_check` (the curated-table
    validator uses the same parser, so a table that loads always evaluates).
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return None
    return curated.parse_check(str(text))


def check_period(check: ClaimCheck) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the data must cover for ``check`` to be evaluated."""
    if check.metric == "events_on":
        day = pd.Timestamp(check.args[0])
        return day, day
    return pd.Timestamp(check.args[0]), pd.Timestamp(check.args[1])


def format_check(check: ClaimCheck) -> str:
    """A parsed check written back in the grammar (normalised spacing)."""
    return f"{check.metric}({','.join(check.args)}) {check.comparator} {check.number:g}"


def _default_resolver(name: str) -> str:
    """Province name or code -> ISO code via the gazetteer (imported when first needed)."""
    if re.fullmatch(r"AF-[A-Za-z]{3}", name.strip()):
        return name.strip().upper()
    from helpers.data.reference.gazetteer import resolve_province

    return resolve_province(name)


def _coverage(events: pd.DataFrame,
              coverage: tuple[object, object] | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if coverage is not None:
        return pd.Timestamp(coverage[0]).normalize(), pd.Timestamp(coverage[1]).normalize()
    if events is None or events.empty:
        return None
    dates = pd.to_datetime(events["event_date"])
    return dates.min().normalize(), dates.max().normalize()


def compute_metric(check: ClaimCheck, events: pd.DataFrame,
                   resolve_province: Callable[[str], str] = _default_resolver) -> float:
    """The value of ``check``'s metric on ``events`` (no coverage test here)."""
    dates = pd.to_datetime(events["event_date"]).dt.normalize()
    side1 = events["side1"].astype("string")
    if check.metric == "events_on":
        day, province, side = check.args
        code = resolve_province(province)
        keep = (dates == pd.Timestamp(day)) & (side1 == side) & (
            events["province_code"].astype("string") == code)
        return float(keep.fillna(False).sum())
    start, end = check_period(check)
    in_period = (dates >= start) & (dates <= end)
    if check.metric == "fatalities":
        keep = in_period & (side1 == check.args[2])
        return float(pd.to_numeric(events.loc[keep.fillna(False), "fatalities"]).fillna(0).sum())
    keep = (in_period & (side1 == "resistance")).fillna(False)
    if check.metric == "resistance_operations":
        return float(keep.sum())
    return float(events.loc[keep, "province_code"].dropna().nunique())


def evaluate_claims(claims: pd.DataFrame, events: pd.DataFrame | None,
                    coverage: tuple[object, object] | None = None,
                    resolve_province: Callable[[str], str] = _default_resolver,
                    file: str | None = None) -> pd.DataFrame:
    """The claims table with ``computed``, ``status`` and ``detail`` columns added.

    ``coverage`` is the (start, end) the loaded data cover; by default the first and last
    event date. A claim whose period is not wholly inside it gets "insufficient data"
    rather than a misleading count. A malformed ``check`` or an unknown province raises a
    :class:`DataError` naming the row (1-based data row of the claims file) and column.
    """
    if "check" not in claims.columns:
        raise DataError("claims table has no 'check' column",
                        [Problem(file, None, "check", None, "required column missing")])
    file = file or claims.attrs.get("source_file") or "claims.csv"
    span = _coverage(events, coverage)
    computed, statuses, details, problems = [], [], [], []
    for pos, text in enumerate(claims["check"].tolist()):
        try:
            check = parse_check(text)
        except ValueError as exc:
            problems.append(Problem(str(file), data_row(claims, pos), "check", text, str(exc)))
            computed.append(float("nan"))
            statuses.append("")
            details.append("")
            continue
        value, status, detail = _evaluate_one(check, events, span, resolve_province)
        if isinstance(detail, Problem):
            problems.append(Problem(str(file), data_row(claims, pos), "check", text, detail.rule))
            detail = ""
        computed.append(value)
        statuses.append(status)
        details.append(detail)
    if problems:
        raise DataError("claims: some checks cannot be evaluated", problems)
    out = claims.copy()
    out["computed"] = pd.Series(computed, index=claims.index, dtype="float64")
    out["status"] = pd.Series(statuses, index=claims.index, dtype="string")
    out["detail"] = pd.Series(details, index=claims.index, dtype="string")
    return out


def _evaluate_one(check: ClaimCheck | None, events: pd.DataFrame | None,
                  span: tuple[pd.Timestamp, pd.Timestamp] | None,
                  resolve_province: Callable[[str], str]) -> tuple[float, str, object]:
    nan = float("nan")
    if check is None:
        return nan, NOT_CHECKABLE, "no check defined for this claim"
    if span is None or events is None:
        return nan, INSUFFICIENT, "no event data loaded"
    start, end = check_period(check)
    if start < span[0] or end > span[1]:
        return nan, INSUFFICIENT, (f"data cover {span[0].date()} to {span[1].date()}, the claim"
                                   f" needs {start.date()} to {end.date()}")
    try:
        value = compute_metric(check, events, resolve_province)
    except (DataError, LookupError) as exc:
        return nan, "", Problem(None, None, "check", None, f"cannot resolve province: {exc}")
    ok = curated.compare(value, check.comparator, check.number)
    detail = f"computed {value:g} {check.comparator} {check.number:g}: {'yes' if ok else 'no'}"
    return value, SUPPORTED if ok else NOT_SUPPORTED, detail


def status_counts(evaluated: pd.DataFrame) -> pd.DataFrame:
    """How many claims have each status (every status listed, zeros included)."""
    counts = evaluated["status"].value_counts() if "status" in evaluated else pd.Series()
    return pd.DataFrame({"status": list(STATUSES),
                         "claims": [int(counts.get(s, 0)) for s in STATUSES]})


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
