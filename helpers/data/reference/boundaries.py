"""Province boundary files (GeoJSON) matched to the 34 provinces.

Boundary files name provinces their own way (Natural Earth ``iso_3166_2``, geoBoundaries
``shapeISO``, OCHA COD ``ADM1_PCODE``) and some carry wrong codes or misspelt names, so
features are matched to the gazetteer's ISO 3166-2 codes here, once; maps and choropleths
take the result (:class:`BoundaryMatch`) and never open a file themselves.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.reference.gazetteer import (
    _ISO_RE,
    _PCODE_RE,
    _Index,
    _index,
    _normalize_pcode,
    normalize_name,
    provinces,
)
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)


@dataclass
class BoundaryMatch:
    """Result of :func:`match_boundaries`.

    ``features`` is a GeoJSON FeatureCollection with exactly one feature per matched
    province (properties ``iso_code``, ``pcode``, ``name``, ``matched_by``: ``geometry``,
    ``iso_code``, ``pcode`` or ``name``); ``unmatched`` describes the input features that
    could not be matched (or duplicated a province); ``missing`` lists ISO codes of
    provinces no feature matched; ``contradictions`` lists every feature whose own code or
    name disagrees with what its geometry shows (geometry wins).
    """

    features: dict
    unmatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    contradictions: list[str] = field(default_factory=list)
    #: Names of the provinces whose feature carried a wrong code or name (reader-facing).
    corrected: list[str] = field(default_factory=list)


def _feature_label(number: int, props: dict) -> str:
    shown = {k: v for k, v in props.items() if isinstance(v, str | int)}
    text = ", ".join(f"{k}={v!r}" for k, v in list(shown.items())[:4])
    return f"feature {number} ({text})" if text else f"feature {number}"


def _claims(props: dict, index: _Index) -> list[tuple[str, str, str]]:
    """What a feature's own properties say it is: (ISO code, how, value) in order of trust.

    ISO 3166-2 codes first (``AF_KAN`` is read as ``AF-KAN``), then OCHA p-codes, then
    names in name-like properties; unknown values are skipped.
    """
    found: list[tuple[str, str, str]] = []
    for value in (v for v in props.values() if isinstance(v, str)):
        text = value.strip().upper().replace("_", "-")
        if _ISO_RE.match(text) and text in index.name:
            found.append((text, "iso_code", value))
    for value in (v for v in props.values() if isinstance(v, str)):
        text = _normalize_pcode(value)
        if _PCODE_RE.match(text) and text in index.by_pcode:
            found.append((index.by_pcode[text], "pcode", value))
    for key in (k for k in props if "name" in k.lower() or k.lower().endswith("_en")):
        value = props[key]
        if isinstance(value, str):
            code = index.by_key.get(normalize_name(value))
            if code is not None:
                found.append((code, "name", value))
    return found


_ISO_LIKE = re.compile(r"^AF[-_ ]?[A-Z]{2,3}$")


def _defects(props: dict, index: _Index, code: str) -> list[str]:
    """What is wrong with a feature's own code and name, given the province it is."""
    found = []
    for key, value in props.items():
        if not isinstance(value, str):
            continue
        text = value.strip().upper()
        if _ISO_LIKE.match(text) and not _PCODE_RE.match(text):
            if text != code and text.replace("_", "-").replace(" ", "-") == code:
                found.append(f"{key} {value!r} is not written as the ISO 3166-2 code {code}")
            elif text not in index.name:
                found.append(f"{key} {value!r} is not an ISO 3166-2 code of Afghanistan "
                             f"({code} is)")
            elif text != code:
                found.append(f"{key} {value!r} names another province than {code}")
        elif ("name" in key.lower() or key.lower().endswith("_en")) and value.strip():
            named = index.by_key.get(normalize_name(value))
            if named is None:
                found.append(f"{key} {value!r} is not a spelling the gazetteer knows")
            elif named != code:
                found.append(f"{key} {value!r} names {index.name[named]}, not {index.name[code]}")
    return found


def _reference_points() -> dict[str, object]:
    """Each province's ISO 3166-2 reference point (the gazetteer's lat/lon) as a shapely Point."""
    from shapely.geometry import Point

    table = provinces()
    return {rec.iso_code: Point(float(rec.longitude), float(rec.latitude))
            for rec in table.itertuples(index=False)}


