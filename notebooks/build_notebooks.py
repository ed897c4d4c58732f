"""Write the five theme notebooks from the cell texts below (nbformat, idempotent).

The notebooks are thin on purpose: a parameters cell, calls into ``helpers`` and narrative
whose numbers are formatted from values computed in the same run. Keeping their text
here lets one script keep all five consistent (same parameters cell, same set-up cell,
same closing "Sources" section). Re-running replaces the files with identical bytes.

    python notebooks/build_notebooks.py            # (re)write every notebook
    python notebooks/build_notebooks.py --check    # exit 1 if a notebook differs

Cells whose output the tests look for carry a tag (``fig-...``, ``table-...``,
``map-...``), so a test can find the output by tag rather than by position.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (workbook)", "language": "python"}
LANGUAGE_INFO = {"name": "python"}

PARAMETERS = '''# Parameters: papermill overrides these; the defaults run on the synthetic demo data.
start_date = "2021-08-15"  # first day (ISO); the Taliban took Kabul on 2021-08-15
end_date = "2026-12-31"  # last day (ISO); clipped to the last date the data cover
provinces = []  # names in any spelling, ISO codes (AF-PAN) or p-codes (AF08); empty for all
sides = []  # e.g. ["resistance", "taliban"]; empty for all sides
data_source = "demo"  # "demo", "acled" or "ucdp" (files in data/raw/), or a file/folder path
boundaries_path = None  # optional province GeoJSON (enables the choropleth maps)
interactive = True  # the batch runner sets False: widgets give way to static views'''

SETUP = '''from IPython.display import Markdown, display

from helpers.analysis import attacks, claims, expansion, external, humanitarian
from helpers.data import catalog, curated
from helpers.data.reference import boundaries, gazetteer
from helpers.views import cells as nb
from helpers.views import charts, maps, widgets
from helpers.views.banner import data_banner, no_data_message, notice

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
events = sel.events
display(data_banner(events))
if sel.empty:
    display(no_data_message(sel.filters))'''

BATCH_NOTICE = ('notice("Interactive explorer skipped: this is a batch render (interactive=False). '
                'The charts above are its static equivalents; open the notebook in JupyterLab '
                'to use it.")')


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str, *tags: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def head(title: str, questions: str) -> list[nbformat.NotebookNode]:
    """Title, the questions answered, the parameters cell and the set-up cell."""
    return [md(f"# {title}\n\n{questions.strip()}"),
            code(PARAMETERS, "parameters"),
            md("The next cell loads the events the parameters select and prints what they "
               "are: source, synthetic or real, dates, row counts and input checksums."),
            code(SETUP, "banner")]


def explorer(call: str, what: str) -> list[nbformat.NotebookNode]:
    return [md(f"## Explore\n\n{what} The explorer works on every event the source holds; "
               "its controls narrow the view without editing code."),
            code(f"if interactive:\n    display({call})\nelse:\n    display({BATCH_NOTICE})",
                 "explorer")]


def closing(tables: str, extra: str = "") -> list[nbformat.NotebookNode]:
    args = f"sel, [{tables}]" + (f", extra={extra}" if extra else "")
    return [md("## Sources\n\nEvery file this notebook read, from the provenance records "
               "(`data/curated/sources.yml`)."),
            code(f"display(nb.sources({args}))", "sources")]


# --------------------------------------------------------------------------- 00 overview
def overview() -> list[nbformat.NotebookNode]:
    cells = head("Overview: the armed opposition to the Taliban since August 2021", """
How much activity do the loaded data hold, where, and by whom? What does each theme's
headline chart show, which dated events frame them, and which of the analysis brief's
claims do these data support?

