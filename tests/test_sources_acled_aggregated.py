"""ACLED aggregated monthly files: month words, district roll-up, event family from the name."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.sources import acled_aggregated, detect_layout
from helpers.errors import DataError, UnknownProvinceError

FIXTURES = Path(__file__).parent / "fixtures" / "hdx"
PV = FIXTURES / ("afghanistan_hrp_political_violence_events_and_fatalities_by_month-year_"
                 "as-of-test.csv")
DEMO = FIXTURES / "afghanistan_hrp_demonstration_events_by_month-year_as-of-test.csv"
HEADER = "Country,Admin1,Admin2,ISO3,Admin2 Pcode,Admin1 Pcode,Month,Year,Events,Fatalities\n"


def _write(tmp_path: Path, name: str, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_layout_is_detected_as_aggregates():
    layout = detect_layout(PV)
    assert layout.kind == "aggregates" and layout.name == "acled_aggregated_admin2"


def test_month_words_become_month_periods_and_districts_sum_to_provinces():
    out = acled_aggregated.read(PV)
    january = out[(out["province_code"] == "AF-PAN")
                  & (out["period_start"] == pd.Timestamp("2024-01-01"))].iloc[0]
    assert january["period_end"] == pd.Timestamp("2024-01-31")
    assert (january["events"], january["fatalities"]) == (4, 2)  # Bazarak 3 + Rukha 1
    assert bool(january["from_admin2"])
    hel = out[out["province_code"] == "AF-HEL"].iloc[0]
    assert hel["period_end"] == pd.Timestamp("2024-02-29")  # leap year
    nim = out[out["province_code"] == "AF-NIM"].iloc[0]
    assert (nim["period_start"], nim["period_end"]) == (pd.Timestamp("2023-12-01"),
                                                       pd.Timestamp("2023-12-31"))
    assert set(out["event_type"]) == {"political_violence"}
    assert len(out) == 4


def test_demonstration_file_without_fatalities_and_name_fallback():
    out = acled_aggregated.read(DEMO)
    assert set(out["event_type"]) == {"demonstration"}
    assert out["fatalities"].isna().all()
    # row 2 has no Admin1 Pcode: the OCHA name "Maidan Wardak" resolves through the gazetteer
    assert out.set_index("province_code")["events"].to_dict() == {"AF-JOW": 2, "AF-WAR": 1}


def test_admin1_row_wins_over_its_districts(tmp_path):
    path = _write(tmp_path, "afghanistan_political_violence_by_month.csv",
                  "Afghanistan,Takhar,,AFG,,AF18,May,2024,9,4\n"
                  "Afghanistan,Takhar,Taloqan,AFG,AF1801,AF18,May,2024,5,1\n"
                  "Afghanistan,Takhar,Rustaq,AFG,AF1802,AF18,May,2024,2,2\n"
                  "Afghanistan,Takhar,Taloqan,AFG,AF1801,AF18,June,2024,1,0\n")
    out = acled_aggregated.read(path).set_index("period_start")
    may = out.loc[pd.Timestamp("2024-05-01")]
    assert (may["events"], may["fatalities"], bool(may["from_admin2"])) == (9, 4, False)
    june = out.loc[pd.Timestamp("2024-06-01")]
    assert (june["events"], bool(june["from_admin2"])) == (1, True)


def test_month_abbreviations_and_numbers(tmp_path):
    path = _write(tmp_path, "afghanistan_political_violence.csv",
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,Sep,2024,1,0\n"
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,11,2024,1,0\n")
    out = acled_aggregated.read(path)
    assert sorted(out["period_start"].dt.month) == [9, 11]


def test_bad_month_names_row_and_column(tmp_path):
    path = _write(tmp_path, "afghanistan_political_violence.csv",
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,January,2024,1,0\n"
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,Janvier,2024,1,0\n")
    with pytest.raises(DataError) as info:
        acled_aggregated.read(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "Month", "Janvier")


def test_unknown_pcode_names_row_column_value(tmp_path):
    path = _write(tmp_path, "afghanistan_political_violence.csv",
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,January,2024,1,0\n"
                  "Afghanistan,Atlantis,X,AFG,AF3501,AF35,January,2024,1,0\n")
    with pytest.raises(UnknownProvinceError) as info:
        acled_aggregated.read(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "Admin1 Pcode", "AF35")
    assert path.name in str(info.value)


def test_file_name_without_family_gives_unspecified_with_warning(tmp_path, caplog):
    path = _write(tmp_path, "acled_monthly_export.csv",
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,January,2024,1,0\n")
    with caplog.at_level(logging.WARNING):
        out = acled_aggregated.read(path)
    assert set(out["event_type"]) == {"unspecified"}
    assert "does not say which ACLED event family" in caplog.text


@pytest.mark.parametrize(("name", "family"), [
    ("afghanistan_hrp_civilian_targeting_events_and_fatalities_by_month-year.csv",
     "civilian_targeting"),
    ("Afghanistan Political-Violence events.csv", "political_violence"),
    ("afghanistan_hrp_demonstration_events_by_month-year.csv", "demonstration"),
])
def test_event_family_from_file_name(name, family):
    assert acled_aggregated.event_type_from_name(name) == family


def test_other_countries_are_counted(tmp_path):
    path = _write(tmp_path, "global_political_violence.csv",
                  "Afghanistan,Kabul,Kabul,AFG,AF0101,AF01,January,2024,1,0\n"
                  "Pakistan,Punjab,Lahore,PAK,PK0601,PK06,January,2024,8,3\n")
    out = acled_aggregated.read(path)
    assert len(out) == 1 and out.attrs["dropped"] == {"outside_afghanistan": 1}
