"""Readers for every input format, and the registry that tells them apart by header.

Each reader module here (ACLED, UCDP GED, HDX HAPI, FTS, ...) declares a module-level
``LAYOUTS: list[Layout]``. Modules are discovered automatically (any module whose name does
not start with ``_``), so adding a format means adding one module — nothing to register by
hand. :func:`detect_layout` reads only a file's header (and HXL row) to pick its layout.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path

from helpers.data.sources._csv import Header, Layout, read_header, read_table
from helpers.data.sources._excel import EXCEL_SUFFIXES, header_names
from helpers.data.sources._json import JSON_SUFFIXES, json_names
from helpers.errors import Problem, UnknownLayoutError

log = logging.getLogger(__name__)

__all__ = ["Header", "Layout", "detect_layout", "layouts", "read_header", "read_table"]

KINDS = ("events", "indicators", "aggregates", "dyad_years", "conflict_years", "registrations",
         "boundaries")


def _discover() -> list[Layout]:
    found: list[Layout] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "LAYOUTS", []))
    names = [layout.name for layout in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RuntimeError(f"layout name(s) defined twice in helpers.data.sources: {duplicates}")
    return sorted(found, key=lambda layout: layout.name)


def layouts(kind: str | None = None) -> list[Layout]:
    """Every known layout (sorted by name), or only those of ``kind``."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    found = _discover()
    return [lay for lay in found if kind is None or lay.kind == kind]


#: What a header that no layout matches most likely is, from words in its columns (checked
#: in order; the first hit is named in the error, so the analyst knows what they have).
_LOOKS_LIKE = (
    ({"phase", "ipc"}, "an IPC food-insecurity file"),
    ({"in need", "targeted"}, "an HNO people-in-need file"),
    ({"amountusd", "srcorganization"}, "an FTS flows file"),
    ({"requirements", "funding"}, "an FTS requirements-and-funding file"),
    ({"side_a", "side_b"}, "a UCDP file"),
    ({"event_id_cnty", "event_date"}, "an ACLED file"),
    ({"geojson:featurecollection"}, "a GeoJSON file"),
    ({"json:result"}, "a page of an API's JSON"),
    ({"registration number"}, "a FARA file"),
)
_SHOWN_COLUMNS = 12


def explain_header(columns: list[str], names: set[str]) -> str:
    """What an unrecognised header looks like, in one bounded sentence: the closest known
    layout and the columns it misses, a guess at the kind of file, and its first columns."""
    parts = []
    known = layouts()
    scored = sorted(((len(lay.signature & names) / len(lay.signature), lay) for lay in known
                     if lay.signature), key=lambda item: (-item[0], item[1].name))
    if scored and scored[0][0] >= 0.5:
        share, closest = scored[0]
        missing = sorted(closest.signature - names)
        parts.append(f"closest known layout: {closest.name} ({closest.description}), "
                     f"missing column(s): {', '.join(missing)}")
    text = " ".join(names)
    for words, kind in _LOOKS_LIKE:
        if all(word in text for word in words):
            parts.append(f"it looks like {kind}, in a layout the workbook does not read yet")
            break
    shown = ", ".join(c.strip() for c in columns[:_SHOWN_COLUMNS])
    more = len(columns) - _SHOWN_COLUMNS
    parts.append(f"its header has {len(columns)} column(s): {shown}"
                 + (f" … and {more} more" if more > 0 else ""))
    if len(parts) == 1:
        parts.append("the README's 'Adding real data' table lists the layouts it reads")
    return "; ".join(parts)


def _medium(layout: Layout) -> str:
    """What kind of file a layout describes: its signature says (``sheet:`` names for
    workbooks, ``json:`` / ``geojson:`` for JSON, plain column names for text tables)."""
    tokens = " ".join(layout.signature)
    if "sheet:" in tokens:
        return "excel"
    if "json:" in tokens:
        return "json"
    return "text"


def detect_layout(path: str | Path) -> Layout:
    """The layout of ``path``, judged from its header row (and HXL hashtags, if any).

    When several layouts match, the one with the most specific (largest) signature wins.
    Raises :class:`UnknownLayoutError` when none matches, saying what the file looks like
    (:func:`explain_header`): the closest layout and its missing columns, or the header.
    """
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        names = header_names(path)
        header = Header(sorted(names), "", {}, False)
    elif path.suffix.lower() in JSON_SUFFIXES:
        names = json_names(path)
        header = Header(sorted(names), "", {}, False)
    else:
        header = read_header(path)
        names = {c.strip().lower() for c in header.columns}
        names |= {t.split("+")[0].strip().lower() for t in header.hxl.values()}
        names |= {t.strip().lower() for t in header.hxl.values()}
    medium = ("excel" if path.suffix.lower() in EXCEL_SUFFIXES
              else "json" if path.suffix.lower() in JSON_SUFFIXES else "text")
    known = [lay for lay in layouts() if _medium(lay) == medium]
    matching = [lay for lay in known if lay.matches(names)]
    if not matching:
        explanation = explain_header(list(header.columns), names)
        raise UnknownLayoutError(
            f"{path.name}: not a layout the workbook reads; {explanation}",
            [Problem(str(path), None, None, ", ".join(header.columns[:_SHOWN_COLUMNS]),
                     "header matches no known layout")])
    matching.sort(key=lambda lay: (-len(lay.signature), lay.name))
    best = matching[0]
    log.debug("%s: layout %s (candidates: %s)", path.name, best.name,
              [lay.name for lay in matching])
    return best
