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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.config import CURATED_DIR
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
             "hostility", "recognition")
DIRECTIONS = ("one-way", "mutual")
#: reported: stated by a named party or publisher; alleged: asserted by a party with a
#: stake (e.g. a faction's spokesman); assessed: an analyst's judgement.
CONFIDENCE = ("reported", "alleged", "assessed")
#: Whether the relation works for (positive) or against (negative) ``to_actor``.
POLARITY = ("positive", "negative")
ACTOR_TYPES = ("armed group", "state", "diaspora", "firm", "legislature", "organisation")
COMPENSATION = ("pro bono", "paid", "unknown")
INDICATORS = ("people_in_need", "people_targeted", "requirements_usd", "malnourished_people",
              "malnourished_children", "poverty_rate", "aid_reported")
UNITS = ("people", "percent", "USD")
#: Canonical sides (docs/architecture.md); repeated here so the grammar can be checked
#: without importing the event schema.
SIDES = ("resistance", "taliban", "republic", "islamic_state", "al_qaeda", "civilians", "other")

#: Metric name -> kinds of its arguments, in order.
METRICS: dict[str, tuple[str, ...]] = {
    "resistance_operations": ("date", "date"),
    "resistance_provinces": ("date", "date"),
    "events_on": ("date", "province", "side"),
    "fatalities": ("date", "date", "side"),
}

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
        elif kind == "province" and not arg:
            raise ValueError("province argument is empty")
    if len(dates) == 2 and dates[0] > dates[1]:
        raise ValueError("start date is after end date")
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


# --------------------------------------------------------------------------- table specs

@dataclass(frozen=True)
class Col:
    """One column of a curated table: its kind, whether it is required, its choices."""

    kind: str  # id, text, enum, date, partial_date, number, url, check
    required: bool = True
    choices: tuple[str, ...] = ()


_SOURCE_COLS = {
    "source": Col("text"),
    "source_date": Col("partial_date"),
    "source_url": Col("url", required=False),
}


@dataclass(frozen=True)
class TableSpec:
    """Name, file and columns of one curated table, plus its cross-column rules."""

    name: str
    filename: str
    columns: dict[str, Col]
    rules: tuple[Callable[[pd.DataFrame], list[tuple[int, str, object, str]]], ...] = field(
        default=())


def _both_or_neither(a: str, b: str):
    def rule(frame: pd.DataFrame) -> list[tuple[int, str, object, str]]:
        bad = frame[a].isna() != frame[b].isna()
        return [(row, b if pd.isna(frame.at[row, b]) else a, pd.NA,
                 f"'{a}' and '{b}' must be given together")
                for row in frame.index[bad]]
    return rule


def _required_with(col: str, other: str):
    def rule(frame: pd.DataFrame) -> list[tuple[int, str, object, str]]:
        bad = frame[other].notna() & frame[col].isna()
        return [(row, col, pd.NA, f"required when '{other}' is given")
                for row in frame.index[bad]]
    return rule


def _ordered(start: str, end: str, partial: bool = False):
    def rule(frame: pd.DataFrame) -> list[tuple[int, str, object, str]]:
        out = []
        for row in frame.index:
            a, b = frame.at[row, start], frame.at[row, end]
            if pd.isna(a) or pd.isna(b):
                continue
            if partial:
                if not (_is_partial_date(a) and _is_partial_date(b)):
                    continue
                before = partial_date_bounds(a)[0] > partial_date_bounds(b)[1]
            else:
                if not (_is_date(a) and _is_date(b)):
                    continue
                before = pd.Timestamp(a) > pd.Timestamp(b)
            if before:
                out.append((row, end, b, f"is before '{start}' ({a})"))
        return out
    return rule


def _precision_matches(date_col: str, precision_col: str = "date_precision"):
    """Month precision must be written as day 01, year precision as 01-01."""
    def rule(frame: pd.DataFrame) -> list[tuple[int, str, object, str]]:
        out = []
        for row in frame.index:
            text, prec = frame.at[row, date_col], frame.at[row, precision_col]
            if pd.isna(text) or not _is_date(text):
                continue
            if prec == "month" and not text.endswith("-01"):
                out.append((row, date_col, text, "month precision: write the date as YYYY-MM-01"))
            if prec == "year" and not text.endswith("-01-01"):
                out.append((row, date_col, text, "year precision: write the date as YYYY-01-01"))
        return out
    return rule


def _percent_at_most_100(frame: pd.DataFrame) -> list[tuple[int, str, object, str]]:
    out = []
    for row in frame.index:
        value, unit = frame.at[row, "value"], frame.at[row, "unit"]
        if unit == "percent" and isinstance(value, str) and _NUMBER.match(value):
            if not 0 <= float(value) <= 100:
                out.append((row, "value", value, "a percentage must lie in 0..100"))
    return out


