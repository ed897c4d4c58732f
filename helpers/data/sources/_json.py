"""JSON plumbing for the readers: what a JSON / GeoJSON file holds, for layout detection.

:func:`json_names` gives the names a layout signature can match, the way a CSV header
does: ``geojson:featurecollection`` and ``geometry:<type>`` for a GeoJSON file plus the
property names of its first feature; ``json:result`` for a page of the UCDP API (or a
list of pages) plus the keys of its first record. Every failure is a
:class:`~helpers.errors.DataError` naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers.errors import DataError, Problem

JSON_SUFFIXES = (".json", ".geojson")


def load(path: str | Path) -> Any:
    """The parsed JSON of ``path`` (UTF-8, BOM allowed)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return json.load(handle)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name} is not UTF-8 text",
                        [Problem(str(path), None, None, None,
                                 f"byte {exc.start}: {exc.reason}")]) from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path.name} is not valid JSON",
                        [Problem(str(path), exc.lineno, None, None,
                                 f"line {exc.lineno}, column {exc.colno}: {exc.msg}")]) from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}",
                        [Problem(str(path), None, None, None, "file cannot be opened")]) from None


def api_records(data: Any) -> list[dict] | None:
    """The records of a UCDP API page (``{"Result": [...]}``) or a list of pages."""
    pages = data if isinstance(data, list) else [data]
    if not pages or not all(isinstance(p, dict) and isinstance(p.get("Result"), list)
                            for p in pages):
        return None
    return [record for page in pages for record in page["Result"]]


def json_names(path: str | Path) -> set[str]:
    """Names a layout signature can match (see the module docstring)."""
    data = load(path)
    names: set[str] = set()
    if isinstance(data, dict) and str(data.get("type", "")).lower() == "featurecollection":
        names.add("geojson:featurecollection")
        features = data.get("features") or []
        if features and isinstance(features[0], dict):
            first = features[0]
            geometry = first.get("geometry") or {}
            if isinstance(geometry, dict) and geometry.get("type"):
                names.add(f"geometry:{str(geometry['type']).lower()}")
            names |= {str(k).lower() for k in (first.get("properties") or {})}
        return names
    records = api_records(data)
    if records is not None:
        names.add("json:result")
        if records and isinstance(records[0], dict):
            names |= {str(k).lower() for k in records[0]}
        return names
    names.add("json:unknown")
    if isinstance(data, dict):
        names |= {str(k).lower() for k in data}
    return names
