"""HNO exports from the HPC tools: totals by default, breakdowns and clusters on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data import catalog
from helpers.data.sources import detect_layout, hno_hpc
from helpers.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "hno"
API = FIXTURES / "afg_hno_2025_hpc_api.csv"
HXL = FIXTURES / "afg_hno_2025_hxl.csv"


def _pin(frame):
    rows = frame[frame["indicator"] == "people_in_need"]
    return {(r.province_code if isinstance(r.province_code, str) else "national",
             r.sector, r.category): r.value for r in rows.itertuples()}


@pytest.mark.parametrize("path, layout", [(API, "hno_hpc_api"), (HXL, "hno_hpc_hxl")])
def test_totals_only_by_default_never_a_double_count(path, layout):
    assert detect_layout(path).name == layout
    out = hno_hpc.read_api(path) if layout == "hno_hpc_api" else hno_hpc.read_hxl(path)
    pin = _pin(out)
    assert pin[("national", "Intersectoral", "total")] == 20_000_000
    assert pin[("AF-KAB", "Intersectoral", "total")] == 2_000_000  # not + girls, + health
    assert pin[("AF-PAN", "Intersectoral", "total")] == 100_000
    assert set(out["category"]) == {"total"} and set(out["sector"]) == {"Intersectoral"}
    assert str(out["period_start"].min().date()) == "2025-01-01"  # the year in the name


def test_districts_sum_to_their_province_when_it_has_no_row():
    pin = _pin(hno_hpc.read_api(API))
    assert pin[("AF-BDS", "Intersectoral", "total")] == 200_000  # 120,000 + 80,000


def test_breakdown_and_sectors_on_request_each_labelled():
    out = hno_hpc.read_hxl(HXL, breakdown=True, sectors=True)
    pin = _pin(out)
    assert pin[("AF-KAB", "Intersectoral", "gender: f")] == 1_100_000
    assert pin[("AF-KAB", "Intersectoral", "age range: 0-17")] == 1_300_000
    assert pin[("AF-KAB", "Intersectoral", "population group: IDP")] == 250_000
    assert pin[("AF-KAB", "Health", "total")] == 1_200_000
    api = _pin(hno_hpc.read_api(API, breakdown=True))
    assert api[("AF-KAB", "Intersectoral", "category: Girls")] == 500_000


def test_catalog_reads_both_from_a_folder_with_totals_only():
    out = catalog.indicators(FIXTURES)
    pin = out[(out["indicator"] == "people_in_need") & out["province_code"].eq("AF-KAB")]
    assert sorted(pin["value"]) == [2_000_000, 2_000_000]  # one total from each file


def test_an_unknown_pcode_and_a_bad_number_are_reported_together(tmp_path):
    text = API.read_text(encoding="utf-8").replace("AF08,Panjsher", "AF99,Nowhere").replace(
        '"100,000"', "many", 1)
    path = tmp_path / "afg_hno_2025_hpc_api.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        hno_hpc.read_api(path)
    values = {p.value for p in info.value.problems}
    assert {"AF99", "many"} <= values