SPECS: dict[str, TableSpec] = {
    "claims": TableSpec(
        "claims", "claims.csv",
        {
            "id": Col("id"),
            "theme": Col("enum", choices=THEMES),
            "statement": Col("text"),
            "quantity": Col("number", required=False),
            "unit": Col("text", required=False),
            "comparator": Col("enum", required=False, choices=COMPARATORS),
            "period_start": Col("date", required=False),
            "period_end": Col("date", required=False),
            "speaker": Col("text"),
            "said_when": Col("partial_date", required=False),
            "check": Col("check", required=False),
            **_SOURCE_COLS,
            "corroborated_by": Col("url", required=False),
            "note": Col("text", required=False),
        },
        rules=(_both_or_neither("quantity", "comparator"), _required_with("unit", "quantity"),
               _ordered("period_start", "period_end")),
    ),
    "key_events": TableSpec(
        "key_events", "key_events.csv",
        {
            "id": Col("id"),
            "event_date": Col("date"),
            "date_precision": Col("enum", choices=DATE_PRECISIONS),
            "province": Col("text", required=False),
            "actors": Col("text"),
            "theme": Col("enum", choices=THEMES),
            "description": Col("text"),
            **_SOURCE_COLS,
            "corroborated_by": Col("url", required=False),
            "note": Col("text", required=False),
        },
        rules=(_precision_matches("event_date"),),
    ),
    "relations": TableSpec(
        "relations", "relations.csv",
        {
            "id": Col("id"),
            "from_actor": Col("text"),
            "from_type": Col("enum", choices=ACTOR_TYPES),
            "to_actor": Col("text"),
            "to_type": Col("enum", choices=ACTOR_TYPES),
            "relation": Col("enum", choices=RELATIONS),
            "polarity": Col("enum", choices=POLARITY),
            "direction": Col("enum", choices=DIRECTIONS),
            "start": Col("partial_date", required=False),
            "end": Col("partial_date", required=False),
            "evidence": Col("text"),
            "confidence": Col("enum", choices=CONFIDENCE),
            **_SOURCE_COLS,
            "note": Col("text", required=False),
        },
        rules=(_ordered("start", "end", partial=True),),
    ),
    "lobbying": TableSpec(
        "lobbying", "lobbying.csv",
        {
            "id": Col("id"),
            "registrant": Col("text"),
            "principal": Col("text"),
            "agreement_date": Col("date"),
            "date_precision": Col("enum", choices=DATE_PRECISIONS),
            "registration_date": Col("date", required=False),
            "registration_number": Col("text", required=False),
            "compensation": Col("enum", choices=COMPENSATION),
            "services": Col("text"),
            **_SOURCE_COLS,
            "corroborated_by": Col("url", required=False),
            "note": Col("text", required=False),
        },
        rules=(_precision_matches("agreement_date"),),
    ),
    "humanitarian_indicators": TableSpec(
        "humanitarian_indicators", "humanitarian_indicators.csv",
        {
            "id": Col("id"),
            "indicator": Col("enum", choices=INDICATORS),
            "geography": Col("geography"),
            "period_start": Col("date"),
            "period_end": Col("date", required=False),
            "comparator": Col("enum", choices=COMPARATORS),
            "value": Col("number"),
            "unit": Col("enum", choices=UNITS),
            "donor": Col("text", required=False),
            "original_publisher": Col("text"),
            **_SOURCE_COLS,
            "note": Col("text", required=False),
        },
        rules=(_ordered("period_start", "period_end"), _percent_at_most_100),
    ),
}

TABLE_NAMES = tuple(SPECS)

def _vectorised(test: Callable[[str], bool]) -> Callable[[pd.Series], pd.Series]:
    return lambda s: s.map(lambda v: pd.isna(v) or test(v)).astype(bool)


def _check_ok(text: str) -> bool:
    try:
        parse_check(text)
    except ValueError:
        return False
    return True


