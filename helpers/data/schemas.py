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
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from helpers.config import AFG_BBOX, EARLIEST_EVENT_DATE
from helpers.data.reference.vocabulary import PROVINCE_CODES, SIDES, TARGETS
from helpers.errors import REQUIRED_EMPTY, Problem, SchemaError

log = logging.getLogger(__name__)

CANONICAL_COLUMNS: tuple[str, ...] = (
    "event_id", "source", "event_date", "date_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "side1", "side2", "province", "province_code", "district",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "target", "urban",
    "notes", "source_ref",
)

DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "longer")
GEO_PRECISIONS: tuple[int, ...] = (1, 2, 3)

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

_UNIQUE_RULE = "event_id must be unique within its source (duplicate id)"
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def empty_events() -> pd.DataFrame:
    """A canonical event table with zero rows and the canonical dtypes."""
    frame = pd.DataFrame({c: pd.Series([], dtype=DTYPES[c]) for c in CANONICAL_COLUMNS})
    frame.index = pd.RangeIndex(0, name="row")
    return frame


def _allowed(values: tuple) -> str:
    return ", ".join(map(str, values))


def _schema(today: pd.Timestamp,
            unique: Callable[[pd.DataFrame], pd.Series] | None = None) -> pa.DataFrameSchema:
    """The canonical event schema; ``unique`` computes the (source, event_id) uniqueness
    check (default :func:`_unique_within_source`)."""
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
    check = pa.Check(unique or _unique_within_source, error=_UNIQUE_RULE)
    return pa.DataFrameSchema(columns, checks=[check], strict=False, ordered=False,
                              coerce=False)


def _unique_within_source(frame: pd.DataFrame) -> pd.Series:
    """True for each row whose (source, event_id) no other row has.

    Ids unique across all sources (the usual case) are settled by one hash of one column,
    about half the time of pairing the two columns; ids written as one prefix and a number
    (ACLED's ``AFG12345``, UCDP's integers) by one hash of those numbers (a fifth of the
    time of hashing the text of a million ids).
    """
    ids = frame["event_id"]
    numbers = _id_numbers(ids)
    if pd.Index(numbers).is_unique if numbers is not None else ids.is_unique:
        return pd.Series(True, index=frame.index)
    return ~frame.duplicated(["source", "event_id"], keep=False)


#: Longest number (in digits) :func:`_id_numbers` reads: any 18 digits fit an int64.
_MAX_ID_DIGITS = 18


def _id_numbers(ids: pd.Series) -> np.ndarray | None:
    """The ids as int64 numbers when every id is one common prefix followed by a decimal
    number written without leading zeros (so two ids are equal exactly when their numbers
    are); None for any other set of ids (missing ones included)."""
    if (not len(ids) or not isinstance(ids.dtype, pd.StringDtype)
            or ids.dtype.storage != "pyarrow" or ids.isna().any()):
        return None  # python-backed text would be copied into Arrow first
    text = pyarrow.chunked_array(pyarrow.array(ids.array))
    first = str(ids.iloc[0])
    prefix = first.rstrip("0123456789")
    if prefix:
        if not pc.all(pc.starts_with(text, prefix)).as_py():
            return None
        text = pc.utf8_slice_codeunits(text, len(prefix))
    if not pc.all(pc.ascii_is_decimal(text)).as_py():  # empty text is not decimal
        return None
    digits = pc.binary_length(text)
    if (pc.max(digits).as_py() > _MAX_ID_DIGITS
            or pc.any(pc.and_(pc.starts_with(text, "0"), pc.greater(digits, 1))).as_py()):
        return None
    return pc.cast(text, pyarrow.int64()).to_numpy()


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
        if series.dtype == pd.api.types.pandas_dtype(target):  # python-backed text is converted
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
    result = pd.DataFrame(out, index=frame.index, copy=False)  # converted or shared (CoW)
    result.attrs = dict(frame.attrs)
    return result


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
    # The uniqueness check hashes every id (half of the validation of 1M rows): it runs
    # in a worker thread (Arrow's hashing releases the GIL) while pandera checks the
    # columns, and pandera's table check then collects its answer.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_unique_within_source, positional)
        # by id, not by reference: pandera keeps the schema with the frame it checked, and
        # a check holding that frame would tie the two in a cycle
        checked_id = id(positional)

        def unique(checked: pd.DataFrame) -> pd.Series:
            return pending.result() if id(checked) == checked_id else \
                _unique_within_source(checked)

        try:
            _schema(today, unique).validate(positional, lazy=True, inplace=True)
        except SchemaErrors as exc:
            problems.extend(problems_from_pandera(
                exc, file=name, rows=rows, rule_columns={_UNIQUE_RULE: "event_id"},
                dtypes=DTYPES))
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
        if p.rule == REQUIRED_EMPTY and key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


