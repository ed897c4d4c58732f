"""Analysis for notebook 03 (external support): relations network, milestones, aid.

Inputs are the curated, cited tables (``helpers.data.curated``): ``relations()`` (an edge
list: from_actor, to_actor, relation, polarity, direction, start, end, evidence,
confidence, from_type, to_type, source ...), ``key_events()``, ``lobbying()`` (FARA
registrations) and ``humanitarian_indicators()`` (for reported aid). Every function keeps
the ``source`` columns, so tables shown in the notebook stay cited.

Pure functions: frames in, frames (or a networkx graph) out; the drawing is in
``helpers.views.charts.network``.
"""

from __future__ import annotations

import re

import networkx as nx
import pandas as pd

from helpers.analysis._common import require_columns
from helpers.data.reference.vocabulary import relation_words

#: Columns of the who-supports-whom table, in display order (those present are kept).
SUPPORT_COLUMNS = ("from_actor", "from_type", "relation", "polarity", "to_actor", "to_type",
                   "direction", "start", "end", "confidence", "evidence", "source",
                   "source_date", "source_url")
RELATION_REQUIRED = ("from_actor", "to_actor", "relation")
MILESTONE_COLUMNS = ("date", "date_precision", "kind", "actors", "description", "source",
                     "source_url")


def _relation_filter(relations: pd.DataFrame, relation_types: list[str] | None,
                     confidence: list[str] | None = None) -> pd.DataFrame:
    require_columns(relations, RELATION_REQUIRED, "relations")
    frame = relations
    if relation_types:
        frame = frame.loc[frame["relation"].isin(relation_types).fillna(False).astype(bool)]
    if confidence and "confidence" in frame.columns:
        frame = frame.loc[frame["confidence"].isin(confidence).fillna(False).astype(bool)]
    return frame


def support_table(relations: pd.DataFrame, relation_types: list[str] | None = None,
                  actor: str | None = None,
                  confidence: list[str] | None = None) -> pd.DataFrame:
    """Who supports (lobbies, opposes ...) whom: one row per cited relation.

    Optionally only some relation types, only relations touching ``actor`` and only some
    confidence levels. Sorted by relation, then source actor, then target actor.
    """
    frame = _relation_filter(relations, relation_types, confidence)
    if actor:
        frame = frame.loc[((frame["from_actor"] == actor) | (frame["to_actor"] == actor))
                          .fillna(False).astype(bool)]
    cols = [c for c in SUPPORT_COLUMNS if c in frame.columns]
    return frame[cols].sort_values(["relation", "from_actor", "to_actor"],
                                   kind="stable").reset_index(drop=True)


def relations_graph(relations: pd.DataFrame, relation_types: list[str] | None = None,
                    confidence: list[str] | None = None) -> nx.MultiDiGraph:
    """A directed multigraph: nodes are actors (attribute ``type``), edges are relations.

    Each edge carries every column of its row (relation, polarity, direction, confidence,
    evidence, source ...); a "mutual" relation stays one edge with ``direction="mutual"``
    so it is neither double-counted nor drawn twice.
    """
    frame = _relation_filter(relations, relation_types, confidence)
    graph = nx.MultiDiGraph()
    for record in frame.to_dict("records"):
        clean = {k: (None if _isna(v) else v) for k, v in record.items()}
        for end in ("from", "to"):
            name, kind = clean[f"{end}_actor"], clean.get(f"{end}_type")
            if name not in graph:
                graph.add_node(name, type=kind or "unknown")
            elif kind and graph.nodes[name].get("type") in (None, "unknown"):
                graph.nodes[name]["type"] = kind
        graph.add_edge(clean["from_actor"], clean["to_actor"], **clean)
    return graph


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def ego_relations(relations: pd.DataFrame, actor: str, radius: int = 1,
                  relation_types: list[str] | None = None) -> pd.DataFrame:
    """Relations among actors within ``radius`` steps of ``actor`` (direction ignored).

    An unknown actor gives an empty frame with the support-table columns.
    """
    frame = _relation_filter(relations, relation_types)
    graph = relations_graph(frame)
    if actor not in graph:
        return support_table(frame.iloc[0:0])
    near = nx.ego_graph(graph.to_undirected(as_view=True), actor, radius=radius).nodes
    keep = frame["from_actor"].isin(near) & frame["to_actor"].isin(near)
    return support_table(frame.loc[keep.fillna(False).astype(bool)])


def actor_summary(relations: pd.DataFrame) -> pd.DataFrame:
    """One row per actor: type, relations given and received, relation types involved.

    Sorted by total relations, most connected first.
    """
    require_columns(relations, RELATION_REQUIRED, "relations")
    cols = {"actor": "string", "type": "string", "outgoing": "int64", "incoming": "int64",
            "relations": "int64", "relation_types": "string"}
    graph = relations_graph(relations)
    rows = []
    for node, data in graph.nodes(data=True):
        kinds = {d.get("relation") for *_, d in graph.in_edges(node, data=True)}
        kinds |= {d.get("relation") for *_, d in graph.out_edges(node, data=True)}
        rows.append({"actor": node, "type": data.get("type"),
                     "outgoing": graph.out_degree(node), "incoming": graph.in_degree(node),
                     "relation_types": ", ".join(sorted(k for k in kinds if k))})
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    out = pd.DataFrame(rows)
    out["relations"] = out["outgoing"] + out["incoming"]
    out = out.sort_values(["relations", "actor"], ascending=[False, True], kind="stable")
    return out[list(cols)].astype(cols).reset_index(drop=True)


