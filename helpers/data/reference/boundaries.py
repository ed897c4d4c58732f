"""Province boundary files (GeoJSON) matched to the 34 provinces.

Boundary files name provinces their own way (Natural Earth ``iso_3166_2``, geoBoundaries
``shapeISO``, OCHA COD ``ADM1_PCODE``) and some carry wrong codes or misspelt names, so
features are matched to the gazetteer's ISO 3166-2 codes here, once; maps and choropleths
take the result (:class:`BoundaryMatch`) and never open a file themselves.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.reference.gazetteer import (
    _ISO_RE,
    _PCODE_RE,
    _Index,
    _index,
    _normalize_pcode,
    normalize_name,
)
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)


@dataclass
class BoundaryMatch:
    """Result of :func:`match_boundaries`.

    ``features`` is a GeoJSON FeatureCollection with exactly one feature per matched
    province (properties ``iso_code``, ``pcode``, ``name``, ``matched_by``); ``unmatched``
    describes the input features that could not be matched (or duplicated a province);
    ``missing`` lists ISO codes of provinces no feature matched.
    """

    features: dict
    unmatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)



def _feature_label(number: int, props: dict) -> str:
    shown = {k: v for k, v in props.items() if isinstance(v, str | int)}
    text = ", ".join(f"{k}={v!r}" for k, v in list(shown.items())[:4])
    return f"feature {number} ({text})" if text else f"feature {number}"


def _match_feature(props: dict, index: _Index) -> tuple[str | None, str]:
    """(ISO code, how) for one feature's properties: ISO code, then p-code, then name."""
    values = [v for v in props.values() if isinstance(v, str)]
    for value in values:
        text = value.strip().upper()
        if _ISO_RE.match(text) and text in index.name:
            return text, "iso_code"
    for value in values:
        text = _normalize_pcode(value)
        if _PCODE_RE.match(text) and text in index.by_pcode:
            return index.by_pcode[text], "pcode"
    name_keys = [k for k in props if "name" in k.lower() or k.lower().endswith("_en")]
    for key in name_keys:
        value = props[key]
        if isinstance(value, str):
            code = index.by_key.get(normalize_name(value))
            if code is not None:
                return code, "name"
    return None, ""


def match_boundaries(path: str | Path) -> BoundaryMatch:
    """Match a GeoJSON admin-1 file's features to the 34 provinces.

    Looks for an ISO 3166-2 code (Natural Earth ``iso_3166_2``, geoBoundaries ``shapeISO``)
    or an OCHA p-code (``ADM1_PCODE``) in any property, and only then for a known name in a
    name-like property (``name``, ``shapeName``, ``ADM1_EN``...). The first feature matched
    to a province is kept; later ones are reported in ``unmatched`` as duplicates.
    Unreadable or non-FeatureCollection files raise :class:`DataError` naming the file.
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
        code, how = _match_feature(props, index)
        label = _feature_label(number, props)
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
    return BoundaryMatch(features={"type": "FeatureCollection",
                                   "features": [kept[c] for c in order]},
                         unmatched=unmatched, missing=missing)


