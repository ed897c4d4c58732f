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


def _claims_with(checks, covers=None, untested=None, would=None):
    frame = _claims(*checks)
    frame["covers"] = covers or [("whole" if c else None) for c in checks]
    frame["untested"] = untested or [None] * len(checks)
    frame["would_test"] = would or ["ACLED events"] * len(checks)
    return frame


def test_evaluate_each_event_metric(events):
    claims = _claims_with([
        "resistance_operations(2024-01-01,2024-08-31) >= 4",   # 4 -> supported
        "resistance_operations(2024-01-01,2024-08-31) > 4",    # 4 -> contradicted
        "resistance_provinces(2024-01-01,2024-08-31) = 3",     # PAN, KAB, KDZ
        "events_on(2024-02-26,Kabul,resistance) >= 1",
        "events_on(2024-03-10,Panjsher,resistance) >= 1",      # that one was taliban
        "fatalities(2024-01-01,2024-08-31,resistance) ~ 8",    # 7, within 15%
        "fatalities(2024-03-01,2024-03-31,taliban) < 7",       # 7 -> contradicted
        "",
    ])
    out = cl.evaluate_claims(claims, events, resolve_province=resolver)
    assert out["value"].tolist()[:7] == [4, 4, 3, 1, 0, 7, 7]
    assert out["verdict"].tolist() == [
        "supported", "contradicted", "supported", "supported", "contradicted",
        "supported", "contradicted", "not testable with these data"]
    assert list(out.columns) == list(cl.LEDGER_COLUMNS)
    assert out["computed"].iloc[0] == "4 resistance events from 2024-01-01 to 2024-08-31"
    assert "needs > 4; the data give 4" in out["reason"].iloc[1]
    assert out["reason"].iloc[7] == ("No shipped dataset records this. Would test it: "
                                     "ACLED events.")


def test_approx_boundaries(events):
    # 4 resistance operations in the data: ~ accepts NUMBER within +-15 %
    def verdict(number):
        claims = _claims_with([f"resistance_operations(2024-01-01,2024-08-31) ~ {number}"])
        return cl.evaluate_claims(claims, events, resolve_province=resolver)["verdict"].iloc[0]
    assert verdict(4.7) == "supported" and verdict(3.5) == "supported"
    assert verdict(4.75) == "contradicted" and verdict(3.4) == "contradicted"


def test_claims_outside_the_events_dates_are_not_testable(events):
    claims = _claims_with(["resistance_operations(2023-12-01,2024-08-31) >= 1",
                           "resistance_operations(2024-01-01,2024-09-01) >= 1",
                           "events_on(2024-10-26,Kunduz,resistance) >= 1"])
    out = cl.evaluate_claims(claims, events, resolve_province=resolver)
    assert out["verdict"].tolist() == ["not testable with these data"] * 3
    assert out["value"].isna().all()
    assert "The loaded events cover 2024-01-01 to 2024-08-31" in out["reason"].iloc[0]


def test_no_data_loaded():
    claims = _claims_with(["resistance_operations(2024-01-01,2024-08-31) >= 1", ""])
    for ev in (empty_events(), None):
        out = cl.evaluate_claims(claims, ev, resolve_province=resolver)
        assert out["verdict"].tolist() == ["not testable with these data"] * 2
        assert "No event data are loaded" in out["reason"].iloc[0]


def test_synthetic_events_never_give_a_verdict(events):
    demo = events.copy()
    demo.attrs = {**events.attrs, "synthetic": True, "inputs": [{"path": "demo.csv"}]}
    claims = _claims_with(["resistance_operations(2024-01-01,2024-08-31) >= 4",
                           "resistance_operations(2024-01-01,2024-08-31) > 40"])
    out = cl.evaluate_claims(claims, demo, resolve_province=resolver)
    assert out["verdict"].tolist() == ["not testable with these data"] * 2
    assert "true by construction" in out["reason"].iloc[0]
    assert "would pass" in out["reason"].iloc[0] and "would fail" in out["reason"].iloc[1]
    assert out["computed"].iloc[0].startswith("On the synthetic demo set (not a finding)")


def test_a_check_covering_part_of_the_claim_gives_partly(events):
    claims = _claims_with(["resistance_operations(2024-01-01,2024-08-31) >= 4",
                           "resistance_operations(2024-01-01,2024-08-31) >= 40"],
                          covers=["part", "part"], untested=["who ordered them"] * 2)
    out = cl.evaluate_claims(claims, events, resolve_province=resolver)
    assert out["verdict"].tolist() == ["partly", "contradicted"]
    assert "cannot test who ordered them" in out["reason"].iloc[0]
    assert "Not tested: who ordered them" in out["reason"].iloc[1]


