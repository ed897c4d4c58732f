"""The catalogue: what notebooks call to get data, and where each kind comes from.

* :func:`events` — the canonical event table. It finds the input files for a source (the
  synthetic demo set, every ACLED or UCDP export in ``data/raw/``, a file, a folder, or a
  list of these), detects each file's layout from its header, reads it through the
  Arrow cache, combines the files and applies the notebook's filters.
* :func:`indicators` — humanitarian indicators (the cited curated table, or HDX HAPI /
  FTS files), :func:`conflict_aggregates` — province-month conflict counts. Both are
  kept apart from the event table on purpose: aggregates carry no actors, dates or places
  finer than a province, so they are never turned into fake events.
* :func:`select` and :func:`tables` — a notebook's parameters cell made into data, and
  the curated tables it reads, each declared to the batch runner
  (:mod:`helpers.data.run_inputs`) so reports cite them and re-run when they change.
* :func:`open_table` and its named wrappers (:func:`battle_deaths`, :func:`conflicts`,
  :func:`population`, :func:`registrations`, :func:`funding`, :func:`returnees`,
  :func:`people_in_need`, :func:`outlines`) — the real open data shipped in
  ``data/open/``; :func:`evidence` bundles them for the claims ledger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import config
from helpers._io import sha256_file
from helpers._snapshots import RECORD, newest, snapshots
from helpers.data import cache, curated, provenance
from helpers.data.reference import gazetteer
from helpers.data.reference.actors import warn_unknown
from helpers.data.reference.boundaries import BoundaryMatch, match_boundaries
from helpers.data.reference.vocabulary import PROVINCE_CODES, SIDES
from helpers.data.run_inputs import record_inputs
from helpers.data.schemas import (
    AGGREGATE_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
    empty_aggregates,
    empty_indicators,
    validate_aggregates,
    validate_indicators,
)
from helpers.data.sources import detect_layout
from helpers.data.sources._scan import Scan, expand, scan_folder
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

DEMO_FILE = "acled_demo_events.csv"
SYNTHETIC_SOURCE = "synthetic-demo"
#: Source keywords and the layouts each selects among the files in ``config.RAW_DIR``.
#: Sources ``python -m helpers.fetch`` keeps snapshots of (``data/raw/<source>/<date>/``).
SNAPSHOT_SOURCES = ("acled", "ucdp", "hdx")
KEYWORD_LAYOUTS = {"acled": ("acled", "acled_legacy"),
                   "ucdp": ("ucdp_ged", "ucdp_ged_geojson", "ucdp_ged_api")}
#: File suffixes considered when a folder is scanned.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")

_ISO = re.compile(r"^AF-[A-Z]{3}$")
_PCODE = re.compile(r"^AF\d{2}$")

DateLike = str | date | datetime | pd.Timestamp | None


def _resolve_sources(source: str | Path | Sequence[str | Path]) -> Scan:
    """The event files ``source`` names (with layouts), in a stable order, and the files a
    folder scan skipped with the reason."""
    if isinstance(source, (str, Path)):
        items: list[str | Path] = [source]
    else:
        items = list(source)
        if not items:
            raise DataError("events(): source is an empty list; name at least one source")
    found = Scan()
    for item in items:
        sub = _resolve_one(item)
        found.files.extend(sub.files)
        found.skipped.extend(sub.skipped)
    seen: set[Path] = set()
    unique = []
    for path, layout in found.files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, layout))
    found.files = unique
    return found


def raw_folder(keyword: str) -> tuple[Path, str | None]:
    """Where ``data_source=keyword`` looks: the newest fetched snapshot of the source
    (``data/raw/<source>/<date>/``, written by ``python -m helpers.fetch``), a named one
    (``"acled@2026-11-01"``), else ``data/raw/`` itself. Returns (folder, snapshot name)."""
    name, _, wanted = keyword.partition("@")
    raw = Path(config.RAW_DIR)
    if wanted:
        folder = raw / name / wanted
        if not (folder / RECORD).is_file():
            have = ", ".join(p.name for p in snapshots(raw, name)) or "none"
            raise DataError(f"no {name} snapshot {wanted!r} in {raw / name} (have: {have})",
                            [Problem(str(folder), None, None, wanted, "no such snapshot")])
        return folder, wanted
    current = newest(raw, name)
    if current is not None:
        return current, current.name
    return raw, None


def has_raw_events(keyword: str) -> bool:
    """Whether ``data_source=keyword`` finds an event export (in the newest snapshot or in
    ``data/raw/``), without reading any of it."""
    name = keyword.partition("@")[0]
    wanted = KEYWORD_LAYOUTS.get(name, ())
    try:
        folder, _ = raw_folder(keyword)
    except DataError:
        return False
    if not folder.is_dir():
        return False
    return bool(scan_folder(folder, "events", accept=lambda lay: lay.name in wanted).files)


def _resolve_one(item: str | Path) -> Scan:
    if isinstance(item, str) and item == "demo":
        path = config.DEMO_DIR / DEMO_FILE
        if not path.exists():
            raise DataError(f"the synthetic demo events are missing ({path}); "
                            "run `make demo-data` to generate them")
        return Scan([(path, _events_layout(path))])
    if isinstance(item, str) and item.partition("@")[0] in KEYWORD_LAYOUTS:
        name = item.partition("@")[0]
        wanted = KEYWORD_LAYOUTS[name]
        raw, snapshot = raw_folder(item)
        found = scan_folder(raw, "events", accept=lambda lay: lay.name in wanted) \
            if raw.is_dir() else Scan()
        if not found.files:
            raise DataError(
                f"no {name.upper()} export found in {raw}: run `python -m helpers.fetch "
                f"{name}` or download one into that folder (layouts recognised: "
                f"{', '.join(wanted)}), or pass a path",
                [Problem(str(raw), None, None, item, f"no {name.upper()} file")])
        # the other files of data/raw/ are for other loaders: not worth a warning here
        found.skipped = [s for s in found.skipped if "was not asked for" not in s.reason]
        return found
    path = Path(item)
    if path.is_dir():
        found = scan_folder(path, "events")
        if not found.files:
            reasons = "; ".join(f"{s.path.name}: {s.reason}" for s in found.skipped[:5])
            raise DataError(f"no event export (ACLED, UCDP GED) found in folder {path}"
                            + (f" ({reasons})" if reasons else ""),
                            [Problem(str(s.path), None, None, None, s.reason)
                             for s in found.skipped])
        return found
    if path.is_file():
        return Scan([(path, _events_layout(path))])
    raise DataError(f"events(): source {str(item)!r} is neither 'demo', 'acled', 'ucdp' nor "
                    "an existing file or folder")


def _events_layout(path: Path):
    layout = detect_layout(path)
    if layout.kind != "events":
        helper = ("catalog.conflict_aggregates" if layout.kind == "aggregates"
                  else "catalog.indicators")
        raise DataError(
            f"{path.name} is a {layout.name} file ({layout.description}), which holds "
            f"{layout.kind}, not events: load it with {helper}() instead",
            [Problem(str(path), None, None, layout.name, f"layout of kind '{layout.kind}'")])
    return layout


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _province_codes(names: list[str]) -> list[str]:
    """ISO codes for province filters given as names (any spelling), ISO codes or p-codes."""
    codes: list[str] = []
    to_resolve: list[str] = []
    for name in names:
        text = name.strip()
        if _ISO.match(text.upper()) and text.upper() in PROVINCE_CODES:
            codes.append(text.upper())
        elif _PCODE.match(text.upper()) :
            codes.append(gazetteer.pcode_to_iso(text.upper()))
        else:
            to_resolve.append(text)
    if to_resolve:
        resolved = gazetteer.resolve_provinces(pd.Series(to_resolve, dtype="string"))
        codes.extend(str(c) for c in resolved)
    return codes


def _timestamp(value: DateLike, name: str) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        return pd.Timestamp(value).tz_localize(None).normalize()
    except (ValueError, TypeError) as exc:
        raise DataError(f"events(): {name} {value!r} is not a date (use YYYY-MM-DD)") from exc


def filter_events(frame: pd.DataFrame, start_date: DateLike = None, end_date: DateLike = None,
                  provinces: str | Iterable[str] | None = None,
                  sides: str | Iterable[str] | None = None,
                  event_types: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Rows of a canonical event frame that pass the filters (``None`` = no filter).

    Dates are inclusive; ``provinces`` accepts any spelling the gazetteer knows, ISO codes
    (AF-PAN) or p-codes (AF26); ``sides`` keeps events where side1 *or* side2 matches;
    ``event_types`` matches ``event_type`` exactly.
    """
    keep = pd.Series(True, index=frame.index)
    start = _timestamp(start_date, "start_date")
    end = _timestamp(end_date, "end_date")
    if start is not None and end is not None and start > end:
        raise DataError(f"events(): start_date {start.date()} is after end_date {end.date()}")
    if start is not None:
        keep &= frame["event_date"] >= start
    if end is not None:
        keep &= frame["event_date"] < end + pd.Timedelta(days=1)
    wanted_provinces = _as_list(provinces)
    if wanted_provinces:
        keep &= frame["province_code"].isin(_province_codes(wanted_provinces)).fillna(False)
    wanted_sides = _as_list(sides)
    if wanted_sides:
        unknown = [s for s in wanted_sides if s not in SIDES]
        if unknown:
            raise DataError(f"events(): unknown side(s) {unknown}; sides are "
                            f"{', '.join(SIDES)}")
        keep &= (frame["side1"].isin(wanted_sides).fillna(False)
                 | frame["side2"].isin(wanted_sides).fillna(False))
    wanted_types = _as_list(event_types)
    if wanted_types:
        keep &= frame["event_type"].isin(wanted_types).fillna(False)
    out = frame.loc[keep.to_numpy()]
    out.attrs = dict(frame.attrs)
    return out


