"""Steps every event reader shares on its way to the canonical table.

Date parsing, province, actor, target and urban look-ups all work on the *unique* values
of a column and map the answers back, so a million-row export costs a few thousand
look-ups, not a million. The gazetteer, actor registry and target rules are reached
through this module's ``gazetteer``, ``actors`` and ``targets`` names, so a test can
substitute small stand-ins with ``monkeypatch.setattr``.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.data import schemas
from helpers.data._codes import by_code
from helpers.data.reference import actors, gazetteer, targets
from helpers.data.sources._csv import RowFilter
from helpers.errors import DataError, Problem, SchemaError, UnknownProvinceError

log = logging.getLogger(__name__)


def rows_of(frame: pd.DataFrame | pd.Series) -> np.ndarray:
    """The data row numbers (the ``row`` index) of ``frame``."""
    return np.asarray(frame.index)


def distinct_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct values) of a text column, values stripped of surrounding spaces.

    ``distinct.iloc[codes[i]]`` is row ``i``'s stripped text; code -1 marks a missing cell.
    The column is hashed once (Arrow) and only the distinct values are stripped, so
    ``"Kabul"`` and ``" Kabul "`` share a code at the cost of a few thousand strips, not
    a million.
    """
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    stripped = pd.Series(pd.array(uniques, dtype="string")).str.strip()
    merged, distinct = pd.factorize(stripped, use_na_sentinel=True)
    return by_code(codes, merged, -1, np.int64), pd.Series(pd.array(distinct, dtype="string"))


def take_text(values: Sequence | pd.Series | pd.api.extensions.ExtensionArray,
              codes: np.ndarray, index: pd.Index, dtype: str = "string") -> pd.Series:
    """``values[codes]`` as a Series of ``dtype`` (code -1 -> NA), in one vectorised take."""
    arr = pd.array(values, dtype=dtype)
    return pd.Series(arr.take(codes, allow_fill=True), index=index, copy=False)


def parse_dates(values: pd.Series, formats: Sequence[str], *, column: str, file: str,
                problems: list[Problem], hint: str) -> pd.Series:
    """Parse text dates trying each of ``formats`` in turn, on unique values only.

    Values that match no format become NaT and are recorded in ``problems`` with their row;
    so are dates a nanosecond timestamp cannot hold (outside ``pd.Timestamp.min`` ..
    ``pd.Timestamp.max``, e.g. a placeholder ``9999-12-31``).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype="string").str.strip()
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    beyond = pd.Series(False, index=text.index)
    for fmt in formats:
        todo = parsed.isna() & text.notna() & ~beyond
        if not todo.any():
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        fits = got.isna() | ((got >= pd.Timestamp.min) & (got <= pd.Timestamp.max))
        beyond[fits.index[~fits]] = True
        parsed[todo] = got.where(fits).astype("datetime64[ns]")
    unique_dates = parsed.to_numpy()
    result = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    ok = codes >= 0
    result[ok] = unique_dates[codes[ok]]
    bad_unique = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad_unique):
        rows = rows_of(values)
        far = beyond.to_numpy()
        for i in np.flatnonzero(np.isin(codes, bad_unique)):
            problems.append(Problem(file, int(rows[i]), column, str(uniques[codes[i]]),
                                    f"{column} is outside the years {pd.Timestamp.min.year}-"
                                    f"{pd.Timestamp.max.year}"
                                    if far[codes[i]] else f"{column} is not a date ({hint})"))
    missing = ~ok
    if missing.any():
        rows = rows_of(values)
        for i in np.flatnonzero(missing):
            problems.append(Problem(file, int(rows[i]), column, None,
                                    f"{column} is required (empty value)"))
    return pd.Series(result, index=values.index, name=column)


def map_codes(values: pd.Series, mapping: dict[str, object], *, column: str, file: str,
              problems: list[Problem], allowed: str, dtype: str = "string",
              required: bool = True) -> pd.Series:
    """Map coded text values (e.g. ``time_precision`` 1/2/3) through ``mapping``.

    Unknown codes are recorded in ``problems``; empty values too when ``required``.
    Each distinct value is looked up once.
    """
    codes, distinct = distinct_text(values)
    answers = [mapping.get(v) for v in distinct]
    out = take_text([pd.NA if a is None else a for a in answers], codes, values.index,
                    dtype=dtype)
    rows = rows_of(values)
    for i in np.flatnonzero(by_code(codes, [a is None for a in answers], required)):
        if codes[i] < 0:
            problems.append(Problem(file, int(rows[i]), column, None,
                                    f"{column} is required (empty value)"))
        else:
            problems.append(Problem(file, int(rows[i]), column, distinct.iloc[codes[i]],
                                    f"{column} must be one of {allowed}"))
    return out


def to_number(values: pd.Series, *, column: str, file: str, problems: list[Problem],
              integer: bool = False) -> pd.Series:
    """Text -> float64 (or Int64 when ``integer``); bad values recorded in ``problems``.

    Fast path: one Arrow cast of the whole column; only when it fails is the column
    parsed leniently to find the offending rows. Integers given as ``3.0`` are accepted;
    fractions (``1.5``) are reported, never rounded.
    """
    text = values.astype("string")
    for stripped in (False, True):  # most exports have no spaces around numbers
        if stripped:
            text = text.str.strip()
        try:
            arr = pa.array(text.array)
            if integer:
                return pd.Series(pd.array(pc.cast(arr, pa.int64()), dtype="Int64"),
                                 index=values.index, copy=False)
            floats = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
            return pd.Series(floats, index=values.index, dtype="float64")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    number = pd.to_numeric(text, errors="coerce")
    floats = number.to_numpy(dtype="float64", na_value=np.nan)
    bad = np.isnan(floats) & text.notna().to_numpy()
    rows = rows_of(values)
    kind = "a whole number" if integer else "a number"
    for i in np.flatnonzero(bad):
        problems.append(Problem(file, int(rows[i]), column, text.iloc[i],
                                f"{column} must be {kind}"))
    if not integer:
        return pd.Series(floats, index=values.index, dtype="float64")
    fractional = np.isfinite(floats) & (floats != np.floor(floats))
    for i in np.flatnonzero(fractional):
        problems.append(Problem(file, int(rows[i]), column, text.iloc[i],
                                f"{column} must be a whole number "
                                "(fractions are rejected, not rounded)"))
    floats = np.where(fractional | ~np.isfinite(floats), np.nan, floats)
    return pd.Series(pd.array(floats, dtype="Float64"), index=values.index).astype("Int64")


def text_column(raw: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` of a raw table as text; all-NA when the file lacks it."""
    if name in raw.columns:
        return raw[name].astype("string")
    return pd.Series(pd.NA, index=raw.index, dtype="string")