# --------------------------------------------------------------------- pandera -> Problem

#: pandera's built-in check names -> the rule an analyst reads.
_PANDERA_RULES = {
    "not_nullable": REQUIRED_EMPTY,
    "field_uniqueness": "duplicate value (must be unique)",
    "column_in_schema": "unexpected column",
    "column_in_dataframe": "required column is missing",
}


def _plain(value: object) -> object:
    """A numpy scalar as the plain Python value, so messages read ``1.5`` not ``np.float64``."""
    item = getattr(value, "item", None)
    return item() if callable(item) and np.ndim(value) == 0 else value


def problems_from_pandera(exc: SchemaErrors, *, file: str | Path | None,
                          rows: Sequence[int] | np.ndarray | None = None,
                          frame: pd.DataFrame | None = None,
                          rule_columns: Mapping[str, str] | None = None,
                          dtypes: Mapping[str, str] | None = None) -> list[Problem]:
    """pandera's lazy failure cases -> one :class:`Problem` per (row, column, rule).

    Every schema of the workbook reports through here, so all say the same thing the same
    way. ``rows`` maps positional index values to data row numbers (when the frame was
    validated on a positional index); otherwise the failing index value is the row.
    ``rule_columns`` names the column a table-wide rule's message should point at (and,
    with ``frame``, the cell value shown); ``dtypes`` says what a wrongly typed column
    should have been.
    """
    name = str(file) if file is not None else None
    rule_columns = dict(rule_columns or {})
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for case in exc.failure_cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) else None
        index = case.index
        row = None if index is None or pd.isna(index) else int(index)
        if row is not None and rows is not None:
            row = int(rows[row])
        value = _plain(case.failure_case)
        if check in ("column_in_schema", "column_in_dataframe"):
            column, value, row = str(case.failure_case), None, None
            rule = _PANDERA_RULES[check]
        elif check in _PANDERA_RULES:
            rule = _PANDERA_RULES[check]
            value = None if check == "not_nullable" else value
        elif check.startswith("dtype("):
            expected = (dtypes or {}).get(column or "", "?")
            rule = f"column has the wrong type ({value}); expected {expected}"
            value = None
        elif check in rule_columns:
            # pandera lists a failing row once per non-empty cell: report it once, on the
            # column the rule is about.
            column = rule_columns[check]
            rule = check
            if frame is not None and row is not None and row in frame.index \
                    and column in frame.columns:
                cell = frame.loc[row, column]
                value = _plain(cell.iloc[0] if isinstance(cell, pd.Series) else cell)
        else:
            rule = check
        key = (row, column, rule)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(name, row, column, value, rule))
    return problems


# ------------------------------------------------- humanitarian indicators and aggregates

#: Columns every indicator table has, in this order.
INDICATOR_COLUMNS = ("indicator", "province_code", "geography", "period_start", "period_end",
                     "value", "unit", "source", "source_file", "source_sha256")

#: Columns some sources add (NA elsewhere), in this order after the required ones.
#: ``sector``: HNO sector ("Intersectoral" = the overall figure) or FTS cluster;
#: ``category``: HNO breakdown ("total" for the undivided figure); ``ipc_phase``,
#: ``ipc_type``: IPC; ``appeal``, ``appeal_code``: FTS plan; ``comparator`` (``>``, ``~``
#: ...), ``donor``, ``original_publisher``, ``source_url``, ``source_date``,
#: ``source_type``, ``record_id`` (the curated row id), ``supersedes`` (the record id a
#: revision replaces), ``note``: curated rows. ``level``: the granularity of a row within
#: its source (FTS: plan, cluster, global cluster, flow; IPC: national, province, area),
#: so figures of different granularity are never added. ``flag``: a remark the reader or
#: the source attaches to a real value that would otherwise look wrong (a negative FTS
#: amount: a refund or pledge adjustment); the row is kept and says why.
INDICATOR_OPTIONAL = ("sector", "category", "ipc_phase", "ipc_type", "appeal", "appeal_code",
                      "comparator", "donor", "original_publisher", "source_url", "source_date",
                      "source_type", "record_id", "supersedes", "note", "level", "flag")

