"""FTS funding flows: the HDX incoming-flows CSV and the website's legacy .xls export."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data import catalog
from helpers.data.sources import detect_layout, fts, fts_flows
from helpers.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "fts"
INCOMING = FIXTURES / "fts_incoming_funding_afg.csv"


def test_incoming_flows_one_row_each_with_donor_plan_status_and_a_flagged_refund():
    assert detect_layout(INCOMING).name == "fts_incoming_funding"
    out = fts_flows.read_incoming(INCOMING)
    assert out["indicator"].unique().tolist() == ["flow_usd"]
    assert out["level"].unique().tolist() == ["flow"]
    # by hand: 1,000,000 (thousands separators) + 250,000 - 50,000 (a refund)
    assert out["value"].sum() == 1_200_000
    refund = out[out["value"] < 0].iloc[0]
    assert refund["flag"] == fts.NEGATIVE_FLAG and refund["record_id"] == "900003"
    first = out[out["record_id"] == "900001"].iloc[0]
    assert first["donor"] == "Donor A, Government of"
    assert (first["appeal_code"], first["category"]) == ("HAFG24T", "paid")
    assert str(first["period_start"].date()) == "2024-02-01"
    assert out.loc[out["record_id"] == "900002", "sector"].iloc[0] == "Health,Nutrition"


def write_export(path: Path, rows: list[list], *, blank_rows: int = 3) -> Path:
    import xlwt

    book = xlwt.Workbook()
    meta = book.add_sheet("Meta data")
    meta.write(0, 0, "Search criteria")
    meta.write(1, 0, "Destination location: Afghanistan; Year: 2024")
    data = book.add_sheet("Export data")
    data.write(0, 0, "Individual flows")  # a title, then blank rows above the header
    header = ["Flow ID", "Source org.", "Destination org.", "Description", "Sector",
              "Amount (US$)", "Amount shared on boundary", "Funding status", "Boundary"]
    top = blank_rows
    for j, name in enumerate(header):
        data.write(top, j, name)
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row):
            if value is not None:
                data.write(i, j, value)
    book.save(str(path))
    return path


def test_website_export_finds_the_header_below_blank_rows(tmp_path):
    path = write_export(tmp_path / "fts_flows_afghanistan_2024.xls", [
        [1001, "Donor A", "Agency One", "Food", "Food Security", 500000, None, "paid",
         "incoming"],
        [1002, "Donor B", "Agency Two", "Shared flow", "Multiple clusters", 300000, 100000,
         "commitment", "incoming"],
        [1003, "Donor A", "Agency One", "Refund", "Food Security", -20000, None, "paid",
         "incoming"],
    ])
    assert detect_layout(path).name == "fts_flows_export"
    out = fts_flows.read_export(path)
    assert len(out) == 3 and out["value"].sum() == 780_000  # by hand
    assert out["record_id"].tolist() == ["1001", "1002", "1003"]
    assert out.loc[out["record_id"] == "1002", "note"].iloc[0].endswith(
        "amount shared on boundary: 100000")
    assert out.loc[out["value"] < 0, "flag"].tolist() == [fts.NEGATIVE_FLAG]
    assert out["period_start"].isna().all()  # the export has no dates


def test_an_export_without_its_header_says_what_it_saw(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Meta data").write(0, 0, "x")
    sheet = book.add_sheet("Export data")
    sheet.write(0, 0, "Something else")
    path = tmp_path / "odd.xls"
    book.save(str(path))
    with pytest.raises(DataError, match="no flows header") as info:
        fts_flows.read_export(path)
    assert "Something else" in str(info.value)


def test_a_broken_xls_is_one_clear_error_not_a_library_traceback(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 this is not a workbook")
    with pytest.raises(DataError, match="cannot be opened as an Excel workbook"):
        detect_layout(path)


def test_flows_and_appeal_totals_load_together_without_mixing(tmp_path):
    import shutil

    shutil.copy(INCOMING, tmp_path)
    shutil.copy(Path(__file__).parent / "fixtures" / "hdx" / "fts_requirements_funding_afg.csv",
                tmp_path)
    loaded = catalog.indicators(tmp_path)
    assert set(loaded["level"]) == {"plan", "flow"}
    from helpers.analysis import humanitarian

    row = humanitarian.funding_by_year(loaded).set_index("year").loc[2024]
    assert row["funding_usd"] == 1_500_000  # the plan's figure, not plus its flows
