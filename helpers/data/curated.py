"""Loaders for the hand-curated, cited tables in ``data/curated/``.

Five small tables carry what the analysis brief asserts and what outside publishers
document, one cited row at a time:

* ``claims.csv`` — every quantitative or checkable claim of the brief, paraphrased, with
  the original speaker and, where event data can test it, a machine-checkable ``check``;
* ``key_events.csv`` — dated events the brief names;
* ``relations.csv`` — who supports, lobbies, recognises or fights whom (an edge list);
* ``lobbying.csv`` — Foreign Agents Registration Act (FARA) registrations;
* ``humanitarian_indicators.csv`` — cited humanitarian figures in long format.

Each loader reads the CSV as text, validates it with a pandera schema plus a few
cross-column rules, and only then converts dates and numbers, so a bad cell is reported as
a :class:`helpers.errors.SchemaError` naming the file, the 1-based data row and the column
— never a raw pandas or pandera traceback. The returned frame keeps that row number as its
index (``index.name == "row"``).

Claim-check grammar
-------------------
A ``check`` cell of ``claims.csv`` is empty (the claim is not checkable with event data) or::

    METRIC(ARG,ARG,...) COMPARATOR NUMBER

e.g. ``resistance_operations(2024-01-01,2024-08-31) > 200`` or
``events_on(2024-02-26,Kabul,resistance) >= 1``. Metrics are evaluated on the canonical
event table; dates are inclusive ISO dates; a province is any spelling the gazetteer
resolves; SIDE is one of the canonical sides:

* ``resistance_operations(START,END)`` — number of events with ``side1 == "resistance"``
  dated in [START, END];
* ``resistance_provinces(START,END)`` — number of distinct ``province_code`` among those
  events;
* ``events_on(DATE,PROVINCE,SIDE)`` — number of events on DATE in PROVINCE with
  ``side1 == SIDE``;
* ``fatalities(START,END,SIDE)`` — sum of ``fatalities`` of events with ``side1 == SIDE``
  in [START, END].

Comparators: ``>``, ``>=``, ``<``, ``<=``, ``=``, and ``~`` (approximately: within ±15 % of
NUMBER). :func:`parse_check` turns a cell into a :class:`ClaimCheck`; the evaluator lives in
``helpers.analysis.claims``. Its status values are "supported", "not supported", "insufficient
data" and "not checkable with these data".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.config import CURATED_DIR
from helpers.data.reference.vocabulary import SIDES
from helpers.data.schemas import problems_from_pandera
from helpers.errors import DataError, Problem, SchemaError

# --------------------------------------------------------------------------- vocabularies

#: How the brief is cited everywhere (it is unsigned; its date is inferred from its latest
#: event, 2024-10-26).
SOURCE_BRIEF = ("Analysis brief: 'Afghan resistance escalation' "
                "(project brief 000_794789878757a6d8)")
BRIEF_DATE = "2024-11"

THEMES = ("attacks", "expansion", "external_support", "humanitarian", "other")
COMPARATORS = (">", ">=", "<", "<=", "=", "~")
#: ``~`` means within this relative tolerance of the stated number.
APPROX_TOLERANCE = 0.15
DATE_PRECISIONS = ("day", "month", "year")
RELATIONS = ("military", "logistical", "political", "financial", "diplomatic", "lobbying",
             "hostility", "recognition", "humanitarian aid")
#: Relation types that are not support for the ``to_actor`` (aid to the population is
#: not backing for the government that rules it).
NOT_SUPPORT = ("hostility", "humanitarian aid")
DIRECTIONS = ("one-way", "mutual")
#: reported: stated by a named party or publisher; alleged: asserted by a party with a
#: stake (e.g. a faction's spokesman); assessed: an analyst's judgement.
CONFIDENCE = ("reported", "alleged", "assessed")
#: Whether the relation works for (positive) or against (negative) ``to_actor``.
POLARITY = ("positive", "negative")
ACTOR_TYPES = ("armed group", "state", "diaspora", "firm", "legislature", "organisation",
               "population")
COMPENSATION = ("pro bono", "paid", "unknown")
INDICATORS = ("people_in_need", "people_targeted", "requirements_usd", "malnourished_people",
              "malnourished_children", "poverty_rate", "aid_reported")
UNITS = ("people", "percent", "USD")
#: How far a curated figure is from its original publisher, most trusted first: the
#: publisher's own dataset, an official document, the press, the analysis brief.
SOURCE_TYPES = ("publisher_dataset", "official_document", "press", "brief")
#: Whether a claim's ``check`` tests all of the claim or only part of it.
COVERS = ("whole", "part")

#: Metric name -> kinds of its arguments, in order. The first four count events; the
#: others read UCDP's conflict-level data, FARA registrations, the HNO and FTS.
METRICS: dict[str, tuple[str, ...]] = {
    "resistance_operations": ("date", "date"),
    "resistance_provinces": ("date", "date"),
    "events_on": ("date", "province", "side"),
    "fatalities": ("date", "date", "side"),
    "battle_deaths": ("year", "actor"),
    "battle_deaths_change": ("year", "year", "actor"),
    "conflict_active": ("year", "actor"),
    "fara_registrations": ("date", "date", "text"),
    "people_in_need": ("year",),
    "people_in_need_group": ("year", "text"),
    "funding_coverage": ("year", "year"),
}
#: Metrics computed on the event table (the rest use other datasets).
EVENT_METRICS = ("resistance_operations", "resistance_provinces", "events_on", "fatalities")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_URL = re.compile(r"^https?://\S+$")
_CHECK = re.compile(r"^\s*([a-z_]+)\(([^()]*)\)\s*(>=|<=|>|<|=|~)\s*(-?\d+(?:\.\d+)?)\s*$")


# --------------------------------------------------------------------------- claim checks

@dataclass(frozen=True)
class ClaimCheck:
    """A parsed ``check`` cell: ``metric(args) comparator number``."""

    metric: str
    args: tuple[str, ...]
    comparator: str
    number: float


def sourcing(frame: pd.DataFrame) -> str:
    """How a curated table is sourced, for a report's "stands on" line: "curated, cited per
    row" when rows cite publishers, or how many rows rest on the analysis brief alone
    ("curated from the analysis brief: 26 of 26 rows cite only it")."""
    if "source" not in frame.columns or frame.empty:
        return "curated table (no rows)"
    brief = frame["source"].astype("string").fillna("").str.startswith("Analysis brief")
    if not brief.any():
        return "curated, each row citing its publisher"
    if brief.all():
        return f"curated from the analysis brief (all {len(frame)} rows cite only it; unverified)"
    return (f"curated, cited per row ({int(brief.sum())} of {len(frame)} rows cite only the "
            "analysis brief)")


def parse_check(text: str) -> ClaimCheck:
    """Parse one claim-check expression, or raise ``ValueError`` saying what is wrong.

    The grammar is documented in this module's docstring; dates must be real ISO dates,
    START must not be after END, and SIDE must be a canonical side.
    """
    match = _CHECK.match(text or "")
    if not match:
        raise ValueError("is not of the form METRIC(ARGS) COMPARATOR NUMBER")
    metric, raw_args, comparator, number = match.groups()
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    args = tuple(a.strip() for a in raw_args.split(",")) if raw_args.strip() else ()
    kinds = METRICS[metric]
    if len(args) != len(kinds):
        raise ValueError(f"{metric} takes {len(kinds)} argument(s) ({', '.join(kinds)}), "
                         f"got {len(args)}")
    dates = []
    for arg, kind in zip(args, kinds, strict=True):
        if kind == "date":
            if not _is_date(arg):
                raise ValueError(f"argument {arg!r} is not an ISO date YYYY-MM-DD")
            dates.append(pd.Timestamp(arg))
        elif kind == "side" and arg not in SIDES:
            raise ValueError(f"side {arg!r} is not one of {', '.join(SIDES)}")
        elif kind in ("province", "actor", "text") and not arg:
            raise ValueError(f"{kind} argument is empty")
        elif kind == "year":
            if not re.fullmatch(r"(19|20)\d\d", arg):
                raise ValueError(f"argument {arg!r} is not a year YYYY")
            dates.append(pd.Timestamp(f"{arg}-01-01"))
    if len(dates) == 2 and dates[0] > dates[1]:
        raise ValueError("start is after end")
    return ClaimCheck(metric, args, comparator, float(number))


def compare(value: float, comparator: str, number: float) -> bool:
    """Apply a claim comparator; ``~`` accepts values within ±15 % of ``number``."""
    if comparator == "~":
        return abs(value - number) <= APPROX_TOLERANCE * abs(number)
    ops: dict[str, Callable[[float, float], bool]] = {
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b, "=": lambda a, b: a == b}
    if comparator not in ops:
        raise ValueError(f"unknown comparator {comparator!r}")
    return ops[comparator](value, number)


# --------------------------------------------------------------------------- date helpers

def _is_date(text: str) -> bool:
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return False
    return not pd.isna(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))


def _is_partial_date(text: str) -> bool:
    if not isinstance(text, str) or not _PARTIAL_DATE.match(text):
        return False
    fmt = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(text)]
    return not pd.isna(pd.to_datetime(text, format=fmt, errors="coerce"))


def partial_date_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day covered by ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Curated sources often give only a month or a year; analyses that need a point in time
    choose the bound they need instead of silently treating ``2024-05`` as 1 May.
    """
    if not _is_partial_date(text):
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    start = pd.Timestamp(text if len(text) == 10 else text + ("-01" if len(text) == 7
                                                              else "-01-01"))
    if len(text) == 10:
        return start, start
    if len(text) == 7:
        return start, start + pd.offsets.MonthEnd(0)
    return start, pd.Timestamp(f"{text}-12-31")


