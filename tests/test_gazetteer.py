"""Gazetteer: province table, aliases, p-codes, districts, urban flag, boundary matching."""

from __future__ import annotations

import json
import math
import shutil
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers.data.reference import boundaries, build_provinces
from helpers.data.reference import gazetteer as g
from helpers.errors import DataError, UnknownProvinceError

FIXTURES = Path(__file__).parent / "fixtures" / "boundaries"

#: OCHA admin-1 p-codes as given in the gazetteer issue (typed here independently of the code).
ISSUE_PCODES = {
    "AF01": "Kabul", "AF02": "Kapisa", "AF03": "Parwan", "AF04": "Wardak", "AF05": "Logar",
    "AF06": "Nangarhar", "AF07": "Laghman", "AF08": "Panjshir", "AF09": "Baghlan",
    "AF10": "Bamyan", "AF11": "Ghazni", "AF12": "Paktika", "AF13": "Paktia", "AF14": "Khost",
    "AF15": "Kunar", "AF16": "Nuristan", "AF17": "Badakhshan", "AF18": "Takhar",
    "AF19": "Kunduz", "AF20": "Samangan", "AF21": "Balkh", "AF22": "Sar-e Pol", "AF23": "Ghor",
    "AF24": "Daykundi", "AF25": "Uruzgan", "AF26": "Zabul", "AF27": "Kandahar",
    "AF28": "Jawzjan", "AF29": "Faryab", "AF30": "Helmand", "AF31": "Badghis", "AF32": "Herat",
    "AF33": "Farah", "AF34": "Nimroz",
}

#: Every spelling the issue lists, with the province it must resolve to.
ISSUE_ALIASES = [
    ("Panjshir", "AF-PAN"), ("Panjsher", "AF-PAN"), ("Panjshayr", "AF-PAN"),
    ("Paktia", "AF-PIA"), ("Paktya", "AF-PIA"), ("Paktiya", "AF-PIA"),
    ("Wardak", "AF-WAR"), ("Maidan Wardak", "AF-WAR"), ("Maydan Wardak", "AF-WAR"),
    ("Helmand", "AF-HEL"), ("Hilmand", "AF-HEL"), ("Herat", "AF-HER"), ("Hirat", "AF-HER"),
    ("Jawzjan", "AF-JOW"), ("Jowzjan", "AF-JOW"), ("Jozjan", "AF-JOW"),
    ("Sar-e Pol", "AF-SAR"), ("Sar-e-Pul", "AF-SAR"), ("Sari Pul", "AF-SAR"),
    ("Daykundi", "AF-DAY"), ("Daikundi", "AF-DAY"), ("Dāykundī", "AF-DAY"),
    ("Uruzgan", "AF-URU"), ("Urozgan", "AF-URU"), ("Oruzgan", "AF-URU"),
    ("Nimroz", "AF-NIM"), ("Nimruz", "AF-NIM"), ("Kunar", "AF-KNR"), ("Kunarha", "AF-KNR"),
    ("Nangarhar", "AF-NAN"), ("Ningarhar", "AF-NAN"), ("Kabul", "AF-KAB"), ("Kābul", "AF-KAB"),
    ("Kabul province", "AF-KAB"), ("Hilmand province", "AF-HEL"),
    # iso3166-2 package's diacritic forms
    ("Bāmyān", "AF-BAM"), ("Kunaṟ", "AF-KNR"), ("Nīmrōz", "AF-NIM"), ("Ghōr", "AF-GHO"),
    ("Paktiyā", "AF-PIA"), ("Jowzjān", "AF-JOW"), ("Nūristān", "AF-NUR"),
    # codes themselves
    ("AF-PAN", "AF-PAN"), ("af-bgl", "AF-BGL"), ("AF08", "AF-PAN"), ("af09", "AF-BGL"),
    ("AF-08", "AF-PAN"),
    # local script (Dari), including the Arabic-keyboard yeh
    ("پنجشیر", "AF-PAN"), ("پنجشير", "AF-PAN"), ("بغلان", "AF-BGL"),
]


@pytest.fixture
def curated_copy(tmp_path, monkeypatch):
    """A writable copy of the curated gazetteer files, used instead of the real ones."""
    for name in (g.PROVINCES_CSV, g.ALIASES_CSV, g.DISTRICTS_CSV):
        shutil.copy(config.CURATED_DIR / name, tmp_path / name)
    monkeypatch.setattr(config, "CURATED_DIR", tmp_path)
    g.clear_cache()
    yield tmp_path
    g.clear_cache()


