"""The real open data shipped in data/open/: provenance, readers on the real files, bad copies.

Every number asserted here was read from the shipped file itself (and matches what the
producers publish; each file's provenance record says where the copy was read). The malformed
variants are made by each test from the real file, so the errors are checked on the
layouts as published.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import config
from helpers._io import sha256_file
from helpers.data import catalog, provenance
from helpers.data.sources import cod_ps, detect_layout, fara, hapi, hno, ucdp_conflict
from helpers.errors import DataError

OPEN = config.OPEN_DIR
FILES = sorted(p for p in OPEN.iterdir() if p.is_file())


# --------------------------------------------------------------------------- provenance
def test_eight_files_are_shipped_each_with_a_full_record():
    assert len(FILES) == 8
    for path in FILES:
        rec = provenance.record_for(path)
        assert rec is not None, path.name
        assert rec["sha256"] == sha256_file(path), f"{path.name} changed since it was copied"
        for field in ("licence", "copied_from", "version", "date_accessed", "url", "citation"):
            assert rec.get(field), f"{path.name}: {field}"
        assert "@" in rec["copied_from"]  # repository @ commit


@pytest.mark.parametrize("name, licence", [
    ("ucdp_brd_dyadic_v24_1_afghanistan.csv", "CC BY 4.0"),
    ("ucdp_acd_v25_1_afghanistan.csv", "CC BY 4.0"),
    ("hdx_hapi_funding_afg.csv", "CC BY-IGO 3.0"),
    ("fara_foreign_principals_afghanistan_2021_2025.csv", "Public domain"),
    ("geoboundaries_afg_adm1_simplified.geojson", "Public domain"),
])
def test_licences_are_recorded(name, licence):
    assert licence in provenance.record_for(OPEN / name)["licence"]


@pytest.mark.parametrize("name, layout", [
    ("ucdp_brd_dyadic_v24_1_afghanistan.csv", "ucdp_battle_deaths"),
    ("ucdp_acd_v25_1_afghanistan.csv", "ucdp_acd"),
    ("hdx_hapi_funding_afg.csv", "hapi_funding"),
    ("cod_ps_afg_adm1_2021_v2.csv", "cod_ps_adm1"),
    ("hdx_hapi_returnees_afg.csv", "hapi_returnees"),
    ("fara_foreign_principals_afghanistan_2021_2025.csv", "fara_foreign_principals"),
    ("hno_pin_2024_afg.xlsx", "hno_pin_workbook"),
])
def test_each_layout_is_recognised_from_the_file(name, layout):
    assert detect_layout(OPEN / name).name == layout


# --------------------------------------------------------------------------- UCDP
@pytest.fixture(scope="module")
def brd():
    return ucdp_conflict.read_battle_deaths(OPEN / "ucdp_brd_dyadic_v24_1_afghanistan.csv")


@pytest.fixture(scope="module")
def acd():
    return ucdp_conflict.read_conflicts(OPEN / "ucdp_acd_v25_1_afghanistan.csv")


def _series(frame, opponent):
    rows = frame[frame["opponent"] == opponent].sort_values("year")
    return {int(r.year): (int(r.bd_best), int(r.bd_low), int(r.bd_high))
            for r in rows.itertuples()}


def test_battle_deaths_match_the_release(brd):
    assert len(brd) == 78 and brd["year"].min() == 1989 and brd["year"].max() == 2023
    assert _series(brd, "National Resistance Front") == {
        2021: (534, 85, 1834), 2022: (571, 350, 1114), 2023: (43, 33, 90)}
    assert {y: v[0] for y, v in _series(brd, "Afghanistan Freedom Front").items()} == {
        2022: 46, 2023: 31}
    iskp = _series(brd, "Islamic State Khorasan Province")
    assert [iskp[y][0] for y in (2021, 2022, 2023)] == [264, 253, 149]
    assert set(brd["version"]) == {"24.1"}


def test_2021_rows_say_which_government_they_mean(brd):
    in_2021 = brd[brd["year"] == 2021].set_index("opponent")["government"]
    assert in_2021["Taliban"] == "republic"  # the Taleban fought the Republic
    assert in_2021["National Resistance Front"] == "taliban"  # the NRF fought the new state
    assert in_2021["Islamic State Khorasan Province"] == "both"  # IS fought both in 2021
    assert set(brd.loc[brd["year"] >= 2022, "government"]) == {"taliban"}
    assert brd.loc[brd["year"] < 2002, "government"].isna().all()


def test_conflict_years_list_each_opponent(acd):
    assert acd["year"].min() == 1978 and acd["year"].max() == 2024
    gov = acd[acd["conflict_id"] == "333"]
    by_year = gov.groupby("year")["opponent"].apply(set).to_dict()
    assert by_year[2021] == {"National Resistance Front", "Taliban"}
    assert by_year[2022] == by_year[2023] == {"National Resistance Front",
                                              "Afghanistan Freedom Front"}
    assert by_year[2024] == {"National Resistance Front"}
    assert gov.set_index("year").loc[2024, "intensity_level"] == 1
    assert set(gov.loc[gov["year"] == 2021, "intensity_level"]) == {2}
    assert set(acd.loc[acd["conflict_id"] == "13637", "year"]) == set(range(2015, 2025))
    assert set(acd.loc[acd["conflict_id"] == "11639", "year"]) == {2024}
    assert len(acd[["conflict_id", "year"]].drop_duplicates()) == 60


def _edit_csv(source: Path, target: Path, row: int, column: str, value: str) -> Path:
    """A copy of ``source`` with one cell replaced; ``row`` counts lines below the header
    from 1 (in a file with an HXL tag row, that row is line 1 and data row 1 is line 2)."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(target, index=False)
    return target