def empty_result(attrs: dict, *, layout: str, file: str) -> pd.DataFrame:
    """The canonical empty event table a reader returns when no Afghan row is left."""
    out = schemas.empty_events()
    out.attrs = {**attrs, "layout": layout, "file": file}
    return out


#: Event exports may cover many countries (ACLED's regional and global downloads, the
#: whole GED): rows are kept only for Afghanistan, as the file is read.
AFGHAN_ROWS = RowFilter("country", "afghanistan")


def drop_outside(frame: pd.DataFrame, country: pd.Series, *, file: str
                 ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Keep rows whose country is Afghanistan (the test of :data:`AFGHAN_ROWS`); count
    (never silently drop) the others.

    Rows a filtered read already left out (``frame.attrs["rows_left_out"]``, see
    :class:`helpers.data.sources._csv.RowFilter`) are counted with them; a read filtered
    by :data:`AFGHAN_ROWS` itself left nothing else to test.
    """
    dropped: dict[str, int] = {}
    left_out = int(frame.attrs.get("rows_left_out", 0))
    if frame.attrs.get("rows_kept_by") == AFGHAN_ROWS:
        return frame, _outside(dropped, left_out, file)
    inside = AFGHAN_ROWS.mask(pa.array(country.astype("string").array))
    outside = int((~inside).sum()) + left_out
    if inside.all():
        return frame, _outside(dropped, outside, file)
    return frame.loc[inside], _outside(dropped, outside, file)


def _outside(dropped: dict[str, int], outside: int, file: str) -> dict[str, int]:
    if outside:
        dropped["outside_afghanistan"] = outside
        log.info("%s: dropped %d row(s) whose country is not Afghanistan",
                 Path(file).name, outside)
    return dropped


def resolve_provinces(names: pd.Series, *, file: str, column: str,
                      problems: list[Problem], suggestions: dict | None = None
                      ) -> tuple[pd.Series, pd.Series]:
    """Province names -> (ISO code, canonical name), via the gazetteer, on unique names.

    Unknown names are added to ``problems`` (every row that uses them, with the
    gazetteer's suggestions) and left NA, so the file's other problems are found too;
    :func:`finish` raises one :class:`UnknownProvinceError` listing them all (the
    gazetteer's suggestions are collected in ``suggestions`` for it).
    """
    codes, unique_names = distinct_text(names)
    try:
        iso = gazetteer.resolve_provinces(unique_names.reset_index(drop=True), file=file,
                                          rows=None)
    except UnknownProvinceError as exc:
        bad = {str(p.value) for p in exc.problems if p.value is not None}
        bad |= set(exc.suggestions)
        rows = rows_of(names)
        listed: list[Problem] = []
        unknown = unique_names.isin(bad).fillna(False).to_numpy()
        for i in np.flatnonzero(by_code(codes, unknown)):
            name = str(unique_names.iloc[codes[i]])
            hint = exc.suggestions.get(name) or []
            rule = "unknown province" + (f"; did you mean {', '.join(map(repr, hint[:3]))}?"
                                         if hint else "")
            listed.append(Problem(file, int(rows[i]), column, name, rule))
        problems.extend(listed or list(exc.problems))
        if suggestions is not None:
            suggestions.update(exc.suggestions)
        known = ~unique_names.isin(bad).fillna(False)
        iso = pd.Series(pd.NA, index=unique_names.index, dtype="string")
        if known.any():
            iso[known] = list(gazetteer.resolve_provinces(
                unique_names[known].reset_index(drop=True), file=file, rows=None))
    iso_unique = pd.Series(np.asarray(iso, dtype=object), dtype="string")
    names_unique = iso_unique.map(
        lambda c: gazetteer.province_name(c) if pd.notna(c) else pd.NA).astype("string")
    return (take_text(iso_unique, codes, names.index),
            take_text(names_unique, codes, names.index))



#: Largest (name, day) key space looked up in a dense table (5 bytes per slot: 80 MiB);
#: beyond it, or beyond 16 slots per key, the keys are hashed.
_DENSE_KEYS = 1 << 24
_SLOTS_PER_KEY = 16


def _pair_positions(keys: list[np.ndarray], space: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """(distinct keys in ascending order, each row's position among them) for arrays of
    keys in ``0..space-1`` (``space`` itself marks a row without a key -> position -1).

    A few hundred names over a few years of days make a small key space: one table of
    slots is marked and read back (no hashing, no sort of the rows' keys).
    """
    if space <= min(_DENSE_KEYS, _SLOTS_PER_KEY * sum(len(k) for k in keys)):
        seen = np.zeros(space + 1, dtype=bool)
        for k in keys:
            seen[k] = True
        seen[space] = False
        distinct = np.flatnonzero(seen)
        slot = np.full(space + 1, -1, dtype=np.int32)
        slot[distinct] = np.arange(len(distinct), dtype=np.int32)
        return distinct, [slot[k] for k in keys]
    codes, uniques = pd.factorize(np.concatenate(keys))
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    uniques = uniques[order]
    positions = rank[codes]
    positions[uniques[positions] == space] = -1
    distinct = uniques[uniques != space]
    cut = np.cumsum([len(k) for k in keys])[:-1]
    return distinct, np.split(positions, cut)


def resolve_actor_pairs(actor1: pd.Series, actor2: pd.Series, dates: pd.Series,
                        system: str) -> tuple[pd.DataFrame, list[str]]:
    """Raw actor strings -> canonical ``actor1, side1, actor2, side2`` plus unknown names.

    The registry is asked once per unique (name, day) pair, then the answers are mapped
    back. Unknown names keep their raw text with side ``other`` (the registry's rule); the
    loader warns about them once.
    """
    codes1, distinct1 = distinct_text(actor1)
    codes2, distinct2 = distinct_text(actor2)
    merged, uniques = pd.factorize(pd.concat([distinct1, distinct2], ignore_index=True),
                                   use_na_sentinel=True)
    names = [by_code(codes1, merged[:len(distinct1)], -1, np.int64),
             by_code(codes2, merged[len(distinct1):], -1, np.int64)]
    # Each row's day as 1 + days since the first event (0: no date).
    day = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    nat = day == np.iinfo(np.int64).min
    first = int(day[~nat].min()) if (~nat).any() else 0
    day = np.where(nat, 0, day - (first - 1))
    span = int(day.max()) + 1 if len(day) else 1
    space = len(uniques) * span
    keys = [np.where(name >= 0, name * span + day, space) for name in names]
    distinct, (pos1, pos2) = _pair_positions(keys, space)
    pair_code, pair_day = distinct // span, distinct % span
    pair_date = np.where(pair_day > 0,
                         (np.datetime64(first, "D") + (pair_day - 1).astype("timedelta64[D]")
                          ).astype("datetime64[ns]"),
                         np.datetime64("NaT", "ns"))
    unique_names = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    pair_names = take_text(unique_names, pair_code, pd.RangeIndex(len(distinct)))
    unknown: list[str] = []
    actor_u = pd.Series([], dtype="string")
    side_u = pd.Series([], dtype="string")
    if len(distinct):
        with warnings.catch_warnings():  # the loader warns once, for every file together
            warnings.simplefilter("ignore", actors.UnknownActorWarning)
            resolved = actors.resolve_actors(pair_names, pd.Series(pair_date), system)
        unknown = sorted({str(u) for u in resolved.attrs.get("unknown", [])})
        actor_u = resolved["actor"].astype("string").reset_index(drop=True)
        side_u = resolved["side"].astype("string").reset_index(drop=True)
    out = pd.DataFrame({
        "actor1": take_text(actor_u, pos1, actor1.index),
        "side1": take_text(side_u, pos1, actor1.index),
        "actor2": take_text(actor_u, pos2, actor1.index),
        "side2": take_text(side_u, pos2, actor1.index),
    }, index=actor1.index, copy=False)
    return out, unknown


def urban_flags(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """``gazetteer.is_urban`` per row, asked once per unique coordinate pair (NA if none)."""
    la = pd.to_numeric(lat, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lo = pd.to_numeric(lon, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(la) & np.isfinite(lo)
    values = np.zeros(len(la), dtype=bool)
    if ok.any():
        codes, uniques = pd.factorize(la[ok] + 1j * lo[ok])
        flags = np.asarray(gazetteer.is_urban(pd.Series(uniques.real), pd.Series(uniques.imag)),
                           dtype=bool)
        values[ok] = flags[codes]
    return pd.Series(pd.arrays.BooleanArray(values, ~ok), index=lat.index, name="urban")


def target_classes(frame: pd.DataFrame, *, mentions: np.ndarray | None = None) -> pd.Series:
    """Target class per row from :func:`helpers.data.reference.targets.classify_targets`
    (``mentions``: :func:`note_mentions` of the notes, when already computed)."""
    series = targets.classify_targets(frame, mentions=mentions)
    return pd.Series(series.astype("string").array, index=frame.index, name="target",
                     copy=False)


def note_mentions(notes: pd.Series) -> np.ndarray:
    """Which notes name a target term (:func:`helpers.data.reference.targets.term_mentions`).

    It needs nothing but the notes, so a reader can start it in a worker thread as soon as
    the file is read and map the other columns meanwhile.
    """
    return targets.term_mentions(notes)


def finish(frame: pd.DataFrame, problems: list[Problem], *, file: str, layout: str,
           attrs: dict, source_columns: dict[str, str] | None = None,
           suggestions: dict | None = None) -> pd.DataFrame:
    """Validate the mapped frame; raise one error with the reader's and the schema's problems.

    ``source_columns`` maps canonical column names to the file's own (``fatalities`` ->
    ``best``), so every message names the column the analyst sees in the file; a schema
    complaint about a cell the reader already reported (e.g. an unparseable date left
    empty) is not repeated.
    """
    try:
        out = schemas.validate(frame, file=file)
        schema_problems: list[Problem] = []
    except SchemaError as exc:
        schema_problems = exc.problems
        out = None
    if schema_problems or problems:
        rename = source_columns or {}
        translated = [dataclasses.replace(p, column=rename.get(p.column, p.column))
                      if p.column else p for p in schema_problems]
        merged = _merge(problems, translated)
        if any(p.rule.startswith("unknown province") for p in merged):
            raise UnknownProvinceError(_summary(file, merged), merged,
                                       suggestions=dict(suggestions or {}))
        raise SchemaError(_summary(file, merged), merged)
    out.attrs = {**attrs, "layout": layout, "file": file}
    return out


def _merge(first: list[Problem], second: list[Problem]) -> list[Problem]:
    seen = {(p.row, p.column) for p in first}
    merged = first + [p for p in second if (p.row, p.column) not in seen]
    merged.sort(key=lambda p: (p.row is None, p.row or 0, p.column or ""))
    return merged


def _summary(file: str, problems: list[Problem]) -> str:
    rows = len({p.row for p in problems if p.row is not None})
    return f"{Path(file).name}: {rows} row(s) break the canonical event schema"


def require_columns(frame: pd.DataFrame, required: Sequence[str], *, file: str,
                    layout: str) -> None:
    """Raise :class:`SchemaError` naming every required (lower-case) column that is missing."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{Path(file).name} ({layout} layout) lacks required column(s): {', '.join(missing)}",
            [Problem(file, None, c, None, "required column is missing") for c in missing])


def lower_columns(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Rename columns to lower case (ACLED's older exports are upper-case)."""
    lowered = [str(c).strip().lower() for c in frame.columns]
    if len(set(lowered)) != len(lowered):
        raise DataError(f"{Path(file).name}: column names differ only by case",
                        [Problem(file, None, c, None, "column appears twice (ignoring case)")
                         for c in frame.columns if lowered.count(str(c).strip().lower()) > 1])
    out = frame.copy(deep=False)
    out.columns = lowered
    return out