# --------------------------------------------------------------------------- province table

def test_all_34_provinces_with_unique_codes_and_sources():
    prov = g.provinces()
    assert len(prov) == 34
    for col in ("iso_code", "pcode", "name", "local_name"):
        assert prov[col].is_unique, col
    assert prov["iso_code"].str.fullmatch(r"AF-[A-Z]{3}").all()
    assert dict(zip(prov["pcode"], prov["name"], strict=True)) == ISSUE_PCODES
    for col in ("source", "source_date", "source_url", "capital", "region"):
        assert (prov[col].str.strip() != "").all(), col
    box = config.AFG_BBOX
    assert prov["latitude"].between(box["lat_min"], box["lat_max"]).all()
    assert prov["longitude"].between(box["lon_min"], box["lon_max"]).all()
    assert prov["capital_latitude"].between(box["lat_min"], box["lat_max"]).all()


def test_codes_names_and_centroids_come_from_iso3166_2_package():
    import iso3166_2

    iso = iso3166_2.Subdivisions("AF")["AF"]
    prov = g.provinces().set_index("iso_code")
    assert set(prov.index) == set(iso)
    for code in iso:
        assert prov.at[code, "iso_name"] == iso[code]["name"]
        assert prov.loc[code, ["latitude", "longitude"]].tolist() == list(iso[code]["latLng"])


def test_issue_pcode_names_resolve_to_same_province_as_the_pcode():
    for pcode, name in ISSUE_PCODES.items():
        assert g.resolve_province(name) == g.pcode_to_iso(pcode), (pcode, name)


def test_provinces_returns_a_copy():
    table = g.provinces()
    table.loc[0, "name"] = "changed"
    assert "changed" not in set(g.provinces()["name"])


def test_regions_partition_the_provinces():
    codes = [c for region in g.REGIONS.values() for c in region]
    assert sorted(codes) == sorted(g.provinces()["iso_code"])
    assert len(g.REGION_NAMES) == 8
    by_table = g.provinces().groupby("region")["iso_code"].apply(sorted).to_dict()
    assert by_table == {r: sorted(c) for r, c in g.REGIONS.items()}
    assert g.region_of("Panjsher") == "Capital"
    assert set(g.region_provinces("north-east")) == {"AF-BDS", "AF-BGL", "AF-KDZ", "AF-TAK"}
    assert g.region_provinces("Central") == g.REGIONS["Capital"]
    with pytest.raises(DataError, match="unknown region"):
        g.region_provinces("south-west")


# --------------------------------------------------------------------------- resolving

@pytest.mark.parametrize(("alias", "code"), ISSUE_ALIASES)
def test_every_listed_alias_resolves(alias, code):
    assert g.resolve_province(alias) == code


@pytest.mark.parametrize("text", ["PANJSHIR", "panjshīr", "  Panj-shir ", "Panjshir Province",
                                  "Wilayat-e Panjshir", "PANJ'SHIR", "panjsher province"])
def test_matching_ignores_case_accents_hyphens_spaces_apostrophes(text):
    assert g.resolve_province(text) == "AF-PAN"


def test_every_curated_alias_resolves_to_its_province():
    aliases = pd.read_csv(config.CURATED_DIR / g.ALIASES_CSV, dtype=str, keep_default_na=False)
    assert (aliases["source"].str.strip() != "").all()
    got = g.resolve_provinces(aliases["alias"])
    assert got.tolist() == aliases["iso_code"].tolist()


def test_resolve_provinces_keeps_index_and_gives_string_dtype():
    names = pd.Series(["Kabul", "Sari Pul", None, "Hilmand"], index=pd.Index([4, 5, 6, 7],
                                                                            name="row"))
    got = g.resolve_provinces(names)
    assert got.index.equals(names.index)
    assert got.dtype == "string"
    assert got.tolist() == ["AF-KAB", "AF-SAR", pd.NA, "AF-HEL"]


def test_pcode_wins_over_conflicting_name():
    names = pd.Series(["Kabul", "Kabul", "Herat"])
    pcodes = pd.Series(["AF08", None, "AF09"])
    assert g.resolve_provinces(names, pcodes).tolist() == ["AF-PAN", "AF-KAB", "AF-BGL"]