def test_bad_battle_deaths_are_all_reported_with_row_and_column(tmp_path):
    src = OPEN / "ucdp_brd_dyadic_v24_1_afghanistan.csv"
    bad = _edit_csv(src, tmp_path / "brd.csv", 13, "bd_low", "900")  # low above best (571)
    bad = _edit_csv(bad, bad, 14, "year", "twenty")
    with pytest.raises(DataError) as info:
        ucdp_conflict.read_battle_deaths(bad)
    text = str(info.value)
    assert "brd.csv" in text and "row 14" in text and "'year'" in text and "twenty" in text
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.loc[12, "bd_low"] = "900"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match="bd_low <= bd_best <= bd_high") as info:
        ucdp_conflict.read_battle_deaths(bad)
    assert [p.row for p in info.value.problems] == [13]


def test_missing_columns_are_named(tmp_path):
    src = OPEN / "ucdp_acd_v25_1_afghanistan.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False).drop(
        columns=["intensity_level", "side_b"])
    path = tmp_path / "acd.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="intensity_level") as info:
        ucdp_conflict.read_conflicts(path)
    assert {p.column for p in info.value.problems} == {"side_b", "intensity_level"}


def test_bad_intensity_level_is_refused(tmp_path):
    path = _edit_csv(OPEN / "ucdp_acd_v25_1_afghanistan.csv", tmp_path / "acd.csv", 59,
                     "intensity_level", "3")
    with pytest.raises(DataError) as info:
        ucdp_conflict.read_conflicts(path)
    assert any(p.row == 59 and p.column == "intensity_level" for p in info.value.problems)


# --------------------------------------------------------------------------- HDX HAPI
def test_funding_matches_fts(tmp_path):
    f = hapi.read_funding(OPEN / "hdx_hapi_funding_afg.csv")
    by = f.pivot_table(index="appeal_code", columns="indicator", values="value", aggfunc="first")
    assert by.loc["HAFG24", "requirements_usd"] == 3_059_587_797
    assert by.loc["HAFG24", "funding_usd"] == 1_591_076_570
    assert by.loc["HAFG24", "funding_pct"] == 52
    assert by.loc["HAFG25", "requirements_usd"] == 2_416_811_546
    assert by.loc["HAFG25", "funding_usd"] == 296_307_150
    not_specified = f[f["appeal_code"] == "Not specified"]
    assert not_specified.loc[not_specified["indicator"] == "requirements_usd", "value"].isna().all()
    assert (f["geography"] == "national").all() and f.attrs["layout"] == "hapi_funding"


