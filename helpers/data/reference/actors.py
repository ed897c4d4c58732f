"""Actor registry: raw actor strings from ACLED / UCDP / curated tables -> canonical actor + side.

Why: ACLED, UCDP and hand-curated tables spell the same armed group differently
(``NRF: National Resistance Front`` vs ``NRF``; ``Taliban`` vs ``Taleban``), and one UCDP
name changes meaning over time: ``Government of Afghanistan`` is the Republic until
14 August 2021 and the Taliban-led state from ``config.TAKEOVER_DATE`` (15 August 2021).
Analyses group by *side* (``resistance``, ``taliban``, ...), so every event needs one.

The registry lives in ``data/curated/actors.csv``, one row per alias, source system and
validity period (tidy layout)::

    actor        canonical name every alias of the group maps to
    alias        the name exactly as the source spells it (matched case-insensitively,
                 whitespace-normalised, never fuzzy)
    system       acled / ucdp / any (an ``any`` row applies to every source)
    side         one of SIDES
    coalition    umbrella the actor belongs to, blank when none is documented
    leader       blank unless a cited source names the leader
    valid_from   first day (inclusive, ISO date) the alias has this meaning; blank = always
    valid_to     last day (inclusive); blank = still valid
    source       citation(s), several separated by " | "
    source_date  publication date per source (YYYY, YYYY-MM or YYYY-MM-DD; "n.d." unknown)
    source_url   URL(s) separated by " | "
    note         why the row is there / what is uncertain
    checked_against  the real export(s) the alias was seen in; blank = transcribed from
                 documentation and never checked against a real export of that source

Matching rules (:func:`resolve_actors`): a source-specific row beats an ``any`` row; an
unknown name keeps its raw text (whitespace-normalised) as the actor with side ``other``
and is listed in ``attrs["unknown"]`` -- a wrong match is worse than ``other``; a
missing name (NA or blank) gives NA actor and NA side. Names are resolved once per
(name, validity period) pair and mapped back, so a million rows cost a few hundred
look-ups plus vectorised indexing.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.data.reference.vocabulary import SIDES
from helpers.errors import DataError, Problem

__all__ = [
    "ACTORS_CSV", "COLUMNS", "SYSTEMS", "SIDES", "UnknownActorWarning", "aliases",
    "normalise_name", "registry", "resolve_actors", "warn_unknown",
]

#: Where the registry lives.
ACTORS_CSV: Path = config.CURATED_DIR / "actors.csv"

#: Columns of ``actors.csv`` in file order.
COLUMNS = ("actor", "alias", "system", "side", "coalition", "leader", "valid_from", "valid_to",
           "source", "source_date", "source_url", "note", "checked_against")

#: Source systems a registry row may apply to.
SYSTEMS = ("acled", "ucdp", "any")

#: How many unknown names one warning lists before summarising.
_WARN_LISTED = 25

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SOURCE_DATE_RE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|n\.d\.)$")
_SPACE_RE = re.compile(r"\s+")


class UnknownActorWarning(UserWarning):
    """Some actor names are not in the registry; they were kept raw with side ``other``."""


def normalise_name(name: str) -> str:
    """Matching key for an actor name: Unicode NFKC, case-folded, whitespace collapsed."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def _clean_display(name: str) -> str:
    """Raw name as kept for unknown actors: only outer / repeated whitespace removed."""
    return _SPACE_RE.sub(" ", name).strip()


# --------------------------------------------------------------------------- registry


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"actor registry not found: {path}") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"actor registry {path.name} cannot be parsed: {exc}",
                        [Problem(str(path), None, None, None, str(exc))]) from exc
    return frame


