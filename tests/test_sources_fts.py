"""FTS requirements-and-funding reader: Not-specified rows, cluster names, HXL-only headers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.sources import detect_layout, fts
from helpers.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "hdx"
PLAN = FIXTURES / "fts_requirements_funding_afg.csv"
CLUSTER = FIXTURES / "fts_requirements_funding_cluster_afg.csv"
RENAMED = FIXTURES / "fts_requirements_funding_renamed.csv"


def _wide(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.pivot_table(index=by, columns="indicator", values="value", dropna=False,
                             aggfunc="first")


def test_plan_rows_become_three_national_indicators():
    out = fts.read(PLAN)
    assert (out["level"] == "plan").all()
    assert set(out.loc[out["appeal_code"] == "HAFG24T", "category"]) == {
        "Humanitarian response plan"}
    assert set(out["indicator"]) == {"requirements_usd", "funding_usd",
                                     "funding_pct"}
    assert (out["geography"] == "national").all() and out["province_code"].isna().all()
    plan = out[out["appeal_code"] == "HAFG24T"].set_index("indicator")
    assert plan.loc["requirements_usd", "value"] == 3_000_000
    assert plan.loc["funding_usd", "value"] == 1_500_000
    assert plan.loc["funding_pct", "value"] == 50
    assert plan.loc["requirements_usd", "unit"] == "USD"
    assert plan.loc["funding_pct", "unit"] == "percent"


def test_not_specified_keeps_funding_with_na_requirements():
    out = fts.read(PLAN)
    unspecified = out[out["appeal"] == "Not specified"]
    req = unspecified[unspecified["indicator"] == "requirements_usd"]
    assert req["value"].isna().all()  # unknown, not zero
    got = unspecified[unspecified["indicator"] == "funding_usd"]
    assert sorted(got["value"]) == [90_000.0, 200_000.0]
    with_year = got[got["value"] == 200_000].iloc[0]
    assert with_year["period_start"] == pd.Timestamp("2024-01-01")
    assert with_year["period_end"] == pd.Timestamp("2024-12-31")
    no_year = got[got["value"] == 90_000].iloc[0]
    assert pd.isna(no_year["period_start"]) and pd.isna(no_year["period_end"])


def test_cluster_names_that_change_case_are_merged():
    out = fts.read(CLUSTER)
    assert set(out["sector"]) == {"Emergency shelter and NFI", "Health", "Not specified"}
    req = out[out["indicator"] == "requirements_usd"]
    shelter = req[req["sector"] == "Emergency shelter and NFI"]
    # one cluster across both years (2023 wrote "Emergency Shelter and NFI")
    assert sorted(shelter["value"]) == [500_000.0, 600_000.0]
    health = req[req["sector"] == "Health"]  # 2023 wrote "HEALTH"
    assert sorted(health["value"]) == [700_000.0, 800_000.0]


def test_not_specified_cluster_keeps_its_funding():
    out = fts.read(CLUSTER)
    wide = _wide(out[out["sector"] == "Not specified"], ["appeal_code"])
    assert wide.loc["HAFG24T", "funding_usd"] == 70_000
    assert pd.isna(wide.loc["HAFG24T", "requirements_usd"])


def test_normalise_clusters_prefers_the_latest_years_spelling():
    names = pd.Series(["Food Security", "food security ", "FOOD  SECURITY", "Nutrition"])
    years = pd.Series([2022, 2024, 2023, 2024])
    assert fts.normalise_clusters(names, years).tolist() == [
        "food security", "food security", "food security", "Nutrition"]


def test_renamed_headers_are_identified_by_hxl_tags():
    assert detect_layout(RENAMED).name == "fts_requirements_funding_hxl"
    out = fts.read(RENAMED)
    values = out.set_index("indicator")["value"].to_dict()
    assert values == {"requirements_usd": 3_000_000.0, "funding_usd": 1_500_000.0,
                      "funding_pct": 50.0}
    assert out["appeal_code"].eq("HAFG24T").all()


def test_other_countries_are_left_out_and_counted(tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    path = tmp_path / "fts_requirements_funding_global.csv"
    path.write_text(text + "PAK,2001,Pakistan Test Plan,HPAK24T,4,HRP,2024-01-01,"
                           "2024-12-31,2024,10,5,50\n", encoding="utf-8")
    out = fts.read(path)
    assert "HPAK24T" not in set(out["appeal_code"].dropna())
    assert out.attrs["dropped"] == {"outside_afghanistan": 1}


def test_bad_number_names_row_and_column(tmp_path):
    text = PLAN.read_text(encoding="utf-8").replace("3000000,1500000", "3000000,lots", 1)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        fts.read(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (1, "funding", "lots")


def test_a_negative_amount_loads_flagged_and_the_rest_of_the_history_too(tmp_path):
    text = PLAN.read_text(encoding="utf-8").replace("3000000,1500000", "3000000,-25000", 1)
    path = tmp_path / "refund.csv"
    path.write_text(text, encoding="utf-8")
    out = fts.read(path)
    got = out[(out["appeal_code"] == "HAFG24T") & (out["indicator"] == "funding_usd")]
    assert got["value"].tolist() == [-25_000.0]
    assert got["flag"].iloc[0] == fts.NEGATIVE_FLAG
    assert out.loc[out["value"].ge(0), "flag"].isna().all()  # only the negative is flagged
    assert len(out[out["indicator"] == "requirements_usd"]) == len(
        fts.read(PLAN)[lambda f: f["indicator"] == "requirements_usd"])


GLOBAL_CLUSTER = (
    "countryCode,id,name,code,startDate,endDate,year,clusterCode,cluster,requirements,"
    "funding,percentFunded\n"
    "#country+code,#activity+appeal+id+fts_internal,#activity+appeal+name,"
    "#activity+appeal+id+external,#date+start,#date+end,#date+year,#sector+cluster+code,"
    "#sector+cluster+name,#value+funding+required+usd,#value+funding+total+usd,"
    "#value+funding+pct\n"
    "AFG,1001,Afghanistan Test Plan 2024,HAFG24T,2024-01-01,2024-12-31,2024,6,"
    "Food Security,2000000,1000000,50\n"
    "AFG,1001,Afghanistan Test Plan 2024,HAFG24T,2024-01-01,2024-12-31,2024,,"
    "Not specified,,500000,\n")
COVID = (
    "countryCode,id,name,code,typeId,typeName,startDate,endDate,year,requirements,funding\n"
    "#country+code,#activity+appeal+id+fts_internal,#activity+appeal+name,"
    "#activity+appeal+id+external,#activity+appeal+type+id+fts_internal,"
    "#activity+appeal+type+name,#date+start,#date+end,#date+year,"
    "#value+funding+required+usd,#value+funding+total+usd\n"
    "AFG,929,Afghanistan 2020,HAFG20,4,4,2020-01-01,2020-12-31,2020,395689175,127779824\n")


def test_global_cluster_and_covid_files_are_read_at_their_level(tmp_path):
    g = tmp_path / "fts_requirements_funding_globalcluster_afg.csv"
    g.write_text(GLOBAL_CLUSTER, encoding="utf-8")
    assert detect_layout(g).name == "fts_requirements_funding_globalcluster"
    out = fts.read(g)
    assert set(out["level"]) == {"global cluster"}
    assert set(out["sector"]) == {"Food Security", "Not specified"}
    c = tmp_path / "fts_requirements_funding_covid_afg.csv"
    c.write_text(COVID, encoding="utf-8")
    assert detect_layout(c).name in {"fts_requirements_funding_basic",
                                     "fts_requirements_funding_hxl"}
    covid = fts.read(c)
    assert set(covid["level"]) == {"covid-19"}
    assert set(covid["indicator"]) == {"requirements_usd", "funding_usd"}  # no percentFunded
    assert covid["category"].isna().all()  # a numeric type id is not a type name


def test_plan_cluster_and_global_cluster_files_together_never_count_money_twice(tmp_path):
    from helpers.analysis import humanitarian
    from helpers.data import catalog

    shutil.copy(PLAN, tmp_path)
    shutil.copy(CLUSTER, tmp_path)
    (tmp_path / "fts_requirements_funding_globalcluster_afg.csv").write_text(
        GLOBAL_CLUSTER, encoding="utf-8")
    loaded = catalog.indicators(tmp_path)
    assert set(loaded["level"]) == {"plan"}  # clusters only on request
    assert loaded.attrs["dropped"]["below_plan_level"] > 0
    money = humanitarian.funding_by_year(loaded)
    row = money.set_index("year").loc[2024]
    assert row["requirements_usd"] == 3_000_000 and row["funding_usd"] == 1_500_000
    everything = catalog.indicators(tmp_path, sectors=True)
    assert {"plan", "cluster", "global cluster"} <= set(everything["level"])
    again = humanitarian.funding_by_year(everything).set_index("year").loc[2024]
    assert again["funding_usd"] == 1_500_000  # the breakdowns are never added on top