#: Units whose values can never be negative.
NON_NEGATIVE_UNITS = ("people", "USD", "fraction", "percent")

#: Columns of the conflict-aggregate table, in this order.
AGGREGATE_COLUMNS = ("province_code", "geography", "period_start", "period_end", "event_type",
                     "events", "fatalities", "from_admin2", "source", "source_file",
                     "source_sha256")

#: Event types of HDX HAPI / ACLED aggregates. ``civilian_targeting`` is a subset of
#: ``political_violence``: never add the two. ``unspecified``: an ACLED aggregated file
#: whose name does not say which type it counts.
EVENT_TYPES = ("political_violence", "civilian_targeting", "demonstration", "unspecified")

_ISO_PROVINCE = r"^AF-[A-Z]{3}$"
_GEOGRAPHY_RULE = "geography must be 'national' (no province) or equal to province_code"
_PERIOD_RULE = "period_start must not be after period_end"
_NON_NEGATIVE_RULE = ("people, USD, fraction and percent values must be >= 0 (unless the row "
                      "carries a flag saying why, as a negative FTS amount does)")
#: Table-wide rules -> the column their messages name.
_WIDE_RULE_COLUMN = {_GEOGRAPHY_RULE: "geography", _PERIOD_RULE: "period_end",
                     _NON_NEGATIVE_RULE: "value"}
_SHA256 = r"^[0-9a-f]{64}$"


def _geography_matches(frame: pd.DataFrame) -> pd.Series:
    national = frame["geography"].eq("national") & frame["province_code"].isna()
    province = frame["geography"].eq(frame["province_code"]).fillna(False)
    return (national | province).astype(bool)


def _period_ordered(frame: pd.DataFrame) -> pd.Series:
    both = frame["period_start"].notna() & frame["period_end"].notna()
    return (~both | (frame["period_start"] <= frame["period_end"])).astype(bool)


def _non_negative(frame: pd.DataFrame) -> pd.Series:
    applies = frame["unit"].isin(NON_NEGATIVE_UNITS)
    if "flag" in frame.columns:  # a flagged value is a real one the source explains
        applies = applies & frame["flag"].isna()
    return (~applies | frame["value"].isna() | frame["value"].ge(0)).fillna(True).astype(bool)


def _text(nullable: bool = True, **kw) -> pa.Column:
    return pa.Column("str", nullable=nullable, **kw)


INDICATOR = pa.DataFrameSchema(
    {
        "indicator": _text(False),
        "province_code": _text(checks=pa.Check.str_matches(_ISO_PROVINCE)),
        "geography": _text(False),
        "period_start": pa.Column("datetime64[ns]", nullable=True),
        "period_end": pa.Column("datetime64[ns]", nullable=True),
        "value": pa.Column("float64", nullable=True),
        "unit": _text(False),
        "source": _text(False),
        "source_file": _text(False),
        "source_sha256": _text(False, checks=pa.Check.str_matches(_SHA256)),
        **{c: _text(required=False) for c in INDICATOR_OPTIONAL},
    },
    checks=[
        pa.Check(_geography_matches, error=_GEOGRAPHY_RULE),
        pa.Check(_period_ordered, error=_PERIOD_RULE),
        pa.Check(_non_negative, error=_NON_NEGATIVE_RULE),
    ],
    coerce=True,
    strict=True,
    name="indicators",
)

