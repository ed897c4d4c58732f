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
# # Humanitarian crisis: needs, funding, returns and where the needs are
#
# - How much do Afghanistan's humanitarian appeals ask for each year, and how much of it is
#   funded?
# - How many people need humanitarian assistance, year by year, and how many are targeted?
# - Where are the people in need, as a share of each province's population?
# - How many refugees and displaced people have returned?
# - What do the brief's undated figures (malnutrition, poverty, China's aid) rest on?
#
# The funding, people-in-need, population and returns figures are OCHA, UNHCR and NSIA data
# shipped with the workbook; the national series come from the curated, cited table.

# %% [markdown] tags=["notebook-only"]
# Set `indicator_source` in the parameters to HDX HAPI or FTS files (or a folder of them)
# to use those for the national series instead.

# %% tags=["parameters"]
# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled"/"ucdp" (newest fetched snapshot or data/raw/), or a path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views
indicator_source = "curated"  # "curated", "hdx" (newest fetched snapshot), or file(s) / a folder
map_tiles = None  # e.g. "OpenStreetMap" when online

# %% tags=["banner"]
from IPython.display import display

from helpers.analysis import claims, humanitarian
from helpers.data import catalog
from helpers.data.reference import gazetteer
from helpers.views import cells as nb
from helpers.views import charts, maps, tables, widgets
from helpers.views.banner import data_banner, notice, report_scope, stands_on

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
t = catalog.tables("claims", "humanitarian_indicators")
indicators = catalog.indicators(indicator_source)
catalog.record_indicator_inputs(indicators)
money_source = catalog.funding_for(indicators)  # loaded FTS files, else the shipped snapshot
pin = catalog.people_in_need()
population = catalog.population()
returns = humanitarian.returns_by_year(catalog.returnees())
outlines = catalog.outlines(boundaries_path)  # the shipped outlines unless a file is given
provinces_table = gazetteer.provinces()
names = dict(zip(provinces_table["iso_code"], provinces_table["name"], strict=True))
ledger = claims.evaluate_claims(t["claims"], catalog.evidence(sel.all_events))
FTS = money_source.source
HNO = f"OCHA Humanitarian Needs Overview {pin['period_start'].dt.year.iloc[0]} workbook (real)"
POP = "NSIA / OCHA COD-PS population 2021-22 estimates (real)"
display(report_scope(sel.synthetic, real_parts=[FTS, HNO, POP, "UNHCR returns via HDX HAPI",
                                                "curated OCHA figures"],
                     synthetic_parts=[]))  # the one event section draws nothing on them
if not sel.synthetic:  # on the demo set no section uses the events: nothing to describe
    display(data_banner(events, sel.filters))

# %% [markdown]
# ## Appeals: what was asked, what was funded
#
# Afghanistan's humanitarian response plans and flash appeals per year (2021 had both), as
# the Financial Tracking Service records them. Funding FTS could not attribute to an
# appeal is listed apart, never added. The latest year is still in progress.

# %% tags=["fig-funding"]
display(stands_on(False, FTS))
money = humanitarian.funding_by_year(money_source.table, start=2015, end=2025)
if money.empty:
    display(notice("No appeal requirements or funding are loaded."))
