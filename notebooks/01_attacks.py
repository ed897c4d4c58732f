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
# # Attacks: tempo, targets and places of the armed opposition
#
# - How many people die each year in the fighting between the Taliban-led state and the
#   resistance, and is that fighting growing more intense, as the analysis brief says?
# - Which groups does UCDP list as active against the Taliban-led state each year?
# - How many operations does each side carry out per month, and of what kind?
# - Whom do resistance operations target — officials, military, infrastructure, civilians?
# - Do they shift toward cities, as the analysis brief says?
# - Where are they concentrated, and how do the brief's named incidents sit on the timeline?
# - Is the monthly count of resistance operations rising (the brief's "increasing intensity")?
# - Do the brief's attack claims (for example "over 200 operations from January to August
#   2024") hold on these data?

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

from helpers.analysis import attacks, claims
from helpers.data import catalog
from helpers.data.reference import gazetteer
from helpers.views import cells as nb
from helpers.views import charts, tables, widgets
from helpers.views.banner import data_banner, report_scope, stands_on

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
t = catalog.tables("claims", "key_events")
brd = catalog.battle_deaths()
acd = catalog.conflicts()
ledger = claims.evaluate_claims(t["claims"], catalog.evidence(sel.all_events))
UCDP = (f"UCDP Battle-Related Deaths {brd['version'].iloc[0]} ({brd['year'].min()}–"
        f"{brd['year'].max()}) and UCDP/PRIO Armed Conflict Dataset {acd['version'].iloc[0]} "
        f"({acd['year'].min()}–{acd['year'].max()}), Afghanistan")
display(report_scope(sel.synthetic, real_parts=[UCDP, "the brief's dated incidents (curated)"],
                     synthetic_parts=["events per month, types, fatalities, targets, urban "
                                      "share, places, the event-count escalation test"]))
display(data_banner(events, sel.filters))
resistance = attacks.by_side(events, "resistance")
incidents = attacks.notable_incidents(t["key_events"], sel.start, sel.end, ["attacks"])

# %% [markdown]
# ## Battle-related deaths since 2021
#
# UCDP counts battle-related deaths for each pair of warring parties per year: a best
# estimate with a low-high range. A year without a point means UCDP recorded fewer than 25
# deaths in that pair, or none. In 2021 "Government of Afghanistan" was the Republic until
# 15 August and the Taliban-led state after: the NRF fought only the latter, Islamic State
# fought both.

# %% tags=["fig-battle-deaths"]
display(stands_on(False, UCDP))
deaths = attacks.battle_deaths_by_opponent(brd)
nrf = attacks.dyad_change(deaths, "National Resistance Front")
display(nb.headline(
    "UCDP counts **{peak:,}** battle deaths in the Taliban-led state's fighting with the NRF "
    "in {peak_year:d} and **{last:,}** in {last_year:d}, {change}. "
    "{words}. Release {version} ends in {end:d}.",
    peak=nrf["peak"], peak_year=nrf["peak_year"], last=nrf["last"],
    last_year=nrf["last_year"], change=nb.change_words(nrf["change_pct"], "the peak"),
    words=claims.battle_deaths_words(brd, "Afghanistan Freedom Front", since=2021),
    version=brd["version"].iloc[0], end=int(brd["year"].max())))
nb.show(charts.yearly_ranges(
    deaths, "year", "bd_best", "bd_low", "bd_high", "opponent",
    title=(f"Battle deaths in the Taliban-NRF fighting: {nrf['peak']:,} in {nrf['peak_year']}, "
           f"{nrf['last']:,} in {nrf['last_year']}"),
    subtitle="Battle-related deaths per year, best estimate with low-high range, Afghan "
             "government against each group",
    ylabel="Battle-related deaths", years=list(range(2021, int(brd["year"].max()) + 1)),
    source=f"UCDP Battle-Related Deaths Dataset {brd['version'].iloc[0]} (CC BY 4.0)"))

# %% [markdown]
# ## Who is fighting the Taliban-led state?
#
# The UCDP/PRIO Armed Conflict Dataset lists, for each year, every group active in an armed
# conflict with the Afghan government. Intensity is the conflict's, all its opponents
# together: in 2021 the war level comes from the Taliban's war on the Republic.

# %% tags=["table-active"]
display(stands_on(False, UCDP))
active = attacks.active_opponents(acd, since=2021)
later = active[active["government"].eq("taliban") & active["year"].gt(2021)]
newest = later[later["year"].eq(later["year"].max())]
display(nb.headline(
    "From 2022 to {last:d}, UCDP/PRIO lists {groups} as active against the Taliban-led "
    "state; in {last:d}: {latest}, at conflict intensity {intensity}.",
    last=int(later["year"].max()), groups=sorted(later["opponent"].unique()),
    latest=sorted(newest["opponent"].unique()),
    intensity=sorted(newest["conflict_intensity"].unique())))