def test_bad_checks_raise_data_error_with_rows(events):
    claims = _claims_with(["resistance_operations(2024-01-01,2024-08-31) >= 1",
                           "nonsense >= 3",
                           "events_on(2024-02-26,Atlantis,resistance) >= 1"])
    with pytest.raises(DataError) as info:
        cl.evaluate_claims(claims, events, resolve_province=resolver, file="claims.csv")
    rows = [(p.row, p.column) for p in info.value.problems]
    assert rows == [(2, "check"), (3, "check")]
    assert "claims.csv, row 2, column 'check'" in str(info.value)


@pytest.mark.parametrize("text, fault", [
    ("battle_deaths(20x4,National Resistance Front) > 1", "not a year"),
    ("battle_deaths_change(2023,2022,NRF) > 0", "after"),
    ("fara_registrations(2021-01-01,2021-12-31,) >= 1", "empty"),
    ("funding_coverage(2024) < 100", "takes 2"),
])
def test_new_metrics_are_checked_by_the_grammar(text, fault):
    with pytest.raises(ValueError, match=fault):
        cl.parse_check(text)


def test_verdict_counts(events):
    out = cl.evaluate_claims(
        _claims_with(["", "resistance_operations(2024-01-01,2024-08-31) >= 1"]), events,
        resolve_province=resolver)
    counts = cl.verdict_counts(out).set_index("verdict")["claims"]
    assert counts["supported"] == 1 and counts["not testable with these data"] == 1
    assert counts.sum() == 2 and list(counts.index) == list(cl.VERDICTS)


# --------------------------------------------------------------------------- real evidence
@pytest.fixture(scope="module")
def real_ledger():
    from helpers.data import catalog, curated

    ev = catalog.evidence(catalog.events("demo"), record=False)
    return cl.evaluate_claims(curated.claims(), ev).set_index("id")


def test_the_ledger_on_the_shipped_data(real_ledger):
    verdicts = real_ledger["verdict"].to_dict()
    assert verdicts["C36"] == "contradicted"  # the brief's "increasing intensity"
    assert verdicts["C37"] == "supported"  # the NRF conflict active in 2024 (ACD 25.1)
    assert verdicts["C38"] == "supported"  # FARA registrations for the NRF
    for claim in ("C19", "C20", "C25", "C39", "C40"):
        assert verdicts[claim] == "partly", claim
    for claim in ("C01", "C05", "C06", "C08"):  # event counts on the demo set
        assert verdicts[claim] == "not testable with these data", claim
    counts = cl.verdict_counts(real_ledger).set_index("verdict")["claims"].to_dict()
    assert counts == {"supported": 2, "contradicted": 1, "partly": 5,
                      "not testable with these data": 32}


def test_the_ledger_says_what_it_computed_and_from_which_rows(real_ledger):
    c36 = real_ledger.loc["C36"]
    assert "534 in 2021 (85–1,834), 571 in 2022 (350–1,114), 43 in 2023 (33–90)" in (
        c36["computed"])
    assert "from 2022 to 2023: -528" in c36["computed"]
    assert c36["evidence"] == ("UCDP Battle-Related Deaths 24.1 "
                               "(ucdp_brd_dyadic_v24_1_afghanistan.csv, rows 13-14)")
    assert "2024, which UCDP's battle-deaths release 24.1 does not cover" in c36["reason"]
    assert "No. 6399 Sonoran Policy Group" in real_ledger.loc["C20", "computed"]
    assert "registered 2021-09-15" in real_ledger.loc["C20", "computed"]
    assert "23,666,389 people in need" in real_ledger.loc["C25", "computed"]
    assert "(61%; 2022 74%, 2023 52%, 2024 52%)" in real_ledger.loc["C39", "computed"]
    assert "136,555 internally displaced people in need" in real_ledger.loc["C40", "computed"]
    assert "minor (25–999 battle deaths in the year)" in real_ledger.loc["C37", "computed"]


def test_the_brief_is_never_evidence_for_itself():
    from helpers.data import catalog

    indicators = catalog.indicators()
    assert cl.best_national(indicators, "people_in_need", 2023)["value"] == 28_800_000  # revised
    only_brief = indicators[indicators["source_type"] == "brief"]
    assert cl.best_national(only_brief, "people_in_need", 2024) is None
