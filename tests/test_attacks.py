"""Attacks analysis: hand-computed answers on tiny frames, the escalation model, empty input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _analysis_events import empty_events, make_events

from helpers.analysis import attacks
from helpers.errors import DataError


def _ev(date, side="resistance", **kw):
    return {"event_date": date, "side1": side, **kw}


@pytest.fixture
def small():
    return make_events([
        _ev("2024-01-05", sub_event_type="Armed clash", fatalities=2),
        _ev("2024-01-20", sub_event_type="Remote explosive", fatalities=1, target="official",
            urban=True),
        _ev("2024-01-21", side="taliban", fatalities=5),
        # February: nothing at all
        _ev("2024-03-02", sub_event_type="Armed clash", fatalities=0, target="civilian"),
        _ev("2024-03-30", sub_event_type=None, fatalities=3, province="Kabul",
            province_code="AF-KAB", district="Kabul", urban=True),
    ])


def test_monthly_operations_fills_gaps_and_rolls(small):
    out = attacks.monthly_operations(small, by="side1")
    res = out[out["side1"] == "resistance"].set_index("month")["events"]
    assert res.tolist() == [2, 0, 2]  # February is a real zero, not missing
    assert out[out["side1"] == "taliban"]["events"].tolist() == [1, 0, 0]
    roll = out[out["side1"] == "resistance"]["rolling_mean"].tolist()
    assert math.isnan(roll[0]) and math.isnan(roll[1])
    assert roll[2] == pytest.approx(4 / 3)


def test_monthly_operations_sub_event_unknown(small):
    out = attacks.monthly_operations(attacks_res(small), by="sub_event_type")
    march = out[out["month"] == pd.Timestamp("2024-03-01")].set_index("sub_event_type")
    assert march.loc["unknown", "events"] == 1
    assert march.loc["Armed clash", "events"] == 1
    assert march.loc["Remote explosive", "events"] == 0


def attacks_res(frame):
    return frame[frame["side1"] == "resistance"]


def test_monthly_total_and_fatalities(small):
    tot = attacks.monthly_total(small)
    assert tot["events"].tolist() == [3, 0, 2]
    assert tot["rolling_mean"].iloc[2] == pytest.approx(5 / 3)
    fat = attacks.monthly_fatalities(small)
    jan = fat[fat["month"] == pd.Timestamp("2024-01-01")].set_index("side1")["fatalities"]
    assert jan["resistance"] == 3 and jan["taliban"] == 5


def test_explicit_range_extends_zero_months(small):
    tot = attacks.monthly_total(small, start="2023-12-01", end="2024-04-30")
    assert tot["events"].tolist() == [0, 3, 0, 2, 0]


def test_target_shares(small):
    out = attacks.target_shares(small, freq="Q")
    q1 = out.set_index("target")
    assert q1.loc["military", "events"] == 2
    assert q1.loc["official", "share"] == pytest.approx(0.25)
    assert q1.loc["civilian", "share"] == pytest.approx(0.25)
    assert q1.loc["infrastructure", "events"] == 0
    assert out["share"].sum() == pytest.approx(1.0)


def test_urban_share_counts_unknown_separately():
    ev = make_events([_ev("2024-01-01", urban=True), _ev("2024-01-02", urban=False),
                      _ev("2024-01-03", urban=None), _ev("2024-04-01", urban=True)])
    out = attacks.urban_share(ev, freq="Q")
    assert out["events"].tolist() == [3, 1]
    assert out["known"].tolist() == [2, 1]
    assert out["urban_share"].tolist() == [0.5, 1.0]


def test_urban_trend_detects_shift():
    rows = []
    for m in range(24):  # urban share climbs from 10% to 90%
        share = 0.1 + 0.8 * m / 23
        for k in range(20):
            rows.append(_ev(pd.Timestamp("2022-01-01") + pd.DateOffset(months=m, days=k),
                            urban=k < round(share * 20)))
    res = attacks.urban_trend(make_events(rows))
    assert res.verdict == "supported"
    assert res.ci_low > 1
    assert res.details["share_second"] > res.details["share_first"]


def test_urban_trend_flat_and_insufficient():
    rows = [_ev(pd.Timestamp("2022-01-01") + pd.Timedelta(days=7 * i), urban=i % 2 == 0)
            for i in range(60)]
    res = attacks.urban_trend(make_events(rows))
    assert res.verdict == "not supported" and res.ci_low < 1 < res.ci_high
    few = attacks.urban_trend(make_events(rows[:5]))
    assert few.verdict == "insufficient data"
    assert attacks.urban_trend(empty_events()).empty


def test_top_places(small):
    prov = attacks.top_places(small, level="province", n=5)
    assert prov["province"].tolist() == ["Panjshir", "Kabul"]
    assert prov["events"].tolist() == [3, 1]
    assert prov["fatalities"].tolist() == [3, 3]
    assert prov["share"].tolist() == [0.75, 0.25]
    dist = attacks.top_places(small, level="district", n=1)
    assert dist["district"].tolist() == ["unknown"]


def test_notable_incidents_filters_and_sorts():
    key = pd.DataFrame({"event_date": ["2024-10-26", "2024-02-26", "2020-01-01"],
                        "description": ["b", "a", "old"], "theme": ["attacks"] * 3})
    out = attacks.notable_incidents(key, start="2021-08-15")
    assert out["description"].tolist() == ["a", "b"]


def _poisson_events(n_months, a, b, seed=1, side="resistance"):
    rng = np.random.default_rng(seed)
    rows = []
    start = pd.Timestamp("2021-09-01")
    for m in range(n_months):
        month = start + pd.DateOffset(months=m)
        for _ in range(rng.poisson(math.exp(a + b * m))):
            rows.append(_ev(month + pd.Timedelta(days=int(rng.integers(0, 28))), side=side))
    # pin coverage to whole months with an event of another side on the first and last day
    rows.append(_ev(start, side="other"))
    rows.append(_ev(start + pd.DateOffset(months=n_months) - pd.Timedelta(days=1), side="other"))
    return make_events(rows)


def test_escalation_recovers_known_trend():
    ev = _poisson_events(48, math.log(8), math.log(1.5) / 12)
    res = attacks.escalation(ev)
    assert res.ratio == pytest.approx(1.5, rel=0.12)
    assert res.ci_low < 1.5 < res.ci_high
    assert res.verdict == "supported"
    assert res.model == "poisson"
    assert len(res.series) == 48 and res.series["fitted"].notna().all()


def test_escalation_flat_series_not_supported():
    ev = _poisson_events(36, math.log(10), 0.0, seed=3)
    res = attacks.escalation(ev)
    assert res.verdict == "not supported"
    assert res.ci_low < 1 < res.ci_high


def _overdispersed_events():
    rng = np.random.default_rng(7)
    rows = []
    start = pd.Timestamp("2021-09-01")
    for m in range(48):
        mu = math.exp(math.log(10) + math.log(1.5) / 12 * m)
        count = rng.negative_binomial(2, 2 / (2 + mu))  # mean mu, alpha 0.5
        month = start + pd.DateOffset(months=m)
        rows += [_ev(month + pd.Timedelta(days=5)) for _ in range(count)]
    rows.append(_ev(start + pd.DateOffset(months=48) - pd.Timedelta(days=1), side="other"))
    return make_events(rows)


def test_escalation_overdispersed_uses_negative_binomial():
    res = attacks.escalation(_overdispersed_events())
    assert res.details["dispersion"] > attacks.OVERDISPERSION
    assert res.model == "negative binomial" and res.details["alpha"] > 0
    assert res.ci_low < 1.5 < res.ci_high and res.verdict == "supported"


def test_escalation_falls_back_to_quasi_poisson(monkeypatch):
    import statsmodels.api as sm

    def broken(*args, **kwargs):
        raise ValueError("does not converge")

    monkeypatch.setattr(sm, "NegativeBinomial", broken)
    res = attacks.escalation(_overdispersed_events())
    assert res.model == "quasi-Poisson"
    assert res.ci_low < res.ratio < res.ci_high


def test_monthly_counts_partial_months_are_exposure():
    ev = make_events([_ev("2024-01-16"), _ev("2024-02-10", side="taliban"),
                      _ev("2024-03-10")])
    out = attacks.monthly_counts(ev)
    assert out["days"].tolist() == [16, 29, 10]
    assert out["events"].tolist() == [1, 0, 1]


def test_escalation_insufficient_and_empty():
    short = make_events([_ev("2024-01-01"), _ev("2024-02-01")])
    assert attacks.escalation(short).verdict == "insufficient data"
    res = attacks.escalation(empty_events())
    assert res.empty and res.verdict == "insufficient data"
    only_taliban = _poisson_events(12, 1.0, 0.0, side="taliban")
    assert attacks.escalation(only_taliban).empty


@pytest.mark.parametrize("func", [attacks.monthly_operations, attacks.monthly_total,
                                  attacks.monthly_fatalities, attacks.target_shares,
                                  attacks.urban_share, attacks.top_places,
                                  attacks.monthly_counts])
def test_empty_input_gives_empty_frame(func):
    out = func(empty_events())
    assert isinstance(out, pd.DataFrame) and out.empty and len(out.columns) >= 2


def test_missing_column_is_data_error(small):
    with pytest.raises(DataError, match="urban"):
        attacks.urban_share(small.drop(columns=["urban"]))


def test_key_figures(small):
    figs = attacks.key_figures(small)
    assert figs == {"events": 5, "operations": 4, "provinces": 2, "fatalities": 6,
                    "first_date": pd.Timestamp("2024-01-05"),
                    "last_date": pd.Timestamp("2024-03-30"), "urban_share": 0.5}
    empty = attacks.key_figures(empty_events())
    assert empty["events"] == 0 and empty["first_date"] is None
    assert math.isnan(empty["urban_share"])


# --------------------------------------------------------------------------- UCDP
def _brd():
    return pd.DataFrame({
        "year": [2021, 2022, 2023, 2022, 2021, 2019],
        "opponent": ["National Resistance Front"] * 3 + ["Afghanistan Freedom Front",
                                                         "Taliban", "Taliban"],
        "side_a": ["Government of Afghanistan"] * 6,
        "bd_best": [534, 571, 43, 46, 34795, 100], "bd_low": [85, 350, 33, 30, 1, 1],
        "bd_high": [1834, 1114, 90, 69, 40000, 200],
        "government": ["taliban", "taliban", "taliban", "taliban", "republic", "republic"],
        "version": ["24.1"] * 6})


def test_battle_deaths_by_opponent_and_the_change_from_the_peak():
    out = attacks.battle_deaths_by_opponent(_brd())
    assert set(out["opponent"]) == {"National Resistance Front", "Afghanistan Freedom Front"}
    assert out["year"].min() == 2021  # the 2019 row is before ``since``
    change = attacks.dyad_change(out, "National Resistance Front")
    assert (change["peak_year"], change["peak"], change["last_year"], change["last"]) == (
        2022, 571, 2023, 43)
    assert round(change["change_pct"], 1) == -92.5
    assert pd.isna(attacks.dyad_change(out, "Islamic State Khorasan Province")["peak"])


def test_active_opponents_say_the_intensity_is_the_conflict_s():
    acd = pd.DataFrame({"year": [2021, 2024], "opponent": ["National Resistance Front"] * 2,
                        "intensity_level": [2, 1], "government": ["taliban"] * 2,
                        "side_a": ["Government of Afghanistan"] * 2,
                        "conflict_id": ["333", "333"]})
    out = attacks.active_opponents(acd)
    assert out["conflict_intensity"].tolist() == ["war (1,000+ battle deaths)",
                                                  "minor (25-999 battle deaths)"]
    assert "intensity_level" not in out
