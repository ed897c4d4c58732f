"""Claim-check grammar and evaluation against tiny event tables."""

from __future__ import annotations

import pandas as pd
import pytest
from _analysis_events import empty_events, make_events

from helpers.analysis import claims as cl
from helpers.errors import DataError

NAMES = {"kabul": "AF-KAB", "kunduz": "AF-KDZ", "panjshir": "AF-PAN", "panjsher": "AF-PAN"}


def resolver(name: str) -> str:
    if name.upper().startswith("AF-"):
        return name.upper()
    try:
        return NAMES[name.strip().lower()]
    except KeyError:
        raise DataError(f"unknown province {name!r}") from None


@pytest.fixture
def events():
    return make_events([
        {"event_date": "2024-01-01", "fatalities": 1},
        {"event_date": "2024-02-26", "province": "Kabul", "province_code": "AF-KAB",
         "fatalities": 0},
        {"event_date": "2024-03-10", "province": "Kunduz", "province_code": "AF-KDZ",
         "fatalities": 4},
        {"event_date": "2024-03-10", "side1": "taliban", "fatalities": 7},
        {"event_date": "2024-08-31", "fatalities": 2},
    ])


def _claims(*checks):
    frame = pd.DataFrame({"id": [f"C{i}" for i in range(1, len(checks) + 1)],
                          "statement": ["paraphrase"] * len(checks),
                          "check": pd.Series(checks, dtype="string")})
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def test_parse_check_grammar():
    c = cl.parse_check("resistance_operations(2024-01-01,2024-08-31) >= 200")
    assert (c.metric, c.args, c.comparator, c.number) == (
        "resistance_operations", ("2024-01-01", "2024-08-31"), ">=", 200.0)
    assert cl.parse_check("events_on(2024-02-26, Kabul ,resistance)>=1").args == (
        "2024-02-26", "Kabul", "resistance")
    assert cl.parse_check("") is None and cl.parse_check(None) is None
    assert cl.parse_check(pd.NA) is None
    assert cl.format_check(c) == "resistance_operations(2024-01-01,2024-08-31) >= 200"
    assert cl.check_period(c) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-08-31"))
    day = cl.parse_check("events_on(2024-02-26,Kabul,resistance) >= 1")
    assert cl.check_period(day) == (pd.Timestamp("2024-02-26"),) * 2


@pytest.mark.parametrize("text, fault", [
    ("resistance_operations(2024-01-01) >= 2", "takes 2"),
    ("attacks(2024-01-01,2024-02-01) >= 2", "unknown metric"),
    ("resistance_operations(2024-13-01,2024-02-01) >= 2", "ISO date"),
    ("events_on(2024-02-01,Kabul,rebels) >= 1", "side"),
    ("resistance_operations(01/01/2024,2024-02-01) >= 2", "ISO"),
    ("resistance_operations(2024-03-01,2024-02-01) >= 2", "after"),
    ("resistance_operations(2024-01-01,2024-02-01) => 2", "METRIC"),
])
def test_parse_check_rejects(text, fault):
    with pytest.raises(ValueError, match=fault):
        cl.parse_check(text)


def test_evaluate_each_metric(events):
    claims = _claims(
        "resistance_operations(2024-01-01,2024-08-31) >= 4",   # 4 -> supported
        "resistance_operations(2024-01-01,2024-08-31) > 4",    # 4 -> not supported
        "resistance_provinces(2024-01-01,2024-08-31) = 3",     # PAN, KAB, KDZ
        "events_on(2024-02-26,Kabul,resistance) >= 1",
        "events_on(2024-03-10,Panjsher,resistance) >= 1",      # that one was taliban
        "fatalities(2024-01-01,2024-08-31,resistance) ~ 8",    # 7, within 15%
        "fatalities(2024-03-01,2024-03-31,taliban) < 7",       # 7 -> not supported
        "",
    )
    out = cl.evaluate_claims(claims, events, resolve_province=resolver)
    assert out["computed"].tolist()[:7] == [4, 4, 3, 1, 0, 7, 7]
    assert out["status"].tolist() == [
        "supported", "not supported", "supported", "supported", "not supported",
        "supported", "not supported", "not checkable with these data"]
    assert list(out.columns[-3:]) == ["computed", "status", "detail"]
    assert "computed 4 >= 4" in out["detail"].iloc[0]


def test_approx_boundaries(events):
    # 4 resistance operations in the data: ~ accepts NUMBER within +-15 %
    def status(number):
        claims = _claims(f"resistance_operations(2024-01-01,2024-08-31) ~ {number}")
        return cl.evaluate_claims(claims, events, resolve_province=resolver)["status"].iloc[0]
    assert status(4.7) == "supported" and status(3.5) == "supported"
    assert status(4.75) == "not supported" and status(3.4) == "not supported"


def test_coverage_gives_insufficient_data(events):
    claims = _claims("resistance_operations(2023-12-01,2024-08-31) >= 1",
                     "resistance_operations(2024-01-01,2024-09-01) >= 1",
                     "events_on(2024-10-26,Kunduz,resistance) >= 1")
    out = cl.evaluate_claims(claims, events, resolve_province=resolver)
    assert out["status"].tolist() == ["insufficient data"] * 3
    assert out["computed"].isna().all()
    wider = cl.evaluate_claims(claims, events, coverage=("2021-08-15", "2024-12-31"),
                               resolve_province=resolver)
    assert wider["status"].tolist() == ["supported", "supported", "not supported"]


def test_no_data_loaded():
    claims = _claims("resistance_operations(2024-01-01,2024-08-31) >= 1", "")
    for ev in (empty_events(), None):
        out = cl.evaluate_claims(claims, ev, resolve_province=resolver)
        assert out["status"].tolist() == ["insufficient data", "not checkable with these data"]


def test_bad_checks_raise_data_error_with_rows(events):
    claims = _claims("resistance_operations(2024-01-01,2024-08-31) >= 1",
                     "nonsense >= 3",
                     "events_on(2024-02-26,Atlantis,resistance) >= 1")
    with pytest.raises(DataError) as info:
        cl.evaluate_claims(claims, events, resolve_province=resolver, file="claims.csv")
    rows = [(p.row, p.column) for p in info.value.problems]
    assert rows == [(2, "check"), (3, "check")]
    assert "claims.csv, row 2, column 'check'" in str(info.value)


def test_status_counts(events):
    out = cl.evaluate_claims(_claims("", "resistance_operations(2024-01-01,2024-08-31) >= 1"),
                             events, resolve_province=resolver)
    counts = cl.status_counts(out).set_index("status")["claims"]
    assert counts["supported"] == 1 and counts["not checkable with these data"] == 1
    assert counts.sum() == 2
