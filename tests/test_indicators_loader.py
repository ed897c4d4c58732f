"""indicators() / conflict_aggregates(): layout detection, kinds, curated mapping, schemas."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.data import catalog as ind
from helpers.data.sources import layouts
from helpers.errors import DataError, SchemaError, UnknownLayoutError

FIXTURES = Path(__file__).parent / "fixtures" / "hdx"
NEEDS = FIXTURES / "hdx_hapi_humanitarian_needs_afg.csv"
IPC = FIXTURES / "hdx_hapi_food_security_afg.csv"
FTS = FIXTURES / "fts_requirements_funding_afg.csv"
CONFLICT = FIXTURES / "hdx_hapi_conflict_event_afg.csv"
PV = FIXTURES / ("afghanistan_hrp_political_violence_events_and_fatalities_by_month-year_"
                 "as-of-test.csv")


def test_indicators_from_a_folder_reads_every_indicator_file_and_skips_aggregates():
    out = ind.indicators(FIXTURES)
    layouts_read = {i["layout"] for i in out.attrs["inputs"]}
    assert layouts_read == {"hapi_humanitarian_needs", "hapi_food_security",
                            "fts_requirements_funding", "fts_requirements_funding_cluster",
                            "fts_requirements_funding_hxl"}
    assert list(out.columns[:len(ind.INDICATOR_COLUMNS)]) == list(ind.INDICATOR_COLUMNS)
    assert str(out["period_start"].dtype) == "datetime64[ns]"
    assert out.attrs["dropped"] == {"outside_afghanistan": 1, "hapi_unmatched_pcode": 1,
                                    "below_plan_level": 14}  # the cluster file's rows
    national_pin = out[(out["indicator"] == "people_in_need") & (out["geography"] == "national")]
    assert national_pin["value"].tolist() == [1000.0]


def test_indicators_options_reach_the_needs_reader():
    plain = ind.indicators([NEEDS])
    detailed = ind.indicators([NEEDS], breakdown=True, sectors=True)
    assert len(detailed) > len(plain)
    assert {"Children", "total"} <= set(detailed["category"])
    assert "Health" in set(detailed["sector"])


def test_indicators_rejects_an_aggregates_file_and_points_to_its_loader():
    with pytest.raises(DataError, match="conflict_aggregates"):
        ind.indicators([NEEDS, CONFLICT])


def test_indicators_rejects_an_event_export_and_points_to_load_events(tmp_path):
    acled = next(lay for lay in layouts("events") if lay.name == "acled")
    path = tmp_path / "acled_export.csv"
    path.write_text(",".join(sorted(acled.signature)) + "\n" + ","
                    * (len(acled.signature) - 1) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"catalog\.events"):
        ind.indicators(path)


def test_unknown_layout_says_what_the_file_is_like(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("Admin 1,Phase,IPC Phase 3+ number\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UnknownLayoutError) as info:
        ind.indicators(path)
    text = str(info.value)
    assert "looks like an IPC food-insecurity file" in text
    assert "3 column(s): Admin 1, Phase, IPC Phase 3+ number" in text


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        ind.indicators(tmp_path / "nope.csv")


def test_conflict_aggregates_from_files_combine_sources():
    out = ind.conflict_aggregates([CONFLICT, PV])
    assert list(out.columns) == list(ind.AGGREGATE_COLUMNS)
    assert set(out["source"]) == {"ACLED monthly aggregates, via HDX HAPI",
                                  "ACLED aggregated monthly data (HDX)"}
    assert len(out) == 5 + 4
    assert out["source_sha256"].str.len().eq(64).all()


def test_conflict_aggregates_raw_without_files_is_empty_with_a_note(tmp_path, monkeypatch,
                                                                   caplog):
    monkeypatch.setattr(config, "RAW_DIR", tmp_path)
    with caplog.at_level(logging.INFO):
        out = ind.conflict_aggregates()
    assert out.empty and list(out.columns) == list(ind.AGGREGATE_COLUMNS)
    assert str(out["events"].dtype) == "Int64"
    assert "no conflict-aggregate files" in caplog.text


def test_conflict_aggregates_raw_takes_only_aggregate_files(tmp_path, monkeypatch):
    for path in (CONFLICT, PV, FTS, NEEDS):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "notes.csv").write_text("what,why\nx,y\n", encoding="utf-8")
    monkeypatch.setattr(config, "RAW_DIR", tmp_path)
    out = ind.conflict_aggregates("raw")
    assert {Path(p).name for p in out["source_file"]} == {CONFLICT.name, PV.name}


def test_conflict_aggregates_rejects_an_indicator_file():
    with pytest.raises(DataError, match=r"catalog\.indicators"):
        ind.conflict_aggregates(FTS)


# ------------------------------------------------------------------------------ curated


def _curated(tmp_path: Path) -> tuple[pd.DataFrame, Path]:
    path = tmp_path / "humanitarian_indicators.csv"
    path.write_text("made-up curated file for the sha256\n", encoding="utf-8")
    frame = pd.DataFrame({
        "id": ["H01", "H02"],
        "indicator": ["people_in_need", "people_in_need"],
        "geography": ["AF", "AF-PAN"],
        "period_start": pd.to_datetime(["2024-01-01", "2024-01-01"]).astype("datetime64[ns]"),
        "period_end": pd.to_datetime(["2024-12-31", None]).astype("datetime64[ns]"),
        "comparator": [">", "~"],
        "value": pd.array([23_000_000, 50_000], dtype="Float64"),
        "unit": ["people", "people"],
        "donor": [None, None],
        "original_publisher": ["Test publisher", "Test publisher"],
        "source": ["Test source A", "Test source B"],
        "source_date": ["2024-10", "2024"],
        "source_url": ["https://example.org/a", None],
        "note": [None, "made up for a test"],
    }, index=pd.RangeIndex(1, 3, name="row"))
    frame.attrs["source_file"] = str(path)
    return frame, path


def test_curated_rows_map_into_the_indicator_schema(tmp_path):
    frame, path = _curated(tmp_path)
    out = ind.from_curated(frame)
    assert out["geography"].tolist() == ["national", "AF-PAN"]
    assert out["province_code"].isna().tolist() == [True, False]
    assert out["comparator"].tolist() == [">", "~"]  # a bound / approximation, kept
    assert out["value"].tolist() == [23_000_000.0, 50_000.0]
    assert (out["source_file"] == str(path)).all()
    assert out["source_sha256"].nunique() == 1 and len(out["source_sha256"].iloc[0]) == 64
    assert out["source"].tolist() == ["Test source A", "Test source B"]


def test_indicators_curated_uses_the_curated_loader(tmp_path, monkeypatch):
    frame, _ = _curated(tmp_path)
    import helpers.data.curated

    monkeypatch.setattr(helpers.data.curated, "humanitarian_indicators", lambda: frame)
    out = ind.indicators()
    assert len(out) == 2 and set(out["indicator"]) == {"people_in_need"}


# ------------------------------------------------------------------------------ schemas


def _valid_row(**changes) -> pd.DataFrame:
    row = {"indicator": "people_in_need", "province_code": "AF-KAB", "geography": "AF-KAB",
           "period_start": pd.Timestamp("2024-01-01"), "period_end": pd.Timestamp("2024-12-31"),
           "value": 5.0, "unit": "people", "source": "test", "source_file": "x.csv",
           "source_sha256": "0" * 64}
    row.update(changes)
    return pd.DataFrame([row], index=pd.RangeIndex(1, 2, name="row"))


def test_schema_accepts_a_good_row():
    out = ind.validate_indicators(_valid_row())
    assert out["value"].tolist() == [5.0]


@pytest.mark.parametrize(("changes", "column"), [
    ({"province_code": "AF-XX1", "geography": "AF-XX1"}, "province_code"),
    ({"geography": "national"}, "geography"),  # national with a province code
    ({"value": -1.0}, "value"),
    ({"source_sha256": "abc"}, "source_sha256"),
    ({"period_end": pd.Timestamp("2023-01-01")}, "period_end"),
])
def test_schema_errors_name_file_row_and_column(changes, column):
    with pytest.raises(SchemaError) as info:
        ind.validate_indicators(_valid_row(**changes), file="made_up.csv")
    problem = info.value.problems[0]
    assert problem.file == "made_up.csv" and problem.row == 1
    assert problem.column == column
    assert "made_up.csv" in str(info.value)


def test_aggregate_schema_rejects_negative_events():
    frame = ind.conflict_aggregates([CONFLICT])
    frame.loc[0, "events"] = -1
    with pytest.raises(SchemaError) as info:
        ind.validate_aggregates(frame, file="x.csv")
    assert info.value.problems[0].column == "events"


def test_empty_tables_are_valid():
    assert ind.empty_indicators().empty
    assert ind.empty_aggregates().empty
