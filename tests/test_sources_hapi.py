"""HDX HAPI readers: needs (totals vs breakdowns), food security (BOM, HXL), conflict events.

Fixtures in tests/fixtures/hdx/ copy the real HAPI layouts with made-up small numbers, so
every expected value below is computed by hand from those files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.sources import detect_layout, hapi
from helpers.errors import DataError, UnknownProvinceError

FIXTURES = Path(__file__).parent / "fixtures" / "hdx"
NEEDS = FIXTURES / "hdx_hapi_humanitarian_needs_afg.csv"
IPC = FIXTURES / "hdx_hapi_food_security_afg.csv"
CONFLICT = FIXTURES / "hdx_hapi_conflict_event_afg.csv"
RENAMED = FIXTURES / "hdx_hapi_conflict_event_renamed.csv"


def _one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col].isna() if value is None else frame[col].eq(value).fillna(False)
    hits = frame[mask.to_numpy()]
    assert len(hits) == 1, f"expected one row for {where}, got {len(hits)}"
    return hits.iloc[0]


def _edited(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- needs


def test_national_total_is_the_total_row_not_the_sum_of_all_rows():
    out = hapi.read_needs(NEEDS)
    national_pin = out[(out["indicator"] == "people_in_need") & (out["geography"] == "national")]
    assert national_pin["value"].tolist() == [1000.0]
    # the trap: every national INN row of the file (sectors and categories) adds to 2640
    raw = pd.read_csv(NEEDS)
    trap = raw[(raw.location_code == "AFG") & (raw.admin_level == 0)
               & (raw.population_status == "INN")]["population"].sum()
    assert trap == 2640


def test_default_returns_intersectoral_totals_only():
    out = hapi.read_needs(NEEDS)
    assert set(out["sector"]) == {"Intersectoral"}
    assert set(out["category"]) == {"total"}
    national = out[out["geography"] == "national"].set_index("indicator")["value"]
    assert national.to_dict() == {"people_in_need": 1000.0, "people_targeted": 600.0,
                                  "population": 5000.0}
    assert (out["unit"] == "people").all()


def test_breakdown_adds_categories_beside_the_total():
    out = hapi.read_needs(NEEDS, breakdown=True)
    national = out[(out["geography"] == "national") & (out["indicator"] == "people_in_need")]
    by_category = national.set_index("category")["value"].to_dict()
    assert by_category == {"total": 1000.0, "Children": 550.0, "Children - Female": 270.0,
                           "People with Disabilities": 120.0}
    assert set(out["sector"]) == {"Intersectoral"}


def test_sectors_adds_sector_figures():
    out = hapi.read_needs(NEEDS, sectors=True)
    health = _one(out, sector="Health")
    assert health["value"] == 700.0 and health["geography"] == "national"
    assert _one(out, sector="Intersectoral", geography="national",
                indicator="people_in_need")["value"] == 1000.0


def test_admin2_rows_are_summed_only_where_no_admin1_row_exists():
    out = hapi.read_needs(NEEDS)
    kabul = _one(out, province_code="AF-KAB")
    assert kabul["value"] == 130.0  # Kabul 100 + Paghman 30: no admin-1 row for Kabul
    assert "district" in kabul["note"]
    panjsher = _one(out, province_code="AF-PAN")
    assert panjsher["value"] == 40.0  # the admin-1 row wins over Bazarak's 25
    assert pd.isna(panjsher["note"])
    assert kabul["geography"] == "AF-KAB"


def test_other_countries_and_hapi_error_rows_are_counted_not_silently_dropped(caplog):
    out = hapi.read_needs(NEEDS)
    assert out.attrs["dropped"] == {"outside_afghanistan": 1, "hapi_unmatched_pcode": 1}
    assert "HDX HAPI flags as 'non matching p-code'" in caplog.text


def test_hapi_flags_are_kept_on_the_row_unless_they_mean_duplicate(tmp_path):
    text = NEEDS.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    w, e = header.index("warning"), header.index("error")
    rows = [line.split(",") for line in text]
    # a warning on the national row; a duplicate flag on the Kabul total row
    rows[1][w] = "Population greater than the baseline"
    kabul = next(i for i, r in enumerate(rows) if "AF01" in r and "total" in r)
    rows[kabul][e] = "Duplicate row"
    path = tmp_path / "hdx_hapi_humanitarian_needs_afg.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    out = hapi.read_needs(path)
    national = out[out["geography"].eq("national") & out["indicator"].eq("people_in_need")]
    assert national["flag"].iloc[0] == "HDX HAPI warning: Population greater than the baseline"
    assert out.attrs["dropped"]["hapi_duplicate_row"] == 1
    assert out.loc[~out["geography"].eq("national"), "flag"].isna().all()
    assert len(out.attrs["sha256"]) == 64


def test_unknown_pcode_names_file_row_column_and_value(tmp_path):
    path = _edited(tmp_path, NEEDS, "AFG,Y,Y,Panjsher,,AF08,Panjsher,,,1",
                   "AFG,Y,Y,Panjsher,,AF99,Panjsher,,,1")
    with pytest.raises(UnknownProvinceError) as info:
        hapi.read_needs(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (8, "admin1_code", "AF99")
    assert problem.file == str(path)
    assert "AF99" in str(info.value) and "row 8" in str(info.value)


def test_unknown_population_status_is_an_error(tmp_path):
    path = _edited(tmp_path, NEEDS, ",,INN,1000,", ",,PIN,1000,")
    with pytest.raises(DataError) as info:
        hapi.read_needs(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (1, "population_status", "PIN")


def test_missing_required_column_is_named(tmp_path):
    path = _edited(tmp_path, NEEDS, "population_status,", "status,")
    with pytest.raises(DataError) as info:
        hapi.read_needs(path)
    assert "population_status" in str(info.value)


# ------------------------------------------------------------------------ food security


def test_food_security_with_bom_and_hxl_row():
    assert IPC.read_bytes().startswith(b"\xef\xbb\xbf")
    out = hapi.read_food_security(IPC)
    pop = out[out["indicator"] == "ipc_population_in_phase"]
    assert _one(pop, geography="national", ipc_phase="3+", ipc_type="current")["value"] == 400
    assert _one(pop, geography="national", ipc_phase="3+",
                ipc_type="first projection")["value"] == 350
    frac = out[out["indicator"] == "ipc_fraction_in_phase"]
    assert _one(frac, geography="AF-PAN", ipc_phase="3+")["value"] == pytest.approx(0.3)
    assert set(out["unit"]) == {"people", "fraction"}
    assert _one(pop, geography="national", ipc_phase="all")["period_end"] == pd.Timestamp(
        "2024-04-30")


def test_food_security_district_rollup_recomputes_the_fraction():
    out = hapi.read_food_security(IPC)
    hel = out[out["province_code"] == "AF-HEL"]
    pop = hel[hel["indicator"] == "ipc_population_in_phase"].set_index("ipc_phase")["value"]
    assert pop.to_dict() == {"all": 300.0, "3+": 60.0}
    frac = hel[hel["indicator"] == "ipc_fraction_in_phase"].set_index("ipc_phase")["value"]
    # 60 / 300, not the mean (0.175) nor the sum (0.35) of the district fractions
    assert frac["3+"] == pytest.approx(0.2)


def test_food_security_bad_phase_names_row_and_column(tmp_path):
    path = _edited(tmp_path, IPC, ",0,3+,current,400,", ",0,6,current,400,")
    with pytest.raises(DataError) as info:
        hapi.read_food_security(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "ipc_phase", "6")


# ---------------------------------------------------------------------- conflict events


def test_conflict_events_national_province_and_rolled_up_rows():
    out = hapi.read_conflict_events(CONFLICT)
    national = _one(out, geography="national")
    assert (national["events"], national["fatalities"]) == (50, 80)
    panjsher = _one(out, province_code="AF-PAN", event_type="political_violence")
    assert (panjsher["events"], panjsher["fatalities"], panjsher["from_admin2"]) == (10, 5, False)
    herat = _one(out, province_code="AF-HER", event_type="political_violence")
    assert (herat["events"], herat["fatalities"], herat["from_admin2"]) == (7, 3, True)
    civilians = _one(out, province_code="AF-HER", event_type="civilian_targeting")
    assert civilians["events"] == 1
    demo = _one(out, event_type="demonstration")
    assert demo["events"] == 2 and pd.isna(demo["fatalities"])
    assert out.attrs["dropped"] == {"outside_afghanistan": 1}
    assert str(out["events"].dtype) == "Int64"


def test_conflict_events_with_renamed_headers_are_identified_by_hxl():
    assert detect_layout(RENAMED).name == "hapi_conflict_events_hxl"
    out = hapi.read_conflict_events(RENAMED)
    assert out.set_index("province_code")["events"].to_dict() == {"AF-TAK": 6, "AF-SAR": 2}
    assert out["fatalities"].tolist() == [4, 0]
    assert (out["period_start"] == pd.Timestamp("2024-03-01")).all()
    assert (out["period_end"] == pd.Timestamp("2024-03-31")).all()


def test_hxl_row_is_not_read_as_data(tmp_path):
    # Same file without its HXL row gives the same table: the tag row is not a data row.
    lines = CONFLICT.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "no_hxl.csv"
    path.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")
    with_hxl = hapi.read_conflict_events(CONFLICT)
    without = hapi.read_conflict_events(path)
    cols = ["province_code", "event_type", "events", "fatalities"]
    pd.testing.assert_frame_equal(with_hxl[cols], without[cols])


def test_fractional_event_count_is_rejected_not_rounded(tmp_path):
    path = _edited(tmp_path, CONFLICT, "political_violence,10,5,", "political_violence,10.5,5,")
    with pytest.raises(DataError) as info:
        hapi.read_conflict_events(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column) == (2, "events")
    assert "whole number" in problem.rule


def test_unknown_event_type_is_an_error(tmp_path):
    path = _edited(tmp_path, CONFLICT, "political_violence,50,80", "battles,50,80")
    with pytest.raises(DataError, match="event_type"):
        hapi.read_conflict_events(path)


def test_reader_accepts_a_copy_elsewhere(tmp_path):
    copy = tmp_path / "export.csv"
    shutil.copy(CONFLICT, copy)
    out = hapi.read_conflict_events(copy)
    assert (out["source_file"] == str(copy)).all()