def _column_checks(col: Col) -> list[pa.Check]:
    kind = col.kind
    if kind == "enum":
        return [pa.Check(_vectorised(lambda v, c=col.choices: v in c),
                         error=f"must be one of: {', '.join(col.choices)}")]
    if kind == "id":
        return [pa.Check(_vectorised(lambda v: bool(re.fullmatch(r"[A-Z]{1,3}\d{2,4}", v))),
                         error="must be an id such as C01 (capitals then digits)")]
    if kind == "date":
        return [pa.Check(_vectorised(_is_date), error="must be a real ISO date YYYY-MM-DD")]
    if kind == "partial_date":
        return [pa.Check(_vectorised(_is_partial_date),
                         error="must be a date YYYY, YYYY-MM or YYYY-MM-DD")]
    if kind == "number":
        return [pa.Check(_vectorised(lambda v: bool(_NUMBER.match(v))),
                         error="must be a plain number (digits, optional decimals)")]
    if kind == "url":
        return [pa.Check(_vectorised(lambda v: bool(_URL.match(v))),
                         error="must be an http(s) URL without spaces")]
    if kind == "check":
        return [pa.Check(_vectorised(_check_ok),
                         error="must follow the claim-check grammar METRIC(ARGS) OP NUMBER "
                               "(see helpers.data.curated)")]
    if kind == "geography":
        return [pa.Check(_vectorised(lambda v: bool(re.fullmatch(r"AF(-[A-Z]{3})?", v))),
                         error="must be AF (national) or a province code AF-XXX")]
    return [pa.Check(_vectorised(lambda v: v == v.strip() and v != ""),
                     error="must not start or end with spaces")]


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema a curated table's raw text must satisfy."""
    spec = _spec(name)
    columns = {
        col: pa.Column(str, checks=_column_checks(c), nullable=not c.required,
                       unique=c.kind == "id", required=True)
        for col, c in spec.columns.items()
    }
    return pa.DataFrameSchema(columns, strict=True, name=spec.name)


def _spec(name: str) -> TableSpec:
    if name not in SPECS:
        raise KeyError(f"unknown curated table {name!r}; known: {', '.join(SPECS)}")
    return SPECS[name]


# --------------------------------------------------------------------------- loading

def _friendly(check: str, schema_context: str) -> str:
    return {
        "not_nullable": "is required but empty",
        "field_uniqueness": "duplicate id",
        "column_in_schema": "unexpected column",
        "column_in_dataframe": "required column is missing",
    }.get(check, check)


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
    spec = _spec(name)
    file_name = str(file) if file is not None else spec.filename
    problems: list[Problem] = []
    try:
        schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            index = case.index
            row = None if index is None or pd.isna(index) else int(index)
            rule = _friendly(str(case.check), str(case.schema_context))
            if str(case.check) in ("column_in_schema", "column_in_dataframe"):
                problems.append(Problem(file_name, None, str(case.failure_case), None, rule))
            else:
                problems.append(Problem(file_name, row, str(case.column), case.failure_case,
                                        rule))
    if all(col in frame.columns for col in spec.columns):
        for rule_fn in spec.rules:
            problems += [Problem(file_name, row, col, value, rule)
                         for row, col, value, rule in rule_fn(frame)]
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0, p.column or ""))
        raise SchemaError(f"{Path(file_name).name} breaks the curated-table rules", problems)


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    out = frame.copy()
    for col, c in spec.columns.items():
        if c.kind == "date":
            out[col] = pd.to_datetime(out[col], format="%Y-%m-%d").astype("datetime64[ns]")
        elif c.kind == "number":
            out[col] = pd.to_numeric(out[col]).astype("Float64")
    return out[list(spec.columns)]


def table(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Load, validate and type one curated table by name (see :data:`TABLE_NAMES`).

    ``path`` overrides the file (tests, or a reviewer's edited copy). Dates of kind
    YYYY-MM-DD become ``datetime64[ns]``, numbers ``Float64``; partial dates (``source_date``,
    ``said_when``, relation ``start``/``end``) stay text — see :func:`partial_date_bounds`.
    """
    spec = _spec(name)
    file = Path(path) if path is not None else CURATED_DIR / spec.filename
    frame = _read_text(file)
    validate_text(frame, name, file=file)
    typed = _typed(frame, spec)
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


def split_list(cell: object, sep: str = ";") -> list[str]:
    """Split a list-valued cell such as ``actors`` ("A; B") into trimmed names."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(sep) if part.strip()]


# --------------------------------------------------------------------------- copy guard

def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def copied_runs(texts: Iterable[str], reference: str, n: int = 8) -> list[str]:
    """Runs of ``n`` consecutive words that ``texts`` share with ``reference``.

    Used to prove that curated text paraphrases the analysis brief instead of copying it
    (case, punctuation and apostrophes are ignored).
    """
    ref_words = _words(reference)
    grams = {tuple(ref_words[i:i + n]) for i in range(len(ref_words) - n + 1)}
    found: list[str] = []
    for text in texts:
        if not isinstance(text, str):
            continue
        words = _words(text)
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if gram in grams:
                found.append(" ".join(gram))
    return found


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
