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
# What do the best open data say about the armed resistance, the outside powers around it
# and the humanitarian crisis, and which of the analysis brief's claims do they support?
#
# Theme reports: [attacks](01_attacks.html) · [geographic expansion](02_expansion.html) ·
# [external support](03_external_support.html) · [humanitarian crisis](04_humanitarian.html).

# %% tags=["parameters"]
# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled"/"ucdp" (newest fetched snapshot or data/raw/), or a path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views

# %% tags=["banner"]
from IPython.display import display

from helpers.analysis import attacks, claims, expansion, external, humanitarian
from helpers.data import catalog, curated
from helpers.views import cells as nb
from helpers.views import charts, tables
from helpers.views.banner import data_banner, notice, report_scope, stands_on

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
t = catalog.tables("claims", "key_events", "relations", "humanitarian_indicators")
evidence = catalog.evidence(sel.all_events)
ledger = claims.evaluate_claims(t["claims"], evidence)
display(report_scope(sel.synthetic,
                     real_parts=[f"UCDP battle deaths to {evidence.battle_deaths['year'].max()}, "
                                 "OCHA HNO 2024 and FTS appeals, UNHCR returns, FARA "
                                 "registrations, COD-PS population (key figures)",
                                 f"relations table, {curated.sourcing(t['relations'])}",
                                 "the claims ledger"],
                     synthetic_parts=["the event-level charts (attacks, expansion)"]))
display(data_banner(events, sel.filters))

# %% [markdown]
# ## Key figures
#
# Each figure is computed from a shipped, cited dataset; its source and year stand beside it.

# %% tags=["table-key-figures"]
display(stands_on(False, "UCDP, OCHA, UNHCR, US DOJ FARA, NSIA / OCHA COD-PS (real)"))
deaths = attacks.battle_deaths_by_opponent(evidence.battle_deaths)
nrf = attacks.dyad_change(deaths, "National Resistance Front")
active = attacks.active_opponents(evidence.conflicts)
money = humanitarian.funding_by_year(evidence.funding)
plan = money[money["year"] == 2024].iloc[0]
national_pin = evidence.people_in_need.query("geography == 'national' and category == 'total'")
returns = humanitarian.returns_by_year(evidence.returnees)
fara = external.registrations_table(evidence.registrations)
figures = [
    ("Battle deaths, Taliban-led state vs NRF, peak year",
     f"{nrf['peak']:,} ({nrf['peak_year']})", f"UCDP BRD {deaths['version'].iloc[0]}"),
    ("Battle deaths, Taliban-led state vs NRF, latest year",
     f"{nrf['last']:,} ({nrf['last_year']})", f"UCDP BRD {deaths['version'].iloc[0]}"),
    ("Armed resistance groups UCDP lists as active, latest year",
     ", ".join(active.loc[(active["year"] == active["year"].max())
                          & active["opponent"].isin(attacks.OPPONENTS[:2]), "opponent"])
     + f" ({int(active['year'].max())})", "UCDP/PRIO ACD 25.1"),
    ("People in need", f"{national_pin['value'].iloc[0]:,.0f} (2024)",
     "OCHA HNO 2024 PiN workbook"),
    ("Humanitarian appeal funded", f"{plan['coverage_pct']:.0f}% of "
     f"US${plan['requirements_usd'] / 1e9:.2f} billion (2024)", "OCHA FTS via HDX HAPI"),
    ("Displaced people who returned home, peak year", f"{returns['returned_idps'].max():,.0f} "
     f"({int(returns.loc[returns['returned_idps'].idxmax(), 'year'])})", "UNHCR via HDX HAPI"),
    ("FARA registrations for the resistance", f"{len(fara)} (from "
     f"{fara['registered'].min():%Y-%m})", "US DOJ FARA bulk data"),
    ("Population", f"{catalog.population()['value'].sum():,.0f} (2021-22 estimate)",
     "NSIA / OCHA COD-PS"),
]
display(nb.headline(
    "UCDP's battle deaths in the Taliban-led state's fighting with the NRF peaked at "
    "**{peak:,}** in {peak_year:d} and fell to **{last:,}** in {last_year:d}; OCHA counted "
    "**{pin:,.0f}** people in need in 2024, when the appeal was {cov:.0f}% funded.",
    peak=nrf["peak"], peak_year=nrf["peak_year"], last=nrf["last"],
    last_year=nrf["last_year"], pin=national_pin["value"].iloc[0], cov=plan["coverage_pct"]))
nb.show(nb.table(figures, ["Figure", "Value (year)", "Source"]))

# %% [markdown]
# ## Attacks: battle deaths since 2021

