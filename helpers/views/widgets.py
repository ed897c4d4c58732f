"""ipywidgets explorers for the theme notebooks (JupyterLab only; batch reports skip them).

Each ``*_explorer`` function returns an :class:`Explorer`: ``.widget`` is the container to
display, ``.controls`` the named controls, ``.compute()`` recomputes the analysis frames
from the current control values by calling the same functions as the notebook's static
cells (``helpers.analysis.attacks`` ...), and ``.refresh()`` redraws the output. Tests set control
values in Python and assert on ``.compute()``; notebooks run with ``interactive=False``
never call these (widgets do not render in static HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from helpers.analysis import attacks, expansion, external, humanitarian
from helpers.analysis._common import period_index, select_events
from helpers.config import TAKEOVER_DATE
from helpers.views import charts, labels, maps, tables
from helpers.views.banner import is_synthetic, no_data_message, notice

ALL_ACTORS = "(all actors)"


@dataclass
class Explorer:
    """A widget container plus the function that recomputes its analysis output."""

    widget: w.Widget
    controls: dict[str, w.Widget]
    output: w.Output
    compute_fn: Callable[[dict], dict]
    draw_fn: Callable[[dict], None]
    last: dict = field(default_factory=dict)

    def values(self) -> dict:
        """Current control values by control name."""
        return {name: control.value for name, control in self.controls.items()}

    def compute(self) -> dict:
        """Analysis frames for the current control values (no drawing)."""
        return self.compute_fn(self.values())

    def refresh(self, *_: object) -> dict:
        """Recompute and redraw the output area; returns (and keeps) the result."""
        result = self.compute()
        self.last = result
        with self.output:
            self.output.clear_output(wait=True)
            self.draw_fn(result)
        return result

    def _ipython_display_(self) -> None:
        display(self.widget)


def _build(controls: dict[str, w.Widget], compute_fn: Callable[[dict], dict],
           draw_fn: Callable[[dict], None], auto: bool) -> Explorer:
    output = w.Output()
    box = w.VBox([w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap")),
                  output])
    explorer = Explorer(box, controls, output, compute_fn, draw_fn)
    if auto:
        for control in controls.values():
            control.observe(explorer.refresh, names="value")
        explorer.refresh()
    return explorer


def _show(fig) -> None:
    display(fig)
    plt.close(fig)


def month_slider(events: pd.DataFrame, description: str = "Months") -> w.SelectionRangeSlider:
    """A range slider over every month the events cover (first to last month).

    Months read "Oct 2023", so the read-out is unambiguous: "Oct 2023 – Dec 2025".
    """
    dates = pd.to_datetime(events["event_date"]) if len(events) else pd.Series(
        [pd.Timestamp(TAKEOVER_DATE)])
    months = period_index(dates.min(), dates.max(), "M")
    options = [(m.strftime("%b %Y"), m) for m in months]
    return w.SelectionRangeSlider(options=options, index=(0, len(options) - 1),
                                  description=description, continuous_update=False,
                                  layout=w.Layout(width="520px"))


def _month_bounds(value: tuple) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = value
    return pd.Timestamp(start), pd.Timestamp(end) + pd.offsets.MonthEnd(0)


def window_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A month range as a reader says it: "Oct 2023 – Dec 2025"."""
    return f"{start:%b %Y} – {end:%b %Y}"


def _options(series: pd.Series) -> list[str]:
    return sorted(str(v) for v in series.dropna().unique())


# --------------------------------------------------------------------------- 01 attacks
def attacks_explorer(events: pd.DataFrame, source: str | None = None,
                     auto: bool = True) -> Explorer:
    """Date range, provinces, sides and sub-event types -> monthly chart and top places."""
    synthetic = is_synthetic(events)
    sides = _options(events["side1"])
    controls = {
        "months": month_slider(events),
        "provinces": w.SelectMultiple(options=_options(events["province"]), rows=6,
                                      description="Provinces"),
        "sides": w.SelectMultiple(options=sides, rows=6, description="Sides",
                                  value=("resistance",) if "resistance" in sides else ()),
        "sub_event_types": w.SelectMultiple(options=_options(events["sub_event_type"]),
                                            rows=6, description="Sub-events"),
        "group_by": w.Dropdown(options=[("side", "side1"), ("sub-event type",
                                                           "sub_event_type"),
                                        ("target", "target")], value="side1",
                               description="Stack by"),
    }

    def compute(v: dict) -> dict:
        start, end = _month_bounds(v["months"])
        selection = select_events(events, start, end, v["provinces"], v["sides"],
                                  v["sub_event_types"])
        return {"selection": selection,
                "monthly": attacks.monthly_operations(selection, v["group_by"], start, end),
                "total": attacks.monthly_total(selection, start, end),
                "places": attacks.top_places(selection, "province", n=10, side=None),
                "filters": {"months": window_text(start, end),
                            "provinces": list(v["provinces"]), "sides": list(v["sides"]),
                            "sub-event types": list(v["sub_event_types"])}}

    def draw(r: dict) -> None:
        if r["selection"].empty:
            display(no_data_message(r["filters"]))
            return
        group = r["monthly"].columns[1]
        _show(charts.stacked_bars(r["monthly"], "month", group, "events",
                                 title="Events per month", ylabel="Events per month",
                                 line=r["total"], line_label="3-month rolling mean (selection)",
                                 source=source, synthetic=synthetic))
        display(tables.table(r["places"], ["province", "events", "share", "fatalities"],
                             fraction=["share"], caption="Provinces with the most events"))

    return _build(controls, compute, draw, auto)