# --------------------------------------------------------------------------- schemas
#
# Each table is a pandera schema over its cells *as text* (so a bad cell is reported as
# written, not as a failed conversion); ``metadata={"type": ...}`` says which columns
# :func:`table` then converts to dates or numbers. Cross-column rules are DataFrame checks
# whose messages name the column they point at (``_RULE_COLUMNS``).


def _cells(test: Callable[[str], bool], error: str) -> pa.Check:
    """A check applied to every non-empty cell of a text column."""
    return pa.Check(lambda s: s.map(lambda v: pd.isna(v) or test(v)).astype(bool),
                    error=error)


_PADDING = _cells(lambda v: v == v.strip() and v != "", "must not start or end with spaces")
_DATE = _cells(lambda v: _is_date(v), "must be a real ISO date YYYY-MM-DD")
_PARTIAL = _cells(lambda v: _is_partial_date(v), "must be a date YYYY, YYYY-MM or YYYY-MM-DD")
_NUMBER_CHECK = _cells(lambda v: bool(_NUMBER.match(v)),
                       "must be a plain number (digits, optional decimals)")
_URL_CHECK = _cells(lambda v: bool(_URL.match(v)), "must be an http(s) URL without spaces")
_GEOGRAPHY = _cells(lambda v: bool(re.fullmatch(r"AF(-[A-Z]{3})?", v)),
                    "must be AF (national) or a province code AF-XXX")


