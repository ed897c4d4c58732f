"""Helpers added for the theme notebooks: category totals, spread summaries, claim lookup,
the notebook data selection and presentation details. Hand-computed answers on tiny frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from _analysis_events import PROVINCES, empty_events, make_events

from helpers.analysis import attacks, claims, expansion
from helpers.data import catalog
from helpers.errors import DataError
from helpers.views import cells as nb
from helpers.views import charts, maps


@pytest.fixture
def small():
    return make_events([
        {"event_date": "2024-01-05", "target": "official", "fatalities": 2},
        {"event_date": "2024-01-20", "target": "official", "fatalities": 1,
         "sub_event_type": "Grenade"},
        {"event_date": "2024-02-01", "target": "military", "fatalities": 4,
         "province": "Kabul", "province_code": "AF-KAB"},
        {"event_date": "2024-02-03", "target": None, "fatalities": 0, "sub_event_type": None},
        {"event_date": "2024-02-04", "side1": "taliban", "target": "civilian", "fatalities": 9},
    ])


def test_category_totals_targets_keep_every_category_in_order(small):
    out = attacks.category_totals(small, "target")
    assert out["target"].tolist() == ["official", "military", "infrastructure", "civilian",
                                      "unknown"]
    assert out["events"].tolist() == [2, 1, 0, 0, 1]  # the taliban event is not counted
    assert out["share"].tolist() == [0.5, 0.25, 0.0, 0.0, 0.25]
    assert out["fatalities"].tolist() == [3, 4, 0, 0, 0]


def test_category_totals_other_columns_sort_by_events_then_name(small):
    out = attacks.category_totals(small, "sub_event_type", side=None)
    assert out["sub_event_type"].tolist() == ["Armed clash", "Grenade", "unknown"]
    assert out["events"].tolist() == [3, 1, 1]
    assert out["fatalities"].tolist() == [15, 1, 0]


def test_category_totals_respects_dates_and_empty_input(small):
    out = attacks.category_totals(small, "target", start="2024-02-01", end="2024-02-28")
    assert out.set_index("target")["events"].to_dict()["military"] == 1
    assert out["events"].sum() == 2
    empty = attacks.category_totals(empty_events(), "target")
    assert empty["events"].sum() == 0 and empty["share"].isna().all()
    with pytest.raises(DataError):
        attacks.category_totals(small.drop(columns="target"), "target")


def test_spread_series_and_summary(small):
    spread = expansion.provinces_per_period(small, "resistance", "M")
    long = expansion.spread_series(spread)
    assert set(long["measure"]) == {"active this period", "ever active (cumulative)"}
    cum = long.loc[long["measure"] == "ever active (cumulative)", "provinces"].tolist()
    assert cum == [1, 2]  # Panjshir in January, Kabul added in February
    dist = expansion.distance_from_core(small, (35.3, 69.5), "resistance", "M")
    summary = expansion.spread_summary(dist)
    assert summary["events"] == 4 and summary["outside_core"] == 1
    assert summary["share_outside_core"] == 0.25
    assert summary["first_median_km"] == pytest.approx(0.0, abs=1e-6)
    assert summary["last_period"] == pd.Timestamp("2024-02-01")
    none = expansion.spread_summary(dist.iloc[0:0])
    assert none["first_period"] is None and math.isnan(none["share_outside_core"])


def test_region_totals(small):
    out = expansion.region_totals(small, PROVINCES, "resistance")
    assert out.iloc[0].to_dict() == {"region": "Central", "events": 4, "share": 1.0}
    assert out.loc[out["region"] == "North-East", "events"].item() == 0
    assert expansion.region_totals(empty_events(), PROVINCES).empty


def test_claim_for_finds_the_claim_behind_a_metric():
    table = pd.DataFrame({"id": ["A", "B"], "quantity": [None, 20.0],
                          "comparator": [None, "~"], "speaker": ["x", "y"],
                          "said_when": [None, "2024"], "statement": ["s1", "s2"],
                          "check": [None, "resistance_provinces(2021-08-15,2024-10-31) ~ 20"]})
    found = claims.claim_for(table, "resistance_provinces")
    assert found["id"] == "B" and found["quantity"] == 20.0 and found["speaker"] == "y"
    assert claims.claim_for(table, "fatalities") is None
    assert claims.claim_for(table.drop(columns="check"), "resistance_provinces") is None


def test_human_number_and_stacked_bar_palettes():
    assert charts.human_number(22_900_000) == "22.9M"
    assert charts.human_number(4_440_000_000) == "4.44bn"
    assert charts.human_number(950) == "950"
    months = pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"])
    types = pd.DataFrame({"month": months, "kind": ["Armed clash", "Grenade", "Grenade"],
                          "events": [1, 2, 3]})
    fig = charts.stacked_bars(types, "month", "kind", "events", title="t", ylabel="n")
    faces = {c.get_label(): c.patches[0].get_facecolor() for c in fig.axes[0].containers}
    # categories without fixed colours take the palette from its start, not its leftovers
    assert len(faces) == 2
    import matplotlib.colors as mcolors

    assert mcolors.to_hex(faces["Armed clash"]) == charts.CATEGORY_PALETTE[0].lower()
    sides = types.rename(columns={"kind": "side1"}).replace({"Armed clash": "resistance",
                                                             "Grenade": "taliban"})
    fig = charts.stacked_bars(sides, "month", "side1", "events", title="t", ylabel="n")
    faces = {c.get_label(): c.patches[0].get_facecolor() for c in fig.axes[0].containers}
    # legends show the human label, in the same colour as everywhere else
    assert mcolors.to_hex(faces["Armed resistance"]) == charts.SIDE_COLORS["resistance"].lower()
    assert set(faces) == {"Armed resistance", "Taliban"}
    assert fig.axes[0].get_legend().get_title().get_text() == "Side"


def test_lines_draws_a_reference_line():
    frame = pd.DataFrame({"x": pd.to_datetime(["2024-01-01", "2024-04-01"]), "y": [3, 5]})
    fig = charts.lines(frame, "x", "y", title="t", xlabel="x", ylabel="y",
                      reference=(20, "claimed: about 20"))
    ax = fig.axes[0]
    assert any(list(line.get_ydata()) == [20, 20] for line in ax.get_lines())
    assert "claimed: about 20" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_select_filters_clips_window_and_labels_demo():
    sel = catalog.select("demo", "2024-01-01", "2030-12-31", ["Panjsher"], ["resistance"],
                    record=False)
    assert sel.synthetic and "synthetic" in sel.source
    assert set(sel.events["province_code"]) == {"AF-PAN"}
    assert sel.end == sel.all_events["event_date"].max().normalize()  # clipped to the data
    assert sel.start == pd.Timestamp("2024-01-01")
    assert len(sel.all_events) > len(sel.events)
    assert sel.filters["provinces"] == ["Panjsher"]
    empty = catalog.select("demo", "2024-01-01", "2024-01-31", ["Nimroz"], [], record=False)
    assert empty.empty and empty.events.attrs["synthetic"]


def test_select_rejects_bad_parameters_clearly():
    with pytest.raises(DataError, match="Narnia"):
        catalog.select("demo", provinces=["Narnia"], record=False)
    with pytest.raises(DataError, match="after end_date"):
        catalog.select("demo", "2024-05-01", "2024-01-01", record=False)


def test_source_lines_name_the_inputs():
    real = make_events([{"event_date": "2024-01-01"}])
    real.attrs["inputs"] = [{"path": "/data/raw/acled_2024.csv", "layout": "acled"}]
    assert catalog.source_line(real) == "ACLED export acled_2024.csv"
    indicators = pd.DataFrame({"source": ["A", "B", "A", "C", "D"],
                               "source_file": ["/x/a.csv", None, "/x/a.csv", "/x/c.csv", None]})
    assert nb.indicator_source_line(indicators) == "A; B; C; and 1 more (listed below)"
    assert catalog.indicator_files(indicators) == ["/x/a.csv", "/x/c.csv"]


def test_sources_section_credits_every_file(tmp_path):
    sel = catalog.select("demo", record=False)
    text = nb.sources(sel, ["claims"], extra=[tmp_path / "mine.csv"]).data
    assert "data/demo/acled_demo_events.csv" in text and "SYNTHETIC" in text
    assert "data/curated/claims.csv" in text
    assert "no provenance record" in text  # an unrecorded file is listed, not hidden


def test_clustered_map_works_without_tiles_or_icon_plugins():
    rows = [{"event_date": "2024-01-01", "latitude": 34.5 + i / 1000, "longitude": 69.2}
            for i in range(30)]
    html = maps.events_map(make_events(rows), max_points=10).get_root().render()
    assert "maxZoom" in html  # marker clustering needs it when no tile layer sets it
    assert "L.circleMarker" in html and "AwesomeMarkers.icon" not in html


def test_curated_tables_print_with_their_sources(capsys):
    from helpers.data import curated

    assert curated.main(["lobbying", "claims"]) == 0
    out = capsys.readouterr().out
    assert "== lobbying (" in out and "== claims (" in out
    assert "citation:" in out and "licence:" in out
    assert "source_date" in out and "OpenSecrets" in out  # each row's source is printed
    with pytest.raises(SystemExit):
        curated.main(["no_such_table"])


def test_tables_show_large_floats_with_separators_not_exponents():
    assert nb.float_text(24_400_000.0) == "24,400,000"
    assert nb.float_text(0.16561) == "0.166"
    assert nb.float_text(229.0) == "229"
    assert nb.float_text(float("nan")) == "nan"
    nb.setup()
    assert "24,400,000" in pd.DataFrame({"v": [24_400_000.0]}).to_string()


def test_show_gives_a_chart_its_title_and_finding_as_alt_text(monkeypatch):
    import base64
    import io

    import IPython.display
    from PIL import Image

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, **kw: shown.append((obj, kw)))
    nb.finding("Operations rose **{n:,}**-fold & more.", n=1200)
    frame = pd.DataFrame({"x": pd.to_datetime(["2024-01-01", "2024-04-01"]), "y": [3, 5]})
    nb.show(charts.lines(frame, "x", "y", title="Operations per month", xlabel="x",
                            ylabel="y"))
    (data, kw), = shown
    alt = kw["metadata"]["image/png"]["alt"]
    assert alt == "Operations per month. Operations rose 1,200-fold & more."
    image = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert image.mode == "P" and image.width > 1000  # palette PNG, readable size
    with pytest.raises(TypeError, match="figure, a map or a table"):
        nb.show("not a chart")


def test_change_words():
    assert nb.change_words(-92.4, "the peak") == "92% below the peak"
    assert nb.change_words(12.0, "2022") == "12% above 2022"
    assert nb.change_words(0.2, "2022") == "about the same as 2022"
    assert nb.change_words(float("nan"), "2022") == "no comparison with 2022"


def test_reach_finding_compares_with_the_claim_only_on_real_events():
    reached = {"total": 20, "reached": pd.Timestamp("2024-10-01"), "peak": 19}
    claimed = {"quantity": 20.0, "speaker": "Analysis brief"}
    fake = nb.reach_finding(reached, claimed, synthetic=True, headline=True)
    assert "brief" not in fake.data and not fake.metadata  # never a headline either
    real = nb.reach_finding(reached, claimed, synthetic=False, headline=True)
    assert "about 20 (Analysis brief)" in real.data and "October 2024" in real.data
    assert real.metadata == {nb.HEADLINE_KEY: True}
