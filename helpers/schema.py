"""The canonical event table every source maps into, and its validator.

ACLED, UCDP GED and the synthetic demo set all end up in one table with the columns in
:data:`CANONICAL_COLUMNS`, so analysis code never needs to know where an event came from.
:func:`validate` checks a frame against the rules in ``docs/architecture.md`` *lazily*: it
collects every failing cell and raises one :class:`~helpers.errors.SchemaError` that lists
each in plain words (file, data row, column, value, rule) — never a pandera traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers.config import AFG_BBOX, EARLIEST_EVENT_DATE
from helpers.errors import Problem, SchemaError

log = logging.getLogger(__name__)

CANONICAL_COLUMNS: tuple[str, ...] = (
    "event_id", "source", "event_date", "date_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "side1", "side2", "province", "province_code", "district",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "target", "urban",
    "notes", "source_ref",
)

SIDES: tuple[str, ...] = ("resistance", "taliban", "republic", "islamic_state", "al_qaeda",
                          "civilians", "other")
TARGETS: tuple[str, ...] = ("official", "military", "infrastructure", "civilian", "unknown")
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "longer")
GEO_PRECISIONS: tuple[int, ...] = (1, 2, 3)

#: ISO 3166-2:AF codes of the 34 provinces (the schema's allowed ``province_code`` values).
PROVINCE_CODES: tuple[str, ...] = (
    "AF-BAL", "AF-BAM", "AF-BDG", "AF-BDS", "AF-BGL", "AF-DAY", "AF-FRA", "AF-FYB", "AF-GHA",
    "AF-GHO", "AF-HEL", "AF-HER", "AF-JOW", "AF-KAB", "AF-KAN", "AF-KAP", "AF-KDZ", "AF-KHO",
    "AF-KNR", "AF-LAG", "AF-LOG", "AF-NAN", "AF-NIM", "AF-NUR", "AF-PAN", "AF-PAR", "AF-PIA",
    "AF-PKA", "AF-SAM", "AF-SAR", "AF-TAK", "AF-URU", "AF-WAR", "AF-ZAB",
)

STRING = "string"
DTYPES: dict[str, str] = {
    **{c: STRING for c in CANONICAL_COLUMNS},
    "event_date": "datetime64[ns]",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "Int64",
    "fatalities": "Int64",
    "urban": "boolean",
}

#: Columns that may hold NA (every other column is required in every row).
NULLABLE: frozenset[str] = frozenset({
    "sub_event_type", "actor2", "side2", "province", "province_code", "district", "location",
    "latitude", "longitude", "geo_precision", "urban", "notes", "source_ref",
})

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def empty_events() -> pd.DataFrame:
    """A canonical event table with zero rows and the canonical dtypes."""
    frame = pd.DataFrame({c: pd.Series([], dtype=DTYPES[c]) for c in CANONICAL_COLUMNS})
    frame.index = pd.RangeIndex(0, name="row")
    return frame


def _allowed(values: tuple) -> str:
    return ", ".join(map(str, values))


def _schema(today: pd.Timestamp) -> pa.DataFrameSchema:
    lat = f"{AFG_BBOX['lat_min']:.1f}..{AFG_BBOX['lat_max']:.1f}"
    lon = f"{AFG_BBOX['lon_min']:.1f}..{AFG_BBOX['lon_max']:.1f}"
    earliest = pd.Timestamp(EARLIEST_EVENT_DATE)

    def col(name: str, checks: list[pa.Check] | None = None) -> pa.Column:
        return pa.Column(DTYPES[name], checks or [], nullable=name in NULLABLE,
                         coerce=False, required=True)

    columns = {
        "event_id": col("event_id"),
        "source": col("source"),
        "event_date": col("event_date", [pa.Check.in_range(
            earliest, today,
            error=f"event_date must be between {EARLIEST_EVENT_DATE} and today "
                  f"({today.date().isoformat()})")]),
        "date_precision": col("date_precision", [pa.Check.isin(
            DATE_PRECISIONS, error=f"date_precision must be one of {_allowed(DATE_PRECISIONS)}")]),
        "event_type": col("event_type"),
        "sub_event_type": col("sub_event_type"),
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "side1": col("side1", [pa.Check.isin(
            SIDES, error=f"side1 must be one of {_allowed(SIDES)}")]),
        "side2": col("side2", [pa.Check.isin(
            SIDES, error=f"side2 must be one of {_allowed(SIDES)}")]),
        "province": col("province"),
        "province_code": col("province_code", [pa.Check.isin(
            PROVINCE_CODES, error="province_code must be one of the 34 ISO 3166-2 codes "
                                  "AF-XXX of Afghanistan's provinces")]),
        "district": col("district"),
        "location": col("location"),
        "latitude": col("latitude", [pa.Check.in_range(
            AFG_BBOX["lat_min"], AFG_BBOX["lat_max"],
            error=f"latitude must be inside Afghanistan ({lat})")]),
        "longitude": col("longitude", [pa.Check.in_range(
            AFG_BBOX["lon_min"], AFG_BBOX["lon_max"],
            error=f"longitude must be inside Afghanistan ({lon})")]),
        "geo_precision": col("geo_precision", [pa.Check.isin(
            GEO_PRECISIONS, error="geo_precision must be 1 (exact), 2 (near / district) "
                                  "or 3 (province or wider)")]),
        "fatalities": col("fatalities", [pa.Check.ge(
            0, error="fatalities must be zero or more")]),
        "target": col("target", [pa.Check.isin(
            TARGETS, error=f"target must be one of {_allowed(TARGETS)}")]),
        "urban": col("urban"),
        "notes": col("notes"),
        "source_ref": col("source_ref"),
    }
    unique = pa.Check(lambda f: ~f.duplicated(["source", "event_id"], keep=False),
                      error="event_id must be unique within its source (duplicate id)")
    return pa.DataFrameSchema(columns, checks=[unique], strict=False, ordered=False,
                              coerce=False)


def _rows(frame: pd.DataFrame) -> np.ndarray:
    """The 1-based data row numbers of ``frame`` (its index when it is named ``row``)."""
    if frame.index.name == "row":
        return np.asarray(frame.index)
    return np.arange(1, len(frame) + 1)


def _coerce(frame: pd.DataFrame, rows: np.ndarray, file: str | None,
            problems: list[Problem]) -> pd.DataFrame:
    """Convert every column to its canonical dtype, recording values that cannot be."""
    out = {}
    for name in CANONICAL_COLUMNS:
        series = frame[name]
        target = DTYPES[name]
        if str(series.dtype) == target:
            out[name] = series
            continue
        if target == STRING:
            out[name] = series.astype(STRING)
            continue
        present = series.notna().to_numpy()
        if target == "datetime64[ns]":
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                series = series.dt.tz_convert(None)
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                converted = series.astype(target)
                bad = np.zeros(len(series), dtype=bool)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    converted = pd.to_datetime(series, errors="coerce", format="ISO8601")
                converted = converted.astype(target)
                bad = present & converted.isna().to_numpy()
            rule = "event_date is not a date (expected YYYY-MM-DD)"
        elif target == "boolean":
            text = series.astype(STRING).str.strip().str.lower()
            converted = pd.Series(pd.NA, index=series.index, dtype="boolean")
            converted[text.isin(_TRUE).fillna(False).to_numpy()] = True
            converted[text.isin(_FALSE).fillna(False).to_numpy()] = False
            bad = present & converted.isna().to_numpy()
            rule = f"{name} must be true or false"
        else:
            numbers = pd.to_numeric(series, errors="coerce")
            bad = present & numbers.isna().to_numpy()
            rule = f"{name} must be a number"
            if target == "Int64":
                values = numbers.to_numpy(dtype="float64", na_value=np.nan)
                fractional = np.isfinite(values) & (values != np.floor(values))
                for i in np.flatnonzero(fractional):
                    problems.append(Problem(file, int(rows[i]), name, _plain(series.iloc[i]),
                                            f"{name} must be a whole number "
                                            "(fractions are rejected, not rounded)"))
                numbers = numbers.where(~fractional)
                rule = f"{name} must be a whole number"
            converted = numbers.astype(target)
        for i in np.flatnonzero(bad):
            problems.append(Problem(file, int(rows[i]), name, _plain(series.iloc[i]), rule))
        out[name] = converted
    result = pd.DataFrame(out, index=frame.index)
    result.attrs = dict(frame.attrs)
    return result


def _plain(value: object) -> object:
    """A numpy scalar as the plain Python value, so messages read ``1.5`` not ``np.float64``."""
    item = getattr(value, "item", None)
    return item() if callable(item) and np.ndim(value) == 0 else value


def _problems_from_pandera(failures: pd.DataFrame, rows_by_pos: pd.Series,
                           file: str | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for rec in failures.itertuples(index=False):
        check = str(rec.check)
        column = None if pd.isna(rec.column) else str(rec.column)
        row = None if pd.isna(rec.index) else int(rec.index)
        value = _plain(rec.failure_case)
        if check == "not_nullable":
            rule = f"{column} is required (empty value)"
            value = None
        elif check.startswith("event_id must be unique"):
            if column not in {"source", "event_id"}:
                continue
            if column == "source":
                continue
            rule = check
        elif check.startswith("dtype("):
            rule = f"column has the wrong type ({value}); expected {DTYPES.get(column, '?')}"
            value = None
        elif check.startswith("column_in_dataframe"):
            rule = "required column is missing"
            value = None
        else:
            rule = check
        key = (row, column, rule)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(file, row, column, value, rule))
    return problems


def validate(frame: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Check ``frame`` against the canonical event schema and return it in canonical form.

    Columns are put in :data:`CANONICAL_COLUMNS` order (extra columns are dropped, with a log
    message) and converted to the canonical dtypes. Every broken rule in every row is
    collected into a single :class:`SchemaError`; its problems name the file, the data row
    (the frame's ``row`` index), the column, the value and the rule in plain words.
    """
    name = str(file) if file is not None else frame.attrs.get("file")
    missing = [c for c in CANONICAL_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{Path(name).name if name else 'table'} lacks canonical column(s): "
            f"{', '.join(missing)}",
            [Problem(name, None, c, None, "required column is missing") for c in missing])
    extra = [c for c in frame.columns if c not in CANONICAL_COLUMNS]
    if extra:
        log.info("validate: dropping non-canonical column(s) %s", extra)
    rows = _rows(frame)
    problems: list[Problem] = []
    canonical = _coerce(frame, rows, name, problems)
    # pandera reports index labels: validate on a positional index, map back to row numbers.
    positional = canonical.reset_index(drop=True)
    today = pd.Timestamp(dt.date.today())
    try:
        _schema(today).validate(positional, lazy=True, inplace=True)
    except SchemaErrors as exc:
        failures = exc.failure_cases.copy()
        idx = failures["index"]
        failures["index"] = [rows[int(i)] if pd.notna(i) else None for i in idx]
        problems.extend(_problems_from_pandera(failures, pd.Series(rows), name))
    if problems:
        problems = _dedupe(problems)
        problems.sort(key=lambda p: (p.row is None, p.row or 0, p.column or ""))
        where = Path(name).name if name else "table"
        bad_rows = len({p.row for p in problems if p.row is not None})
        raise SchemaError(f"{where}: {bad_rows} row(s) break the canonical event schema",
                          problems)
    return canonical


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        # A value that failed conversion is NA afterwards: drop the resulting "required" echo.
        key = (p.row, p.column)
        if p.rule.endswith("(empty value)") and key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out