def _check_ok(text: str) -> bool:
    try:
        parse_check(text)
    except ValueError:
        return False
    return True


def _column(*checks: pa.Check, required: bool = True, type: str = "text") -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=not required, required=True,
                     metadata={"type": type})


def _text(required: bool = True) -> pa.Column:
    return _column(_PADDING, required=required)


def _choice(values: tuple[str, ...], required: bool = True) -> pa.Column:
    return _column(pa.Check.isin(values, error=f"must be one of: {', '.join(values)}"),
                   required=required)


def _date(required: bool = True) -> pa.Column:
    return _column(_DATE, required=required, type="date")


def _partial_date(required: bool = True) -> pa.Column:
    return _column(_PARTIAL, required=required)


def _url(required: bool = False) -> pa.Column:
    return _column(_URL_CHECK, required=required)


_ID = _column(_cells(lambda v: bool(re.fullmatch(r"[A-Z]{1,3}\d{2,4}", v)),
                     "must be an id such as C01 (capitals then digits)"),
              pa.Check(lambda s: ~s.duplicated(keep="first"), error="duplicate id"))
_SOURCE = {"source": _text(), "source_date": _partial_date(), "source_url": _url()}

#: Frame-wide rule message -> the column it points at (the translator names that column).
_RULE_COLUMNS: dict[str, str] = {}


