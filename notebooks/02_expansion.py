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
# # Geographic expansion of resistance operations
#
# - In how many provinces is the resistance active each quarter, against the brief's
#   "nearly 20 provinces"? When did each province first see resistance activity?
# - How far from the Panjshir valley do resistance operations reach over time, and what
#   share falls outside the Panjshir/Andarab core? Which regions carry them?
# - Where are they on the map, and how did they spread? How many are there per 100,000
#   people in each province?
#
# Everything here is event-level: it needs ACLED or UCDP GED events. The maps' province
# outlines (geoBoundaries) and populations (NSIA / OCHA COD-PS) are real, shipped data.

# %% tags=["parameters"]
# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled"/"ucdp" (newest fetched snapshot or data/raw/), or a path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views
map_tiles = None  # None: data layers without any tile server; "OpenStreetMap" when online

# %% tags=["banner"]
from IPython.display import display

from helpers.analysis import attacks, claims, expansion
from helpers.analysis._common import per_capita
from helpers.data import catalog
from helpers.data.reference import gazetteer
from helpers.views import cells as nb
from helpers.views import charts, maps, widgets
from helpers.views.banner import data_banner, notice, report_scope, stands_on

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
t = catalog.tables("claims")
outlines = catalog.outlines(boundaries_path)  # the shipped outlines unless a file is given
population = catalog.population()
display(report_scope(sel.synthetic,
                     real_parts=["province outlines (geoBoundaries)",
                                 "population (NSIA / OCHA COD-PS 2021-22)"],
                     synthetic_parts=["every count, distance, share and map point"]))
display(data_banner(events, sel.filters))
provinces_table = gazetteer.provinces()
resistance = attacks.by_side(events, "resistance")

# %% [markdown]
# ## Provinces with resistance activity