def _geometry_hits(geometry: dict | None, points: dict[str, object]) -> list[str] | None:
    """Provinces whose reference point lies inside ``geometry``; None if it has no area."""
    from shapely.geometry import shape

    if not geometry:
        return None
    try:
        area = shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    if area.is_empty or area.area == 0:
        return None
    if not area.is_valid:
        area = area.buffer(0)
    return sorted(code for code, point in points.items() if area.contains(point))


def match_boundaries(path: str | Path) -> BoundaryMatch:
    """Match a GeoJSON admin-1 file's features to the 34 provinces, geometry first.

    A polygon holding exactly one province's reference point (the ISO 3166-2 point the
    gazetteer carries) is that province, whatever its properties say; where the
    feature's own ISO code, p-code or name says otherwise, ``contradictions`` says so
    (geoBoundaries writes Kandahar ``AF_KAN`` and Badakhshan ``AF-BDN``; Natural Earth has
    labelled Panjshir's polygon "Parwan"). Features without area, or holding no reference
    point or several, are matched by ISO 3166-2 code, then OCHA p-code, then a known name.
    The first feature matched to a province is kept; later ones are reported in
    ``unmatched`` as duplicates. Unreadable or non-FeatureCollection files raise
    :class:`DataError` naming the file.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise DataError(f"{path}: boundary file not found") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not valid GeoJSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise DataError(f"{path}: not a GeoJSON FeatureCollection (need type "
                        "'FeatureCollection' and a 'features' list)")
    index = _index()
    points = _reference_points()
    contradictions: list[str] = []
    corrected: list[str] = []
    kept: dict[str, dict] = {}
    first_at: dict[str, int] = {}
    unmatched: list[str] = []
    problems: list[Problem] = []
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(str(path), number, None, None, "not a GeoJSON Feature"))
            continue
        geometry = feature.get("geometry")
        if geometry is not None and (not isinstance(geometry, dict) or "type" not in geometry):
            problems.append(Problem(str(path), number, "geometry", None,
                                    "geometry must be a GeoJSON geometry object or null"))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem(str(path), number, "properties", None,
                                    "properties must be an object"))
            continue
        claims = _claims(props, index)
        hits = _geometry_hits(geometry, points)
        label = _feature_label(number, props)
        if hits is not None and len(hits) == 1:
            code, how = hits[0], "geometry"
            defects = _defects(props, index, code)
            if defects:
                contradictions.append(f"{label}: its geometry is {index.name[code]} "
                                      f"({code}); " + "; ".join(defects))
                corrected.append(index.name[code])
        elif claims:
            code, how = claims[0][0], claims[0][1]
            if hits and code not in hits:
                contradictions.append(f"{label}: matched by {how} to {code}, but its "
                                      f"geometry holds {', '.join(hits)}")
        else:
            code, how = None, ""
        if code is None:
            unmatched.append(f"{label}: no ISO 3166-2 code, OCHA p-code or known name")
            continue
        if code in kept:
            unmatched.append(f"{label}: duplicate of {code} (already matched by feature "
                             f"{first_at[code]})")
            continue
        first_at[code] = number
        kept[code] = {"type": "Feature", "geometry": geometry,
                      "properties": {"iso_code": code, "pcode": index.pcode[code],
                                     "name": index.name[code], "matched_by": how}}
    if problems:
        raise DataError(f"{path}: malformed GeoJSON features", problems)
    order = sorted(kept, key=lambda c: index.pcode[c])
    missing = sorted((c for c in index.name if c not in kept), key=lambda c: index.pcode[c])
    if unmatched:
        log.warning("%s: %d feature(s) not matched to a province", path.name, len(unmatched))
    if contradictions:
        log.warning("%s: %d feature(s) whose own code or name disagrees with their geometry "
                    "(placed by geometry): %s", path.name, len(contradictions),
                    " | ".join(contradictions))
    return BoundaryMatch(features={"type": "FeatureCollection",
                                   "features": [kept[c] for c in order]},
                         unmatched=unmatched, missing=missing, contradictions=contradictions,
                         corrected=corrected)