def _rule(test: Callable[[pd.DataFrame], pd.Series], error: str, column: str) -> pa.Check:
    _RULE_COLUMNS[error] = column
    return pa.Check(lambda f: test(f).astype(bool), error=error)


def _together(a: str, b: str) -> pa.Check:
    return _rule(lambda f: f[a].isna() == f[b].isna(),
                 f"'{a}' and '{b}' must be given together", b)


def _required_with(col: str, other: str) -> pa.Check:
    return _rule(lambda f: f[other].isna() | f[col].notna(),
                 f"required when '{other}' is given", col)


def _ordered(start: str, end: str, partial: bool = False) -> pa.Check:
    valid = _is_partial_date if partial else _is_date

    def first_day(v: object) -> pd.Timestamp | None:
        return partial_date_bounds(v)[0] if isinstance(v, str) and valid(v) else None

    def last_day(v: object) -> pd.Timestamp | None:
        return partial_date_bounds(v)[1] if isinstance(v, str) and valid(v) else None

    def test(f: pd.DataFrame) -> pd.Series:
        lo, hi = f[start].map(first_day), f[end].map(last_day)
        both = lo.notna() & hi.notna()
        return ~both | (lo.where(both, pd.Timestamp(0)) <= hi.where(both, pd.Timestamp(0)))
    return _rule(test, f"is before '{start}'", end)


def _precision_matches(date_col: str) -> pa.Check:
    """Month precision is written as day 01, year precision as 01-01."""
    def test(f: pd.DataFrame) -> pd.Series:
        text, prec = f[date_col].fillna(""), f["date_precision"]
        month_bad = prec.eq("month") & ~text.str.endswith("-01")
        year_bad = prec.eq("year") & ~text.str.endswith("-01-01")
        return ~(month_bad | year_bad).fillna(False)
    return _rule(test, "month precision: write the date as YYYY-MM-01; year precision: "
                       "YYYY-01-01", date_col)