def test_bad_funding_value_names_row_and_column(tmp_path):
    path = tmp_path / "funding.csv"
    lines = (OPEN / "hdx_hapi_funding_afg.csv").read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace("3059587797", "three billion")  # HAFG24, data row 6
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        hapi.read_funding(path)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (6, "requirements_usd",
                                                            "three billion")


def test_returnees_keep_totals_and_note_the_unknown_sex_gap():
    r = hapi.read_returnees(OPEN / "hdx_hapi_returnees_afg.csv")
    totals = r.set_index([r["indicator"], r["period_start"].dt.year])["value"]
    assert totals[("returned_idps", 2021)] == 791_000
    assert totals[("returned_refugees", 2023)] == 57_530
    assert len(r) == 7 and set(r["category"]) == {"total"}
    note = r.set_index([r["indicator"], r["period_start"].dt.year])["note"]
    assert "2,144" in note[("returned_refugees", 2020)]  # female + male; the total is 2,311
    assert pd.isna(note[("returned_idps", 2021)])
    detailed = hapi.read_returnees(OPEN / "hdx_hapi_returnees_afg.csv", breakdown=True)
    assert len(detailed) == 91 and "f 0-4" in set(detailed["category"])


# --------------------------------------------------------------------------- COD-PS
def test_population_has_34_provinces_and_the_published_total():
    p = cod_ps.read(OPEN / "cod_ps_afg_adm1_2021_v2.csv")
    assert len(p) == 34 and p["province_code"].nunique() == 34
    assert p["value"].sum() == 40_411_869
    assert p.set_index("province_code").loc["AF-BDS", "value"] == 1_357_036
    full = cod_ps.read(OPEN / "cod_ps_afg_adm1_2021_v2.csv", breakdown=True)
    by_sex = full[full["category"].isin(["female", "male"])]["value"].sum()
    assert by_sex == 40_411_869


def test_population_with_thousands_separators_reads_the_same(tmp_path):
    src = OPEN / "cod_ps_afg_adm1_2021_v2.csv"
    rows = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8"))))
    for row in rows[2:]:
        row[4:] = [f"{int(v):,}" for v in row[4:]]
    path = tmp_path / "cod_ps_afg_adm1_2021_commas.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert cod_ps.read(path)["value"].sum() == 40_411_869


def test_population_totals_must_equal_female_plus_male(tmp_path):
    path = _edit_csv(OPEN / "cod_ps_afg_adm1_2021_v2.csv", tmp_path / "cod_ps_2021.csv", 3,
                     " T_TL ", "1")  # line 3 below the header = data row 2 (HXL row first)
    with pytest.raises(DataError, match="female \\+ male") as info:
        cod_ps.read(path)
    assert [(p.row, p.value) for p in info.value.problems] == [(2, 1)]


def test_unknown_pcode_is_named(tmp_path):
    path = _edit_csv(OPEN / "cod_ps_afg_adm1_2021_v2.csv", tmp_path / "cod_ps_2021.csv", 3,
                     "Admin1_Code", "AF99")
    with pytest.raises(DataError, match="AF99"):
        cod_ps.read(path)


# --------------------------------------------------------------------------- FARA
def test_fara_registrations():
    f = fara.read(OPEN / "fara_foreign_principals_afghanistan_2021_2025.csv")
    assert len(f) == 9
    first = f.groupby("registration_number")["principal_registered"].min()
    assert first["6399"] == pd.Timestamp("2021-09-15")
    assert first["7169"] == pd.Timestamp("2022-09-12")
    assert first["7030"] == pd.Timestamp("2021-10-26")
    sonoran = f[f["registration_number"] == "6399"].iloc[0]
    assert sonoran["registrant"] == "Sonoran Policy Group, LLC D/B/A Stryk Global Diplomacy"
    assert pd.isna(sonoran["terminated"])
    assert f.loc[f["registration_number"] == "7169", "terminated"].max() == pd.Timestamp(
        "2024-03-31")


