"""Small shared pieces for the theme analysis modules (attacks, expansion, claims ...).

Kept private: notebooks call the theme modules, which call these. Everything here is
pure (DataFrame in, DataFrame/Series out) and never reads files or draws.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.errors import DataError, Problem

#: Period codes the analysis functions accept, mapped to pandas Period frequencies.
FREQS = {"M": "M", "month": "M", "Q": "Q", "quarter": "Q", "Y": "Y", "year": "Y"}


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`DataError` naming every column ``what`` needs but ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems = [Problem(None, None, c, None, f"{what} needs this column") for c in missing]
        raise DataError(f"{what}: input lacks required column(s) {', '.join(missing)}", problems)


def period_code(freq: str) -> str:
    """Normalise a user-facing frequency ('M', 'quarter', ...) to a pandas Period code."""
    try:
        return FREQS[freq]
    except KeyError:
        raise DataError(f"unknown period {freq!r}; use one of {sorted(set(FREQS))}") from None


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """Start timestamp of the month / quarter / year each date falls in."""
    dates = pd.to_datetime(dates)
    return dates.dt.to_period(period_code(freq)).dt.start_time.astype("datetime64[ns]")


def period_index(start: object, end: object, freq: str, name: str = "period") -> pd.DatetimeIndex:
    """Every period start from the period holding ``start`` to the one holding ``end``."""
    code = period_code(freq)
    first = pd.Timestamp(start).to_period(code)
    last = pd.Timestamp(end).to_period(code)
    periods = pd.period_range(first, last, freq=code)
    return pd.DatetimeIndex(periods.start_time.astype("datetime64[ns]"), name=name)


def date_span(events: pd.DataFrame, start: object = None,
              end: object = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The date range an analysis covers: explicit bounds, else the events' own range.

    Returns ``None`` when neither bounds nor events give a range (empty input).
    """
    dates = pd.to_datetime(events["event_date"]) if "event_date" in events else pd.Series()
    lo = pd.Timestamp(start) if start is not None else (dates.min() if len(dates) else None)
    hi = pd.Timestamp(end) if end is not None else (dates.max() if len(dates) else None)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return None
    return pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()


def in_range(events: pd.DataFrame, start: object = None, end: object = None) -> pd.DataFrame:
    """Rows with ``event_date`` inside [start, end] (inclusive, whole days)."""
    dates = pd.to_datetime(events["event_date"]).dt.normalize()
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start).normalize()
    if end is not None:
        keep &= dates <= pd.Timestamp(end).normalize()
    return events.loc[keep]


def by_side(events: pd.DataFrame, side: str | Iterable[str] | None) -> pd.DataFrame:
    """Rows whose ``side1`` is ``side`` (a name or several); all rows when ``side`` is None."""
    if side is None:
        return events
    sides = [side] if isinstance(side, str) else list(side)
    return events.loc[events["side1"].isin(sides).fillna(False).astype(bool)]


def data_row(frame: pd.DataFrame, position: int) -> int:
    """1-based data row number of the row at ``position`` (the loaders keep it as index)."""
    if frame.index.name == "row":
        try:
            return int(frame.index[position])
        except (TypeError, ValueError):
            pass
    return position + 1


def select_events(events: pd.DataFrame, start: object = None, end: object = None,
                  provinces: Iterable[str] | None = None, sides: Iterable[str] | None = None,
                  sub_event_types: Iterable[str] | None = None) -> pd.DataFrame:
    """The events matching a widget selection; an empty list or None means "all".

    ``provinces`` match either the ISO code or the canonical province name.
    """
    frame = in_range(events, start, end)
    provinces, sides, subs = (list(x) if x else [] for x in (provinces, sides, sub_event_types))
    keep = pd.Series(True, index=frame.index)
    if provinces:
        keep &= (frame["province_code"].isin(provinces) | frame["province"].isin(provinces)
                 ).fillna(False).astype(bool)
    if sides:
        keep &= frame["side1"].isin(sides).fillna(False).astype(bool)
    if subs:
        keep &= frame["sub_event_type"].isin(subs).fillna(False).astype(bool)
    return frame.loc[keep]


def per_capita(frame: pd.DataFrame, population: pd.DataFrame, value: str = "value",
               per: int = 100_000, name: str = "per_100k") -> pd.DataFrame:
    """``frame`` (one row per ``province_code``) with ``population`` and ``value`` per ``per``
    people added; provinces without a population figure get NA, never a guess.

    ``population`` is the COD-PS indicator table (category ``total``).
    """
    require_columns(frame, ["province_code", value], "per_capita")
    require_columns(population, ["province_code", "value"], "per_capita")
    totals = population[population["category"].eq("total")] if "category" in population \
        else population
    people = totals.groupby("province_code")["value"].sum()
    out = frame.copy()
    out["population"] = out["province_code"].map(people).astype("float64")
    out[name] = pd.to_numeric(out[value]).astype("float64") * per / out["population"]
    return out