def _percent_at_most_100(f: pd.DataFrame) -> pd.Series:
    number = pd.to_numeric(f["value"].where(f["value"].fillna("").str.match(_NUMBER.pattern)),
                           errors="coerce")
    return ~(f["unit"].eq("percent") & ~number.between(0, 100)).fillna(False)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "claims": pa.DataFrameSchema({
        "id": _ID,
        "theme": _choice(THEMES),
        "statement": _text(),
        "quantity": _column(_NUMBER_CHECK, required=False, type="number"),
        "unit": _text(required=False),
        "comparator": _choice(COMPARATORS, required=False),
        "period_start": _date(required=False),
        "period_end": _date(required=False),
        "speaker": _text(),
        "said_when": _partial_date(required=False),
        "check": _column(_cells(_check_ok, "must follow the claim-check grammar "
                                           "METRIC(ARGS) OP NUMBER (see helpers.data.curated)"),
                         required=False),
        "covers": _choice(COVERS, required=False),
        "untested": _text(required=False),
        "would_test": _text(required=False),
        **_SOURCE,
        "corroborated_by": _url(),
        "note": _text(required=False),
    }, checks=[_together("quantity", "comparator"), _required_with("unit", "quantity"),
               _ordered("period_start", "period_end"), _together("check", "covers"),
               _rule(lambda f: f["check"].notna() | f["would_test"].notna(),
                     "a claim without a check says what data would test it", "would_test"),
               _rule(lambda f: f["covers"].ne("part") | f["untested"].notna(),
                     "a check that covers part of the claim says what it leaves untested",
                     "untested")],
        strict=True, name="claims"),
    "key_events": pa.DataFrameSchema({
        "id": _ID,
        "event_date": _date(),
        "date_precision": _choice(DATE_PRECISIONS),
        "province": _text(required=False),
        "actors": _text(),
        "theme": _choice(THEMES),
        "description": _text(),
        **_SOURCE,
        "corroborated_by": _url(),
        "note": _text(required=False),
    }, checks=[_precision_matches("event_date")], strict=True, name="key_events"),
    "relations": pa.DataFrameSchema({
        "id": _ID,
        "from_actor": _text(),
        "from_type": _choice(ACTOR_TYPES),
        "to_actor": _text(),
        "to_type": _choice(ACTOR_TYPES),
        "relation": _choice(RELATIONS),
        "polarity": _choice(POLARITY),
        "direction": _choice(DIRECTIONS),
        "start": _partial_date(required=False),
        "end": _partial_date(required=False),
        "evidence": _text(),
        "confidence": _choice(CONFIDENCE),
        **_SOURCE,
        "note": _text(required=False),
    }, checks=[_ordered("start", "end", partial=True)], strict=True, name="relations"),
    "lobbying": pa.DataFrameSchema({
        "id": _ID,
        "registrant": _text(),
        "principal": _text(),
        "agreement_date": _date(),
        "date_precision": _choice(DATE_PRECISIONS),
        "registration_date": _date(required=False),
        "registration_number": _text(required=False),
        "compensation": _choice(COMPENSATION),
        "services": _text(),
        **_SOURCE,
        "corroborated_by": _url(),
        "note": _text(required=False),
    }, checks=[_precision_matches("agreement_date")], strict=True, name="lobbying"),
    "humanitarian_indicators": pa.DataFrameSchema({
        "id": _ID,
        "indicator": _choice(INDICATORS),
        "geography": _column(_GEOGRAPHY),
        "period_start": _date(required=False),
        "period_end": _date(required=False),
        "comparator": _choice(COMPARATORS),
        "value": _column(_NUMBER_CHECK, type="number"),
        "unit": _choice(UNITS),
        "donor": _text(required=False),
        "original_publisher": _text(),
        "source_type": _choice(SOURCE_TYPES),
        **_SOURCE,
        "supersedes": _text(required=False),
        "note": _text(required=False),
    }, checks=[_ordered("period_start", "period_end"),
               _rule(_percent_at_most_100, "a percentage must lie in 0..100", "value"),
               _rule(lambda f: f["supersedes"].isna() | f["supersedes"].isin(f["id"]),
                     "supersedes names a row id of this table", "supersedes"),
               _rule(lambda f: f["period_start"].notna() | f["note"].notna(),
                     "a figure without a reference period says why in its note", "note")],
        strict=True, name="humanitarian_indicators"),
}
_RULE_COLUMNS["a percentage must lie in 0..100"] = "value"

TABLE_NAMES = tuple(SCHEMAS)


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema a curated table's raw text must satisfy."""
    if name not in SCHEMAS:
        raise KeyError(f"unknown curated table {name!r}; known: {', '.join(SCHEMAS)}")
    return SCHEMAS[name]


# --------------------------------------------------------------------------- loading

def _read_text(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"curated table not found: {path}",
                        [Problem(str(path), None, None, None, "file does not exist")]) from exc
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"cannot read {path.name}",
                        [Problem(str(path), None, None, None,
                                 f"not a readable UTF-8 CSV ({type(exc).__name__})")]) from exc
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    for col in frame.columns:
        frame[col] = frame[col].str.strip().replace("", pd.NA)
    return frame


def validate_text(frame: pd.DataFrame, name: str, *, file: str | Path | None = None) -> None:
    """Check a curated table read as text; raise :class:`SchemaError` listing every problem.

    ``frame`` must be indexed by 1-based data row numbers, as :func:`table` reads it.
    """
    file_name = str(file) if file is not None else f"{name}.csv"
    try:
        schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = problems_from_pandera(exc, file=file_name, frame=frame,
                                         rule_columns=_RULE_COLUMNS)
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, p.column or ""))
        raise SchemaError(f"{Path(file_name).name} breaks the curated-table rules",
                          problems) from None