# %% tags=["fig-attacks"]
display(stands_on(False, "UCDP Battle-Related Deaths (real)"))
nb.show(charts.yearly_ranges(
    deaths, "year", "bd_best", "bd_low", "bd_high", "opponent",
    title=(f"Battle deaths in the Taliban-NRF fighting: {nrf['peak']:,} in {nrf['peak_year']}, "
           f"{nrf['last']:,} in {nrf['last_year']}"),
    subtitle="Battle-related deaths per year, best estimate with low-high range",
    ylabel="Battle-related deaths",
    years=list(range(2021, int(evidence.battle_deaths["year"].max()) + 1)),
    source=f"UCDP Battle-Related Deaths Dataset {deaths['version'].iloc[0]} (CC BY 4.0)"))

# %% [markdown]
# ## Expansion: in how many provinces is the resistance active?

# %% tags=["fig-expansion"]
display(stands_on(sel.synthetic, sel.source))
spread = expansion.provinces_per_period(events, "resistance", "Q", sel.start, sel.end)
claimed = claims.claim_for(t["claims"], "resistance_provinces")
reached = expansion.reach(spread)
if nb.has_rows(spread[spread["events"] > 0], sel.filters, side="resistance"):
    display(nb.reach_finding(reached, claimed, sel.synthetic, headline=False))
    nb.show(charts.lines(expansion.spread_series(spread), "period", "provinces", hue="measure",
                         title="Provinces with resistance events, by quarter",
                         xlabel="Quarter", ylabel="Provinces",
                         reference=None if sel.synthetic else (
                             claimed["quantity"], f"brief: about {claimed['quantity']:.0f}"),
                         source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## External support: who engages whom
#
# From the curated, cited relations table.

# %% tags=["fig-external"]
display(stands_on(False, f"relations table, {curated.sourcing(t['relations'])}"))
rel = t["relations"]
display(nb.finding("The relations table records **{n}** relations among **{actors}** actors.",
                   n=len(rel), actors=len(external.actor_summary(rel))))
nb.show(charts.network(external.relations_graph(rel), title="Relations between actors",
                       source="curated relations table (cited per row)"))

# %% [markdown]
# ## Humanitarian crisis: appeals and funding

# %% tags=["fig-humanitarian"]
display(stands_on(False, "OCHA Financial Tracking Service via HDX HAPI (real)"))
recent = money[money["year"].between(2015, 2025)].assign(
    label=lambda f: f["coverage_pct"].map(lambda v: f"{v:.0f}%"))
nb.show(charts.yearly_bars(
    recent, "year", {"requirements_usd": "Requirements", "funding_usd": "Funding received"},
    labels="label", colors={"Requirements": "#999999", "Funding received": "#0072B2"},
    title=f"The 2024 appeal was {plan['coverage_pct']:.0f}% funded",
    subtitle="Humanitarian response plan and flash appeals, US dollars per plan year; "
             "label: share funded (the latest year is in progress)",
    ylabel="US dollars", source="OCHA Financial Tracking Service via HDX HAPI (CC BY-IGO 3.0)"))

# %% [markdown]
# ## Timeline of key events
#
# Dated events named in the analysis brief and by other sources, each with its source.

# %% tags=["fig-timeline"]
display(stands_on(False, f"key events table, {curated.sourcing(t['key_events'])}"))
timeline = external.milestones(key_events=t["key_events"], themes=None, start="2021-01-01")
nb.show(charts.timeline(timeline, title="Key events since 2021",
                        source="curated key events (cited per row)"))
nb.show(timeline, ["date", "kind", "description", "source"], links={"source": "source_url"})

# %% [markdown]
# ## Claims ledger
#
# Every claim of the analysis brief, in plain words, with who made it, the verdict the best
# loaded evidence gives and why, what was computed and from which rows. A claim no shipped
# dataset can test says what would. The claims are about the whole country: the province and
# side filters do not apply here.

# %% tags=["table-claims"]
display(stands_on(False, "all shipped datasets; the loaded events only where a claim "
                         "counts events (real verdicts never rest on the synthetic set)"))
counts = claims.verdict_counts(ledger).set_index("verdict")["claims"]
display(nb.headline(
    "**{n}** claims: **{supported}** supported, **{contradicted}** contradicted, **{partly}** "
    "partly supported and {untestable} not testable with these data.", n=len(ledger),
    supported=counts[claims.SUPPORTED], contradicted=counts[claims.CONTRADICTED],
    partly=counts[claims.PARTLY], untestable=counts[claims.UNTESTABLE]))
if sel.synthetic:
    display(notice("The event-count claims were run on the synthetic demo events only to show "
                   "that the checks work: they stay 'not testable' until ACLED or UCDP GED "
                   "events are loaded."))
nb.show(tables.ledger(ledger))

# %% [markdown]
# ## Sources
#
# Every file this report read, with its publisher, licence, date and checksum.

# %% tags=["sources"]
display(nb.sources(sel, ["claims", "key_events", "relations", "humanitarian_indicators"],
                   extra=[catalog.open_path(n) for n in catalog.OPEN_FILES]))