Theme reports: [attacks](01_attacks.html) · [geographic expansion](02_expansion.html) ·
[external support](03_external_support.html) · [humanitarian crisis](04_humanitarian.html)
(in JupyterLab, open the notebooks of the same names).
""")
    cells += [
        code('t = catalog.tables("claims", "key_events", "relations", "humanitarian_indicators")'),
        md("## Key figures"),
        code('''if sel.empty:
    display(no_data_message(sel.filters))
else:
    kf = attacks.key_figures(events)
    display(nb.finding(
        "The selection holds **{events:,}** events from {first_date} to {last_date}. "
        "**{operations:,}** of them are resistance operations (the resistance as acting side) "
        "in **{provinces}** provinces, with {fatalities:,} reported fatalities; "
        "{urban:.0f}% of those with a known location were in or near a city.",
        urban=kf["urban_share"] * 100, **{k: v for k, v in kf.items() if k != "urban_share"}))
    display(attacks.category_totals(events, "side1", side=None))''', "table-key-figures"),
        md("## Attacks: is the resistance's tempo rising?"),
        code('''esc = attacks.escalation(events, "resistance", sel.start, sel.end)
display(nb.finding("{summary}", summary=esc.summary))
nb.show(charts.trend(esc.series, title="Resistance operations per month, with a count-model fit",
                    summary=esc.summary, source=sel.source, synthetic=sel.synthetic))''',
             "fig-attacks"),
        md("## Expansion: in how many provinces is the resistance active?"),
        code('''spread = expansion.provinces_per_period(events, "resistance", "Q", sel.start, sel.end)
claimed = claims.claim_for(t["claims"], "resistance_provinces")
if spread["events"].sum() == 0:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    display(nb.finding(
        "Resistance operations reached **{total}** provinces in all; the most in one quarter "
        "was {peak}. The analysis brief's figure is about {claimed:.0f} (attributed to: {who}).",
        total=spread["cumulative_provinces"].iloc[-1], peak=spread["provinces"].max(),
        who=claimed["speaker"], claimed=claimed["quantity"]))
nb.show(charts.lines(expansion.spread_series(spread), "period", "provinces", hue="measure",
                    title="Provinces with resistance operations, by quarter",
                    xlabel="Quarter", ylabel="Provinces",
                    reference=(claimed["quantity"], f"claimed: about {claimed['quantity']:.0f}"),
                    source=sel.source, synthetic=sel.synthetic))''', "fig-expansion"),
        md("## External support: who engages whom\n\nFrom the curated, cited relations table "
           "(not from the event data)."),
        code('''rel = t["relations"]
display(nb.finding("The relations table records **{n}** relations among **{actors}** actors.",
                   n=len(rel), actors=len(external.actor_summary(rel))))
nb.show(charts.network(external.relations_graph(rel), title="Relations between actors",
                      source="data/curated/relations.csv (cited per row)"))''', "fig-external"),
        md("## Humanitarian crisis: people in need\n\nFrom the curated, cited indicators "
           "(not from the event data)."),
        code('''pin = humanitarian.latest_estimates(humanitarian.national_series(
    catalog.indicators(), ["people_in_need", "people_targeted"]))
latest = pin.loc[pin["indicator"] == "people_in_need"].iloc[-1]
display(nb.finding("The latest people-in-need figure is **{value:,.0f}** for {year:d} ({source}).",
                   value=latest["value"], year=latest["period_start"].year,
                   source=latest["source"]))
nb.show(charts.lines(pin, "period_start", "value", hue="indicator",
                    title="People in need and targeted for aid, Afghanistan",
                    xlabel="Plan year", ylabel="People",
                    source="data/curated/humanitarian_indicators.csv (OCHA and others, cited per row)"))''',
             "fig-humanitarian"),
        md("## Timeline of key events\n\nDated events named in the analysis brief, each "
           "with its source (`data/curated/key_events.csv`)."),
        code('''timeline = external.milestones(key_events=t["key_events"], themes=None, start="2021-01-01")
nb.show(charts.timeline(timeline, title="Key events since 2021",
                       source="data/curated/key_events.csv (cited per row)"))
display(timeline[["date", "kind", "description", "source"]])''', "fig-timeline"),
        md("## Claims ledger\n\nEvery claim in `claims.csv`, with its machine check evaluated "
           "on the whole loaded source (the province and side filters do not apply here: the "
           "claims are about the whole country). A claim whose period the data do not cover "
           "is marked *insufficient data*; one without a check is *not checkable with these "
           "data*."),
        code('''ledger = claims.evaluate_claims(t["claims"], sel.all_events)
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
                "status", "detail"]])''', "table-claims"),
    ]
    return cells + closing('"claims", "key_events", "relations", "humanitarian_indicators"')


# --------------------------------------------------------------------------- 01 attacks
def attacks_nb() -> list[nbformat.NotebookNode]:
    cells = head("Attacks: tempo, targets and places of the armed opposition", """
