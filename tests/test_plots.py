"""House-style plots: titles, labels, source line, synthetic mark, no aggregation inside."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from _analysis_events import make_events  # noqa: E402

from helpers.analysis import attacks, external
from helpers.views import charts as plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    plots.set_style()
    yield
    plt.close("all")


def _texts(fig):
    return [t.get_text() for t in fig.texts]


@pytest.fixture
def monthly():
    return pd.DataFrame({
        "month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"]),
        "side1": ["resistance", "taliban", "resistance", "taliban"],
        "events": [3, 1, 0, 2]})


def test_stacked_bars_draws_values_as_given(monthly):
    fig = plots.stacked_bars(monthly, "month", "side1", "events", title="Operations",
                             ylabel="Events per month", source="ACLED", synthetic=False)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Operations" and ax.get_ylabel() == "Events per month"
    assert ax.get_xlabel() == "Month"
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [0, 1, 2, 3]
    assert "Source: ACLED" in _texts(fig)
    assert plots.SYNTHETIC_LABEL not in " ".join(_texts(fig))


def test_plots_refuse_to_aggregate(monthly):
    duplicated = pd.concat([monthly, monthly.iloc[[0]]])
    with pytest.raises(ValueError):
        plots.stacked_bars(duplicated, "month", "side1", "events", title="t", ylabel="y")


def test_synthetic_mark_and_rolling_line():
    ev = make_events([{"event_date": f"2024-0{m}-10"} for m in range(1, 6)])
    fig = plots.stacked_bars(attacks.monthly_operations(ev), "month", "side1", "events",
                             title="Ops", ylabel="Events per month", synthetic=True,
                             line=attacks.monthly_total(ev), source="synthetic demo set")
    texts = " ".join(_texts(fig))
    assert plots.SYNTHETIC_LABEL in texts and plots.SYNTHETIC_SUBTITLE in texts
    assert any(line.get_label().startswith("3-month") for line in fig.axes[0].get_lines())


@pytest.mark.parametrize("draw", [
    lambda f: plots.stacked_bars(f, "month", "side1", "events", title="T", ylabel="Y"),
    lambda f: plots.lines(f, "month", "events", title="T", xlabel="X", ylabel="Y"),
    lambda f: plots.ranking(f, "side1", "events", title="T", xlabel="X"),
    lambda f: plots.labelled_scatter(f, "events", "events", "side1", title="T", xlabel="X",
                                     ylabel="Y"),
])
def test_empty_frames_say_no_data(draw, monthly):
    fig = draw(monthly.iloc[0:0])
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "T"
    assert plots.NO_DATA in [t.get_text() for t in ax.texts]


def test_lines_with_hue_and_percent(monthly):
    fig = plots.lines(monthly, "month", "events", hue="side1", title="Fatalities",
                      xlabel="Month", ylabel="Fatalities per month", percent=False)
    assert len(fig.axes[0].get_lines()) >= 2
    assert fig.axes[0].get_ylabel() == "Fatalities per month"


def test_share_area_and_band_and_trend():
    shares = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 2 + ["2024-04-01"] * 2),
                           "target": ["military", "civilian"] * 2,
                           "share": [0.75, 0.25, 0.5, 0.5]})
    fig = plots.share_area(shares, "period", "target", title="Targets")
    assert fig.axes[0].get_ylabel() == "Share of events (%)"
    dist = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-04-01"]),
                         "median_km": [10.0, 50.0], "q1_km": [5.0, 20.0],
                         "q3_km": [20.0, 80.0]})
    fig = plots.band(dist, "period", "median_km", "q1_km", "q3_km", title="Distance",
                     xlabel="Quarter", ylabel="Distance from Panjshir (km)")
    line = fig.axes[0].get_lines()[0]
    assert list(line.get_ydata()) == [10.0, 50.0]
    series = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                           "events": [2, 4], "fitted": [2.5, 3.5]})
    fig = plots.trend(series, title="Escalation", summary="Supported: ...")
    assert fig.axes[0].get_title(loc="left") == "Escalation"
    assert "Supported: ..." in [t.get_text() for t in fig.axes[0].texts]


def test_timeline_and_incidents():
    ms = pd.DataFrame({"date": pd.to_datetime(["2021-09-01", "2024-05-01"]),
                       "description": ["a" * 100, "b"], "kind": ["FARA agreement",
                                                                 "key event"]})
    fig = plots.timeline(ms, title="Milestones", source="curated tables")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.strip().endswith("…") for t in labels)
    fig, ax = plt.subplots()
    ax.set_ylim(0, 10)
    plots.add_incidents(ax, pd.DataFrame(
        {"event_date": pd.to_datetime(["2024-06-01", "2024-02-26"]),
         "description": ["later", "airport " + "x" * 200]}))
    # the plot carries numbers (in date order), the key under it the words, never cut off
    assert [t.get_text() for t in ax.texts] == ["1", "2"]
    keys = [t.get_text() for t in fig.texts]
    assert keys[0].startswith("1  2024-02-26  airport") and keys[0].endswith("…")
    assert keys[1] == "2  2024-06-01  later"
    fig.canvas.draw()
    box = fig.bbox
    for text in fig.texts:
        extent = text.get_window_extent()
        assert extent.x0 >= box.x0 and extent.y0 >= box.y0  # inside the figure


def _legends(ax) -> dict[str, list[str]]:
    return {lg.get_title().get_text(): [t.get_text() for t in lg.get_texts()]
            for lg in ax.figure.legends}


def test_network_draws_every_edge():
    rel = pd.DataFrame({"from_actor": ["A", "B", "A"], "to_actor": ["G", "G", "G"],
                        "relation": ["logistical", "lobbying", "political"],
                        "polarity": ["positive"] * 3,
                        "from_type": ["state", "firm", "state"],
                        "to_type": ["armed group"] * 3,
                        "confidence": ["reported", "alleged", "assessed"],
                        "direction": ["one-way", "one-way", "mutual"]})
    fig = plots.network(external.relations_graph(rel), title="Relations", focus="G",
                        synthetic=False, source="relations.csv")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Relations"
    assert len(ax.patches) == 3  # one arrow per relation, parallel edges kept apart
    legends = _legends(ax)
    assert legends["Actor type"] == ["Armed group", "State", "Firm"]
    assert legends["For (arrow)"] == ["logistical support", "political support", "lobbying"]
    assert "Against (bar)" not in legends
    assert legends["Confidence"] == ["reported", "alleged", "assessed"]
    empty = plots.network(external.relations_graph(rel.iloc[0:0]), title="Relations")
    assert plots.NO_DATA in [t.get_text() for t in empty.axes[0].texts]


def test_network_never_draws_a_negative_relation_as_support():
    rel = pd.DataFrame({"from_actor": ["United States", "Russia", "Tajikistan"],
                        "to_actor": ["National Resistance Front", "Taliban", "Taliban"],
                        "relation": ["military", "recognition", "hostility"],
                        "polarity": ["negative", "positive", "negative"],
                        "from_type": ["state"] * 3, "to_type": ["armed group"] * 3,
                        "confidence": ["reported"] * 3, "direction": ["one-way"] * 3})
    fig = plots.network(external.relations_graph(rel), title="Relations")
    ax = fig.axes[0]
    legends = _legends(ax)
    assert legends["Against (bar)"] == ["hostility", "rules out military support"]
    assert legends["For (arrow)"] == ["recognition"]
    assert "military support" not in legends["For (arrow)"]
    heads = {p.get_arrowstyle().__class__.__name__ for p in ax.patches}
    assert {"BracketB", "CurveFilledB"} <= heads  # bars for against, arrows for for
    for patch in ax.patches:
        colour = matplotlib.colors.to_hex(patch.get_edgecolor())
        is_bar = patch.get_arrowstyle().__class__.__name__ == "BracketB"
        assert (colour in {c.lower() for c in plots.AGAINST_COLORS.values()}) == is_bar, colour


def test_colors_are_stable():
    a = plots.colors_for(["taliban", "resistance", "mystery"], plots.SIDE_COLORS)
    assert a["resistance"] == plots.SIDE_COLORS["resistance"]
    assert a["mystery"] not in {a["taliban"], a["resistance"]}  # never shares a colour
    assert list(a) == ["resistance", "taliban", "mystery"]  # legend order: fixed order first
    lone = plots.colors_for(["active", "cumulative"], plots.SIDE_COLORS)
    assert list(lone.values()) == list(plots.CATEGORY_PALETTE[:2])  # from its start


def test_yearly_lines_leave_missing_years_as_gaps_on_whole_year_ticks():
    frame = pd.DataFrame({"year": [2022, 2023, 2024, 2022, 2024],
                          "indicator": ["people_in_need"] * 3 + ["people_targeted"] * 2,
                          "value": [24.4e6, 28.8e6, 23.7e6, 22.1e6, 17.3e6]})
    fig = plots.yearly_lines(frame, "year", "value", "indicator", title="t", ylabel="People")
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    targeted = lines["People targeted"].get_ydata()
    assert np.isnan(targeted[1]) and targeted[0] == 22.1e6  # 2023: a gap, not a line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022", "2023", "2024"]
    assert ax.get_ylim()[0] == 0