AGGREGATE = pa.DataFrameSchema(
    {
        "province_code": _text(checks=pa.Check.str_matches(_ISO_PROVINCE)),
        "geography": _text(False),
        "period_start": pa.Column("datetime64[ns]"),
        "period_end": pa.Column("datetime64[ns]"),
        "event_type": _text(False, checks=pa.Check.isin(EVENT_TYPES)),
        "events": pa.Column("Int64", checks=pa.Check.ge(0)),
        "fatalities": pa.Column("Int64", nullable=True, checks=pa.Check.ge(0)),
        "from_admin2": pa.Column("bool"),
        "source": _text(False),
        "source_file": _text(False),
        "source_sha256": _text(False, checks=pa.Check.str_matches(_SHA256)),
    },
    checks=[
        pa.Check(_geography_matches, error=_GEOGRAPHY_RULE),
        pa.Check(_period_ordered, error=_PERIOD_RULE),
    ],
    coerce=True,
    strict=True,
    name="conflict_aggregates",
)


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: Iterable[str],
              file: str | Path | None) -> pd.DataFrame:
    name = str(file) if file is not None else None
    order = [c for c in order if c in frame.columns]
    extra = [c for c in frame.columns if c not in order]
    try:
        out = schema.validate(frame[order + extra], lazy=True)
    except SchemaErrors as err:
        raise SchemaError(f"{Path(name).name if name else 'table'} does not satisfy the "
                          f"{schema.name} schema",
                          problems_from_pandera(err, file=name, frame=frame,
                                                rule_columns=_WIDE_RULE_COLUMN)) from None
    except pa_errors.SchemaError as err:  # non-lazy failures (e.g. coercion of a column)
        raise SchemaError(f"{Path(name).name if name else 'table'} does not satisfy the "
                          f"{schema.name} schema",
                          [Problem(name, None, None, None, str(err))]) from None
    out.attrs = dict(frame.attrs)
    return out


def validate_indicators(frame: pd.DataFrame, *, file: str | Path | None = None
                        ) -> pd.DataFrame:
    """Check and coerce an indicator table against :data:`INDICATOR`.

    Raises :class:`helpers.errors.SchemaError` naming file, row (the frame's index) and
    column for every violation, never a pandera exception.
    """
    return _validate(frame, INDICATOR, INDICATOR_COLUMNS + INDICATOR_OPTIONAL, file)


def validate_aggregates(frame: pd.DataFrame, *, file: str | Path | None = None
                        ) -> pd.DataFrame:
    """Check and coerce a conflict-aggregate table against :data:`AGGREGATE`."""
    return _validate(frame, AGGREGATE, AGGREGATE_COLUMNS, file)


def empty_indicators() -> pd.DataFrame:
    """A valid indicator table with no rows (required columns only)."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in INDICATOR_COLUMNS})
    for c in ("period_start", "period_end"):
        frame[c] = frame[c].astype("datetime64[ns]")
    frame["value"] = frame["value"].astype("float64")
    return validate_indicators(frame)


def empty_aggregates() -> pd.DataFrame:
    """A valid conflict-aggregate table with no rows."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in AGGREGATE_COLUMNS})
    for c in ("period_start", "period_end"):
        frame[c] = frame[c].astype("datetime64[ns]")
    frame["events"] = frame["events"].astype("Int64")
    frame["fatalities"] = frame["fatalities"].astype("Int64")
    frame["from_admin2"] = frame["from_admin2"].astype("bool")
    return validate_aggregates(frame)




# ------------------------------------------------------- conflict-level and registry tables

#: Which government "Government of Afghanistan" means in a UCDP row: the Islamic Republic,
#: the Taliban-led state (from 2021-08-15), or both (a 2021 row spanning the takeover).
GOVERNMENTS = ("republic", "taliban", "both")

DYAD_YEAR_COLUMNS = ("conflict_id", "dyad_id", "year", "side_a", "side_b", "opponent",
                     "opponent_side", "government", "bd_best", "bd_low", "bd_high",
                     "type_of_conflict", "location", "version", "source_file", "source_sha256")

CONFLICT_YEAR_COLUMNS = ("conflict_id", "year", "side_a", "side_b", "opponent", "opponent_side",
                         "government", "intensity_level", "type_of_conflict", "incompatibility",
                         "location", "version", "source_file", "source_sha256")

REGISTRATION_COLUMNS = ("registration_number", "registrant", "principal", "principal_registered",
                        "registrant_registered", "terminated", "country", "city",
                        "source_file", "source_sha256")

_BAND_RULE = "battle deaths must satisfy bd_low <= bd_best <= bd_high"
_TERMINATION_RULE = "a registration cannot end before the principal was registered"
_WIDE_RULE_COLUMN.update({_BAND_RULE: "bd_best", _TERMINATION_RULE: "terminated"})


