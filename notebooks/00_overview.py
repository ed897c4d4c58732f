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
# # Overview: the armed opposition to the Taliban since August 2021
#
# How much activity do the loaded data hold, where, and by whom? What does each theme's
# headline chart show, which dated events frame them, and which of the analysis brief's
# claims do these data support?
#
# Theme reports: [attacks](01_attacks.html) · [geographic expansion](02_expansion.html) ·
# [external support](03_external_support.html) · [humanitarian crisis](04_humanitarian.html)
# (in JupyterLab, open the notebooks of the same names).

# %% tags=["parameters"]
# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled" or "ucdp" (files in data/raw/), or a file/folder path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views

# %% tags=["banner"]
from IPython.display import display

from helpers.analysis import attacks, claims, expansion, external, humanitarian
from helpers.data import catalog
from helpers.views import cells as nb
from helpers.views import charts
from helpers.views.banner import data_banner, notice

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
display(data_banner(events, sel.filters))
t = catalog.tables("claims", "key_events", "relations", "humanitarian_indicators")

# %% [markdown]
# ## Key figures

# %% tags=["table-key-figures"]
if nb.has_rows(events, sel.filters):
    kf = attacks.key_figures(events)
    display(nb.finding(
        "The selection holds **{events:,}** events from {first_date} to {last_date}. "
        "**{operations:,}** of them are resistance operations (the resistance as acting side) "
        "in **{provinces}** provinces, with {fatalities:,} reported fatalities; "
        "{urban:.0f}% of those with a known location were in or near a city.",
        urban=kf["urban_share"] * 100, **{k: v for k, v in kf.items() if k != "urban_share"}))
    display(attacks.category_totals(events, "side1", side=None))

# %% [markdown]
# ## Attacks: is the resistance's tempo rising?

# %% tags=["fig-attacks"]
esc = attacks.escalation(events, "resistance", sel.start, sel.end)
display(nb.finding("{summary}", summary=esc.summary))
nb.show(charts.trend(esc.series, title="Resistance operations per month, with a count-model fit",
                     summary=esc.summary, source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## Expansion: in how many provinces is the resistance active?

# %% tags=["fig-expansion"]
spread = expansion.provinces_per_period(events, "resistance", "Q", sel.start, sel.end)
claimed = claims.claim_for(t["claims"], "resistance_provinces")
if nb.has_rows(spread[spread["events"] > 0], sel.filters, side="resistance"):
    display(nb.finding(
        "Resistance operations reached **{total}** provinces in all; the most in one quarter "
        "was {peak}. The analysis brief's figure is about {claimed:.0f} (attributed to: {who}).",
        total=spread["cumulative_provinces"].iloc[-1], peak=spread["provinces"].max(),
        who=claimed["speaker"], claimed=claimed["quantity"]))
nb.show(charts.lines(expansion.spread_series(spread), "period", "provinces", hue="measure",
                     title="Provinces with resistance operations, by quarter",
                     xlabel="Quarter", ylabel="Provinces",
                     reference=(claimed["quantity"], f"claimed: about {claimed['quantity']:.0f}"),
                     source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## External support: who engages whom
#
# From the curated, cited relations table (not from the event data).

# %% tags=["fig-external"]
rel = t["relations"]
display(nb.finding("The relations table records **{n}** relations among **{actors}** actors.",
                   n=len(rel), actors=len(external.actor_summary(rel))))
nb.show(charts.network(external.relations_graph(rel), title="Relations between actors",
                       source="data/curated/relations.csv (cited per row)"))

# %% [markdown]
# ## Humanitarian crisis: people in need
#
# From the curated, cited indicators (not from the event data).

# %% tags=["fig-humanitarian"]
pin = humanitarian.latest_estimates(humanitarian.national_series(
    catalog.indicators(), ["people_in_need", "people_targeted"]))
latest = pin.loc[pin["indicator"] == "people_in_need"].iloc[-1]
display(nb.finding("The latest people-in-need figure is **{value:,.0f}** for {year:d} ({source}).",
                   value=latest["value"], year=latest["period_start"].year,
                   source=latest["source"]))
nb.show(charts.lines(pin, "period_start", "value", hue="indicator",
                     title="People in need and targeted for aid, Afghanistan",
                     xlabel="Plan year", ylabel="People",
                     source="data/curated/humanitarian_indicators.csv "
                            "(OCHA and others, cited per row)"))

# %% [markdown]
# ## Timeline of key events
#
# Dated events named in the analysis brief, each with its source
# (`data/curated/key_events.csv`).

# %% tags=["fig-timeline"]
timeline = external.milestones(key_events=t["key_events"], themes=None, start="2021-01-01")
nb.show(charts.timeline(timeline, title="Key events since 2021",
                        source="data/curated/key_events.csv (cited per row)"))
display(timeline[["date", "kind", "description", "source"]])

# %% [markdown]
# ## Claims ledger
#
# Every claim in `claims.csv`, with its machine check evaluated on the whole loaded source
# (the province and side filters do not apply here: the claims are about the whole
# country). A claim whose period the data do not cover is marked *insufficient data*; one
# without a check is *not checkable with these data*.

# %% tags=["table-claims"]
ledger = claims.evaluate_claims(t["claims"], sel.all_events)
counts = claims.status_counts(ledger).set_index("status")["claims"]
display(nb.finding(
    "**{n}** claims — supported by these data: {supported}; not supported: {unsupported}; "
    "insufficient data: {insufficient}; not checkable with event data: {uncheckable}.",
    n=len(ledger), supported=counts[claims.SUPPORTED], unsupported=counts[claims.NOT_SUPPORTED],
    insufficient=counts[claims.INSUFFICIENT], uncheckable=counts[claims.NOT_CHECKABLE]))
if sel.synthetic:
    display(notice("These checks ran on the synthetic demo data: a 'supported' here only "
                   "shows that the check works, not that the claim is true."))
display(ledger[["id", "theme", "statement", "speaker", "said_when", "check", "computed",
                "status", "detail"]])

# %% [markdown]
# ## Sources
#
# Every file this notebook read, from the provenance records (`data/curated/sources.yml`).

# %% tags=["sources"]
display(nb.sources(sel, ["claims", "key_events", "relations", "humanitarian_indicators"]))