nb.show(active, ["year", "opponent", "government", "conflict_intensity"])

# %% [markdown]
# ## Is the fighting growing more intense?
#
# The brief's claim of "increasing intensity", checked in the claims ledger on UCDP's
# counts (the same verdicts as in the overview).

# %% tags=["table-escalation-claim"]
display(stands_on(False, UCDP))
nb.show(tables.ledger(claims.ledger_rows(ledger, "C36", "C37")))

# %% [markdown]
# ## Operations per month by side
#
# Bars stack the events of each acting side; the black line is the 3-month rolling mean of
# all events. On real event data, numbered dashed lines mark the brief's dated attack
# incidents (never on the synthetic set: real incidents are not drawn over invented counts).

# %% tags=["fig-monthly-side"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(events, sel.filters):
    monthly = attacks.monthly_operations(events, "side1", sel.start, sel.end)
    total = attacks.monthly_total(events, sel.start, sel.end)
    busiest = total.loc[total["events"].idxmax()]
    display(nb.finding(
        "The selection holds **{n:,}** events over {months} months; the busiest month was "
        "**{month:%B %Y}** with {peak:,} events.",
        n=len(events), months=len(total), month=busiest["month"], peak=busiest["events"]))
    fig = charts.stacked_bars(monthly, "month", "side1", "events",
                              title="Events per month by acting side",
                              ylabel="Events per month", line=total,
                              source=sel.source, synthetic=sel.synthetic)
    if not sel.synthetic:
        charts.add_incidents(fig.axes[0], incidents)
    nb.show(fig)

# %% [markdown]
# ## Resistance operations by type

# %% tags=["fig-monthly-type"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(resistance, sel.filters, side="resistance"):
    mix = attacks.category_totals(events, "sub_event_type", "resistance", sel.start, sel.end)
    display(nb.finding("The most common resistance operations of {n:,}: {leaders}.",
                       n=len(resistance), leaders=nb.ranked(mix, "sub_event_type")))
    nb.show(charts.stacked_bars(
        attacks.monthly_operations(resistance, "sub_event_type", sel.start, sel.end),
        "month", "sub_event_type", "events", title="Resistance operations per month by type",
        ylabel="Operations per month",
        line=attacks.monthly_total(resistance, sel.start, sel.end),
        line_label="3-month rolling mean (resistance)", source=sel.source,
        synthetic=sel.synthetic))
    nb.show(mix, ["sub_event_type", "events", "share", "fatalities"], fraction=["share"])

# %% [markdown]
# ## Fatalities per month by side
#
# Reported fatalities in each side's events (as the source codes them; ACLED and UCDP count
# differently).

# %% tags=["fig-fatalities"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(events, sel.filters):
    by_side = attacks.category_totals(events, "side1", side=None)
    display(nb.finding(
        "The selection's events report **{total:,}** fatalities; {res:,} in resistance "
        "operations.", total=by_side["fatalities"].sum(),
        res=by_side.loc[by_side["side1"] == "resistance", "fatalities"].sum()))
    nb.show(charts.stacked_bars(attacks.monthly_fatalities(events, "side1", sel.start, sel.end),
                                "month", "side1", "fatalities",
                                title="Reported fatalities per month by acting side",
                                ylabel="Fatalities per month", source=sel.source,
                                synthetic=sel.synthetic))

# %% [markdown]
# ## Targets of resistance operations
#
# Target categories come from the opponent's side, the sub-event type and documented
# keyword rules on the event notes.

# %% tags=["fig-targets"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(resistance, sel.filters, side="resistance"):
    targets = attacks.category_totals(events, "target", "resistance", sel.start, sel.end)
    share = targets.set_index("target")["share"] * 100
    display(nb.finding(
        "Of resistance operations, {military:.0f}% hit military targets, {official:.0f}% "
        "officials, {infra:.0f}% infrastructure and {civ:.0f}% civilians.",
        military=share["military"], official=share["official"],
        infra=share["infrastructure"], civ=share["civilian"]))
    nb.show(charts.share_area(
        attacks.target_shares(events, "Q", "resistance", sel.start, sel.end), "period", "target",
        title="Targets of resistance operations, share per quarter",
        ylabel="Share of operations (%)", source=sel.source, synthetic=sel.synthetic))
    nb.show(targets, ["target", "events", "share", "fatalities"], fraction=["share"])

# %% [markdown]
# ## Urban or rural?
#
# An event counts as urban when it lies close to a large city of the GeoNames city list
# (the distance and size are stated with the finding). The trend test is a logistic
# regression of the urban flag on time.

