"""helpers.data.sources._canonical: the per-distinct-value steps every event reader shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.data.reference import actors
from helpers.data.sources import _canonical as canon


def _pairs(n: int, seed: int = 3) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Actor columns (with blanks, spaces and missing names) and dates (some missing)."""
    rng = np.random.default_rng(seed)
    pool = np.array(["Government of Afghanistan", " Taleban", "Taleban", "Nobody", "", None,
                     "Junbish-i Milli-yi Islami"], dtype=object)
    index = pd.RangeIndex(1, n + 1, name="row")
    first = pd.Series(pool[rng.integers(0, len(pool), n)], index=index, dtype="string")
    second = pd.Series(pool[rng.integers(0, len(pool), n)], index=index, dtype="string")
    days = pd.to_timedelta(rng.integers(0, 900, n), "D")
    dates = pd.Series(pd.Timestamp("2020-06-01") + days, index=index)
    dates[rng.random(n) < 0.05] = pd.NaT
    return first, second, dates


@pytest.mark.parametrize("dense", [True, False])
def test_actor_pairs_agree_with_asking_the_registry_row_by_row(monkeypatch, dense):
    # Names are resolved once per (name, day) pair: the answers must be the registry's for
    # every row, whether the pairs are found in a dense table or by hashing.
    if not dense:
        monkeypatch.setattr(canon, "_DENSE_KEYS", 0)
    first, second, dates = _pairs(5_000)
    out, unknown = canon.resolve_actor_pairs(first, second, dates, "ucdp")
    unknown_expected: set[str] = set()
    for column, names in (("1", first), ("2", second)):
        expected = actors.resolve_actors(names.str.strip(), dates, "ucdp")
        unknown_expected |= set(expected.attrs["unknown"])
        pd.testing.assert_series_equal(out["actor" + column], expected["actor"],
                                       check_names=False)
        pd.testing.assert_series_equal(out["side" + column], expected["side"],
                                       check_names=False)
    assert out.index.equals(first.index)
    # undated government rows, an alias before its period, a name nobody registered
    assert unknown == sorted(unknown_expected) == [
        "Government of Afghanistan", "Junbish-i Milli-yi Islami", "Nobody"]
    sides = out.loc[dates.notna() & (first == "Government of Afghanistan"), "side1"]
    assert set(sides) == {"republic", "taliban"}  # both sides of the takeover date


def test_actor_pairs_without_any_name_or_date():
    index = pd.RangeIndex(1, 4, name="row")
    blank = pd.Series([None, None, None], index=index, dtype="string")
    out, unknown = canon.resolve_actor_pairs(blank, blank, pd.Series(pd.NaT, index=index),
                                             "acled")
    assert out.isna().all().all() and unknown == []
    names = pd.Series(["Taliban"] * 3, index=index, dtype="string")
    out, _ = canon.resolve_actor_pairs(names, blank, pd.Series(pd.NaT, index=index), "acled")
    assert out["side1"].tolist() == ["taliban"] * 3
    assert out["side2"].isna().all()


@pytest.mark.parametrize("dense", [True, False])
def test_pair_positions_number_the_distinct_keys_in_order(monkeypatch, dense):
    if not dense:
        monkeypatch.setattr(canon, "_DENSE_KEYS", 0)
    space = 10
    distinct, (one, two) = canon._pair_positions(
        [np.array([7, 3, 10, 3]), np.array([10, 0, 7])], space)
    assert distinct.tolist() == [0, 3, 7]
    assert one.tolist() == [2, 1, -1, 1]   # 10 (= space) marks a row without a key
    assert two.tolist() == [-1, 0, 2]


def test_rows_outside_afghanistan_are_dropped_and_counted_once():
    frame = pd.DataFrame({"country": ["Afghanistan", " iran", "AFGHANISTAN "]},
                         index=pd.RangeIndex(1, 4, name="row"))
    kept, dropped = canon.drop_outside(frame, frame["country"], file="x.csv")
    assert kept.index.tolist() == [1, 3] and dropped == {"outside_afghanistan": 1}
    # A read filtered by the same rule already counted what it left out: nothing is
    # tested twice, nothing counted twice.
    read = frame.loc[[1, 3]]
    read.attrs = {"rows_left_out": 1, "rows_kept_by": canon.AFGHAN_ROWS}
    kept, dropped = canon.drop_outside(read, read["country"], file="x.csv")
    assert kept is read and dropped == {"outside_afghanistan": 1}
    # Any other filter is no proof: the rows are tested.
    frame.attrs = {"rows_left_out": 2, "rows_kept_by": canon.RowFilter("country", "iran")}
    kept, dropped = canon.drop_outside(frame, frame["country"], file="x.csv")
    assert kept.index.tolist() == [1, 3] and dropped == {"outside_afghanistan": 3}


def test_few_keys_in_a_wide_key_space_are_hashed_not_tabled():
    # Names over centuries of days make a wide key space: a handful of rows must not
    # allocate a table of slots for all of it (80 MiB at the cap).
    import tracemalloc

    space = 1 << 24
    keys = [np.array([0, space - 1]), np.array([space, 5])]
    tracemalloc.start()
    distinct, (one, two) = canon._pair_positions(keys, space)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert distinct.tolist() == [0, 5, space - 1]
    assert one.tolist() == [0, 2] and two.tolist() == [-1, 1]
    assert peak < 1 << 20
