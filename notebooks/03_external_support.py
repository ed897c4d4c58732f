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
# # External support: the outside powers around the resistance and the Taliban
#
# - Who engages whom — militarily, logistically, politically, financially, diplomatically,
#   through lobbying, recognition or hostility — and how sure is each link?
# - What does the network look like from the resistance's side, and from the Taliban's?
# - When did the diplomatic, lobbying and alliance milestones happen, and what do the US
#   Justice Department's FARA records show of the resistance's lobbying in Washington?
# - What aid totals have been reported, and by whom?
#
# The relations, milestones and aid come from the workbook's curated tables, in which every
# row cites its source; the registrations from the US Justice Department's FARA bulk data.
# No section uses event data.

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

from helpers.analysis import claims, external
from helpers.data import catalog, curated
from helpers.views import cells as nb
from helpers.views import charts, tables, widgets
from helpers.views.banner import report_scope, stands_on

nb.setup()
sel = catalog.select(data_source, start_date, end_date, provinces, sides)
t = catalog.tables("claims", "relations", "key_events", "lobbying", "humanitarian_indicators")
fara = catalog.registrations()
rel = t["relations"]
summary = external.actor_summary(rel)
ledger = claims.evaluate_claims(t["claims"], catalog.evidence(sel.all_events))
CURATED = (f"relations {curated.sourcing(rel)}; "
           f"key events {curated.sourcing(t['key_events'])}")
FARA = (f"US Department of Justice FARA bulk data (registrations "
        f"{fara['principal_registered'].min():%Y}–{fara['principal_registered'].max():%Y})")
display(report_scope(False, real_parts=[CURATED, FARA], synthetic_parts=[]))

# %% [markdown]
# ## The relations network
#
# Nodes are coloured by actor type. A relation *for* someone (support, engagement) is drawn
# in its type's colour and ends in an arrow; a relation *against* someone (hostility,
# support ruled out, recognition withheld) is drawn in red and ends in a bar. Solid lines
# are *reported*, dashed *alleged*, dotted *assessed*.

# %% tags=["fig-network"]
display(stands_on(False, CURATED))
display(nb.headline(
    "**{n}** relations among **{actors}** actors; the most connected is **{top}** "
    "({k} relations). {neg} relations are against someone: hostility, support ruled out "
    "or recognition withheld.",
    n=len(rel), actors=len(summary), top=summary["actor"].iloc[0],
    k=summary["relations"].iloc[0], neg=(rel["polarity"] == "negative").sum()))
nb.show(charts.network(external.relations_graph(rel), title="Who engages whom",
                       source="curated relations table (cited per row)"))
nb.show(summary, ["actor", "type", "outgoing", "incoming", "relations"],
        caption="Actors by number of relations")

# %% [markdown]
# ## Ego views
#
# Each actor's direct relations.

# %% tags=["fig-ego"]
display(stands_on(False, CURATED))
for actor in ["National Resistance Front", "Taliban"]:
    ego = external.ego_relations(rel, actor, radius=1)
    display(nb.finding("**{actor}** and its {k} direct partners: {n} relations among them.",
                       actor=actor,
                       n=len(ego), k=len(set(ego["from_actor"]) | set(ego["to_actor"])) - 1))
    nb.show(charts.network(external.relations_graph(ego), title=f"Relations of {actor}",
                           focus=actor, source="curated relations table (cited per row)"))

# %% [markdown]
# ## Milestones
#
# Diplomatic, lobbying and alliance milestones: curated key events of the external-support
# theme, FARA agreements, the FARA registrations themselves and the dated start of
# relations.

# %% tags=["fig-milestones"]
display(stands_on(False, f"{CURATED}; {FARA}"))
steps = external.milestones(t["key_events"], t["lobbying"], rel, registrations=fara)
display(nb.finding("{n} dated milestones from {first} to {last}.", n=len(steps),
                   first=steps["date"].min(), last=steps["date"].max()))
nb.show(charts.timeline(steps, title="External-support milestones",
                        source="curated key events, lobbying and relations "
                               "(cited per row); US DOJ FARA"))
nb.show(steps, ["date", "kind", "actors", "description", "source"],
        links={"source": "source_url"})

# %% [markdown]
# ## Who supports whom
#
# Every relation with its evidence (paraphrased), confidence and source.

# %% tags=["table-support"]
display(stands_on(False, CURATED))
support = external.support_table(rel)
confidence = support["confidence"].value_counts()
display(nb.finding("{reported} relations are reported, {alleged} alleged and {assessed} "
                   "assessed by analysts.", reported=confidence.get("reported", 0),
                   alleged=confidence.get("alleged", 0), assessed=confidence.get("assessed", 0)))
nb.show(tables.support(support))

# %% [markdown]
# ## Lobbying registrations (FARA)
#
# Every registration under the Foreign Agents Registration Act whose principal or
# registrant names the NRF or Ahmad Massoud, from the Justice Department's bulk data, then
# the curated rows set beside them: where the two disagree, both are shown with their
# sources.

# %% tags=["table-lobbying"]
display(stands_on(False, f"{FARA}; {CURATED}"))
registered = external.registrations_table(fara)
first = registered.iloc[0]
withdrawal = t["key_events"].set_index("id").loc["E04", "event_date"]
display(nb.headline(
    "FARA records **{n}** registrations for the resistance; the first, No. {number} "
    "({registrant}), registered its principal on {date:%Y-%m-%d}, {days} days after the last "
    "US troops left on {left:%Y-%m-%d}.", n=len(registered), number=first["registration_number"],
    registrant=first["registrant"], date=first["registered"],
    days=(first["registered"] - withdrawal).days, left=withdrawal))
nb.show(registered, ["registration_number", "registrant", "principals", "registered",
                     "terminated"], caption="FARA registrations naming the NRF or Ahmad Massoud")
nb.show(external.reconcile_lobbying(t["lobbying"], fara),
        caption="The curated lobbying rows beside FARA's records")
nb.show(tables.ledger(claims.ledger_rows(ledger, "C19", "C20", "C38")),
        caption="The brief's lobbying claims in the claims ledger")

# %% [markdown]
# ## Reported aid
#
# Totals published by different sources over different periods: listed side by side, never
# summed.

# %% tags=["table-aid"]
display(stands_on(False, CURATED))
aid = external.reported_aid(t["humanitarian_indicators"])
display(nb.finding("{n} reported aid figure(s).", n=len(aid)))
nb.show(aid, ["donor", "value", "unit", "comparator", "period_start", "period_end",
             "original_publisher", "source"], links={"source": "source_url"})

# %% [markdown] tags=["notebook-only"]
# ## Explore
#
# An actor focus, relation types and the number of steps redraw the network and the
# relations table.

# %% tags=["explorer", "notebook-only"]
nb.explore(interactive,
           lambda: widgets.external_explorer(rel, source="curated relations table"))

# %% [markdown]
# ## Sources
#
# Every file this report read, with its publisher, licence, date and checksum.

# %% tags=["sources"]
display(nb.sources(None, ["claims", "relations", "key_events", "lobbying",
                         "humanitarian_indicators"], extra=[catalog.open_path("registrations")]))
