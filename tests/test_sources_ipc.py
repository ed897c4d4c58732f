"""IPC country files (long and wide): urban and cluster areas roll up into their province.

The fixtures are made up (round numbers chosen so the totals are easy to check by hand) in
the layouts HDX publishes: BOM, padded headers and an HXL row (long); blank lines above
the header and thousands separators (wide).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.data.sources import detect_layout, ipc
from helpers.errors import DataError, UnknownProvinceError

FIXTURES = Path(__file__).parent / "fixtures" / "ipc"
LONG = FIXTURES / "ipc_afg_area_long.csv"
WIDE = FIXTURES / "ipc_afg_area_wide.csv"


def _people(frame, province, phase="3+", kind="current"):
    rows = frame[(frame["indicator"] == "ipc_population_in_phase")
                 & (frame["province_code"].fillna("national") == province)
                 & (frame["ipc_phase"] == phase) & (frame["ipc_type"] == kind)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("path, layout", [(LONG, "ipc_long"), (WIDE, "ipc_wide")])
def test_urban_and_cluster_areas_roll_up_into_their_province(path, layout):
    assert detect_layout(path).name == layout
    out = ipc.read(path)
    # Kabul 400,000 + Kabul Urban 1,700,000 in phase 3+ (by hand): never dropped
    kabul = _people(out, "AF-KAB")
    assert kabul["value"] == 2_100_000 and "urban or cluster" in kabul["note"]
    assert _people(out, "AF-KAB", "all")["value"] == 6_000_000
    # Nangarhar 240,000 + "Nangarhar c_3" 100,000
    assert _people(out, "AF-NAN")["value"] == 340_000
    assert pd.isna(_people(out, "AF-PAN")["note"])  # nothing rolled into Panjshir
    frac = out[(out["indicator"] == "ipc_fraction_in_phase") & (out["province_code"] == "AF-KAB")
               & (out["ipc_phase"] == "3+") & (out["ipc_type"] == "current")]
    assert frac["value"].iloc[0] == pytest.approx(0.35)  # recomputed from the sums
    assert set(out["ipc_type"]) == {"current", "first projection"}
    assert str(kabul["period_start"].date()) == "2024-03-01"
    assert kabul["source_date"] == "Mar 2024"


def test_national_rows_are_checked_against_the_sum_of_their_provinces():
    out = ipc.read(LONG)
    national = _people(out, "national", "3+")
    assert national["value"] == 2_485_000 and pd.isna(national["note"])  # adds up
    four = _people(out, "national", "4")
    assert four["note"] == "the provinces in this file add up to 675,000, not 685,000"
    assert "AF-" not in str(out.loc[out["geography"] == "national", "province_code"].dropna())
    # the Pakistani row of a global file is not read
    assert out["value"].max() < 10_000_000


def test_every_problem_of_an_ipc_file_is_reported_at_once(tmp_path):
    text = LONG.read_text(encoding="utf-8-sig").splitlines()
    bad = text[:2] + [
        'Mar 2024,AFG,1,,Atlantis,current,2024-03-01,2024-04-30,all,"1,000",1',
        "Mar 2024,AFG,1,,Kabul,someday,2024-03-01,2024-04-30,all,1000,1",
        "Mar 2024,AFG,1,,Kabul,current,2024-13-45,2024-04-30,3+,lots,1.5",
    ]
    path = tmp_path / "ipc_afg_area_long.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises((DataError, UnknownProvinceError)) as info:
        ipc.read(path)
    problems = {(p.row, p.column) for p in info.value.problems}
    assert (1, None) in problems or any(r == 1 for r, _ in problems)  # Atlantis
    columns = {c for _, c in problems}
    assert {"Validity period", "Percentage"} <= columns
    assert any(c and c.strip() == "From" or c == "from" for c in columns)
    assert any(c and c.strip() == "Number" or c == "number" for c in columns)


def test_a_national_file_has_no_level_1_or_area_columns(tmp_path):
    lines = WIDE.read_text(encoding="utf-8").splitlines()
    header = lines[2].split(",")
    keep = [i for i, name in enumerate(header) if name not in ("Level 1", "Area")]
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines[2:]))))
    out_lines = [",".join(f'"{r[i]}"' if "," in r[i] else r[i] for i in keep)
                 for r in rows[:3]]  # header, tags, the Kabul row as a "national" row
    path = tmp_path / "ipc_afg_national_wide.csv"
    path.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    assert detect_layout(path).name == "ipc_wide"
    out = ipc.read(path)
    assert set(out["geography"]) == {"national"} and set(out["level"]) == {"national"}
    assert _people(out, "national")["value"] == 400_000
