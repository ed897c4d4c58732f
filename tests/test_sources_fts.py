"""FTS requirements-and-funding reader: Not-specified rows, cluster names, HXL-only headers."""

from __future__ import annotations

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
    assert set(out["indicator"]) == {"funding_requirements", "funding_received",
                                     "funding_percent_funded"}
    assert (out["geography"] == "national").all() and out["province_code"].isna().all()
    plan = out[out["appeal_code"] == "HAFG24T"].set_index("indicator")
    assert plan.loc["funding_requirements", "value"] == 3_000_000
    assert plan.loc["funding_received", "value"] == 1_500_000
    assert plan.loc["funding_percent_funded", "value"] == 50
    assert plan.loc["funding_requirements", "unit"] == "USD"
    assert plan.loc["funding_percent_funded", "unit"] == "percent"


def test_not_specified_keeps_funding_with_na_requirements():
    out = fts.read(PLAN)
    unspecified = out[out["appeal"] == "Not specified"]
    req = unspecified[unspecified["indicator"] == "funding_requirements"]
    assert req["value"].isna().all()  # unknown, not zero
    got = unspecified[unspecified["indicator"] == "funding_received"]
    assert sorted(got["value"]) == [90_000.0, 200_000.0]
    with_year = got[got["value"] == 200_000].iloc[0]
    assert with_year["period_start"] == pd.Timestamp("2024-01-01")
    assert with_year["period_end"] == pd.Timestamp("2024-12-31")
    no_year = got[got["value"] == 90_000].iloc[0]
    assert pd.isna(no_year["period_start"]) and pd.isna(no_year["period_end"])


def test_cluster_names_that_change_case_are_merged():
    out = fts.read(CLUSTER)
    assert set(out["sector"]) == {"Emergency shelter and NFI", "Health", "Not specified"}
    req = out[out["indicator"] == "funding_requirements"]
    shelter = req[req["sector"] == "Emergency shelter and NFI"]
    # one cluster across both years (2023 wrote "Emergency Shelter and NFI")
    assert sorted(shelter["value"]) == [500_000.0, 600_000.0]
    health = req[req["sector"] == "Health"]  # 2023 wrote "HEALTH"
    assert sorted(health["value"]) == [700_000.0, 800_000.0]


def test_not_specified_cluster_keeps_its_funding():
    out = fts.read(CLUSTER)
    wide = _wide(out[out["sector"] == "Not specified"], ["appeal_code"])
    assert wide.loc["HAFG24T", "funding_received"] == 70_000
    assert pd.isna(wide.loc["HAFG24T", "funding_requirements"])


def test_normalise_clusters_prefers_the_latest_years_spelling():
    names = pd.Series(["Food Security", "food security ", "FOOD  SECURITY", "Nutrition"])
    years = pd.Series([2022, 2024, 2023, 2024])
    assert fts.normalise_clusters(names, years).tolist() == [
        "food security", "food security", "food security", "Nutrition"]


def test_renamed_headers_are_identified_by_hxl_tags():
    assert detect_layout(RENAMED).name == "fts_requirements_funding_hxl"
    out = fts.read(RENAMED)
    values = out.set_index("indicator")["value"].to_dict()
    assert values == {"funding_requirements": 3_000_000.0, "funding_received": 1_500_000.0,
                      "funding_percent_funded": 50.0}
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


def test_negative_requirements_are_rejected(tmp_path):
    text = PLAN.read_text(encoding="utf-8").replace(",3000000,", ",-3000000,", 1)
    path = tmp_path / "negative.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="requirements"):
        fts.read(path)