else:
    money["label"] = money["coverage_pct"].map(lambda v: f"{v:.0f}%")
    last = money.iloc[-1]
    peak = money.loc[money["requirements_usd"].idxmax()]
    display(nb.headline(
        "The appeals asked for the most in **{peak_year:d}** (US${peak_req:,.2f} billion, "
        "{peak_cov:.0f}% funded). In {year:d} they asked for US${req:,.2f} billion and had "
        "received US${got:,.2f} billion ({cov:.0f}%) {as_of}.",
        peak_year=int(peak["year"]), peak_req=peak["requirements_usd"] / 1e9,
        peak_cov=peak["coverage_pct"], year=int(last["year"]),
        req=last["requirements_usd"] / 1e9, got=last["funding_usd"] / 1e9,
        cov=last["coverage_pct"], as_of=money_source.as_of))
    recent = money[money["year"].between(int(last["year"]) - 3, int(last["year"]) - 1)]
    title = (f"Appeals for Afghanistan received "
             f"{100 * recent['funding_usd'].sum() / recent['requirements_usd'].sum():.0f}% of "
             f"what they asked in {int(recent['year'].min())}-{int(recent['year'].max())}"
             if len(recent) and recent["requirements_usd"].sum() > 0
             else f"Appeals for Afghanistan, {int(money['year'].min())}-{int(last['year'])}")
    nb.show(charts.yearly_bars(
        money, "year", {"requirements_usd": "Requirements", "funding_usd": "Funding received"},
        labels="label", colors={"Requirements": "#999999", "Funding received": "#0072B2"},
        title=title,
        subtitle="Requirements and funding of the humanitarian response plan and flash "
                 f"appeals, US dollars per plan year; label: share funded; "
                 f"{int(last['year'])} may still be under way",
        ylabel="US dollars", source=money_source.source))
    nb.show(money, ["year", "appeals", "requirements_usd", "funding_usd", "gap_usd",
                   "coverage_pct", "unattributed_usd"], percent=["coverage_pct"])

# %% [markdown]
# ## People in need and targeted, nationally
#
# The most trusted figure for each year: an official OCHA document over the press, and a
# revision over the figure it replaced (2023: 28.8 million, revised in May 2023 from 28.3
# million). Other figures for the same year are listed beside it.

# %% tags=["fig-needs"]
display(stands_on(False, "curated OCHA figures (real, cited per row)"))
needs = humanitarian.national_series(indicators, ["people_in_need", "people_targeted"])
best = humanitarian.best_estimates(needs)
in_need = best.loc[best["indicator"] == "people_in_need"]
if in_need.empty:
    display(notice("No people-in-need figures are loaded."))
else:
    display(nb.finding(
        "People in need: **{last:,.0f}** in {y2:d} against {first:,.0f} in {y1:d} ({source}).",
        last=in_need["value"].iloc[-1], y2=in_need["period_start"].iloc[-1].year,
        first=in_need["value"].iloc[0], y1=in_need["period_start"].iloc[0].year,
        source=in_need["source"].iloc[-1]))
    nb.show(charts.yearly_lines(
        best.assign(year=best["period_start"].dt.year), "year", "value", "indicator",
        title="People in need and targeted for aid, Afghanistan (national)",
        subtitle="Plan years; a year without a published figure is left blank",
        ylabel="People", source=nb.indicator_source_line(best)))
nb.show(best.assign(year=best["period_start"].dt.year),
        ["indicator", "year", "value", "source", "source_date", "revised_from",
         "alternatives"], links={"source": "source_url"})

# %% [markdown]
# ## Where the people in need are
#
# People in need per province from OCHA's 2024 needs workbook, as a share of each
# province's population (NSIA's 2021-22 estimates: the two years differ, so the share is
# indicative). The workbook's national figure equals the sum of its provinces.

# %% tags=["fig-pin-provinces"]
display(stands_on(False, f"{HNO}; {POP}"))
by_province = humanitarian.province_needs(pin, population, names)
national = pin.loc[pin["geography"].eq("national") & pin["category"].eq("total"), "value"]
top = by_province.sort_values("share_pct", ascending=False).iloc[0]
display(nb.headline(
    "OCHA's HNO 2024 workbook counts **{total:,.0f}** people in need; the most in **{first}** "
    "({first_n:,.0f}); the highest share of the population in **{top}** ({share:.0f}%).",
    total=national.iloc[0], first=by_province["province"].iloc[0],
    first_n=by_province["people_in_need"].iloc[0], top=top["province"],
    share=top["share_pct"]))
nb.show(maps.province_choropleth(by_province, outlines, value="share_pct", tiles=map_tiles,
                                 label="People in need, % of population"))
nb.show(by_province, ["province", "people_in_need", "population", "share_pct"],
        percent=["share_pct"], caption="People in need by province (HNO 2024)")

