"""Target classification rules on tiny hand-made frames (answers worked out by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from helpers.data.reference import targets
from helpers.data.reference.targets import TARGETS, classify_targets, term_mentions
from helpers.errors import DataError


def _frame(rows: list[tuple], civilian_targeting: list | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["actor2", "side2", "event_type", "sub_event_type",
                                        "notes"])
    if civilian_targeting is not None:
        frame["civilian_targeting"] = civilian_targeting
    return frame


CASES = [
    # (actor2, side2, event_type, sub_event_type, notes) -> expected
    (("Civilians (Afghanistan)", "civilians", "Violence against civilians", "Attack",
      "Gunmen killed a shopkeeper."), "civilian"),
    (("Taliban de facto police forces", "taliban", "Explosions/Remote violence", "Grenade",
      "NRF claimed a grenade attack on the home of the Taliban district governor."), "official"),
    (("Taliban", "taliban", "Explosions/Remote violence", "Remote explosive/landmine/IED",
      "A landmine hit a vehicle carrying a Taliban Commander."), "official"),
    (("Taliban", "taliban", "Explosions/Remote violence", "Remote explosive/landmine/IED",
      "The Taliban officially denied the landmine blast."), "military"),
    (("Taliban de facto military forces", "taliban", "Explosions/Remote violence",
      "Shelling/artillery/missile attack",
      "Mortars were fired at the military section of the airport."), "infrastructure"),
    ((None, None, "Explosions/Remote violence", "Remote explosive/landmine/IED",
      "An explosion damaged a power pylon."), "infrastructure"),
    (("Taliban", "taliban", "Battles", "Armed clash",
      "Fighting at a Taliban checkpoint."), "military"),
    ((None, None, "Strategic developments", "Other", "Gunmen seized a checkpoint."), "military"),
    (("Islamic State Khorasan Province", "islamic_state", "Battles", "Armed clash",
      "Clash with ISKP."), "military"),
    (("Protesters", "other", "Protests", "Peaceful protest",
      "Women protested; officially the rally was banned."), "unknown"),
    ((None, None, "Strategic developments", "Other", None), "unknown"),
    # an official who is not on the Taliban side is not an 'official' target
    (("Republic police forces", "republic", "Battles", "Armed clash",
      "A police commander was killed."), "military"),
    # "road" alone is not infrastructure; "roadside" neither
    ((None, None, "Explosions/Remote violence", "Remote explosive/landmine/IED",
      "A roadside bomb exploded on the road."), "unknown"),
]


def test_each_rule_on_hand_made_rows():
    frame = _frame([row for row, _ in CASES])
    got = classify_targets(frame)
    assert got.tolist() == [expected for _, expected in CASES]
    assert got.name == "target"
    assert set(got) <= set(TARGETS)


def test_rule_order_civilian_beats_official_and_infrastructure():
    frame = _frame([
        ("Taliban", "taliban", "Violence against civilians", "Attack",
         "The district governor's driver was shot near the bridge."),
        ("Taliban", "taliban", "Explosions/Remote violence", "Grenade",
         "Grenade thrown at the governor's office building."),
    ], civilian_targeting=["Civilian targeting", None])
    assert classify_targets(frame).tolist() == ["civilian", "official"]


def test_civilian_targeting_blank_is_not_a_flag():
    frame = _frame([("Taliban", "taliban", "Battles", "Armed clash", "Clash.")] * 3,
                   civilian_targeting=["", "  ", None])
    assert classify_targets(frame).tolist() == ["military"] * 3


def test_word_boundaries():
    notes = ["Officially, nothing happened.", "Officials were targeted.",
             "The ministers met.", "Administrative matters.", "the dam wall", "Amsterdam",
             "a database error", "the Taliban base"]
    frame = _frame([("Taliban", "taliban", "Strategic developments", "Other", n) for n in notes])
    assert classify_targets(frame).tolist() == [
        "military", "official", "official", "military", "infrastructure", "military",
        "military", "military"]
    # without an armed side2 the boundary cases fall through to unknown
    frame["side2"] = None
    assert classify_targets(frame).tolist() == [
        "unknown", "unknown", "unknown", "unknown", "infrastructure", "unknown", "unknown",
        "military"]


def test_index_kept_and_input_untouched():
    frame = _frame([c for c, _ in CASES[:3]])
    frame.index = pd.Index([7, 3, 9], name="row")
    before = frame.copy()
    got = classify_targets(frame)
    assert got.index.equals(frame.index)
    pd.testing.assert_frame_equal(frame, before)


def test_concatenated_many_chunk_frame_gives_same_answer():
    one = _frame([c for c, _ in CASES])
    many = pd.concat([one] * 200, ignore_index=True)
    assert classify_targets(many).tolist() == [e for _, e in CASES] * 200


def test_object_and_categorical_columns_work():
    frame = _frame([c for c, _ in CASES])
    expected = [e for _, e in CASES]
    assert classify_targets(frame.astype(object)).tolist() == expected
    assert classify_targets(frame.astype("category")).tolist() == expected


def test_missing_column_raises_data_error():
    frame = _frame([CASES[0][0]]).drop(columns=["notes"])
    with pytest.raises(DataError, match="notes"):
        classify_targets(frame)


def test_an_early_notes_scan_gives_the_same_answer():
    frame = _frame([c for c, _ in CASES])
    mentions = term_mentions(frame["notes"])
    # the scan flags exactly the notes naming some term (None never matches)
    assert mentions.dtype == bool and len(mentions) == len(CASES)
    assert not mentions[10] and mentions[1]
    assert classify_targets(frame, mentions=mentions).tolist() == [e for _, e in CASES]
    with pytest.raises(ValueError, match="3 values"):
        classify_targets(frame, mentions=mentions[:3])


def test_a_csv_read_with_many_chunks_is_scanned_as_it_is(monkeypatch):
    # Few chunks are scanned in place, many are joined first: the answers are the same.
    one = _frame([c for c, _ in CASES])
    many = pd.concat([one] * 50, ignore_index=True)
    assert pa.array(many["notes"].astype("string").array).num_chunks == 50
    expected = [e for _, e in CASES] * 50
    monkeypatch.setattr(targets, "_MAX_CHUNKS", 10)
    assert classify_targets(many).tolist() == expected
    monkeypatch.setattr(targets, "_MAX_CHUNKS", 100)
    assert classify_targets(many).tolist() == expected


def test_word_boundaries_in_sub_event_types_are_ascii_like_in_the_notes():
    # the notes go through RE2 (\b between ASCII word characters), the short columns
    # through Python's re: both must draw the same boundaries
    frame = _frame([(None, None, "Explosions/Remote violence", "bridgeé", "x"),
                    (None, None, "Explosions/Remote violence", "x", "bridgeé")])
    got = classify_targets(frame).tolist()
    assert got[0] == got[1] == "infrastructure"


def test_per_value_answers_spread_to_rows_with_missing_cells():
    from helpers.data._codes import by_code

    codes = np.array([1, -1, 0, 1])
    assert by_code(codes, [False, True]).tolist() == [True, False, False, True]
    assert by_code(codes, [False, True], missing=True).tolist() == [True, True, False, True]
    assert by_code(codes, [7, 9], -1, np.int64).tolist() == [9, -1, 7, 9]
    assert by_code(np.array([-1, -1]), []).tolist() == [False, False]
