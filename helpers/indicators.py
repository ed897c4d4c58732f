"""Humanitarian indicator and conflict-aggregate tables: schemas and the two loaders.

Two tidy tables, kept apart from the event table on purpose:

* **indicators** — one figure per row: people in need, IPC phase populations, appeal
  requirements and funding ... (:data:`INDICATOR_COLUMNS`, validated by :data:`INDICATOR`).
  ``indicators()`` reads the cited curated table by default, or HDX HAPI / FTS files.
* **conflict aggregates** — province-month counts of events and fatalities from HDX HAPI's
  conflict-event files and ACLED's own aggregated files (:data:`AGGREGATE_COLUMNS`,
  validated by :data:`AGGREGATE`). They carry no actors, dates or places finer than a
  province, so they are *not* turned into fake events: ``conflict_aggregates()`` returns
  them as they are, with the file and its SHA-256 on every row.

Both loaders detect each file's layout from its header (or its HXL hashtag row when the
header was renamed) through :func:`helpers.sources.detect_layout`. Notebooks reach them
through :mod:`helpers.load`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from helpers import config
from helpers.errors import DataError, Problem, SchemaError

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------ schemas

#: Columns every indicator table has, in this order.
INDICATOR_COLUMNS = ("indicator", "province_code", "geography", "period_start", "period_end",
                     "value", "unit", "source", "source_file", "source_sha256")

#: Columns some sources add (NA elsewhere), in this order after the required ones.
#: ``sector``: HNO sector ("Intersectoral" = the overall figure) or FTS cluster;
#: ``category``: HNO breakdown ("total" for the undivided figure); ``ipc_phase``,
#: ``ipc_type``: IPC; ``appeal``, ``appeal_code``: FTS plan; ``comparator`` (``>``, ``~``
#: ...), ``donor``, ``original_publisher``, ``source_url``, ``source_date``, ``note``:
#: curated rows.
INDICATOR_OPTIONAL = ("sector", "category", "ipc_phase", "ipc_type", "appeal", "appeal_code",
                      "comparator", "donor", "original_publisher", "source_url", "source_date",
                      "note")

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
_NON_NEGATIVE_RULE = "people, USD, fraction and percent values must be >= 0"
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


def _problems(err: pa_errors.SchemaErrors, frame: pd.DataFrame, file: str | None
              ) -> list[Problem]:
    """pandera failure cases -> one :class:`Problem` per (row, column, rule)."""
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for case in err.failure_cases.itertuples(index=False):
        index = getattr(case, "index", None)
        row = int(index) if index is not None and not pd.isna(index) else None
        rule = str(getattr(case, "check", "schema rule"))
        column = getattr(case, "column", None)
        column = column if isinstance(column, str) else None
        value = getattr(case, "failure_case", None)
        if getattr(case, "schema_context", "") == "DataFrameSchema" and rule in _WIDE_RULE_COLUMN:
            column = _WIDE_RULE_COLUMN[rule]
            if row is not None and row in frame.index and column in frame.columns:
                cell = frame.loc[row, column]
                value = cell.iloc[0] if isinstance(cell, pd.Series) else cell
        key = (row, column, rule)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(file, row, column, value, rule))
    return problems


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: Iterable[str],
              file: str | Path | None) -> pd.DataFrame:
    name = str(file) if file is not None else None
    order = [c for c in order if c in frame.columns]
    extra = [c for c in frame.columns if c not in order]
    try:
        out = schema.validate(frame[order + extra], lazy=True)
    except pa_errors.SchemaErrors as err:
        raise SchemaError(f"{Path(name).name if name else 'table'} does not satisfy the "
                          f"{schema.name} schema", _problems(err, frame, name)) from None
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


# ------------------------------------------------------------------------------ curated


def from_curated(curated: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Map the curated humanitarian table (:func:`helpers.curated.humanitarian_indicators`)
    into the indicator schema.

    Curated ``geography`` ``AF`` becomes ``national``; a province code stays as it is.
    The curated ``comparator`` (``>`` for "over 23 million", ``~`` for "around") is kept:
    such a value is a bound or an approximation, not an exact count.
    """
    from helpers.sources._hdx import sha256_of

    path = Path(file or curated.attrs.get("source_file")
                or config.CURATED_DIR / "humanitarian_indicators.csv")
    digest = sha256_of(path)
    geo = curated["geography"].astype("str")
    national = geo.eq("AF")
    out = pd.DataFrame(index=curated.index)
    out["indicator"] = curated["indicator"].astype("str")
    out["province_code"] = geo.where(~national).astype("str")
    out["geography"] = geo.where(~national, "national").astype("str")
    out["period_start"] = pd.to_datetime(curated["period_start"]).astype("datetime64[ns]")
    out["period_end"] = pd.to_datetime(curated.get("period_end")).astype("datetime64[ns]")
    out["value"] = pd.to_numeric(curated["value"]).astype("float64")
    out["unit"] = curated["unit"].astype("str")
    out["source"] = curated["source"].astype("str")
    out["source_file"] = str(path)
    out["source_sha256"] = digest
    for col in ("comparator", "donor", "original_publisher", "source_url", "source_date",
                "note"):
        if col in curated.columns:
            out[col] = curated[col].astype("str")
    return validate_indicators(out, file=path)


# ------------------------------------------------------------------------------ loaders