def _drop_cross_file_duplicates(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """Concatenate per-file frames; an event id repeated in a later file replaces the earlier.

    Overlapping exports (2021-2023 and 2023-2025) are common; the later file's row wins and
    the number replaced is counted in ``attrs["dropped"]["duplicate_across_files"]``.
    """
    if len(frames) == 1:
        return frames[0], 0
    tagged = [f.assign(_file=i) for i, f in enumerate(frames)]
    combined = pd.concat(tagged)
    dup = combined.duplicated(["source", "event_id", "_file"], keep=False)
    if dup.any():
        raise DataError("internal: duplicate event ids inside one file passed validation")
    repeated = combined.duplicated(["source", "event_id"], keep="last")
    n = int(repeated.sum())
    if n:
        log.info("%d event(s) appear in more than one input file; the later file's row is kept",
                 n)
        combined = combined.loc[~repeated.to_numpy()]
    return combined.drop(columns="_file"), n


def events(source: str | Path | Sequence[str | Path] = "demo", start_date: DateLike = None,
           end_date: DateLike = None, provinces: str | Iterable[str] | None = None,
           sides: str | Iterable[str] | None = None,
           event_types: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The canonical event table for ``source``, filtered.

    ``source``: ``"demo"`` (the labelled synthetic set), ``"acled"`` / ``"ucdp"`` (every file
    of that layout in ``data/raw/``), a path to a file or folder, or a list of these.
    Filters: see :func:`filter_events`. Rows are sorted by ``event_date`` then ``event_id``.

    ``attrs``: ``synthetic`` (True iff every row comes from the synthetic demo set),
    ``inputs`` (path, sha256, layout, rows per file), ``dropped`` (counts of rows left out,
    e.g. ``outside_afghanistan``), ``skipped`` (files a folder scan left out, with why).
    Actor names missing from the registry raise one
    ``UnknownActorWarning`` per call listing them all.
    """
    frames: list[pd.DataFrame] = []
    inputs: list[dict] = []
    dropped: dict[str, int] = {}
    unknown: set[str] = set()
    resolved = _resolve_sources(source)
    for path, layout in resolved.files:
        frame, info = cache.load(path, layout.name, layout.read)
        frames.append(frame)
        inputs.append({k: info[k] for k in ("path", "sha256", "layout", "rows")})
        for reason, n in frame.attrs.get("dropped", {}).items():
            dropped[reason] = dropped.get(reason, 0) + int(n)
        unknown.update(frame.attrs.get("unknown_actors", []))
    combined, repeated = _drop_cross_file_duplicates(frames)
    if repeated:
        dropped["duplicate_across_files"] = repeated
    if unknown:
        warn_unknown(unknown, source=", ".join(Path(i["path"]).name for i in inputs),
                     stacklevel=3)
    synthetic = bool(len(combined)) and bool(
        (combined["source"] == SYNTHETIC_SOURCE).fillna(False).all())
    combined = filter_events(combined, start_date, end_date, provinces, sides, event_types)
    order = combined.sort_values(["event_date", "event_id", "source"], kind="stable")
    result = order.reset_index(drop=True)
    result.attrs = {"synthetic": synthetic, "inputs": inputs, "dropped": dropped,
                    "skipped": resolved.skipped_dicts()}
    return result


# ------------------------------------------------------------------------------ curated


def from_curated(curated: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Map the curated humanitarian table (:func:`helpers.data.curated.humanitarian_indicators`)
    into the indicator schema.

    Curated ``geography`` ``AF`` becomes ``national``; a province code stays as it is.
    The curated ``comparator`` (``>`` for "over 23 million", ``~`` for "around") is kept:
    such a value is a bound or an approximation, not an exact count.
    """
    path = Path(file or curated.attrs.get("source_file")
                or config.CURATED_DIR / "humanitarian_indicators.csv")
    digest = sha256_file(path)
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
                "source_type", "supersedes", "note"):
        if col in curated.columns:
            out[col] = curated[col].astype("str")
    if "id" in curated.columns:
        out["record_id"] = curated["id"].astype("str")
    return validate_indicators(out, file=path)


# ------------------------------------------------------------------------------ loaders


#: Granularities below a whole appeal: the same money as its plan row, broken down.
BELOW_PLAN = ("cluster", "global cluster")


def _plan_level(frame: pd.DataFrame) -> pd.DataFrame:
    """Leave out rows that break an appeal's money down by cluster (counted in
    ``attrs["dropped"]["below_plan_level"]``): added to the plan rows they would count the
    same funding two or three times. ``indicators(..., sectors=True)`` keeps them."""
    if "level" not in frame.columns:
        return frame
    below = frame["level"].isin(BELOW_PLAN).fillna(False).astype(bool)
    if not below.any():
        return frame
    kept = frame[~below].copy()
    kept.attrs = dict(frame.attrs)
    kept.attrs["dropped"] = {**(frame.attrs.get("dropped") or {}),
                             "below_plan_level": int(below.sum())}
    return kept


def _read_files(found: Scan, options: dict) -> list[pd.DataFrame]:
    frames = []
    for path, layout in found.files:
        frame = layout.read(path, **options)
        frame.attrs["layout"] = layout.name
        log.info("%s: %d row(s) from layout %s", path.name, len(frame), layout.name)
        frames.append(frame)
    return frames


def _combine(frames: list[pd.DataFrame], order: Iterable[str], empty: pd.DataFrame,
             validate, skipped: list[dict] | None = None) -> pd.DataFrame:
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
    out.attrs = {"inputs": inputs, "dropped": dropped, "skipped": list(skipped or [])}
    return out


def indicators(source: str | Path | Iterable[str | Path] = "curated", *,
               breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """Humanitarian indicators as one tidy table (see :data:`INDICATOR_COLUMNS`).

    ``source``: ``"curated"`` (default) — the cited table ``data/curated/
    humanitarian_indicators.csv``; ``"hdx"`` — the newest snapshot ``python -m
    helpers.fetch hdx`` wrote (``"hdx@2026-11-01"``: a named one); otherwise a path to
    an HDX HAPI humanitarian-needs, HDX HAPI food-security (IPC) or FTS
    requirements-and-funding CSV (or any layout of the README's table), a folder of such
    files, or a list of these. Each file's layout is detected from its header (or HXL row).

    ``breakdown`` (HNO files): also return the rows broken down by ``category`` (age,
    gender, disability, population group). By default only the undivided totals are
    returned, because the categories overlap and summing them counts people many times.
    ``sectors`` (HNO files): also return per-sector figures; by default only the
    intersectoral figure (``sector == "Intersectoral"``), the one OCHA says to use for
    people in need across all sectors. FTS files: also return the cluster and
    global-cluster rows (``level``); by default only whole appeals, so plan, cluster and
    global-cluster files loaded together never count the same money two or three times.

    A file of another kind raises a :class:`DataError` that says which loader reads it.
    """
    if isinstance(source, str) and source == "curated":
        return from_curated(curated.humanitarian_indicators())
    if isinstance(source, str) and source.partition("@")[0] == "hdx":
        source, _ = raw_folder(source)  # the newest HDX snapshot (or a named one)
    found = expand(source, "indicators")
    frames = _read_files(found, {"breakdown": breakdown, "sectors": sectors})
    if not sectors:
        frames = [_plan_level(f) for f in frames]
    if not frames:
        log.info("no humanitarian indicator files in %s", source)
    return _combine(frames, INDICATOR_COLUMNS + INDICATOR_OPTIONAL, empty_indicators(),
                    validate_indicators, found.skipped_dicts())


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
        found = scan_folder(raw, "aggregates") if raw.is_dir() else Scan()
        frames = _read_files(found, {})
        if not frames:
            log.info("no conflict-aggregate files (HDX HAPI conflict events, ACLED "
                     "aggregated) in %s: returning an empty table", raw)
    else:
        found = expand(source, "aggregates")
        frames = _read_files(found, {})
    return _combine(frames, AGGREGATE_COLUMNS, empty_aggregates(), validate_aggregates,
                    found.skipped_dicts())


# ------------------------------------------------------------------ notebook selection
@dataclass
class Selection:
    """What a theme notebook works on, loaded from its parameters in one call.

    ``events`` is the filtered canonical table; ``all_events`` the whole source (claim
    checks and coverage use it); ``history`` the selected provinces and sides at every
    date (first activity and onset use it, so a narrower window never makes a province
    look newly reached); ``start`` / ``end`` the analysis window: the requested
    dates clipped to the dates the source covers, so monthly series are zero-filled only
    where the data could have had events. ``source`` is the line charts print under them.
    """

    events: pd.DataFrame
    all_events: pd.DataFrame
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    filters: dict
    source: str
    synthetic: bool
    history: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.history is None:
            object.__setattr__(self, "history", self.all_events)

    @property
    def empty(self) -> bool:
        """True when the selection has no events (notebooks then show a notice)."""
        return self.events.empty


def source_line(events: pd.DataFrame) -> str:
    """The "Source: ..." text under a chart: synthetic demo set or the input files."""
    if events.attrs.get("synthetic"):
        return "synthetic demo events made by the workbook's generator (not real incidents)"
    names = {"acled": "ACLED", "acled_legacy": "ACLED", "ucdp_ged": "UCDP GED"}
    parts = []
    for item in events.attrs.get("inputs") or []:
        layout = names.get(str(item.get("layout")), str(item.get("layout") or "events"))
        parts.append(f"{layout} export {Path(str(item.get('path', '?'))).name}")
    return "; ".join(parts) or "event data (no input files recorded)"


def _window(frame: pd.DataFrame, start: pd.Timestamp | None,
            end: pd.Timestamp | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    if frame.empty:
        return start, end
    dates = pd.to_datetime(frame["event_date"])
    first, last = dates.min().normalize(), dates.max().normalize()
    lo = first if start is None else max(start, first)
    hi = last if end is None else min(end, last)
    return lo, hi


def select(data_source: object = "demo", start_date: object = None, end_date: object = None,
           provinces: list[str] | None = None, sides: list[str] | None = None,
           record: bool = True) -> Selection:
    """Load ``data_source`` through :func:`events` and apply a notebook's filters.

    Empty strings and empty lists mean "no filter". The files read are declared to the
    batch runner (``helpers.reports.record_inputs``) unless ``record`` is False. Bad
    parameters (an unknown province or side, start after end) raise the loader's clear
    :class:`~helpers.errors.DataError`.
    """
    everything = events(source=data_source)
    if record:  # the gazetteer and actor registry shape every canonical event table
        tables(*REGISTRY_TABLES)
    start = pd.Timestamp(start_date) if start_date else None
    end = pd.Timestamp(end_date) if end_date else None
    chosen = filter_events(everything, start, end, provinces or None, sides or None)
    if record:
        record_inputs(everything)
    lo, hi = _window(everything, start, end)
    filters = {"dates": f"{start_date or 'first'} to {end_date or 'last'}",
               "provinces": list(provinces or []), "sides": list(sides or [])}
    history = filter_events(everything, None, None, provinces or None, sides or None)
    return Selection(chosen, everything, lo, hi, filters, source_line(everything),
                     bool(everything.attrs.get("synthetic")), history)


#: Curated tables every event load depends on (recorded so reports re-run when they change).
REGISTRY_TABLES = ("provinces", "province_aliases", "districts", "actors")


def tables(*names: str, record: bool = True) -> dict[str, pd.DataFrame]:
    """Curated tables by name, validated (``helpers.data.curated``), and declared to the runner.

    The registry tables (provinces, aliases, districts, actors) are recorded but not
    returned as frames: the gazetteer and actor modules read them.
    """
    if record:
        record_inputs([config.CURATED_DIR / f"{name}.csv" for name in names])
    return {name: curated.table(name) for name in names if name not in REGISTRY_TABLES}


def indicator_files(indicators: pd.DataFrame) -> list[str]:
    """The distinct files an indicator table was read from (its ``source_file`` column)."""
    if "source_file" not in indicators.columns:
        return []
    return sorted({str(p) for p in indicators["source_file"].dropna()})


def record_indicator_inputs(indicators: pd.DataFrame) -> list[dict]:
    """Declare the files behind an indicator table to the batch runner."""
    return record_inputs(indicator_files(indicators))


# ------------------------------------------------------------------------ shipped open data

#: The real open data shipped in ``data/open/`` (provenance in ``data/curated/sources.yml``).
OPEN_FILES = {
    "battle_deaths": "ucdp_brd_dyadic_v24_1_afghanistan.csv",
    "conflicts": "ucdp_acd_v25_1_afghanistan.csv",
    "funding": "hdx_hapi_funding_afg.csv",
    "population": "cod_ps_afg_adm1_2021_v2.csv",
    "returnees": "hdx_hapi_returnees_afg.csv",
    "registrations": "fara_foreign_principals_afghanistan_2021_2025.csv",
    "people_in_need": "hno_pin_2024_afg.xlsx",
    "outlines": "geoboundaries_afg_adm1_simplified.geojson",
}


def published(name: str) -> str:
    """When the publisher released the shipped open file ``name`` (its provenance record's
    ``date_published``, e.g. "2025"), so a report can say how current a figure is."""
    record = provenance.record_for(open_path(name))
    return str((record or {}).get("date_published") or "date unknown")


def open_path(name: str) -> Path:
    """Path of the shipped open file ``name`` (a key of :data:`OPEN_FILES`)."""
    if name not in OPEN_FILES:
        raise DataError(f"unknown open dataset {name!r}; known: {', '.join(OPEN_FILES)}")
    return config.OPEN_DIR / OPEN_FILES[name]


def open_table(name: str, path: str | Path | None = None, *, record: bool = True,
               **options: object) -> pd.DataFrame:
    """A shipped open dataset (or ``path``, a newer file of the same layout) as its tidy table.

    The layout is detected from the file; the parsed table is cached (Arrow, keyed by
    the file's content and the reader's code). ``options`` go to the reader (e.g.
    ``breakdown=True``). The file is declared to the batch runner unless ``record`` is
    False, so reports cite it and re-run when it changes.
    """
    file = Path(path) if path is not None else open_path(name)
    layout = detect_layout(file)
    if options:
        def read(p: Path, _read=layout.read) -> pd.DataFrame:
            return _read(p, **options)
        read.__module__ = layout.read.__module__
        key = layout.name + "".join(f"+{k}={v}" for k, v in sorted(options.items()))
    else:
        read, key = layout.read, layout.name
    frame, _info = cache.load(file, key, read)
    if record:
        record_inputs([file])
    return frame


def battle_deaths(path: str | Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """UCDP battle-related deaths by dyad and year (see ``sources.ucdp_conflict``)."""
    return open_table("battle_deaths", path, record=record)


def conflicts(path: str | Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """UCDP/PRIO armed conflicts by year and opponent (see ``sources.ucdp_conflict``)."""
    return open_table("conflicts", path, record=record)


def population(path: str | Path | None = None, *, record: bool = True,
               breakdown: bool = False) -> pd.DataFrame:
    """COD-PS population per province (indicator ``population``; see ``sources.cod_ps``)."""
    return open_table("population", path, record=record,
                      **({"breakdown": True} if breakdown else {}))


def registrations(path: str | Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """FARA registrations of foreign principals in Afghanistan (see ``sources.fara``)."""
    return open_table("registrations", path, record=record)


def funding(path: str | Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """OCHA FTS requirements and funding by appeal, via HDX HAPI (see ``sources.hapi``)."""
    return open_table("funding", path, record=record)


@dataclass(frozen=True)
class Funding:
    """Appeal requirements and funding, and what they come from (for the report's words)."""

    table: pd.DataFrame
    source: str
    as_of: str


def funding_for(indicators: pd.DataFrame | None = None) -> Funding:
    """The appeals' requirements and funding a report uses: the FTS or HDX HAPI funding
    rows among ``indicators`` when the analyst loaded some (whole appeals only), else the
    shipped HDX HAPI snapshot."""
    if indicators is not None and "level" in indicators.columns and len(indicators):
        rows = indicators[indicators["indicator"].isin(["requirements_usd", "funding_usd",
                                                        "funding_pct"])
                          & (indicators["level"].isna() | indicators["level"].eq("plan"))]
        if len(rows) and "appeal_code" in rows and rows["appeal_code"].notna().any():
            files = sorted({Path(str(f)).name for f in rows["source_file"].dropna()})
            return Funding(rows, f"OCHA Financial Tracking Service ({', '.join(files)})",
                           "as the loaded files give it")
    return Funding(funding(), "OCHA Financial Tracking Service via HDX HAPI (snapshot "
                              f"published {published('funding')})",
                   f"by the time of the snapshot (published {published('funding')})")


def returnees(path: str | Path | None = None, *, record: bool = True) -> pd.DataFrame:
    """UNHCR returned refugees and IDPs per year, via HDX HAPI (see ``sources.hapi``)."""
    return open_table("returnees", path, record=record)


def people_in_need(path: str | Path | None = None, *, record: bool = True,
                   breakdown: bool = False, sectors: bool = False) -> pd.DataFrame:
    """HNO people in need by province (and nationally) from the PiN workbook (``sources.hno``)."""
    options = {k: True for k, v in (("breakdown", breakdown), ("sectors", sectors)) if v}
    return open_table("people_in_need", path, record=record, **options)


def outlines(path: str | Path | None = None, *, record: bool = True) -> BoundaryMatch:
    """The shipped province outlines matched to provinces by geometry (``reference.boundaries``)."""
    file = Path(path) if path is not None else open_path("outlines")
    if record:
        record_inputs([file])
    return _outlines(str(file), sha256_file(file))


@lru_cache(maxsize=4)
def _outlines(file: str, sha: str) -> BoundaryMatch:
    del sha  # part of the cache key: a changed file is matched again
    return match_boundaries(file)


@dataclass
class Evidence:
    """Everything the claims ledger may consult; ``None`` where a dataset is not loaded.

    ``events`` is the event table (synthetic or real: its ``attrs["synthetic"]`` says);
    the others are the shipped open data and the curated humanitarian indicators.
    """

    events: pd.DataFrame | None = None
    battle_deaths: pd.DataFrame | None = None
    conflicts: pd.DataFrame | None = None
    registrations: pd.DataFrame | None = None
    people_in_need: pd.DataFrame | None = None
    funding: pd.DataFrame | None = None
    returnees: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None


def evidence(events: pd.DataFrame | None = None, *, record: bool = True) -> Evidence:
    """The :class:`Evidence` bundle: ``events`` plus every shipped open dataset."""
    return Evidence(events=events, battle_deaths=battle_deaths(record=record),
                    conflicts=conflicts(record=record),
                    registrations=registrations(record=record),
                    people_in_need=people_in_need(record=record, breakdown=True),
                    funding=funding(record=record), returnees=returnees(record=record),
                    indicators=from_curated(curated.humanitarian_indicators()))