- How many operations does each side carry out per month, and of what kind?
- Whom do resistance operations target — officials, military, infrastructure, civilians?
- Do they shift toward cities, as the analysis brief says?
- Where are they concentrated, and how do the brief's named incidents sit on the timeline?
- Is the monthly count of resistance operations rising (the brief's "increasing intensity")?
- Do the brief's attack claims (for example "over 200 operations from January to August
  2024") hold on these data?
""")
    cells += [
        code('t = catalog.tables("claims", "key_events")\n'
             'resistance = attacks.by_side(events, "resistance")'),
        md("## Operations per month by side\n\nBars stack the events of each acting side; "
           "the black line is the 3-month rolling mean of all events. Dashed lines mark the "
           "brief's dated attack incidents."),
        code('''if sel.empty:
    display(no_data_message(sel.filters))
else:
    monthly = attacks.monthly_operations(events, "side1", sel.start, sel.end)
    total = attacks.monthly_total(events, sel.start, sel.end)
    busiest = total.loc[total["events"].idxmax()]
    display(nb.finding(
        "The selection holds **{n:,}** events over {months} months; the busiest month was "
        "**{month:%B %Y}** with {peak:,} events.",
        n=len(events), months=len(total), month=busiest["month"], peak=busiest["events"]))
    incidents = attacks.notable_incidents(t["key_events"], sel.start, sel.end, ["attacks"])
    fig = charts.stacked_bars(monthly, "month", "side1", "events",
                             title="Events per month by acting side",
                             ylabel="Events per month", line=total,
                             source=sel.source, synthetic=sel.synthetic)
    charts.add_incidents(fig.axes[0], incidents)
    nb.show(fig)''', "fig-monthly-side"),
        md("## Resistance operations by type"),
        code('''if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    mix = attacks.category_totals(events, "sub_event_type", "resistance", sel.start, sel.end)
    display(nb.finding(
        "The most common resistance operation is **{top}** ({share:.0f}% of {n:,}), "
        "followed by {second} ({share2:.0f}%).",
        top=mix["sub_event_type"].iloc[0], share=mix["share"].iloc[0] * 100, n=len(resistance),
        second=mix["sub_event_type"].iloc[min(1, len(mix) - 1)],
        share2=mix["share"].iloc[min(1, len(mix) - 1)] * 100))
    nb.show(charts.stacked_bars(
        attacks.monthly_operations(resistance, "sub_event_type", sel.start, sel.end),
        "month", "sub_event_type", "events", title="Resistance operations per month by type",
        ylabel="Operations per month",
        line=attacks.monthly_total(resistance, sel.start, sel.end),
        line_label="3-month rolling mean (resistance)", source=sel.source,
        synthetic=sel.synthetic))
    display(mix)''', "fig-monthly-type"),
        md("## Fatalities per month by side\n\nReported fatalities in each side's events "
           "(as the source codes them; ACLED and UCDP count differently)."),
        code('''if sel.empty:
    display(no_data_message(sel.filters))
else:
    by_side = attacks.category_totals(events, "side1", side=None)
    display(nb.finding(
        "The selection's events report **{total:,}** fatalities; {res:,} in resistance "
        "operations.", total=by_side["fatalities"].sum(),
        res=by_side.loc[by_side["side1"] == "resistance", "fatalities"].sum()))
    nb.show(charts.stacked_bars(attacks.monthly_fatalities(events, "side1", sel.start, sel.end),
                               "month", "side1", "fatalities",
                               title="Reported fatalities per month by acting side",
                               ylabel="Fatalities per month", source=sel.source,
                               synthetic=sel.synthetic))''', "fig-fatalities"),
        md("## Targets of resistance operations\n\nTarget categories come from "
           "`helpers.data.reference.targets` (opponent side, sub-event type and documented keyword rules)."),
        code('''if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
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
    display(targets)''', "fig-targets"),
        md("## Urban or rural?\n\nAn event counts as urban within "
           "`gazetteer.URBAN_RADIUS_KM` of a city of at least `gazetteer.URBAN_MIN_POPULATION` "
           "people (GeoNames city list). The trend test is a logistic regression of the urban "
           "flag on time."),
        code('''if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    trend = attacks.urban_trend(events, "resistance", sel.start, sel.end)
    display(nb.finding(
        "Cities within {km:.0f} km, population {pop:,} or more. In the first half of the "
        "period {first:.0f}% of resistance operations were urban, in the second half "
        "{second:.0f}%. On the brief's shift toward urban centres: {summary}",
        km=gazetteer.URBAN_RADIUS_KM, pop=gazetteer.URBAN_MIN_POPULATION,
        first=trend.details.get("share_first", float("nan")) * 100,
        second=trend.details.get("share_second", float("nan")) * 100, summary=trend.summary))
    nb.show(charts.lines(attacks.urban_share(events, "Q", "resistance", sel.start, sel.end),
                        "period", "urban_share", percent=True,
                        title="Share of resistance operations in urban places, by quarter",
                        xlabel="Quarter", ylabel="Share of operations",
                        source=sel.source, synthetic=sel.synthetic))''', "fig-urban"),
        md("## Where: top provinces and districts"),
        code('''if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    top = attacks.top_places(events, "province", 10, "resistance")
    display(nb.finding("**{first}** has the most resistance operations ({n:,}, {share:.0f}%).",
                       first=top["province"].iloc[0], n=top["events"].iloc[0],
                       share=top["share"].iloc[0] * 100))
    nb.show(charts.ranking(top, "province", "events",
                          title="Provinces with the most resistance operations",
                          xlabel="Operations", source=sel.source, synthetic=sel.synthetic))
    display(attacks.top_places(events, "district", 10, "resistance"))''', "fig-places"),
        md("## Notable incidents\n\nThe brief's dated attack incidents (curated, cited) inside "
           "the selected dates; they are marked on the monthly chart above."),
        code('''incidents = attacks.notable_incidents(t["key_events"], sel.start, sel.end, ["attacks"])
display(nb.finding("{n} curated incident(s) fall inside the selected dates.", n=len(incidents)))
display(incidents[["event_date", "province", "actors", "description", "source"]])''',
             "table-incidents"),
        md("## Escalation\n\nA count regression of monthly resistance operations on time "
           "(Poisson, or negative binomial when the counts are overdispersed), with days "
           "observed as exposure. The yearly incidence-rate ratio (IRR) is the factor by which "
           "the monthly count changes per year; the brief's \"increasing intensity\" counts as "
           "supported only when the whole 95% interval lies above 1."),
        code('''esc = attacks.escalation(events, "resistance", sel.start, sel.end)
display(nb.finding(
    "Yearly IRR **{irr:.2f}** (95% CI {lo:.2f}–{hi:.2f}; {model}, {months} months). "
    "Verdict on \\"increasing intensity\\": **{verdict}**. {summary}",
    irr=esc.ratio, lo=esc.ci_low, hi=esc.ci_high, model=esc.model or "no model",
    months=esc.n, verdict=esc.verdict, summary=esc.summary))
nb.show(charts.trend(esc.series, title="Resistance operations per month and model fit",
                    summary=esc.summary, source=sel.source, synthetic=sel.synthetic))''',
             "fig-escalation"),
        md("## The brief's attack claims, checked\n\nEvaluated on the whole loaded source (the "
           "claims are about the whole country, so the province and side filters do not "
           "apply)."),
        code('''checked = claims.evaluate_claims(t["claims"], sel.all_events)
checked = checked.loc[checked["theme"] == "attacks"]
display(nb.finding("**{n}** attack claims — supported: {ok}; not supported: {no}; "
                   "insufficient data: {na}; not checkable with event data: {nc}.", n=len(checked),
                   ok=(checked["status"] == claims.SUPPORTED).sum(),
                   no=(checked["status"] == claims.NOT_SUPPORTED).sum(),
                   na=(checked["status"] == claims.INSUFFICIENT).sum(),
                   nc=(checked["status"] == claims.NOT_CHECKABLE).sum()))
display(checked[["id", "statement", "speaker", "check", "computed", "status", "detail"]])''',
             "table-claims"),
    ]
    cells += explorer("widgets.attacks_explorer(sel.all_events, source=sel.source)",
                      "Date range, provinces, sides and sub-event types redraw the monthly "
                      "chart and the table of top provinces.")
    return cells + closing('"claims", "key_events"')


# --------------------------------------------------------------------------- 02 expansion
def expansion_nb() -> list[nbformat.NotebookNode]:
    cells = head("Geographic expansion of resistance operations", """
- In how many provinces is the resistance active each quarter, against the brief's
  "nearly 20 provinces"? When did each province first see resistance activity?
- How far from the Panjshir valley do resistance operations reach over time, and what share
  falls outside the Panjshir/Andarab core? Which regions carry them?
- Where are they on the map, and how did they spread?
""")
    cells[1] = code(PARAMETERS + '\nmap_tiles = None  # e.g. "OpenStreetMap" when online; '
                    'None draws the data layers without any tile server', "parameters")
    cells += [
        code('''t = catalog.tables("claims")
provinces_table = gazetteer.provinces()
resistance = attacks.by_side(events, "resistance")'''),
        md("## Provinces with resistance activity"),
        code('''spread = expansion.provinces_per_period(events, "resistance", "Q", sel.start, sel.end)
claimed = claims.claim_for(t["claims"], "resistance_provinces")
if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    display(nb.finding(
        "Resistance operations reached **{total}** provinces by {last:%B %Y}; the most active "
        "in any one quarter was {peak}. The analysis brief's figure is about {claimed:.0f} "
        "(attributed to: {who}).",
        total=spread["cumulative_provinces"].iloc[-1], last=spread["period"].iloc[-1],
        peak=spread["provinces"].max(), who=claimed["speaker"], claimed=claimed["quantity"]))
    nb.show(charts.lines(expansion.spread_series(spread), "period", "provinces", hue="measure",
                        title="Provinces with resistance operations, by quarter",
                        xlabel="Quarter", ylabel="Provinces",
                        reference=(claimed["quantity"],
                                   f"brief: about {claimed['quantity']:.0f}"),
                        source=sel.source, synthetic=sel.synthetic))''', "fig-spread"),
        md("### Onset: first resistance activity per province"),
        code('''onset = expansion.onset_table(events, "resistance", provinces_table)
if onset.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    display(nb.finding(
        "The first province with resistance activity was **{first}** ({d1}); the most recent "
        "to be reached was **{last}** ({d2}).", first=onset["province"].iloc[0],
        d1=onset["first_event"].iloc[0], last=onset["province"].iloc[-1],
        d2=onset["first_event"].iloc[-1]))
    display(onset)''', "table-onset"),
        md("## Distance from the Panjshir valley\n\nGreat-circle distance of each located "
           "resistance operation from Panjshir's centroid (gazetteer); median and "
           "inter-quartile range per quarter. The *core* is Panjshir province and Andarab "
           "district (Baghlan), where the brief says operations began."),
        code('''reference = expansion.reference_point(provinces_table)
distances = expansion.distance_from_core(events, reference, "resistance", "Q", sel.start, sel.end)
summary = expansion.spread_summary(distances)
if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
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
                        source=sel.source, synthetic=sel.synthetic))''', "fig-distance"),
        md("## By region"),
        code('''regions = expansion.by_region(events, provinces_table, "resistance", "Q", sel.start, sel.end)
if resistance.empty:
    display(no_data_message({**sel.filters, "side": "resistance"}))
else:
    totals = expansion.region_totals(events, provinces_table, "resistance", sel.start, sel.end)
    display(nb.finding("**{top}** carries the most resistance operations ({share:.0f}%).",
                       top=totals["region"].iloc[0], share=totals["share"].iloc[0] * 100))
    nb.show(charts.share_area(regions, "period", "region",
                             title="Resistance operations by region, share per quarter",
                             ylabel="Share of operations (%)", source=sel.source,
                             synthetic=sel.synthetic))
    display(totals)''', "fig-regions"),
        md("## Maps\n\nThe maps draw their data layers without a tile server (`map_tiles = "
           "None`); set `map_tiles = \"OpenStreetMap\"` when online for a base map. Popups "
           "escape all text from the data.\n\n### Spread over time\n\nResistance operations "
           "appear month by month on the slider and stay visible for three months."),
        code('''display(nb.finding("{n:,} resistance operations on the time slider.", n=len(resistance)))
display(maps.timeline_map(resistance, tiles=map_tiles))''', "map-timeline"),
        md("### Provinces: activity and onset\n\nCircle area is proportional to the number "
           "of resistance operations; colour gives the year of first activity."),
        code('''aggregates = expansion.province_aggregates(events, provinces_table, "resistance",
                                          sel.start, sel.end)
display(nb.finding("{active} of {all} provinces saw resistance operations in the selection.",
                   active=(aggregates["events"] > 0).sum(), all=len(aggregates)))
display(maps.province_circles(aggregates, tiles=map_tiles, synthetic=sel.synthetic))''',
             "map-provinces"),
        md("### All events in the selection\n\nColoured by acting side; above "
           "`maps.MAX_POINTS` events the map clusters points."),
        code('display(maps.events_map(events, tiles=map_tiles))', "map-events"),
        md("### Province choropleth\n\nDrawn when `boundaries_path` names a province GeoJSON "
           "(features matched by ISO 3166-2 code or OCHA p-code, names as a last resort)."),
        code('''if boundaries_path:
    outlines = boundaries.match_boundaries(boundaries_path)
    display(nb.finding("{n} of 34 provinces matched in the boundaries file; {u} feature(s) "
                       "unmatched.", n=len(outlines.features["features"]),
                       u=len(outlines.unmatched)))
    display(maps.province_choropleth(aggregates, outlines, tiles=map_tiles,
                                     synthetic=sel.synthetic))
else:
    display(notice("No boundaries file given (boundaries_path is None): choropleth skipped. "
                   "The proportional circles above show the same numbers."))''',
             "map-choropleth"),
    ]
    cells += explorer("widgets.expansion_explorer(sel.all_events, provinces_table, "
                      "tiles=map_tiles)",
                      "Date range, period length and metric redraw the province map and the "
                      "table of provinces active per period.")
    return cells + closing('"claims"')


# --------------------------------------------------------------------------- 03 external
def external_nb() -> list[nbformat.NotebookNode]:
    cells = head("External support: the outside powers around the resistance and the Taliban", """
- Who engages whom — militarily, logistically, politically, financially, diplomatically,
  through lobbying, recognition or hostility — and how sure is each link?
- What does the network look like from the resistance's side, and from the Taliban's?
- When did the diplomatic, lobbying and alliance milestones happen?
- What aid totals have been reported, and by whom?

Everything here comes from the curated, cited tables (`relations.csv`, `key_events.csv`,
`lobbying.csv`, `humanitarian_indicators.csv`); the event data only frame the period.
""")
    cells += [
        code('''t = catalog.tables("relations", "key_events", "lobbying", "humanitarian_indicators")
rel = t["relations"]
summary = external.actor_summary(rel)
if sel.synthetic:
    display(notice("Everything below comes from the curated, cited tables, not from the "
                   "synthetic demo events loaded above."))'''),
        md("## The relations network\n\nNodes are coloured by actor type, edges by relation "
           "type; solid edges are *reported*, dashed *alleged*, dotted *assessed*."),
        code('''display(nb.finding(
    "**{n}** relations among **{actors}** actors; the most connected is **{top}** "
    "({k} relations). {neg} relations are hostile or negative.",
    n=len(rel), actors=len(summary), top=summary["actor"].iloc[0],
    k=summary["relations"].iloc[0], neg=(rel["polarity"] == "negative").sum()))
nb.show(charts.network(external.relations_graph(rel), title="Who engages whom",
                      source="data/curated/relations.csv (cited per row)"))
display(summary)''', "fig-network"),
        md("## Ego views\n\nEach actor's direct relations."),
        code('''for actor in ["National Resistance Front", "Taliban"]:
    ego = external.ego_relations(rel, actor, radius=1)
    display(nb.finding("**{actor}** and its {k} direct partners: {n} relations among them.",
                       actor=actor,
                       n=len(ego), k=len(set(ego["from_actor"]) | set(ego["to_actor"])) - 1))
    nb.show(charts.network(external.relations_graph(ego), title=f"Relations of {actor}",
                          focus=actor, source="data/curated/relations.csv (cited per row)"))''',
             "fig-ego"),
        md("## Milestones\n\nDiplomatic, lobbying and alliance milestones: curated key events "
           "of the external-support theme, FARA agreements and the dated start of relations."),
        code('''steps = external.milestones(t["key_events"], t["lobbying"], rel)
display(nb.finding("{n} dated milestones from {first} to {last}.", n=len(steps),
                   first=steps["date"].min(), last=steps["date"].max()))
nb.show(charts.timeline(steps, title="External-support milestones",
                       source="data/curated key events, lobbying and relations (cited per row)"))
display(steps)''', "fig-milestones"),
        md("## Who supports whom\n\nEvery relation with its evidence (paraphrased), confidence "
           "and source."),
        code('''support = external.support_table(rel)
display(nb.finding("{reported} relations are reported, {alleged} alleged and {assessed} "
                   "assessed by analysts.",
                   reported=(support["confidence"] == "reported").sum(),
                   alleged=(support["confidence"] == "alleged").sum(),
                   assessed=(support["confidence"] == "assessed").sum()))
display(support)''', "table-support"),
        md("## Lobbying registrations (FARA)"),
        code('''display(nb.finding("{n} foreign-agent registrations for the resistance are recorded.",
                   n=len(t["lobbying"])))
display(t["lobbying"][["registrant", "principal", "agreement_date", "compensation", "services",
                       "source"]])''', "table-lobbying"),
        md("## Reported aid\n\nTotals published by different sources over different periods: "
           "listed side by side, never summed."),
        code('''aid = external.reported_aid(t["humanitarian_indicators"])
display(nb.finding("{n} reported aid figure(s).", n=len(aid)))
display(aid)''', "table-aid"),
    ]
    cells += explorer("widgets.external_explorer(rel, source=\"data/curated/relations.csv\")",
                      "An actor focus, relation types and the number of steps redraw the "
                      "network and the relations table.")
    return cells + closing('"relations", "key_events", "lobbying", "humanitarian_indicators"')


# --------------------------------------------------------------------------- 04 humanitarian
def humanitarian_nb() -> list[nbformat.NotebookNode]:
    cells = head("Humanitarian crisis: needs, malnutrition, poverty and funding", """
- How many people need humanitarian assistance, year by year, and how many are targeted?
- How many are malnourished, how many of them children, and how poor is the population?
- How much do the appeals ask for, and how much is funded (when FTS files are loaded)?
- Where province-level figures exist: do needs line up with conflict events by province?

By default the figures come from the curated, cited table; set `indicator_source` to HDX
HAPI or FTS files (or a folder of them) to use those.
""")
    cells[1] = code(PARAMETERS + '\nindicator_source = "curated"  # "curated", or HDX HAPI / '
                    'FTS file(s) or a folder\nmap_tiles = None  # e.g. "OpenStreetMap" when '
                    'online', "parameters")
    cells += [
        code('''indicators = catalog.indicators(indicator_source)
catalog.record_indicator_inputs(indicators)
provinces_table = gazetteer.provinces()
if sel.synthetic:
    display(notice("The humanitarian figures here are published, cited figures (see Sources). "
                   "Only the conflict events, used in the province comparison, are the "
                   "synthetic demo set."))
display(humanitarian.coverage(indicators))''', "table-coverage"),
        md("## People in need and targeted\n\nWhere several sources give a figure for the "
           "same year, the most recently published one is drawn; all are listed below."),
        code('''needs = humanitarian.national_series(indicators, ["people_in_need", "people_targeted"])
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
                    xlabel="Plan year", ylabel="People", source=nb.indicator_source_line(latest)))
display(needs.filter(items=["indicator", "period_start", "value", "unit", "source",
                           "source_date"]))''',
             "fig-needs"),
        md("## Malnutrition and poverty"),
        code('''other = humanitarian.latest_estimates(humanitarian.national_series(
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
                                "original_publisher", "source"]))''', "table-malnutrition"),
        md("## Appeal requirements and funding"),
        code('''money = humanitarian.latest_estimates(humanitarian.national_series(
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
                        source=nb.indicator_source_line(money)))''', "fig-funding"),
        md("## Provinces: needs beside conflict\n\nOnly possible when province-level figures "
           "are loaded (HDX HAPI files); the curated table is national."),
        code('''comparison = humanitarian.province_vs_conflict(indicators, events, "people_in_need",
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
            tiles=map_tiles))''',
             "fig-provinces"),
    ]
    cells += explorer("widgets.humanitarian_explorer(indicators, sel.all_events, "
                      "provinces_table, source=nb.indicator_source_line(indicators))",
                      "An indicator and provinces redraw the national series and the province "
                      "comparison.")
    return cells + closing('"humanitarian_indicators"',
                           extra="catalog.indicator_files(indicators)")


NOTEBOOKS = {
    "00_overview.ipynb": overview,
    "01_attacks.ipynb": attacks_nb,
    "02_expansion.ipynb": expansion_nb,
    "03_external_support.ipynb": external_nb,
    "04_humanitarian.ipynb": humanitarian_nb,
}


def build(name: str) -> str:
    """The notebook ``name`` as JSON text (no outputs, kernel python3)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    nb.cells = NOTEBOOKS[name]()
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(name).stem[:2]}-{number:02d}"
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report notebooks that differ from this script; write nothing")
    parser.add_argument("--dest", type=Path, default=HERE, help="folder to write into")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        text = build(name)
        target = args.dest / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            target.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python notebooks/build_notebooks.py):", ", ".join(stale))
        return 1
    print(("would rewrite: " if args.check else "wrote: ") + (", ".join(stale) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