def _expand(source: str | Path | Iterable[str | Path]) -> tuple[list[Path], bool]:
    """Files named by ``source`` (a file, a folder, or a list of these).

    Returns the files and whether they came from a folder scan (in which case files of
    another kind are skipped instead of rejected).
    """
    items = [source] if isinstance(source, (str, Path)) else list(source)
    files: list[Path] = []
    scanned = False
    for item in items:
        path = Path(item)
        if path.is_dir():
            scanned = True
            files.extend(sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt")))
        elif path.is_file():
            files.append(path)
        else:
            raise DataError(f"no such file or folder: {path}",
                            [Problem(str(path), None, None, None, "path does not exist")])
    return files, scanned


_OTHER_LOADER = {
    "events": "it is an event export: load it with helpers.load.events(...)",
    "indicators": "it holds humanitarian indicators: load it with helpers.load.indicators(...)",
    "aggregates": ("it holds conflict aggregates (counts per province and month): load it "
                   "with helpers.load.conflict_aggregates(...)"),
}


def _read_kind(files: list[Path], kind: str, *, scanned: bool, skip_unknown: bool,
               options: dict) -> list[pd.DataFrame]:
    from helpers.errors import UnknownLayoutError
    from helpers.sources import detect_layout

    frames = []
    for path in files:
        try:
            layout = detect_layout(path)
        except UnknownLayoutError:
            if skip_unknown:
                log.warning("%s: not a layout the workbook knows; skipped", path.name)
                continue
            raise
        if layout.kind != kind:
            if scanned:
                log.info("%s: layout %s (%s); skipped by the %s loader", path.name,
                         layout.name, layout.kind, kind)
                continue
            raise DataError(f"{path.name} has layout {layout.name!r}: "
                            f"{_OTHER_LOADER.get(layout.kind, layout.kind)}",
                            [Problem(str(path), None, None, layout.name,
                                     f"not a file of kind {kind!r}")])
        frame = layout.read(path, **options)
        frame.attrs["layout"] = layout.name
        log.info("%s: %d row(s) from layout %s", path.name, len(frame), layout.name)
        frames.append(frame)
    return frames


def _combine(frames: list[pd.DataFrame], order: Iterable[str], empty: pd.DataFrame,
             validate) -> pd.DataFrame:
    inputs = [{"path": f.attrs.get("path"), "sha256": f.attrs.get("sha256"),
               "layout": f.attrs.get("layout"), "rows": len(f)} for f in frames]
    dropped: dict[str, int] = {}
    for f in frames:
        for key, n in (f.attrs.get("dropped") or {}).items():
            dropped[key] = dropped.get(key, 0) + n
    filled = [f for f in frames if len(f)]
    if filled:
        out = pd.concat(filled, ignore_index=True)
        out = validate(out[[c for c in order if c in out.columns]])
    else:
        out = empty.copy()
    out.attrs = {"inputs": inputs, "dropped": dropped}
    return out


def indicators(source: str | Path | Iterable[str | Path] = "curated", *,
               breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """Humanitarian indicators as one tidy table (see :data:`INDICATOR_COLUMNS`).

    ``source``: ``"curated"`` (default) — the cited table ``data/curated/
    humanitarian_indicators.csv``; otherwise a path to an HDX HAPI humanitarian-needs,
    HDX HAPI food-security (IPC) or FTS requirements-and-funding CSV, a folder of such
    files, or a list of these. Each file's layout is detected from its header (or HXL row).

    ``breakdown`` (HNO files): also return the rows broken down by ``category`` (age,
    gender, disability, population group). By default only the undivided totals are
    returned, because the categories overlap and summing them counts people many times.
    ``sectors`` (HNO files): also return per-sector figures; by default only the
    intersectoral figure (``sector == "Intersectoral"``), the one OCHA says to use for
    people in need across all sectors.

    A file of another kind raises a :class:`DataError` that says which loader reads it.
    """
    if isinstance(source, str) and source == "curated":
        from helpers.curated import humanitarian_indicators

        return from_curated(humanitarian_indicators())
    files, scanned = _expand(source)
    frames = _read_kind(files, "indicators", scanned=scanned, skip_unknown=False,
                        options={"breakdown": breakdown, "sectors": sectors})
    if not frames:
        log.info("no humanitarian indicator files in %s", source)
    return _combine(frames, INDICATOR_COLUMNS + INDICATOR_OPTIONAL, empty_indicators(),
                    validate_indicators)


def conflict_aggregates(source: str | Path | Iterable[str | Path] = "raw") -> pd.DataFrame:
    """Province-month conflict counts (see :data:`AGGREGATE_COLUMNS`).

    ``source``: ``"raw"`` (default) — every file of kind ``aggregates`` in
    ``config.RAW_DIR`` (an empty table, with a logged note, when there is none); otherwise
    a path to an HDX HAPI conflict-events CSV or an ACLED aggregated CSV, a folder, or a
    list of these.

    District (admin-2) rows are summed to their province only when the same file has no
    province row for that province, event type and period; national rows keep
    ``province_code`` NA and ``geography == "national"``. Rows are never turned into
    events: these files have no actors, exact dates or places.
    """
    if isinstance(source, str) and source == "raw":
        raw = Path(config.RAW_DIR)
        files = sorted(p for p in raw.glob("*") if p.is_file()
                       and p.suffix.lower() in (".csv", ".tsv", ".txt")) if raw.is_dir() else []
        frames = _read_kind(files, "aggregates", scanned=True, skip_unknown=True, options={})
        if not frames:
            log.info("no conflict-aggregate files (HDX HAPI conflict events, ACLED "
                     "aggregated) in %s: returning an empty table", raw)
    else:
        files, scanned = _expand(source)
        frames = _read_kind(files, "aggregates", scanned=scanned, skip_unknown=False,
                            options={})
    return _combine(frames, AGGREGATE_COLUMNS, empty_aggregates(), validate_aggregates)
