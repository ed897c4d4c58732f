"""``events()``: the one call notebooks make to get the canonical event table.

It finds the input files for a source (the synthetic demo set, every ACLED or UCDP export in
``data/raw/``, a file, a folder, or a list of these), detects each file's layout from its
header, reads it through the parquet cache, combines the files and applies the notebook's
filters. ``helpers.load`` re-exports it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from helpers import cache, config, schema
from helpers.errors import DataError, Problem
from helpers.sources import detect_layout
from helpers.sources._canonical import dep
from helpers.sources.acled import warn_unknown_actors

log = logging.getLogger(__name__)

DEMO_FILE = "acled_demo_events.csv"
SYNTHETIC_SOURCE = "synthetic-demo"
#: Source keywords and the layouts each selects among the files in ``config.RAW_DIR``.
KEYWORD_LAYOUTS = {"acled": ("acled", "acled_legacy"), "ucdp": ("ucdp_ged",)}
#: File suffixes considered when a folder is scanned.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")

_ISO = re.compile(r"^AF-[A-Z]{3}$")
_PCODE = re.compile(r"^AF\d{2}$")

DateLike = str | date | datetime | pd.Timestamp | None


def _tables_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES
                  and not p.name.startswith("."))


def _resolve_sources(source: str | Path | Sequence[str | Path]) -> list[tuple[Path, object]]:
    """(path, layout) of every input file ``source`` names, in a stable order."""
    if isinstance(source, (str, Path)):
        items: list[str | Path] = [source]
    else:
        items = list(source)
        if not items:
            raise DataError("events(): source is an empty list; name at least one source")
    found: list[tuple[Path, object]] = []
    for item in items:
        found.extend(_resolve_one(item))
    seen: set[Path] = set()
    unique = []
    for path, layout in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, layout))
    return unique


def _resolve_one(item: str | Path) -> list[tuple[Path, object]]:
    if isinstance(item, str) and item == "demo":
        path = config.DEMO_DIR / DEMO_FILE
        if not path.exists():
            raise DataError(f"the synthetic demo events are missing ({path}); "
                            "run `make demo-data` to generate them")
        return [(path, _events_layout(path))]
    if isinstance(item, str) and item in KEYWORD_LAYOUTS:
        wanted = KEYWORD_LAYOUTS[item]
        hits = []
        if config.RAW_DIR.is_dir():
            for path in _tables_in(config.RAW_DIR):
                try:
                    layout = detect_layout(path)
                except DataError as exc:
                    log.info("skipping %s in data/raw: %s", path.name, exc.summary)
                    continue
                if layout.name in wanted:
                    hits.append((path, layout))
        if not hits:
            raise DataError(
                f"no {item.upper()} export found in {config.RAW_DIR}: download one and put "
                f"the CSV there (layouts recognised: {', '.join(wanted)}), or pass a path")
        return hits
    path = Path(item)
    if path.is_dir():
        hits = []
        for table in _tables_in(path):
            layout = detect_layout(table)
            if layout.kind == "events":
                hits.append((table, layout))
            else:
                log.info("skipping %s: %s is a %s table, not events", table.name, layout.name,
                         layout.kind)
        if not hits:
            raise DataError(f"no event export (ACLED, UCDP GED) found in folder {path}")
        return hits
    if path.is_file():
        return [(path, _events_layout(path))]
    raise DataError(f"events(): source {str(item)!r} is neither 'demo', 'acled', 'ucdp' nor "
                    "an existing file or folder")


def _events_layout(path: Path):
    layout = detect_layout(path)
    if layout.kind != "events":
        helper = ("helpers.load.conflict_aggregates" if layout.kind == "aggregates"
                  else "helpers.load.indicators")
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
    gazetteer = dep("gazetteer")
    codes: list[str] = []
    to_resolve: list[str] = []
    for name in names:
        text = name.strip()
        if _ISO.match(text.upper()) and text.upper() in schema.PROVINCE_CODES:
            codes.append(text.upper())
        elif _PCODE.match(text.upper()) and hasattr(gazetteer, "pcode_to_iso"):
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
        unknown = [s for s in wanted_sides if s not in schema.SIDES]
        if unknown:
            raise DataError(f"events(): unknown side(s) {unknown}; sides are "
                            f"{', '.join(schema.SIDES)}")
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
    e.g. ``outside_afghanistan``). Actor names missing from the registry raise one
    ``UnknownActorWarning`` per call listing them all.
    """
    frames: list[pd.DataFrame] = []
    inputs: list[dict] = []
    dropped: dict[str, int] = {}
    unknown: set[str] = set()
    for path, layout in _resolve_sources(source):
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
        warn_unknown_actors(sorted(unknown), ", ".join(Path(i["path"]).name for i in inputs))
    synthetic = bool(len(combined)) and bool(
        (combined["source"] == SYNTHETIC_SOURCE).fillna(False).all())
    combined = filter_events(combined, start_date, end_date, provinces, sides, event_types)
    order = combined.sort_values(["event_date", "event_id", "source"], kind="stable")
    result = order.reset_index(drop=True)
    result.attrs = {"synthetic": synthetic, "inputs": inputs, "dropped": dropped}
    return result
