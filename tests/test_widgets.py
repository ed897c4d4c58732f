"""Widgets: set control values in Python, check the recomputed frames change accordingly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from _analysis_events import PROVINCES, empty_events, make_events  # noqa: E402

from helpers.analysis import attacks
from helpers.views import widgets  # noqa: E402


@pytest.fixture
def events():
    return make_events([
        {"event_date": "2024-01-05", "sub_event_type": "Armed clash"},
        {"event_date": "2024-01-20", "sub_event_type": "Remote explosive",
         "province": "Kabul", "province_code": "AF-KAB"},
        {"event_date": "2024-02-10", "side1": "taliban"},
        {"event_date": "2024-03-15", "sub_event_type": "Armed clash", "fatalities": 4,
         "province": "Kunduz", "province_code": "AF-KDZ"},
    ])


def test_attacks_explorer_recomputes_from_controls(events):
    ex = widgets.attacks_explorer(events, auto=False)
    assert ex.controls["sides"].value == ("resistance",)
    first = ex.compute()
    # same numbers as the static cell would compute
    pd.testing.assert_frame_equal(
        first["monthly"], attacks.monthly_operations(
            events[events["side1"] == "resistance"], "side1", "2024-01-01", "2024-03-31"))
    assert first["monthly"]["events"].tolist() == [2, 0, 1]

    ex.controls["provinces"].value = ("Kabul",)
    assert ex.compute()["monthly"]["events"].tolist() == [1, 0, 0]

    ex.controls["provinces"].value = ()
    ex.controls["months"].value = (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01"))
    assert ex.compute()["monthly"]["events"].tolist() == [0, 1]

    ex.controls["sides"].value = ()
    ex.controls["group_by"].value = "sub_event_type"
    res = ex.compute()
    assert "sub_event_type" in res["monthly"].columns
    assert len(res["selection"]) == 2

    ex.controls["sub_event_types"].value = ("Remote explosive",)
    assert ex.compute()["selection"].empty


def test_auto_refresh_follows_control_changes(events):
    ex = widgets.attacks_explorer(events, auto=True)
    before = ex.last["places"]["events"].sum()
    ex.controls["sides"].value = ("taliban",)  # observer triggers refresh
    assert ex.last["places"]["events"].sum() == 1 and before == 3
    ex.controls["sub_event_types"].value = ("Remote explosive",)  # -> no data, no error
    assert ex.last["selection"].empty


def test_expansion_explorer(events):
    ex = widgets.expansion_explorer(events, PROVINCES, auto=False)
    agg = ex.compute()["aggregates"].set_index("province_code")
    assert agg.loc["AF-KDZ", "events"] == 1 and agg.loc["AF-PAN", "events"] == 1
    ex.controls["metric"].value = "fatalities"
    assert ex.compute()["aggregates"]["province_code"].iloc[0] == "AF-KDZ"
    ex.controls["months"].value = (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01"))
    res = ex.compute()
    assert res["aggregates"].set_index("province_code").loc["AF-KDZ", "events"] == 0
    ex.controls["period"].value = "M"
    assert len(ex.compute()["spread"]) == 1


def test_expansion_explorer_table_follows_the_metric_and_keeps_onset(events, monkeypatch):
    from pandas.io.formats.style import Styler

    shown = []
    monkeypatch.setattr(widgets, "display", shown.append)
    ex = widgets.expansion_explorer(events, PROVINCES, auto=False)
    ex.controls["metric"].value = "fatalities"
    ex.draw_fn(ex.compute())
    table = [o.to_html() for o in shown if isinstance(o, Styler)]
    assert len(table) == 1 and "Fatalities" in table[0] and ">Events<" not in table[0]
    # March only: Panjshir's January activity stays its first activity (not "new" in March)
    ex.controls["months"].value = (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-01"))
    agg = ex.compute()["aggregates"].set_index("province_code")
    assert agg.loc["AF-PAN", "first_event"] == pd.Timestamp("2024-01-05")


def test_month_slider_reads_as_months_and_years(events):
    slider = widgets.month_slider(events)
    assert [label for label, _ in slider.options] == ["Jan 2024", "Feb 2024", "Mar 2024"]
    assert widgets.window_text(pd.Timestamp("2023-10-01"), pd.Timestamp("2025-12-31")) == \
        "Oct 2023 – Dec 2025"


@pytest.fixture
def relations():
    return pd.DataFrame({"from_actor": ["A", "B", "C"], "to_actor": ["G", "G", "A"],
                         "relation": ["logistical", "lobbying", "diplomatic"],
                         "from_type": ["state", "firm", "state"],
                         "to_type": ["armed group", "armed group", "state"],
                         "confidence": ["reported"] * 3, "source": ["s"] * 3})


def test_external_explorer(relations):
    ex = widgets.external_explorer(relations, auto=False)
    assert len(ex.compute()["table"]) == 3
    ex.controls["actor"].value = "B"
    res = ex.compute()
    assert res["table"]["from_actor"].tolist() == ["B"] and res["focus"] == "B"
    ex.controls["radius"].value = 2
    assert len(ex.compute()["table"]) == 2
    ex.controls["actor"].value = widgets.ALL_ACTORS
    ex.controls["relation_types"].value = ("diplomatic",)
    assert ex.compute()["graph"].number_of_edges() == 1
    ex.refresh()  # draws without error
    assert ex.last["table"]["relation"].tolist() == ["diplomatic"]


def test_humanitarian_explorer(events):
    ind = pd.DataFrame({"indicator": ["pin", "pin", "ipc", "ipc"],
                        "geography": ["AF", "AF", "AF-KAB", "AF-KDZ"],
                        "period_start": pd.to_datetime(["2023-01-01", "2024-01-01",
                                                        "2024-01-01", "2024-01-01"]),
                        "value": [28.0, 23.0, 5.0, 7.0], "unit": ["people"] * 4})
    ex = widgets.humanitarian_explorer(ind, events, PROVINCES, auto=False)
    ex.controls["indicator"].value = "pin"
    res = ex.compute()
    assert res["national_only"] and res["national"]["value"].tolist() == [28.0, 23.0]
    ex.controls["indicator"].value = "ipc"
    res = ex.compute()
    assert not res["national_only"] and len(res["provinces"]) == 2
    ex.controls["provinces"].value = ("AF-KDZ",)
    got = ex.compute()["provinces"]
    assert got["province_code"].tolist() == ["AF-KDZ"] and got["events"].tolist() == [1]
    ex.refresh()


def test_explorers_build_on_empty_events():
    ex = widgets.attacks_explorer(empty_events(), auto=True)
    assert ex.last["selection"].empty
    assert ex.widget.children[1] is ex.output