def _typed(frame: pd.DataFrame, table_schema: pa.DataFrameSchema) -> pd.DataFrame:
    out = frame.copy()
    for col, column in table_schema.columns.items():
        kind = (column.metadata or {}).get("type")
        if kind == "date":
            out[col] = pd.to_datetime(out[col], format="%Y-%m-%d").astype("datetime64[ns]")
        elif kind == "number":
            out[col] = pd.to_numeric(out[col]).astype("Float64")
    return out[list(table_schema.columns)]


def table(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Load, validate and type one curated table by name (see :data:`TABLE_NAMES`).

    ``path`` overrides the file (tests, or a reviewer's edited copy). Dates of kind
    YYYY-MM-DD become ``datetime64[ns]``, numbers ``Float64``; partial dates (``source_date``,
    ``said_when``, relation ``start``/``end``) stay text — see :func:`partial_date_bounds`.
    """
    table_schema = schema(name)
    file = Path(path) if path is not None else CURATED_DIR / f"{name}.csv"
    frame = _read_text(file)
    validate_text(frame, name, file=file)
    typed = _typed(frame, table_schema)
    typed.attrs["source_file"] = str(file)
    return typed


def claims(path: str | Path | None = None) -> pd.DataFrame:
    """The brief's quantitative and checkable claims, paraphrased, with speakers."""
    return table("claims", path)


def key_events(path: str | Path | None = None) -> pd.DataFrame:
    """Dated events the brief names, with date precision and province where known."""
    return table("key_events", path)


def relations(path: str | Path | None = None) -> pd.DataFrame:
    """Edge list of support, lobbying, recognition and hostility between actors."""
    return table("relations", path)


def lobbying(path: str | Path | None = None) -> pd.DataFrame:
    """FARA registrations made for the National Resistance Front or its leader."""
    return table("lobbying", path)


def humanitarian_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """Cited humanitarian figures (long format: indicator, geography, period, value)."""
    return table("humanitarian_indicators", path)


# --------------------------------------------------------------------------- CLI
#: The columns the command line shows first for each table (then the source columns).
_SHOW = {"claims": ("id", "theme", "statement", "speaker"),
         "key_events": ("id", "event_date", "description"),
         "relations": ("id", "from_actor", "relation", "to_actor", "confidence"),
         "lobbying": ("id", "registrant", "principal", "agreement_date", "compensation"),
         "humanitarian_indicators": ("id", "indicator", "period_start", "value", "unit")}


def describe(name: str, width: int = 200) -> str:
    """One curated table as plain text: its key columns with every row's source, and the
    table's provenance record (title, citation, licence)."""
    from helpers.data import provenance

    frame = table(name)
    cols = [c for c in (*_SHOW.get(name, ("id",)), "source", "source_date") if c in frame]
    record = provenance.record_for(frame.attrs["source_file"]) or {}
    lines = [f"== {name} ({len(frame)} rows) — {record.get('title', 'no provenance record')}",
             f"   citation: {record.get('citation', 'n/a')}",
             f"   licence: {record.get('licence', 'n/a')}"]
    with pd.option_context("display.width", width, "display.max_colwidth", 50,
                           "display.max_rows", None):
        lines.append(frame[cols].to_string())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.data.curated [TABLE ...]``: print curated tables with their sources."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("tables", nargs="*",
                        help=f"tables to print (default: all of {', '.join(TABLE_NAMES)})")
    args = parser.parse_args(argv)
    unknown = [t for t in args.tables if t not in TABLE_NAMES]
    if unknown:
        parser.error(f"unknown table(s) {unknown}; known: {', '.join(TABLE_NAMES)}")
    for name in args.tables or TABLE_NAMES:
        print(describe(name), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