# %% tags=["fig-spread"]
display(stands_on(sel.synthetic, sel.source))
spread = expansion.provinces_per_period(events, "resistance", "Q", sel.start, sel.end)
claimed = claims.claim_for(t["claims"], "resistance_provinces")
reached = expansion.reach(spread)
if nb.has_rows(resistance, sel.filters, side="resistance"):
    display(nb.reach_finding(reached, claimed, sel.synthetic, headline=True))
    nb.show(charts.lines(expansion.spread_series(spread), "period", "provinces", hue="measure",
                         title="Provinces with resistance operations, by quarter",
                         xlabel="Quarter", ylabel="Provinces",
                         reference=None if sel.synthetic else (
                             claimed["quantity"], f"brief: about {claimed['quantity']:.0f}"),
                         source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ### Onset: first resistance activity per province
#
# The first activity of each province over all the event data, whatever the dates chosen:
# a narrower window never makes a province look newly reached.

# %% tags=["table-onset"]
display(stands_on(sel.synthetic, sel.source))
onset = expansion.onset_table(sel.history, "resistance", provinces_table)
if nb.has_rows(onset, sel.filters, side="resistance"):
    display(nb.finding(
        "The first province with resistance activity was **{first}** ({d1}); the most recent "
        "to be reached was **{last}** ({d2}).", first=onset["province"].iloc[0],
        d1=onset["first_event"].iloc[0], last=onset["province"].iloc[-1],
        d2=onset["first_event"].iloc[-1]))
    nb.show(onset, {"order": "Reached", "province": None, "region": None,
                    "first_event": None, "last_event": None, "events": "Events (all dates)"})

# %% [markdown]
# ## Distance from the Panjshir valley
#
# Great-circle distance of each located resistance operation from Bazarak, Panjshir's
# provincial centre; median and inter-quartile range per quarter. The *core* is Panjshir
# province and the Andarab valley districts of Baghlan, where the brief says operations
# began.

# %% tags=["fig-distance"]
display(stands_on(sel.synthetic, sel.source))
reference = expansion.reference_point(provinces_table)
distances = expansion.distance_from_core(events, reference, "resistance", "Q", sel.start, sel.end)
summary = expansion.spread_summary(distances)
if nb.has_rows(resistance, sel.filters, side="resistance"):
    display(nb.finding(
        "The median distance from Panjshir went from **{d1:.0f} km** ({p1:%Y-%m}) to "
        "**{d2:.0f} km** ({p2:%Y-%m}); {share:.0f}% of {n:,} resistance operations were "
        "outside the Panjshir/Andarab core.", d1=summary["first_median_km"],
        p1=summary["first_period"], d2=summary["last_median_km"], p2=summary["last_period"],
        share=summary["share_outside_core"] * 100, n=summary["events"]))
    nb.show(charts.band(distances, "period", "median_km", "q1_km", "q3_km",
                        title="Distance of resistance operations from Panjshir, by quarter",
                        xlabel="Quarter", ylabel="Distance from Panjshir (km)",
                        source=sel.source, synthetic=sel.synthetic))
    nb.show(charts.lines(distances, "period", "share_outside_core", percent=True,
                         title="Share of resistance operations outside Panjshir/Andarab",
                         xlabel="Quarter", ylabel="Share of operations",
                         source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## By region

# %% tags=["fig-regions"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(resistance, sel.filters, side="resistance"):
    regions = expansion.by_region(events, provinces_table, "resistance", "Q", sel.start,
                                  sel.end)
    totals = expansion.region_totals(events, provinces_table, "resistance", sel.start, sel.end)
    display(nb.finding("Regions with the most resistance operations: {leaders}.",
                       leaders=nb.ranked(totals, "region")))
    nb.show(charts.share_area(regions, "period", "region",
                              title="Resistance operations by region, share per quarter",
                              ylabel="Share of operations (%)", source=sel.source,
                              synthetic=sel.synthetic))
    nb.show(totals, ["region", "events", "share"], fraction=["share"])

# %% [markdown]
# ## Maps
#
# Every map draws its data over the province outlines (hover a province for its name),
# without a background map, so it opens offline.

# %% [markdown] tags=["notebook-only"]
# In JupyterLab, set `map_tiles = "OpenStreetMap"` in the parameters when online for a
# background map.

# %% [markdown]
# ### Spread over time
#
# Resistance operations appear month by month on the slider and stay visible for three
# months.

# %% tags=["map-timeline"]
display(stands_on(sel.synthetic, sel.source))
if len(resistance):
    display(nb.finding("The slider steps month by month from **{first:%B %Y}** to "
                       "**{last:%B %Y}**; each operation stays on the map for three months.",
                       first=resistance["event_date"].min(),
                       last=resistance["event_date"].max()))
nb.show(maps.timeline_map(resistance, tiles=map_tiles, outlines=outlines))

# %% [markdown]
# ### Provinces: activity and onset
#
# Circle area is proportional to the number of resistance operations in the selected dates;
# colour gives the year of first activity over all the data.

# %% tags=["map-provinces"]
display(stands_on(sel.synthetic, sel.source))
aggregates = expansion.province_aggregates(sel.history, provinces_table, "resistance",
                                           sel.start, sel.end)
display(nb.finding("{active} of {all} provinces saw resistance operations in the selection.",
                   active=(aggregates["events"] > 0).sum(), all=len(aggregates)))
nb.show(maps.province_circles(aggregates, tiles=map_tiles, synthetic=sel.synthetic,
                              outlines=outlines))

# %% [markdown]
# ### All events in the selection
#
# Coloured by acting side; above 1,000 events the map clusters points.

# %% tags=["map-events"]
display(stands_on(sel.synthetic, sel.source))
nb.show(maps.events_map(events, tiles=map_tiles, outlines=outlines))

# %% [markdown]
# ### Operations per 100,000 people
#
# Resistance operations in each province per 100,000 residents (NSIA / OCHA population
# estimates for 2021-22), shaded on the province outlines.

# %% tags=["map-choropleth"]
display(stands_on(sel.synthetic, f"{sel.source}; population: NSIA / OCHA COD-PS (real)"))
rates = per_capita(aggregates, population, value="events")
if nb.has_rows(resistance, sel.filters, side="resistance"):
    busiest = rates.sort_values("per_100k", ascending=False).iloc[0]
    display(nb.finding("Per head, **{name}** has the most resistance operations: {rate:.1f} "
                       "per 100,000 people ({n:,} operations, {pop:,.0f} people).",
                       name=busiest["province"], rate=busiest["per_100k"],
                       n=busiest["events"], pop=busiest["population"]))
if outlines.corrected:
    display(notice(f"The boundaries file labels {len(outlines.corrected)} province(s) with a "
                   f"wrong code or name ({', '.join(outlines.corrected)}); each was placed by "
                   "its shape instead."))
nb.show(maps.province_choropleth(rates, outlines, value="per_100k", tiles=map_tiles,
                                 synthetic=sel.synthetic,
                                 label="Resistance operations per 100,000 people"))
nb.show(rates.sort_values("per_100k", ascending=False),
        ["province", "events", "population", "per_100k", "first_event"])

# %% [markdown] tags=["notebook-only"]
# ## Explore
#
# Date range, period length and metric redraw the province map and the table of provinces
# active per period. The explorer works on every event the source holds; its controls
# narrow the view without editing code.

# %% tags=["explorer", "notebook-only"]
nb.explore(interactive, lambda: widgets.expansion_explorer(sel.all_events, provinces_table,
                                                           tiles=map_tiles))

# %% [markdown]
# ## Sources
#
# Every file this report read, with its publisher, licence, date and checksum.

# %% tags=["sources"]
display(nb.sources(sel, ["claims"], extra=[catalog.open_path("population"),
                                          boundaries_path or catalog.open_path("outlines")]))