def _validate(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check every rule of the registry layout; raise one DataError listing all problems."""
    file = str(path)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"actor registry {path.name} lacks columns",
                        [Problem(file, None, c, None, "required column missing") for c in missing])
    frame = frame.loc[:, list(COLUMNS)].apply(lambda col: col.str.strip())
    problems: list[Problem] = []
    for pos, rec in enumerate(frame.itertuples(index=False), start=1):
        for col in ("actor", "alias", "source"):
            if not getattr(rec, col):
                problems.append(Problem(file, pos, col, getattr(rec, col), "must not be blank"))
        if rec.system not in SYSTEMS:
            problems.append(Problem(file, pos, "system", rec.system, f"must be one of {SYSTEMS}"))
        if rec.side not in SIDES:
            problems.append(Problem(file, pos, "side", rec.side, f"must be one of {SIDES}"))
        for col in ("valid_from", "valid_to"):
            value = getattr(rec, col)
            if value and (not _DATE_RE.match(value) or pd.isna(pd.to_datetime(
                    value, format="%Y-%m-%d", errors="coerce"))):
                problems.append(Problem(file, pos, col, value, "must be an ISO date YYYY-MM-DD"))
        if rec.valid_from and rec.valid_to and rec.valid_from > rec.valid_to:
            problems.append(Problem(file, pos, "valid_to", rec.valid_to,
                                    "must not be before valid_from"))
        for part in rec.source_date.split("|"):
            if not _SOURCE_DATE_RE.match(part.strip()):
                problems.append(Problem(file, pos, "source_date", rec.source_date,
                                        "each part must be YYYY, YYYY-MM, YYYY-MM-DD or n.d."))
                break
        if len(rec.source_date.split("|")) != len(rec.source.split("|")):
            problems.append(Problem(file, pos, "source_date", rec.source_date,
                                    "needs one date (or n.d.) per source"))
    problems += _overlaps(frame, file)
    if problems:
        raise DataError(f"actor registry {path.name} is invalid", problems)
    return frame


def _overlaps(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Two rows for the same alias and system must not be valid on the same day."""
    problems = []
    low = pd.Timestamp.min.isoformat()[:10]
    high = pd.Timestamp.max.isoformat()[:10]
    keyed = frame.assign(key_=frame["alias"].map(normalise_name), pos_=range(1, len(frame) + 1))
    for _, group in keyed.groupby(["key_", "system"], sort=False):
        spans = sorted((r.valid_from or low, r.valid_to or high, r.pos_)
                       for r in group.itertuples(index=False))
        for (_, end, _), (start, _, pos) in zip(spans, spans[1:], strict=False):
            if start <= end:
                problems.append(Problem(file, pos, "alias", frame["alias"].iat[pos - 1],
                                        "same alias and system already valid on these dates"))
    return problems


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> pd.DataFrame:
    """Read and validate once per file version (the mtime is part of the cache key)."""
    del mtime_ns  # only used to invalidate the cache when the file changes
    frame = _validate(_read_csv(path), path)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def aliases(path: str | Path | None = None) -> pd.DataFrame:
    """The registry as stored: one row per alias, system and validity period.

    ``valid_from`` / ``valid_to`` are datetimes (NaT = open); text columns are strings
    with blanks as NA. The index is the 1-based data row of the CSV.
    """
    path = Path(path) if path is not None else ACTORS_CSV
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise DataError(f"actor registry not found: {path}") from exc
    frame = _load(path, mtime).copy()
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col].mask(frame[col] == ""), format="%Y-%m-%d")
    text = [c for c in COLUMNS if c not in ("valid_from", "valid_to")]
    frame[text] = frame[text].replace("", pd.NA).astype("string")
    return frame


def registry(path: str | Path | None = None) -> pd.DataFrame:
    """One row per canonical actor and validity period, with its aliases and sources.

    Columns: actor, side, coalition, leader, valid_from, valid_to, aliases (sorted,
    ``"; "``-joined), systems, source, source_url. This is what widgets list and
    notebooks cite; :func:`aliases` is the matching table.
    """
    table = aliases(path)
    keys = ["actor", "side", "valid_from", "valid_to"]

    def joined(values: pd.Series, sep: str = "; ") -> str | None:
        parts: list[str] = []
        for value in values.dropna():
            for part in str(value).split(" | "):
                if part and part not in parts:
                    parts.append(part)
        return sep.join(parts) if parts else None

    out = (table.groupby(keys, dropna=False, sort=False)
           .agg(coalition=("coalition", "first"), leader=("leader", "first"),
                aliases=("alias", lambda s: "; ".join(sorted(s))),
                systems=("system", lambda s: ", ".join(sorted(set(s)))),
                source=("source", lambda s: joined(s, " | ")),
                source_url=("source_url", lambda s: joined(s, " | ")))
           .reset_index())
    text = ["actor", "side", "coalition", "leader", "aliases", "systems", "source", "source_url"]
    out[text] = out[text].astype("string")
    return out.sort_values(["side", "actor", "valid_from"], na_position="first",
                           ignore_index=True)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Matcher:
    """Pre-built look-up: alias key -> rows, plus the dates where meanings change."""

    rows: dict[str, list[tuple[str, int, int, str, str]]]  # key -> (system, from, to, actor, side)
    breakpoints: np.ndarray  # int64 ns, sorted: validity changes at these instants


_OPEN_LOW = np.iinfo(np.int64).min
_OPEN_HIGH = np.iinfo(np.int64).max
_DAY_NS = 86_400 * 10**9


@lru_cache(maxsize=4)
def _matcher(path: Path, mtime_ns: int) -> _Matcher:
    table = _load(path, mtime_ns)
    rows: dict[str, list[tuple[str, int, int, str, str]]] = {}
    points: set[int] = set()
    for rec in table.itertuples(index=False):
        start = _OPEN_LOW if not rec.valid_from else pd.Timestamp(rec.valid_from).value
        # valid_to is inclusive: the meaning ends at the start of the following day.
        end = _OPEN_HIGH if not rec.valid_to else pd.Timestamp(rec.valid_to).value + _DAY_NS
        if rec.valid_from:
            points.add(start)
        if rec.valid_to:
            points.add(end)
        rows.setdefault(normalise_name(rec.alias), []).append(
            (rec.system, start, end, rec.actor, rec.side))
    return _Matcher(rows, np.array(sorted(points), dtype=np.int64))