def test_pcode_wins_even_when_the_name_is_unknown():
    got = g.resolve_provinces(["Panjsheer valley (local spelling)"], pcodes=["af-08"])
    assert got.tolist() == ["AF-PAN"]


def test_unknown_names_raise_one_error_with_rows_and_suggestions():
    names = pd.Series(["Kabul"] + ["Panjshirr"] * 7 + ["Atlantis", "Hirat"],
                      index=pd.RangeIndex(1, 11, name="row"), name="admin1")
    with pytest.raises(UnknownProvinceError) as info:
        g.resolve_provinces(names, file="data/raw/acled_export.csv")
    err = info.value
    assert len(err.problems) == 2
    first, second = err.problems
    assert (first.row, first.column, first.value) == (2, "admin1", "Panjshirr")
    assert "rows 2, 3, 4, 5, 6 … (7 rows in all)" in first.rule
    assert (second.row, second.value) == (9, "Atlantis")
    assert err.suggestions["Panjshirr"][0] == "Panjshir"
    assert set(err.suggestions) == {"Panjshirr", "Atlantis"}
    message = str(err)
    assert "acled_export.csv" in message and "did you mean Panjshir" in message


def test_unknown_row_numbers_follow_the_rows_argument():
    with pytest.raises(UnknownProvinceError) as info:
        g.resolve_provinces(["Kabul", "Nowhere"], rows=[10, 12])
    assert info.value.problems[0].row == 12


def test_unknown_pcode_is_reported():
    with pytest.raises(UnknownProvinceError) as info:
        g.resolve_provinces(["Kabul", "Kabul"], pcodes=["AF01", "AF99"])
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "pcode", "AF99")


def test_blank_pcode_falls_back_to_name_and_unknown_name_still_reported():
    with pytest.raises(UnknownProvinceError):
        g.resolve_provinces(["Nowhere"], pcodes=[""])
    assert g.resolve_provinces(["Herat"], pcodes=[" "]).tolist() == ["AF-HER"]


def test_resolution_maps_over_unique_values(monkeypatch):
    calls = []
    real = g._lookup

    def counting(value, index):
        calls.append(value)
        return real(value, index)

    monkeypatch.setattr(g, "_lookup", counting)
    names = pd.Series(np.tile(["Kabul", "Panjsher", "Sar-e-Pul"], 100_000))
    got = g.resolve_provinces(names)
    assert len(calls) == 3
    assert got.value_counts().to_dict() == {"AF-KAB": 100_000, "AF-PAN": 100_000,
                                            "AF-SAR": 100_000}


def test_single_value_helpers():
    assert g.province_name("AF-SAR") == "Sar-e Pol"
    assert g.province_name("hilmand") == "Helmand"
    assert g.pcode_to_iso("AF22") == "AF-SAR"
    assert g.iso_to_pcode("AF-PAN") == "AF08"
    with pytest.raises(UnknownProvinceError) as info:
        g.resolve_province("Panjshirr")
    assert info.value.suggestions["Panjshirr"][0] == "Panjshir"
    with pytest.raises(UnknownProvinceError):
        g.pcode_to_iso("AF35")


# --------------------------------------------------------------------------- districts

@pytest.mark.parametrize(("district", "code"), [
    ("Andarab", "AF-BGL"), ("Khost wa Firing", "AF-BGL"), ("Khinjan", "AF-BGL"),
    ("Dushi", "AF-BGL"), ("Nahrin", "AF-BGL"), ("Pul-i-Khumri", "AF-BGL"),
    ("Bazarak", "AF-PAN"), ("Unaba", "AF-PAN"), ("Khenj", "AF-PAN"), ("ANDARAB district", "AF-BGL"),
])
def test_district_province(district, code):
    assert g.district_province(district) == code


def test_unknown_district_is_none():
    assert g.district_province("Nowhere") is None
    assert g.district_province(None) is None


def test_district_in_two_provinces_is_ambiguous(curated_copy):
    path = curated_copy / g.DISTRICTS_CSV
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame.iloc[[0]].assign(province_code="AF-TAK")
    pd.concat([frame, extra]).to_csv(path, index=False)
    assert g.district_province("Andarab") is None
    assert g.district_province("Nahrin") == "AF-BGL"


# --------------------------------------------------------------------------- curated-file errors

def test_alias_to_unknown_code_names_file_row_and_column(curated_copy):
    path = curated_copy / g.ALIASES_CSV
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("Atlantis,AF-XXX,test,\n")
    rows = len(pd.read_csv(path))
    with pytest.raises(DataError) as info:
        g.resolve_province("Kabul")
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (rows, "iso_code", "AF-XXX")
    assert g.ALIASES_CSV in str(info.value)


