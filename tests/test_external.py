"""External-support analysis on a tiny, made-up relations table (not real data)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import external as ext
from helpers.errors import DataError


@pytest.fixture
def relations():
    return pd.DataFrame({
        "id": ["R01", "R02", "R03", "R04"],
        "from_actor": ["A", "B", "C", "D"],
        "from_type": ["state", "diaspora", "firm", "state"],
        "to_actor": ["G", "G", "G", "A"],
        "to_type": ["armed group", "armed group", "armed group", "state"],
        "relation": ["logistical", "financial", "lobbying", "diplomatic"],
        "polarity": ["positive"] * 4,
        "direction": ["one-way", "one-way", "one-way", "mutual"],
        "start": ["2021", "2022-05", None, "2023-01-15"],
        "end": [None] * 4,
        "evidence": ["e1", "e2", "e3", "e4"],
        "confidence": ["reported", "alleged", "reported", "assessed"],
        "source": ["s1", "s2", "s3", "s4"],
    })


def test_support_table_filters_and_sorts(relations):
    out = ext.support_table(relations)
    assert out["relation"].tolist() == ["diplomatic", "financial", "lobbying", "logistical"]
    assert "id" not in out.columns and "source" in out.columns
    only = ext.support_table(relations, relation_types=["financial", "lobbying"])
    assert only["from_actor"].tolist() == ["B", "C"]
    assert ext.support_table(relations, actor="D")["to_actor"].tolist() == ["A"]
    assert ext.support_table(relations, confidence=["reported"])["from_actor"].tolist() == [
        "C", "A"]


def test_relations_graph(relations):
    g = ext.relations_graph(relations)
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 4
    assert g.nodes["G"]["type"] == "armed group" and g.nodes["C"]["type"] == "firm"
    edge = next(iter(g.get_edge_data("D", "A").values()))
    assert edge["direction"] == "mutual" and edge["confidence"] == "assessed"
    assert edge["end"] is None  # NaN turned into None for clean attributes


def test_ego_relations_radius(relations):
    one = ext.ego_relations(relations, "A", radius=1)
    assert set(one["from_actor"]) == {"A", "D"}
    two = ext.ego_relations(relations, "A", radius=2)
    assert len(two) == 4
    assert ext.ego_relations(relations, "nobody").empty


def test_actor_summary(relations):
    out = ext.actor_summary(relations).set_index("actor")
    assert out.loc["G", "incoming"] == 3 and out.loc["G", "relations"] == 3
    assert out.loc["A", "relations"] == 2
    assert out.loc["A", "relation_types"] == "diplomatic, logistical"
    assert ext.actor_summary(relations.iloc[0:0]).empty


def test_milestones_combines_sources(relations):
    key = pd.DataFrame({"event_date": pd.to_datetime(["2024-05-01", "2024-02-26"]),
                        "date_precision": ["month", "day"], "actors": ["X; Y", "Z"],
                        "theme": ["external_support", "attacks"],
                        "description": ["alliance", "attack"], "source": ["k1", "k2"]})
    lob = pd.DataFrame({"registrant": ["Firm One"], "principal": ["Front"],
                        "agreement_date": pd.to_datetime(["2021-09-01"]),
                        "date_precision": ["month"], "compensation": ["pro bono"],
                        "services": ["advice"], "source": ["FARA"]})
    out = ext.milestones(key, lob, relations)
    assert out["kind"].tolist()[:2] == ["relation recorded from", "FARA agreement"]
    assert out["description"].iloc[0].endswith(": logistical support")
    assert out["date"].tolist()[0] == pd.Timestamp("2021-01-01")
    assert out.loc[out["kind"] == "FARA agreement", "description"].iloc[0] == (
        "Agreement: Firm One to work for Front (pro bono)")
    assert "attack" not in out["description"].tolist()  # other theme left out
    assert len(out) == 1 + 1 + 3  # key event, FARA row, three dated relations
    assert out["date"].is_monotonic_increasing

    assert ext.milestones(key, themes=None)["description"].tolist() == ["attack", "alliance"]
    assert ext.milestones(key, lob, start="2024-01-01")["description"].tolist() == ["alliance"]


def test_a_negative_relation_milestone_never_reads_as_support():
    rel = pd.DataFrame({"from_actor": ["United States"], "to_actor": ["NRF"],
                        "relation": ["military"], "polarity": ["negative"],
                        "start": ["2022-03"], "source": ["s"]})
    out = ext.milestones(None, None, rel)
    assert out["description"].tolist() == ["United States → NRF: rules out military support"]

def test_milestones_empty():
    out = ext.milestones(None, None, None)
    assert out.empty and list(out.columns) == list(ext.MILESTONE_COLUMNS)


def test_reported_aid_is_listed_not_summed():
    ind = pd.DataFrame({"indicator": ["aid_reported", "people_in_need", "aid_reported"],
                        "donor": ["P", None, "Q"], "value": [10.0, 99.0, 30.0],
                        "unit": ["USD", "people", "USD"], "source": ["a", "b", "c"]})
    out = ext.reported_aid(ind)
    assert out["donor"].tolist() == ["Q", "P"] and out["value"].tolist() == [30.0, 10.0]


def test_missing_columns(relations):
    with pytest.raises(DataError, match="to_actor"):
        ext.support_table(relations.drop(columns=["to_actor"]))


# --------------------------------------------------------------------------- FARA
def _fara():
    return pd.DataFrame({
        "registration_number": ["6399", "7169", "7169", "2165"],
        "registrant": ["Sonoran Policy Group, LLC", "U.S. Legal Advisors PLLC",
                       "U.S. Legal Advisors PLLC", "Squire Patton Boggs, LLP"],
        "principal": ["Ahmad Massoud", "National Resistance Front of Afghanistan",
                      "Ahmad Massoud", "The Islamic Republic of Afghanistan"],
        "principal_registered": pd.to_datetime(["2021-09-15", "2022-09-12", "2022-09-12",
                                                "2021-06-21"]),
        "terminated": pd.to_datetime([None, "2023-09-01", "2024-03-31", "2021-06-30"])})


def test_registrations_table_groups_principals_and_keeps_the_resistance():
    out = ext.registrations_table(_fara())
    assert out["registration_number"].tolist() == ["6399", "7169"]  # not the Republic's
    row = out.set_index("registration_number").loc["7169"]
    assert row["principals"] == "National Resistance Front of Afghanistan; Ahmad Massoud"
    assert row["terminated"] == pd.Timestamp("2024-03-31")
    assert pd.isna(out.set_index("registration_number").loc["6399", "terminated"])
    assert len(ext.registrations_table(_fara(), words=None)) == 3


def test_reconcile_lobbying_shows_agreement_difference_and_gaps():
    lobbying = pd.DataFrame({
        "registrant": ["Sonoran Policy Group (Stryk)", "US Legal Advisors PLLC", "Someone Else"],
        "agreement_date": pd.to_datetime(["2021-09-01", "2022-09-01", "2022-01-01"]),
        "registration_date": pd.to_datetime([None, "2022-09-13", None]),
        "source": ["O'Dwyer's", "OpenSecrets", "a blog"]})
    out = ext.reconcile_lobbying(lobbying, _fara()).set_index("registrant")
    assert out.loc["Sonoran Policy Group (Stryk)", "status"] == "agree"
    assert out.loc["Sonoran Policy Group (Stryk)", "fara_number"] == "6399"
    assert out.loc["US Legal Advisors PLLC", "status"] == "differs"
    assert "2022-09-13 (OpenSecrets); FARA 2022-09-12" in out.loc["US Legal Advisors PLLC",
                                                                 "detail"]
    assert out.loc["Someone Else", "status"] == "curated only"


def test_fara_registrations_become_milestones():
    steps = ext.milestones(registrations=_fara())
    assert steps["kind"].tolist() == ["FARA registration"] * 2
    assert steps["description"].iloc[0] == ("FARA No. 6399: Sonoran Policy Group, LLC "
                                            "registered for Ahmad Massoud")