def test_fara_bad_dates_are_all_listed(tmp_path):
    src = OPEN / "fara_foreign_principals_afghanistan_2021_2025.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.loc[0, "Foreign Principal Registration Date"] = "2022-09-12"  # ISO, not MM/DD/YYYY
    frame.loc[4, "Foreign Principal Registration Date"] = "13/45/2021"
    path = tmp_path / "fara.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="MM/DD/YYYY") as info:
        fara.read(path)
    assert [p.row for p in info.value.problems] == [1, 5]


# --------------------------------------------------------------------------- HNO workbook
def test_hno_people_in_need_by_province_and_nationally():
    h = hno.read(OPEN / "hno_pin_2024_afg.xlsx")
    national = h[h["geography"] == "national"]["value"]
    assert round(national.iloc[0]) == 23_666_389
    provinces = h[h["geography"] != "national"]
    assert provinces["province_code"].nunique() == 34
    assert abs(provinces["value"].sum() - national.iloc[0]) < 1
    assert round(provinces.set_index("province_code").loc["AF-KAB", "value"]) == 3_393_245
    assert h.attrs["layout"] == "hno_pin_workbook"
    full = hno.read(OPEN / "hno_pin_2024_afg.xlsx", breakdown=True, sectors=True)
    clusters = full[full["sector"] != "Intersectoral"]
    assert len(clusters) == 12 and "Health" in set(clusters["sector"])
    idp = full[(full["geography"] == "national")
               & (full["category"] == "internally displaced people")]["value"]
    assert round(idp.iloc[0]) == 136_555


def _workbook_copy(tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path / "hno_pin_2024_copy.xlsx"
    shutil.copy(OPEN / "hno_pin_2024_afg.xlsx", path)
    return path, openpyxl.load_workbook(path)


def test_hno_text_in_a_figure_cell_and_an_unknown_province_are_reported(tmp_path):
    path, book = _workbook_copy(tmp_path)
    sheet = book["SUMMARY_2024"]
    sheet["A37"] = "Hilmandistan"  # row 37: a province name the gazetteer cannot resolve
    sheet["N40"] = "#REF!"  # Kabul's total (column N: 'Total')
    book.save(path)
    with pytest.raises(DataError) as info:
        hno.read(path)
    problems = {(p.row, p.value) for p in info.value.problems}
    assert (37, "Hilmandistan") in problems and (40, "#REF!") in problems


def test_hno_without_a_summary_sheet_says_so(tmp_path):
    path, book = _workbook_copy(tmp_path)
    book["SUMMARY_2024"].title = "Overview"
    book.save(path)
    with pytest.raises(DataError, match="SUMMARY_<year>"):
        hno.read(path)


def test_a_file_that_is_not_a_workbook_is_named(tmp_path):
    path = tmp_path / "pin.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DataError, match="pin.xlsx cannot be opened"):
        hno.read(path)


# --------------------------------------------------------------------------- catalogue
def test_catalog_reads_the_shipped_files_and_records_them(tmp_path, monkeypatch):
    from helpers.data import run_inputs

    sidecar = tmp_path / "inputs.json"
    monkeypatch.setenv(run_inputs.INPUTS_ENV, str(sidecar))
    ev = catalog.evidence()
    assert len(ev.battle_deaths) == 78 and len(ev.registrations) == 9
    recorded = {Path(r["path"]).name for r in run_inputs.read_recorded(sidecar)["inputs"]}
    assert {"ucdp_brd_dyadic_v24_1_afghanistan.csv", "hno_pin_2024_afg.xlsx",
            "hdx_hapi_funding_afg.csv"} <= recorded
    assert len(catalog.outlines().features["features"]) == 34