def _band_ordered(frame: pd.DataFrame) -> pd.Series:
    ok = (frame["bd_low"] <= frame["bd_best"]) & (frame["bd_best"] <= frame["bd_high"])
    return ok.fillna(True).astype(bool)


def _terminated_after(frame: pd.DataFrame) -> pd.Series:
    ok = frame["terminated"].isna() | (frame["terminated"] >= frame["principal_registered"])
    return ok.fillna(True).astype(bool)


_YEAR = pa.Column("Int64", checks=pa.Check.in_range(1946, 2100), nullable=False)
_SOURCE_COLUMNS = {"source_file": _text(False),
                   "source_sha256": _text(False, checks=pa.Check.str_matches(_SHA256))}

DYAD_YEARS = pa.DataFrameSchema(
    {
        "conflict_id": _text(False), "dyad_id": _text(False), "year": _YEAR,
        "side_a": _text(False), "side_b": _text(False),
        "opponent": _text(False), "opponent_side": _text(False, checks=pa.Check.isin(SIDES)),
        "government": _text(checks=pa.Check.isin(GOVERNMENTS)),
        **{c: pa.Column("Int64", checks=pa.Check.ge(0), nullable=False)
           for c in ("bd_best", "bd_low", "bd_high")},
        "type_of_conflict": pa.Column("Int64", checks=pa.Check.isin([1, 2, 3, 4])),
        "location": _text(), "version": _text(False), **_SOURCE_COLUMNS,
    },
    checks=[pa.Check(_band_ordered, error=_BAND_RULE),
            pa.Check(lambda f: ~f.duplicated(["dyad_id", "year"], keep=False),
                     error="a dyad-year appears twice")],
    coerce=True, strict=True, name="UCDP battle-related deaths (dyad-years)")

CONFLICT_YEARS = pa.DataFrameSchema(
    {
        "conflict_id": _text(False), "year": _YEAR,
        "side_a": _text(False), "side_b": _text(False),
        "opponent": _text(False), "opponent_side": _text(False, checks=pa.Check.isin(SIDES)),
        "government": _text(checks=pa.Check.isin(GOVERNMENTS)),
        "intensity_level": pa.Column("Int64", checks=pa.Check.isin([1, 2]), nullable=False),
        "type_of_conflict": pa.Column("Int64", checks=pa.Check.isin([1, 2, 3, 4])),
        "incompatibility": pa.Column("Int64", checks=pa.Check.isin([1, 2, 3])),
        "location": _text(), "version": _text(False), **_SOURCE_COLUMNS,
    },
    checks=[pa.Check(lambda f: ~f.duplicated(["conflict_id", "year", "opponent"], keep=False),
                     error="a conflict-year lists the same opponent twice")],
    coerce=True, strict=True, name="UCDP/PRIO armed conflicts (conflict-years)")

REGISTRATIONS = pa.DataFrameSchema(
    {
        "registration_number": _text(False, checks=pa.Check.str_matches(r"^\d+$")),
        "registrant": _text(False), "principal": _text(False),
        "principal_registered": pa.Column("datetime64[ns]", nullable=False),
        "registrant_registered": pa.Column("datetime64[ns]", nullable=True),
        "terminated": pa.Column("datetime64[ns]", nullable=True),
        "country": _text(False), "city": _text(), **_SOURCE_COLUMNS,
    },
    checks=[pa.Check(_terminated_after, error=_TERMINATION_RULE)],
    coerce=True, strict=True, name="FARA foreign-principal registrations")


def validate_dyad_years(frame: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Check and coerce a UCDP battle-deaths table against :data:`DYAD_YEARS`."""
    return _validate(frame, DYAD_YEARS, DYAD_YEAR_COLUMNS, file)


def validate_conflict_years(frame: pd.DataFrame, *, file: str | Path | None = None
                            ) -> pd.DataFrame:
    """Check and coerce a UCDP/PRIO conflict-year table against :data:`CONFLICT_YEARS`."""
    return _validate(frame, CONFLICT_YEARS, CONFLICT_YEAR_COLUMNS, file)


def validate_registrations(frame: pd.DataFrame, *, file: str | Path | None = None
                           ) -> pd.DataFrame:
    """Check and coerce a FARA registration table against :data:`REGISTRATIONS`."""
    return _validate(frame, REGISTRATIONS, REGISTRATION_COLUMNS, file)