def _partial_start(text: object) -> tuple[pd.Timestamp | None, str | None]:
    """First day and precision of a YYYY / YYYY-MM / YYYY-MM-DD cell."""
    if _isna(text):
        return None, None
    text = str(text)
    precision = {4: "year", 7: "month", 10: "day"}.get(len(text))
    fill = {4: "-01-01", 7: "-01", 10: ""}.get(len(text), "")
    try:
        return pd.Timestamp(text + fill), precision
    except ValueError:
        return None, None


def milestones(key_events: pd.DataFrame | None = None, lobbying: pd.DataFrame | None = None,
               relations: pd.DataFrame | None = None,
               themes: tuple[str, ...] | None = ("external_support",),
               start: object = None, end: object = None,
               registrations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One dated timeline of diplomatic, lobbying and alliance milestones.

    Combines curated key events (of ``themes``; None = all), FARA agreements from the
    curated lobbying table, FARA registrations from the Justice Department's records
    (``registrations``, one milestone per registration number) and the start of dated
    relations. Columns: ``date``, ``date_precision``, ``kind``, ``actors``,
    ``description``, ``source``, ``source_url``; sorted by date. Descriptions of FARA rows
    and relations are composed from their fields, not quoted from any document.
    """
    parts: list[pd.DataFrame] = []
    if registrations is not None and len(registrations):
        table = registrations_table(registrations)
        parts.append(pd.DataFrame({
            "date": table["registered"], "date_precision": "day",
            "kind": "FARA registration",
            "actors": table["registrant"] + "; " + table["principals"],
            "description": ("FARA No. " + table["registration_number"] + ": "
                            + table["registrant"] + " registered for " + table["principals"]),
            "source": FARA_SOURCE, "source_url": pd.NA}))
    if key_events is not None and len(key_events):
        require_columns(key_events, ["event_date", "description"], "milestones (key events)")
        ke = key_events
        if themes and "theme" in ke.columns:
            ke = ke.loc[ke["theme"].isin(themes).fillna(False).astype(bool)]
        parts.append(pd.DataFrame({
            "date": pd.to_datetime(ke["event_date"]),
            "date_precision": ke.get("date_precision", pd.Series(pd.NA, index=ke.index)),
            "kind": "key event", "actors": ke.get("actors", pd.Series(pd.NA, index=ke.index)),
            "description": ke["description"], "source": ke.get("source"),
            "source_url": ke.get("source_url")}))
    if lobbying is not None and len(lobbying):
        require_columns(lobbying, ["registrant", "principal", "agreement_date"],
                        "milestones (lobbying)")
        lb = lobbying
        comp = lb.get("compensation", pd.Series(pd.NA, index=lb.index)).astype("string")
        text = ("Agreement: " + lb["registrant"].astype("string") + " to work for "
                + lb["principal"].astype("string") + (" (" + comp + ")").fillna(""))
        parts.append(pd.DataFrame({
            "date": pd.to_datetime(lb["agreement_date"]),
            "date_precision": lb.get("date_precision", pd.Series(pd.NA, index=lb.index)),
            "kind": "FARA agreement",
            "actors": lb["registrant"].astype("string") + "; " + lb["principal"].astype("string"),
            "description": text, "source": lb.get("source"), "source_url": lb.get("source_url")}))
    if relations is not None and len(relations) and "start" in relations.columns:
        rows = []
        for record in relations.to_dict("records"):
            date, precision = _partial_start(record.get("start"))
            if date is None:
                continue
            words = relation_words(str(record["relation"]), record.get("polarity"))
            rows.append({"date": date, "date_precision": precision,
                         "kind": "relation recorded from",
                         "actors": f"{record['from_actor']}; {record['to_actor']}",
                         "description": f"{record['from_actor']} → {record['to_actor']}: "
                                        f"{words}",
                         "source": record.get("source"), "source_url": record.get("source_url")})
        if rows:
            parts.append(pd.DataFrame(rows))
    dtypes = {"date": "datetime64[ns]", "date_precision": "string", "kind": "string",
              "actors": "string", "description": "string", "source": "string",
              "source_url": "string"}
    parts = [p.reindex(columns=list(MILESTONE_COLUMNS)).astype(dtypes) for p in parts]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})
    out = pd.concat(parts, ignore_index=True)
    if start is not None:
        out = out.loc[out["date"] >= pd.Timestamp(start)]
    if end is not None:
        out = out.loc[out["date"] <= pd.Timestamp(end)]
    return out.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def reported_aid(indicators: pd.DataFrame) -> pd.DataFrame:
    """Reported aid figures (indicator ``aid_reported``), largest first, each with its source.

    Figures are cumulative totals published by different sources over different periods,
    so they are listed side by side, never summed.
    """
    require_columns(indicators, ["indicator", "value"], "reported_aid")
    frame = indicators.loc[(indicators["indicator"] == "aid_reported").fillna(False)
                           .astype(bool)]
    cols = [c for c in ("donor", "value", "unit", "comparator", "period_start", "period_end",
                        "original_publisher", "source", "source_date", "source_url")
            if c in frame.columns]
    return frame[cols].sort_values("value", ascending=False, kind="stable").reset_index(
        drop=True)


# --------------------------------------------------------------------------- FARA records

FARA_SOURCE = "US Department of Justice, FARA bulk data (foreign principals)"
#: Words that tie a FARA registration to the resistance (principal or registrant).
RESISTANCE_WORDS = ("Resistance Front", "Massoud")


def registrations_table(registrations: pd.DataFrame,
                        words: tuple[str, ...] | None = RESISTANCE_WORDS) -> pd.DataFrame:
    """One row per FARA registration number: who registered for whom, when, until when.

    ``registrations`` is the FARA table (one row per principal); with ``words`` only
    registrations whose principal or registrant names one of them are kept (default: the
    resistance). ``terminated`` is the last principal's termination date, NA while any
    principal of the registration was still active in the file.
    """
    require_columns(registrations, ["registration_number", "registrant", "principal",
                                    "principal_registered", "terminated"],
                    "registrations_table")
    rows = registrations
    if words:
        pattern = "|".join(re.escape(w) for w in words)
        rows = rows[(rows["principal"].str.contains(pattern, case=False)
                     | rows["registrant"].str.contains(pattern, case=False)).fillna(False)]
    out = rows.groupby("registration_number", sort=False).agg(
        registrant=("registrant", "first"),
        principals=("principal", lambda v: "; ".join(dict.fromkeys(v))),
        registered=("principal_registered", "min"),
        terminated=("terminated", lambda v: pd.NaT if v.isna().any() else v.max()))
    out = out.reset_index().sort_values("registered", kind="stable").reset_index(drop=True)
    out["registration_number"] = out["registration_number"].astype("str")
    return out


def _key(name: object) -> set[str]:
    words = re.findall(r"[a-z]+", str(name).lower())
    return {w for w in words if w not in {"llc", "pllc", "inc", "of", "the", "us", "u", "s",
                                          "d", "b", "a", "group", "llp"}}


def reconcile_lobbying(lobbying: pd.DataFrame, registrations: pd.DataFrame) -> pd.DataFrame:
    """The curated lobbying rows beside the FARA records, registration by registration.

    Rows are paired by the registrant's name (its distinctive words). Columns:
    ``registrant``, ``fara_number``, ``fara_registered``, ``fara_terminated``,
    ``curated_agreement``, ``curated_registered``, ``status`` and ``detail``. ``status``:
    ``agree`` (the dates match), ``differs`` (both have it, dates differ: both are shown
    with their sources), ``FARA only`` or ``curated only``.
    """
    fara = registrations_table(registrations)
    rows, used = [], set()
    for rec in lobbying.to_dict("records"):
        key = _key(rec["registrant"])
        match = next((f for f in fara.itertuples(index=False)
                      if len(key & _key(f.registrant)) >= 2
                      or (key and key <= _key(f.registrant))), None)
        curated_reg = rec.get("registration_date")
        row = {"registrant": rec["registrant"], "curated_agreement": rec["agreement_date"],
               "curated_registered": curated_reg, "curated_source": rec.get("source")}
        if match is None:
            rows.append({**row, "status": "curated only",
                         "detail": "no FARA registration with this registrant in the file"})
            continue
        used.add(match.registration_number)
        row.update(fara_number=match.registration_number, fara_registered=match.registered,
                   fara_terminated=match.terminated)
        if pd.notna(curated_reg) and pd.Timestamp(curated_reg) != match.registered:
            status = "differs"
            detail = (f"curated registration {pd.Timestamp(curated_reg):%Y-%m-%d} "
                      f"({rec.get('source')}); FARA {match.registered:%Y-%m-%d}")
        elif pd.isna(curated_reg):
            status = "agree" if (pd.notna(rec["agreement_date"]) and abs(
                (match.registered - pd.Timestamp(rec["agreement_date"])).days) <= 45) \
                else "differs"
            detail = (f"curated agreement {pd.Timestamp(rec['agreement_date']):%Y-%m} "
                      f"(month precision); FARA registered the principal "
                      f"{match.registered:%Y-%m-%d}")
        else:
            status, detail = "agree", f"both {match.registered:%Y-%m-%d}"
        rows.append({**row, "status": status, "detail": detail})
    for f in fara.itertuples(index=False):
        if f.registration_number not in used:
            rows.append({"registrant": f.registrant, "fara_number": f.registration_number,
                         "fara_registered": f.registered, "fara_terminated": f.terminated,
                         "status": "FARA only",
                         "detail": f"for {f.principals}; no curated row"})
    cols = ["registrant", "fara_number", "fara_registered", "fara_terminated",
            "curated_agreement", "curated_registered", "status", "detail", "curated_source"]
    return pd.DataFrame(rows).reindex(columns=cols)