# %% [markdown]
# ## Returns
#
# UNHCR's counts of refugees who came back to Afghanistan and of displaced people who went
# home, per year.

# %% tags=["fig-returns"]
display(stands_on(False, "UNHCR via HDX HAPI (real)"))
peak_idp = returns.loc[returns["returned_idps"].idxmax()]
display(nb.finding(
    "UNHCR counts **{idp:,.0f}** displaced people returning home in {idp_year:d}; refugee "
    "returns were {ref:,.0f} in {ref_year:d}.",
    idp=peak_idp["returned_idps"], idp_year=int(peak_idp["year"]),
    ref=returns["returned_refugees"].iloc[-1], ref_year=int(returns["year"].iloc[-1])))
nb.show(charts.yearly_bars(
    returns, "year", {"returned_refugees": "Returned refugees",
                      "returned_idps": "Returned internally displaced"},
    title=f"In UNHCR's counts to {int(returns['year'].max())}, returns of displaced people "
          f"peaked in {int(peak_idp['year'])}",
    subtitle="People per year (UNHCR totals); a year without a bar has no UNHCR figure",
    ylabel="People",
    source="UNHCR Refugee Data Finder via HDX HAPI (CC BY)"))

# %% [markdown]
# ## Figures without a year
#
# The brief's figures for malnutrition, poverty and people in need name neither a year nor
# their original publisher. They are listed here and kept out of every time series; the
# claims ledger says what would test them.

# %% tags=["table-malnutrition"]
display(stands_on(False, "analysis brief, as curated (real text, unverified figures)"))
undated = humanitarian.undated(indicators)
display(nb.finding("{n} figure(s) from the brief have no reference period.", n=len(undated)))
nb.show(undated, ["indicator", "comparator", "value", "unit", "original_publisher", "source",
                 "note"], links={"source": "source_url"})
nb.show(tables.ledger(claims.ledger_rows(ledger, "C22", "C25", "C26", "C27", "C28", "C39",
                                         "C40")),
        caption="The brief's humanitarian claims in the claims ledger")

# %% [markdown]
# ## Provinces: needs beside conflict
#
# People in need per province beside the conflict events in the selection. Drawn only on
# real event data: the synthetic demo events are never set beside real needs.

# %% tags=["fig-provinces"]
comparison = humanitarian.province_vs_conflict(indicators, events, "people_in_need",
                                               start=sel.start, end=sel.end,
                                               provinces=provinces_table)
if sel.synthetic:
    display(notice("This comparison is drawn only on real event data (ACLED or UCDP GED "
                   "events); this run had only the synthetic demo set, which is never set "
                   "beside real needs."))
elif comparison.national_only or comparison.empty:
    display(stands_on(False, sel.source))
    display(notice(comparison.message + " The province figures above are from the HNO."))
else:
    display(stands_on(False, sel.source))
    display(nb.finding("{msg}", msg=comparison.message))
    nb.show(charts.labelled_scatter(comparison.frame, "events", "value", "province",
                                    title="People in need and conflict events by province",
                                    xlabel="Conflict events in the selection",
                                    ylabel="People in need", source=sel.source))
    nb.show(comparison.frame)

# %% [markdown] tags=["notebook-only"]
# ## Explore
#
# An indicator and provinces redraw the national series and the province comparison.

# %% tags=["explorer", "notebook-only"]
nb.explore(interactive, lambda: widgets.humanitarian_explorer(
    indicators, sel.all_events, provinces_table, source=nb.indicator_source_line(indicators)))

# %% [markdown]
# ## Sources
#
# Every file this report read, with its publisher, licence, date and checksum.

# %% tags=["sources"]
display(nb.sources(sel, ["claims", "humanitarian_indicators"],
                   extra=[*catalog.indicator_files(indicators),
                          *(catalog.open_path(n) for n in ("funding", "people_in_need",
                                                           "population", "returnees")),
                          boundaries_path or catalog.open_path("outlines")]))