def _pick(candidates: list[tuple[str, int, int, str, str]], system: str,
          when: int | None) -> tuple[str, str] | None:
    """Best (actor, side) for one alias on one instant (None when the date is unknown)."""
    def valid(row: tuple[str, int, int, str, str]) -> bool:
        _, start, end, _, _ = row
        if when is None:
            return start == _OPEN_LOW and end == _OPEN_HIGH
        return start <= when < end

    live = [r for r in candidates if valid(r)]
    if system == "any":
        found = {(r[3], r[4]) for r in live}
        return found.pop() if len(found) == 1 else None
    for wanted in (system, "any"):
        found = {(r[3], r[4]) for r in live if r[0] == wanted}
        if len(found) == 1:
            return found.pop()
    return None


def _as_ns(dates: pd.Series | None, index: pd.Index) -> np.ndarray:
    """Event dates as int64 nanoseconds (NaT -> the int64 minimum, like pandas)."""
    if dates is None:
        return np.full(len(index), np.iinfo(np.int64).min, dtype=np.int64)
    values = dates
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values, errors="coerce", format="ISO8601")
    values = pd.DatetimeIndex(values)
    if values.tz is not None:
        values = values.tz_localize(None)
    return values.as_unit("ns").asi8


def resolve_actors(names: pd.Series, dates: pd.Series | None, system: str,
                   *, path: str | Path | None = None) -> pd.DataFrame:
    """Canonical ``actor`` and ``side`` for each raw name, on the event's date.

    ``names`` and ``dates`` are aligned Series (``dates`` may be None for undated
    tables: then only aliases without a validity window match). ``system`` is
    ``acled`` / ``ucdp`` / ``any``; with ``any`` every row is searched and a name that
    means different actors in different sources stays unknown.

    Returns a frame with the index of ``names`` and string columns ``actor``, ``side``;
    ``attrs["unknown"]`` is the sorted list of raw names not in the registry (or not
    valid on their date). Call :func:`warn_unknown` on it to tell the user once.
    """
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {SYSTEMS}, got {system!r}")
    if dates is not None and len(dates) != len(names):
        raise ValueError(f"names ({len(names)}) and dates ({len(dates)}) differ in length")
    path = Path(path) if path is not None else ACTORS_CSV
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise DataError(f"actor registry not found: {path}") from exc
    matcher = _matcher(path, mtime)

    raw = pd.Series(names, copy=False).astype("string")
    raw = raw.where(raw.str.strip().str.len() > 0)  # blank -> NA
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    when = _as_ns(dates, raw.index)
    nat = when == np.iinfo(np.int64).min
    # Period bucket per event: 0..len(breakpoints); -1 marks an unknown date.
    bucket = np.searchsorted(matcher.breakpoints, when, side="right").astype(np.int64)
    bucket[nat] = -1
    width = len(matcher.breakpoints) + 2
    key = codes.astype(np.int64) * width + (bucket + 1)
    has_name = codes >= 0
    ukeys, inverse = np.unique(key[has_name], return_inverse=True)

    actor_u = np.empty(len(ukeys), dtype=object)
    side_u = np.empty(len(ukeys), dtype=object)
    unknown: set[str] = set()
    for i, k in enumerate(ukeys.tolist()):
        name = str(uniques[k // width])
        b = k % width - 1
        instant = None if b < 0 else _bucket_instant(matcher.breakpoints, b)
        hit = _pick(matcher.rows.get(normalise_name(name), []), system, instant)
        if hit is None:
            shown = _clean_display(name)
            actor_u[i], side_u[i] = shown, "other"
            unknown.add(shown)
        else:
            actor_u[i], side_u[i] = hit

    actor = np.full(len(raw), None, dtype=object)
    side = np.full(len(raw), None, dtype=object)
    actor[has_name] = actor_u[inverse]
    side[has_name] = side_u[inverse]
    out = pd.DataFrame({"actor": pd.array(actor, dtype="string"),
                        "side": pd.array(side, dtype="string")}, index=raw.index)
    out.attrs["unknown"] = sorted(unknown)
    return out


def _bucket_instant(breakpoints: np.ndarray, bucket: int) -> int:
    """Any instant inside period ``bucket`` (meanings only change at breakpoints)."""
    if len(breakpoints) == 0:
        return 0
    if bucket == 0:
        return int(breakpoints[0]) - 1
    return int(breakpoints[bucket - 1])


def warn_unknown(names: Iterable[str], *, source: str | None = None,
                 stacklevel: int = 2) -> None:
    """Issue one :class:`UnknownActorWarning` listing ``names`` (nothing if empty)."""
    listed = sorted({str(n) for n in names})
    if not listed:
        return
    shown = ", ".join(repr(n) for n in listed[:_WARN_LISTED])
    more = len(listed) - _WARN_LISTED
    if more > 0:
        shown += f" … and {more} more"
    where = f" in {source}" if source else ""
    warnings.warn(
        f"{len(listed)} actor name(s){where} not in data/curated/actors.csv; kept as written "
        f"with side 'other': {shown}. Add them to the registry (with a source) to classify "
        "them.", UnknownActorWarning, stacklevel=stacklevel)