# %% tags=["fig-urban"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(resistance, sel.filters, side="resistance"):
    trend = attacks.urban_trend(events, "resistance", sel.start, sel.end)
    display(nb.finding(
        "Counting as urban the operations within {km:.0f} km of a city of {pop:,} people or "
        "more: {first:.0f}% of resistance operations were urban in the first half of the "
        "period and {second:.0f}% in the second half; {summary}. The claims ledger below "
        "judges the brief's claim of a shift toward cities (C07).",
        km=gazetteer.URBAN_RADIUS_KM, pop=gazetteer.URBAN_MIN_POPULATION,
        first=trend.details.get("share_first", float("nan")) * 100,
        second=trend.details.get("share_second", float("nan")) * 100,
        summary=trend.summary.rstrip(".")))
    nb.show(charts.lines(attacks.urban_share(events, "Q", "resistance", sel.start, sel.end),
                         "period", "urban_share", percent=True,
                         title="Share of resistance operations in urban places, by quarter",
                         xlabel="Quarter", ylabel="Share of operations",
                         source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## Where: top provinces and districts

# %% tags=["fig-places"]
display(stands_on(sel.synthetic, sel.source))
if nb.has_rows(resistance, sel.filters, side="resistance"):
    top = attacks.top_places(events, "province", 10, "resistance")
    display(nb.finding("Provinces with the most resistance operations: {leaders}.",
                       leaders=nb.ranked(top, "province", n=3)))
    nb.show(charts.ranking(top, "province", "events",
                           title="Provinces with the most resistance operations",
                           xlabel="Operations", source=sel.source, synthetic=sel.synthetic))
    nb.show(attacks.top_places(events, "district", 10, "resistance"),
            ["district", "province", "events", "share", "fatalities"], fraction=["share"],
            caption="Districts with the most resistance operations")

# %% [markdown]
# ## Notable incidents
#
# The brief's dated attack incidents (curated, cited) inside the selected dates; on real
# event data they are numbered on the monthly chart above.

# %% tags=["table-incidents"]
display(nb.finding("{n} curated incident(s) fall inside the selected dates.", n=len(incidents)))
nb.show(incidents, ["event_date", "province", "actors", "description", "source"],
        links={"source": "source_url"})

# %% [markdown]
# ## Event tempo: a count model of monthly operations
#
# A count regression of monthly resistance events on time (Poisson, or negative binomial
# when the counts are overdispersed), with days observed as exposure. The yearly
# incidence-rate ratio (IRR) is the factor by which the monthly count changes per year.
# On real event data this tests the tempo of operations; the verdict on the brief's
# "increasing intensity" stays the ledger's (above), which reads UCDP's battle deaths.

# %% tags=["fig-escalation"]
display(stands_on(sel.synthetic, sel.source))
esc = attacks.escalation(events, "resistance", sel.start, sel.end)
display(nb.finding("Over {months} months of resistance operations: {summary}.",
                   months=esc.n, summary=esc.summary.rstrip(".")))
nb.show(charts.trend(esc.series, title="Resistance operations per month and model fit",
                     summary=esc.summary[:1].upper() + esc.summary[1:],
                     source=sel.source, synthetic=sel.synthetic))

# %% [markdown]
# ## The brief's attack claims, checked
#
# The attack claims of the claims ledger (the same evaluation as the overview's), each on
# the best evidence loaded. The brief counts operations the NRF itself calls successful;
# recorded events are a different quantity.

# %% tags=["table-claims"]
checked = ledger[ledger["theme"] == "attacks"]
counts = checked["verdict"].value_counts()
display(nb.finding("**{n}** attack claims: {ok} supported, {no} contradicted, {part} partly "
                   "supported, {na} not testable with these data.", n=len(checked),
                   ok=counts.get(claims.SUPPORTED, 0), no=counts.get(claims.CONTRADICTED, 0),
                   part=counts.get(claims.PARTLY, 0), na=counts.get(claims.UNTESTABLE, 0)))
nb.show(tables.ledger(checked))

# %% [markdown] tags=["notebook-only"]
# ## Explore
#
# Date range, provinces, sides and sub-event types redraw the monthly chart and the table of
# top provinces. The explorer works on every event the source holds; its controls narrow the
# view without editing code.

# %% tags=["explorer", "notebook-only"]
nb.explore(interactive, lambda: widgets.attacks_explorer(sel.all_events, source=sel.source))

# %% [markdown]
# ## Sources
#
# Every file this report read, with its publisher, licence, date and checksum.

# %% tags=["sources"]
display(nb.sources(sel, ["claims", "key_events"]))