# --------------------------------------------------------------------------- 02 expansion
def expansion_explorer(events: pd.DataFrame, provinces: pd.DataFrame,
                       side: str = "resistance", tiles: str | None = None,
                       auto: bool = True) -> Explorer:
    """Date range, period length and metric -> province map and per-province table."""
    synthetic = is_synthetic(events)
    controls = {
        "months": month_slider(events),
        "period": w.Dropdown(options=[("quarter", "Q"), ("month", "M"), ("year", "Y")],
                             value="Q", description="Period"),
        "metric": w.Dropdown(options=[("events", "events"), ("fatalities", "fatalities")],
                             value="events", description="Metric"),
    }

    def compute(v: dict) -> dict:
        start, end = _month_bounds(v["months"])
        # onset (first activity) comes from every event, not only the window
        agg = expansion.province_aggregates(events, provinces, side, start, end)
        agg = agg.sort_values([v["metric"], "province"], ascending=[False, True],
                              kind="stable").reset_index(drop=True)
        return {"aggregates": agg, "metric": v["metric"], "window": window_text(start, end),
                "spread": expansion.provinces_per_period(events, side, v["period"], start, end),
                "filters": {"months": window_text(start, end), "side": side}}

    def draw(r: dict) -> None:
        active = r["aggregates"][r["aggregates"]["events"] > 0]
        if active.empty:
            display(no_data_message(r["filters"]))
            return
        display(maps.MapView(maps.province_circles(r["aggregates"], value=r["metric"],
                                                   tiles=tiles, synthetic=synthetic)))
        metric = r["metric"]
        ranked = active[active[metric] > 0] if metric != "events" else active
        display(tables.table(
            ranked, ["province", "region", metric, "first_event"],
            caption=f"Provinces by {labels.header(metric).lower()}, {r['window']} "
                    "(first activity: over all the data)"))

    return _build(controls, compute, draw, auto)


# --------------------------------------------------------------------------- 03 external
def external_explorer(relations: pd.DataFrame, source: str | None = None,
                      auto: bool = True) -> Explorer:
    """Actor focus, relation types and radius -> network drawing and relations table."""
    actors = sorted(set(relations["from_actor"].dropna()) | set(relations["to_actor"].dropna()))
    controls = {
        "actor": w.Dropdown(options=[ALL_ACTORS, *actors], value=ALL_ACTORS,
                            description="Actor"),
        "relation_types": w.SelectMultiple(options=_options(relations["relation"]), rows=6,
                                           description="Relations"),
        "radius": w.IntSlider(value=1, min=1, max=3, description="Steps"),
    }

    def compute(v: dict) -> dict:
        types = list(v["relation_types"]) or None
        if v["actor"] == ALL_ACTORS:
            table = external.support_table(relations, relation_types=types)
        else:
            table = external.ego_relations(relations, v["actor"], v["radius"], types)
        return {"table": table, "graph": external.relations_graph(table),
                "focus": None if v["actor"] == ALL_ACTORS else v["actor"],
                "filters": {"actor": v["actor"], "relation types": list(v["relation_types"])}}

    def draw(r: dict) -> None:
        if r["table"].empty:
            display(no_data_message(r["filters"]))
            return
        _show(charts.network(r["graph"], title="Relations between actors", focus=r["focus"],
                            source=source))
        display(tables.support(r["table"]))

    return _build(controls, compute, draw, auto)


# --------------------------------------------------------------------------- 04 humanitarian
def humanitarian_explorer(indicators: pd.DataFrame, events: pd.DataFrame,
                          provinces: pd.DataFrame | None = None, source: str | None = None,
                          auto: bool = True) -> Explorer:
    """Indicator and provinces -> national series and the province comparison (or a flag)."""
    synthetic = is_synthetic(events)
    names = _options(indicators["indicator"])
    codes = _options(humanitarian.province_codes(indicators))
    controls = {
        "indicator": w.Dropdown(options=names, value=("people_in_need" if "people_in_need" in
                                                      names else (names[0] if names else None)),
                                description="Indicator"),
        "provinces": w.SelectMultiple(options=codes, rows=6, description="Provinces"),
    }

    def compute(v: dict) -> dict:
        indicator = v["indicator"]
        national = humanitarian.best_estimates(
            humanitarian.national_series(indicators, [indicator] if indicator else []))
        comparison = humanitarian.province_vs_conflict(indicators, events, indicator or "",
                                                       provinces=provinces)
        frame = comparison.frame
        if v["provinces"]:
            frame = frame[frame["province_code"].isin(v["provinces"])].reset_index(drop=True)
        return {"national": national, "provinces": frame,
                "national_only": comparison.national_only, "message": comparison.message,
                "filters": {"indicator": indicator, "provinces": list(v["provinces"])}}

    def draw(r: dict) -> None:
        if r["national"].empty and r["provinces"].empty:
            display(no_data_message(r["filters"]))
            return
        if not r["national"].empty:
            unit = str(r["national"]["unit"].iloc[0]) if "unit" in r["national"] else ""
            _show(charts.lines(r["national"], "period_start", "value",
                              title=f"{r['filters']['indicator']} (national)",
                              xlabel="Period start", ylabel=unit, source=source))
        if r["national_only"]:
            display(notice(r["message"]))
        elif not r["provinces"].empty:
            _show(charts.labelled_scatter(r["provinces"], "events", "value", "province_code",
                                         title=f"{r['filters']['indicator']} and conflict "
                                               "events by province",
                                         xlabel="Conflict events", ylabel="Indicator value",
                                         source=source, synthetic=synthetic))

    return _build(controls, compute, draw, auto)
