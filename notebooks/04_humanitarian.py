# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (workbook)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Humanitarian crisis: needs, malnutrition, poverty and funding
#
# - How many people need humanitarian assistance, year by year, and how many are targeted?
# - How many are malnourished, how many of them children, and how poor is the population?
# - How much do the appeals ask for, and how much is funded (when FTS files are loaded)?
# - Where province-level figures exist: do needs line up with conflict events by province?
#
# By default the figures come from the curated, cited table; set `indicator_source` to HDX
# HAPI or FTS files (or a folder of them) to use those.

# %% tags=["parameters"]
# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled" or "ucdp" (files in data/raw/), or a file/folder path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views
indicator_source = "curated"  # "curated", or HDX HAPI / FTS file(s) or a folder
map_tiles = None  # e.g. "OpenStreetMap" when online

# %% tags=["banner"]
from IPython.display import display

from helpers.analysis import humanitarian
from helpers.data import catalog
from helpers.data.reference import boundaries, gazetteer
from helpers.views import cells as nb
from helpers.views import charts, maps, widgets
from helpers.views.banner import data_banner, notice

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
display(data_banner(events, sel.filters))
indicators = catalog.indicators(indicator_source)
catalog.record_indicator_inputs(indicators)
provinces_table = gazetteer.provinces()

# %% tags=["table-coverage"]
if sel.synthetic:
    display(notice("The humanitarian figures here are published, cited figures (see Sources). "
                   "Only the conflict events, used in the province comparison, are the "
                   "synthetic demo set."))
display(humanitarian.coverage(indicators))

# %% [markdown]
# ## People in need and targeted
#
# Where several sources give a figure for the same year, the most recently published one is
# drawn; all are listed below.

# %% tags=["fig-needs"]
needs = humanitarian.national_series(indicators, ["people_in_need", "people_targeted"])
latest = humanitarian.latest_estimates(needs)
pin = latest.loc[latest["indicator"] == "people_in_need"]
if pin.empty:
    display(notice("No people-in-need figures are loaded."))
else:
    display(nb.finding(
        "People in need: **{last:,.0f}** in {y2:d} against {first:,.0f} in {y1:d} ({source}).",
        last=pin["value"].iloc[-1], y2=pin["period_start"].iloc[-1].year,
        first=pin["value"].iloc[0], y1=pin["period_start"].iloc[0].year,
        source=pin["source"].iloc[-1]))
nb.show(charts.lines(latest, "period_start", "value", hue="indicator",
                     title="People in need and targeted, Afghanistan (national)",
                     xlabel="Plan year", ylabel="People",
                     source=nb.indicator_source_line(latest)))
display(needs.filter(items=["indicator", "period_start", "value", "unit", "source",
                            "source_date"]))

# %% [markdown]
# ## Malnutrition and poverty

# %% tags=["table-malnutrition"]
other = humanitarian.latest_estimates(humanitarian.national_series(
    indicators, ["malnourished_people", "malnourished_children", "poverty_rate"]))
if other.empty:
    display(notice("No malnutrition or poverty figures are loaded."))
else:
    values = other.set_index("indicator")["value"]
    display(nb.finding(
        "Malnourished: {people:,.0f} people, {children:,.0f} of them children; "
        "poverty rate: {poverty:.0f}% of the population (latest figures, sources below).",
        people=values.get("malnourished_people"), children=values.get("malnourished_children"),
        poverty=values.get("poverty_rate")))
    display(other.filter(items=["indicator", "period_start", "comparator", "value", "unit",
                                "original_publisher", "source"]))

# %% [markdown]
# ## Appeal requirements and funding

# %% tags=["fig-funding"]
money = humanitarian.latest_estimates(humanitarian.national_series(
    indicators, ["requirements_usd", "funding_usd"]))
if money.empty:
    display(notice("No appeal requirement or funding figures are loaded."))
else:
    req = money.loc[money["indicator"] == "requirements_usd"]
    funded = money.loc[money["indicator"] == "funding_usd"]
    display(nb.finding(
        "The latest appeal asks for **US${req:,.0f} million** ({year}); funding figures: {f}.",
        req=req["value"].iloc[-1] / 1e6 if len(req) else float("nan"),
        year=str(req["period_start"].iloc[-1].year) if len(req) else "n/a",
        f="loaded" if len(funded) else "not loaded (add an FTS file to compare)"))
    nb.show(charts.lines(money, "period_start", "value", hue="indicator",
                         title="Humanitarian appeal: requirements and funding",
                         xlabel="Plan year", ylabel="US dollars",
                         source=nb.indicator_source_line(money)))

# %% [markdown]
# ## Provinces: needs beside conflict
#
# Only possible when province-level figures are loaded (HDX HAPI files); the curated table
# is national.

# %% tags=["fig-provinces"]
comparison = humanitarian.province_vs_conflict(indicators, events, "people_in_need",
                                               start=sel.start, end=sel.end,
                                               provinces=provinces_table)
if comparison.national_only or comparison.empty:
    display(notice(comparison.message + " The national series are shown above."))
else:
    display(nb.finding("{msg}", msg=comparison.message))
    nb.show(charts.labelled_scatter(comparison.frame, "events", "value", "province",
                                    title="People in need and conflict events by province",
                                    xlabel="Conflict events in the selection",
                                    ylabel="People in need", source=sel.source,
                                    synthetic=sel.synthetic))
    display(comparison.frame)
    if boundaries_path:
        display(maps.province_choropleth(
            comparison.frame, boundaries.match_boundaries(boundaries_path), value="value",
            tiles=map_tiles))

# %% [markdown]
# ## Explore
#
# An indicator and provinces redraw the national series and the province comparison.

# %% tags=["explorer"]
nb.explore(interactive, lambda: widgets.humanitarian_explorer(
    indicators, sel.all_events, provinces_table, source=nb.indicator_source_line(indicators)))

# %% [markdown]
# ## Sources
#
# Every file this notebook read, from the provenance records (`data/curated/sources.yml`).

# %% tags=["sources"]
display(nb.sources(sel, ["humanitarian_indicators"], extra=catalog.indicator_files(indicators)))
