"""helpers.data.schemas: canonical columns, dtypes and the lazy validator's plain-word errors."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from helpers import config
from helpers.data import schemas as schema
from helpers.errors import SchemaError

CONTRACT_ORDER = [
    "event_id", "source", "event_date", "date_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "side1", "side2", "province", "province_code", "district",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "target", "urban",
    "notes", "source_ref",
]


def good(n: int = 3) -> pd.DataFrame:
    """``n`` valid canonical rows, values as a reader hands them over (text and numbers)."""
    frame = pd.DataFrame({
        "event_id": [f"T{i}" for i in range(1, n + 1)],
        "source": "acled",
        "event_date": [f"2022-05-0{i % 9 + 1}" for i in range(n)],
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "National Resistance Front",
        "actor2": "Taliban",
        "side1": "resistance",
        "side2": "taliban",
        "province": "Panjshir",
        "province_code": "AF-PAN",
        "district": "Anaba",
        "location": "Anaba",
        "latitude": 35.25,
        "longitude": 69.45,
        "geo_precision": 1,
        "fatalities": 2,
        "target": "military",
        "urban": False,
        "notes": "test row",
        "source_ref": "Test Fixture",
    })
    frame.index = pd.RangeIndex(1, n + 1, name="row")
    return frame


def problems_of(frame: pd.DataFrame, file: str = "x/events.csv"):
    with pytest.raises(SchemaError) as info:
        schema.validate(frame, file=file)
    return info.value


def test_columns_sides_targets_match_the_contract():
    assert list(schema.CANONICAL_COLUMNS) == CONTRACT_ORDER
    assert schema.SIDES == ("resistance", "taliban", "republic", "islamic_state", "al_qaeda",
                            "civilians", "other")
    assert schema.TARGETS == ("official", "military", "infrastructure", "civilian", "unknown")
    assert len(schema.PROVINCE_CODES) == 34 == len(set(schema.PROVINCE_CODES))


def test_empty_events_has_canonical_columns_and_dtypes():
    empty = schema.empty_events()
    assert list(empty.columns) == CONTRACT_ORDER
    assert len(empty) == 0
    assert str(empty["event_date"].dtype) == "datetime64[ns]"
    assert str(empty["fatalities"].dtype) == "Int64"
    assert str(empty["urban"].dtype) == "boolean"
    assert str(empty["latitude"].dtype) == "float64"
    assert empty["event_id"].dtype == "string"
    schema.validate(empty)  # an empty table is valid


def test_valid_frame_is_converted_to_canonical_dtypes_and_keeps_row_numbers():
    frame = good().iloc[:, ::-1].assign(extra="dropped")  # wrong order + an extra column
    out = schema.validate(frame)
    assert list(out.columns) == CONTRACT_ORDER
    assert out.index.name == "row" and list(out.index) == [1, 2, 3]
    assert out["event_date"].dtype == "datetime64[ns]"
    assert out["event_date"].iloc[0] == pd.Timestamp("2022-05-01")
    assert out["fatalities"].dtype == "Int64" and out["fatalities"].sum() == 6
    assert out["geo_precision"].dtype == "Int64"
    assert out["urban"].dtype == "boolean"
    assert out["side1"].dtype == "string"


def test_every_problem_is_reported_at_once_with_file_row_column_and_rule():
    frame = good(6)
    frame["latitude"] = frame["latitude"].astype(object)
    frame.loc[1, "latitude"] = 50.0
    frame.loc[2, "fatalities"] = -1
    frame.loc[3, "side1"] = "rebels"
    frame.loc[4, "event_date"] = "1975-01-01"
    frame.loc[5, "target"] = "everything"
    frame.loc[6, "province_code"] = "AF-XXX"
    err = problems_of(frame)
    found = {(p.row, p.column) for p in err.problems}
    assert found == {(1, "latitude"), (2, "fatalities"), (3, "side1"), (4, "event_date"),
                     (5, "target"), (6, "province_code")}
    assert all(p.file == "x/events.csv" for p in err.problems)
    text = str(err)
    assert "events.csv, row 1, column 'latitude'" in text
    assert "latitude must be inside Afghanistan (28.9..39.0)" in text
    assert "fatalities must be zero or more" in text
    assert "6 row(s)" in text
    assert "Traceback" not in text and "pandera" not in text.lower()


def test_fractional_fatalities_are_rejected_not_rounded():
    frame = good()
    frame["fatalities"] = [1.0, 2.5, 3.0]
    err = problems_of(frame)
    assert [(p.row, p.column, p.value) for p in err.problems] == [(2, "fatalities", 2.5)]
    assert "whole number" in err.problems[0].rule


def test_unparseable_and_future_dates():
    frame = good()
    frame.loc[1, "event_date"] = "yesterday"
    frame.loc[2, "event_date"] = (pd.Timestamp.today() + pd.Timedelta(days=30)).date().isoformat()
    err = problems_of(frame)
    rules = {p.row: p.rule for p in err.problems}
    assert set(rules) == {1, 2}
    assert "not a date" in rules[1]
    assert "between 1979-01-01 and today" in rules[2]


def test_event_id_unique_within_source_only():
    frame = good(3)
    frame.loc[2, "event_id"] = "T1"
    err = problems_of(frame)
    assert {(p.row, p.column) for p in err.problems} == {(1, "event_id"), (2, "event_id")}
    assert "unique" in err.problems[0].rule
    frame.loc[2, "source"] = "ucdp"  # same id in another source is fine
    schema.validate(frame)


@pytest.mark.parametrize(("ids", "duplicates"), [
    (["AFG10", "AFG2", "AFG10"], {1, 3}),   # prefix + number: compared as numbers
    (["AFG1", "AFG01", "AFG001"], set()),   # leading zeros: different text, not duplicates
    (["7", "12", "7"], {1, 3}),             # bare numbers (UCDP)
    (["AFG1", "PAK1", "AFG1"], {1, 3}),     # prefixes differ: compared as text
    (["AFG1", "AFG١", "AFG1"], {1, 3}),     # a non-ASCII digit: compared as text
    (["E-5", "E-05", "E-5"], {1, 3}),
    (["X" + "9" * 19, "X" + "9" * 19, "X1"], {1, 2}),  # too long for an int64: as text
])
def test_duplicate_ids_are_found_however_they_are_written(ids, duplicates):
    frame = good(len(ids))
    frame["event_id"] = ids
    if duplicates:
        err = problems_of(frame)
        assert {p.row for p in err.problems if p.column == "event_id"} == duplicates
    else:
        assert len(schema.validate(frame)) == len(ids)


def test_ids_held_as_python_text_are_compared_as_text():
    # Only Arrow-backed ids take the numeric path (python-backed text would be copied
    # into Arrow first); validation converts such a column to the canonical Arrow text
    # (it once passed it through, and pandera then complained "string; expected string").
    frame = good(3)
    frame["event_id"] = pd.array(["A1", "A2", "A1"], dtype=pd.StringDtype("python"))
    assert schema._id_numbers(frame["event_id"]) is None
    err = problems_of(frame)
    assert [(p.row, p.column) for p in err.problems] == [(1, "event_id"), (3, "event_id")]
    frame.loc[3, "event_id"] = "A3"
    assert schema.validate(frame)["event_id"].dtype == pd.StringDtype("pyarrow")


def test_ids_read_as_numbers_only_when_the_numbers_tell_them_apart():
    def numbers(ids):
        got = schema._id_numbers(pd.Series(ids, dtype="string"))
        return None if got is None else got.tolist()

    assert numbers(["AFG12", "AFG3"]) == [12, 3]
    assert numbers(["0", "10"]) == [0, 10]
    for ids in (["AFG1", "AFG01"], ["AFG1", "AFG"], ["AFG1", None], ["AFG1", "AFG1 "],
                ["AFG1", "AFG+1"], ["AFG1", "AFG-1"], [], ["X" + "9" * 19]):
        assert numbers(ids) is None, ids


def test_missing_required_column_is_named():
    err = problems_of(good().drop(columns=["fatalities", "side1"]))
    assert {p.column for p in err.problems} == {"fatalities", "side1"}
    assert all(p.row is None for p in err.problems)
    assert "fatalities" in str(err)


def test_required_values_and_nullable_columns():
    frame = good()
    frame["actor2"] = None
    frame["side2"] = None
    frame["latitude"] = None
    frame["urban"] = None
    frame.loc[3, "actor1"] = None
    err = problems_of(frame)
    assert [(p.row, p.column) for p in err.problems] == [(3, "actor1")]
    assert "required" in err.problems[0].rule


def test_frame_without_row_index_reports_1_based_positions():
    frame = good().reset_index(drop=True)
    frame.loc[1, "side2"] = "aliens"  # second data row
    err = problems_of(frame)
    assert err.problems[0].row == 2


def test_validation_of_many_rows_stays_vectorised():
    frame = pd.concat([good()] * 10_000, ignore_index=True)
    frame["event_id"] = [f"E{i}" for i in range(len(frame))]
    out = schema.validate(frame)
    assert len(out) == 30_000


def test_the_parallel_uniqueness_check_is_the_one_pandera_reports(monkeypatch):
    # The check runs in a worker thread on the frame pandera validates; it is computed
    # once, and a duplicate found there is reported like any other problem.
    calls = []
    real = schema._unique_within_source
    monkeypatch.setattr(schema, "_unique_within_source",
                        lambda frame: calls.append(len(frame)) or real(frame))
    frame = good(4)
    frame.loc[4, "event_id"] = "T2"
    err = problems_of(frame)
    assert calls == [4]
    assert {(p.row, p.column) for p in err.problems} == {(2, "event_id"), (4, "event_id")}


def test_validation_leaves_nothing_for_interpreter_exit():
    # A schema check that held the validated frame made a cycle with pandera's registry,
    # whose clean-up then failed noisily at interpreter exit.
    code = ("import sys; sys.path.insert(0, 'tests'); from test_schema import good; "
            "from helpers.data import schemas; schemas.validate(good(3)); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=config.PROJ_ROOT)
    assert out.stdout.strip() == "ok"
    assert out.stderr == ""