def test_conflicting_alias_is_rejected(curated_copy):
    with open(curated_copy / g.ALIASES_CSV, "a", encoding="utf-8") as fh:
        fh.write("Panj-Shir,AF-BGL,test,\n")
    with pytest.raises(DataError, match="conflicting alias"):
        g.resolve_province("Kabul")


def test_province_table_with_duplicate_code_is_rejected(curated_copy):
    path = curated_copy / g.PROVINCES_CSV
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "iso_code"] = frame.loc[0, "iso_code"]
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        g.provinces()
    assert any(p.row == 2 and p.column == "iso_code" for p in info.value.problems)


# --------------------------------------------------------------------------- distance, urban

def test_haversine_against_hand_computed_distances():
    one_degree = 2 * math.pi * g.EARTH_RADIUS_KM / 360  # along the equator
    assert g.haversine_km(0, 0, 0, 1) == pytest.approx(one_degree, rel=1e-12)
    assert g.haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * g.EARTH_RADIUS_KM / 2)
    # Kabul (34.5, 69.2) to Mazar (36.7, 67.1) by the spherical law of cosines.
    p1, p2 = math.radians(34.5), math.radians(36.7)
    expected = g.EARTH_RADIUS_KM * math.acos(
        math.sin(p1) * math.sin(p2)
        + math.cos(p1) * math.cos(p2) * math.cos(math.radians(67.1 - 69.2)))
    assert g.haversine_km(34.5, 69.2, 36.7, 67.1) == pytest.approx(expected, rel=1e-9)


def test_haversine_is_vectorised_and_propagates_nan():
    got = g.haversine_km(np.array([0.0, 0.0, np.nan]), np.array([0.0, 0.0, 0.0]), 0.0,
                         np.array([1.0, 0.0, 1.0]))
    assert got.shape == (3,)
    assert got[1] == 0.0 and np.isnan(got[2])


def test_cities_threshold_and_provinces():
    big = g.cities()
    assert (big["population"] >= g.URBAN_MIN_POPULATION).all()
    assert big.iloc[0]["name"] == "Kabul" and big.iloc[0]["province_code"] == "AF-KAB"
    assert big["province_code"].notna().all()
    assert len(g.cities(50_000)) > len(big)


def test_is_urban_city_centre_vs_rural_point_and_missing():
    lat = pd.Series([34.5281, 34.565, 33.90, np.nan, 36.7090], index=[10, 11, 12, 13, 14])
    lon = pd.Series([69.1723, 69.212, 66.00, 69.17, 67.1109], index=[10, 11, 12, 13, 14])
    got = g.is_urban(lat, lon)
    # Kabul centre; Kabul airport (~5.5 km away); rural Daykundi; missing; Mazar-i-Sharif.
    assert got.tolist() == [True, True, False, pd.NA, True]
    assert got.dtype == "boolean"
    assert got.index.tolist() == [10, 11, 12, 13, 14]


def test_is_urban_radius_edge():
    # Points due north of Kabul's GeoNames point, just inside and outside the radius.
    kabul = g.cities().iloc[0]
    step = g.URBAN_RADIUS_KM / (2 * math.pi * g.EARTH_RADIUS_KM / 360)
    got = g.is_urban([kabul.latitude + 0.99 * step, kabul.latitude + 1.01 * step],
                     [kabul.longitude, kabul.longitude])
    assert got.tolist() == [True, False]


# --------------------------------------------------------------------------- boundaries

def _props(match):
    return {f["properties"]["iso_code"]: f["properties"] for f in match.features["features"]}


def test_geoboundaries_layout_matches_all_34_by_geometry():
    match = boundaries.match_boundaries(FIXTURES / "geoboundaries_adm1.geojson")
    props = _props(match)
    assert len(match.features["features"]) == 34 and match.features["type"] == "FeatureCollection"
    assert match.unmatched == [] and match.missing == [] and match.contradictions == []
    assert props["AF-SAR"]["matched_by"] == "geometry"  # its shapeISO is blank: no matter
    assert props["AF-PAN"] == {"iso_code": "AF-PAN", "pcode": "AF08", "name": "Panjshir",
                               "matched_by": "geometry"}
    assert all(f["geometry"]["type"] == "Polygon" for f in match.features["features"])


SHIPPED = config.PROJ_ROOT / "data" / "open" / "geoboundaries_afg_adm1_simplified.geojson"


def test_shipped_geoboundaries_match_by_geometry_and_its_defects_are_listed():
    match = boundaries.match_boundaries(SHIPPED)
    assert len(match.features["features"]) == 34 and match.missing == [] == match.unmatched
    assert {f["properties"]["matched_by"] for f in match.features["features"]} == {"geometry"}
    assert len(match.contradictions) == 3
    assert sorted(match.corrected) == ["Badakhshan", "Ghazni", "Kandahar"]
    text = "\n".join(match.contradictions)
    assert "shapeISO 'AF_KAN' is not written as the ISO 3166-2 code AF-KAN" in text
    assert "shapeISO 'AF-BDN' is not an ISO 3166-2 code of Afghanistan (AF-BDS is)" in text
    assert "shapeName 'Ghanzi' is not a spelling the gazetteer knows" in text


def test_geometry_beats_a_swapped_code_and_name(tmp_path):
    """Natural Earth once labelled Panjshir's polygon 'Parwan': geometry must win."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    panjshir = next(f for f in data["features"] if f["properties"]["shapeISO"] == "AF-PAN")
    panjshir["properties"].update(shapeISO="AF-PAR", shapeName="Parwan")
    path = tmp_path / "swapped.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [panjshir]}))
    match = boundaries.match_boundaries(path)
    assert sorted(_props(match)) == ["AF-PAN"]
    [said] = match.contradictions
    assert "its geometry is Panjshir (AF-PAN)" in said
    assert "shapeISO 'AF-PAR' names another province than AF-PAN" in said
    assert "shapeName 'Parwan' names Parwan, not Panjshir" in said


def test_natural_earth_layout_reports_foreign_feature_and_missing_provinces():
    match = boundaries.match_boundaries(FIXTURES / "natural_earth_admin1.geojson")
    assert sorted(_props(match)) == ["AF-BAL", "AF-BGL", "AF-PAN"]
    assert len(match.unmatched) == 1 and "Gorno-Badakhshan" in match.unmatched[0]
    assert len(match.missing) == 31 and "AF-KAB" in match.missing


def test_without_geometry_evidence_pcode_beats_name_and_duplicates_are_reported():
    # The fixture's squares hold no province's reference point: codes and names decide.
    match = boundaries.match_boundaries(FIXTURES / "ocha_cod_adm1.geojson")
    props = _props(match)
    assert sorted(props) == ["AF-BGL", "AF-HEL", "AF-PAN"]  # "Kabul" + AF08 -> Panjshir
    assert props["AF-PAN"]["matched_by"] == "pcode"
    assert props["AF-HEL"]["matched_by"] == "name"
    assert any("duplicate of AF-BGL" in u for u in match.unmatched)
    assert any("Atlantis" in u for u in match.unmatched)
    assert "AF-KAB" in match.missing


@pytest.mark.parametrize("name", ["malformed.geojson", "not_a_collection.geojson",
                                  "bad_features.geojson", "does_not_exist.geojson"])
def test_bad_geojson_raises_data_error_naming_the_file(name):
    with pytest.raises(DataError, match=name.replace(".", r"\.")):
        boundaries.match_boundaries(FIXTURES / name)


def test_bad_features_are_all_listed():
    with pytest.raises(DataError) as info:
        boundaries.match_boundaries(FIXTURES / "bad_features.geojson")
    assert [p.row for p in info.value.problems] == [2, 3]


# --------------------------------------------------------------------------- rebuild

def test_rebuild_is_offline_and_matches_committed_file(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("the gazetteer rebuild tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    out = tmp_path / "provinces.csv"
    assert build_provinces.main(["--rebuild", "--output", str(out)]) == 0
    committed = config.CURATED_DIR / g.PROVINCES_CSV
    assert out.read_bytes() == committed.read_bytes()
    assert build_provinces.main(["--check", "--output", str(committed)]) == 0


def test_check_reports_a_hand_edit(tmp_path):
    edited = tmp_path / "provinces.csv"
    frame = pd.read_csv(config.CURATED_DIR / g.PROVINCES_CSV, dtype=str, keep_default_na=False)
    frame.loc[7, "name"] = "Panjsher"
    frame.to_csv(edited, index=False)
    assert build_provinces.main(["--check", "--output", str(edited)]) == 1
