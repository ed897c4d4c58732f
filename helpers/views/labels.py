"""What a reader sees instead of the data's codes: human names for values and columns.

Every chart legend, table header and map legend goes through here, so ``islamic_state``
is "Islamic State (ISKP)" everywhere and a column is named the same in every report.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.reference import vocabulary

#: Canonical sides -> how reports name them.
SIDE_LABELS = {"resistance": "Armed resistance", "taliban": "Taliban",
               "republic": "Islamic Republic (to 2021)", "islamic_state": "Islamic State (ISKP)",
               "al_qaeda": "al-Qaeda", "civilians": "Civilians", "other": "Other actors",
               "unknown": "Unknown"}
TARGET_LABELS = {"official": "Officials", "military": "Military", "infrastructure":
                 "Infrastructure", "civilian": "Civilians", "unknown": "Unknown target"}
GOVERNMENT_LABELS = {"republic": "Islamic Republic", "taliban": "Taliban-led state",
                     "both": "Both (2021, before and after 15 August)"}
MEASURE_LABELS = {"people_in_need": "People in need", "people_targeted": "People targeted",
                  "requirements_usd": "Requirements (US$)", "funding_usd": "Funding (US$)",
                  "malnourished_people": "Malnourished people",
                  "malnourished_children": "Malnourished children",
                  "poverty_rate": "Poverty rate (%)", "aid_reported": "Aid reported (US$)",
                  "returned_refugees": "Returned refugees", "returned_idps": "Returned IDPs",
                  "population": "Population"}

POLARITY_LABELS = {"positive": "for", "negative": "against"}
ACTOR_TYPE_LABELS = {"armed group": "Armed group", "state": "State", "diaspora": "Diaspora",
                     "firm": "Firm", "legislature": "Legislature",
                     "organisation": "Organisation", "population": "Population",
                     "unknown": "Unknown"}

#: Which value labels a column uses.
VALUE_LABELS = {"side1": SIDE_LABELS, "side2": SIDE_LABELS, "side": SIDE_LABELS,
                "opponent_side": SIDE_LABELS, "target": TARGET_LABELS,
                "government": GOVERNMENT_LABELS, "indicator": MEASURE_LABELS,
                "polarity": POLARITY_LABELS, "district": {"unknown": "(not recorded)"},
                "province": {"unknown": "(not recorded)"}, "actor_type": ACTOR_TYPE_LABELS,
                "from_type": ACTOR_TYPE_LABELS, "to_type": ACTOR_TYPE_LABELS,
                "type": ACTOR_TYPE_LABELS}

#: Column names -> table headers and legend titles.
HEADERS = {
    "side1": "Side", "side2": "Opponent side", "sub_event_type": "Type of operation",
    "event_type": "Event type", "province_code": "Province code", "province": "Province",
    "district": "District", "events": "Events", "fatalities": "Fatalities", "share": "Share",
    "first_event": "First activity", "last_event": "Latest activity",
    "first_year": "First year", "region": "Region", "target": "Target",
    "opponent": "Opponent", "government": "Government", "year": "Year",
    "conflict_intensity": "Conflict intensity (all opponents)",
    "conflict_id": "UCDP conflict", "bd_best": "Battle deaths (best)",
    "bd_low": "Low", "bd_high": "High", "version": "Release",
    "event_date": "Date", "date": "Date", "actors": "Actors", "description": "What happened",
    "source": "Source", "source_date": "Published", "source_url": "Link", "kind": "Kind",
    "id": "ID", "statement": "Claim (paraphrased)", "speaker": "Made by",
    "said_when": "When", "verdict": "Verdict", "reason": "Why", "computed": "What the data show",
    "evidence": "Evidence", "would_test": "What would test it", "check": "Check",
    "registration_number": "FARA No.", "registrant": "Registrant", "principals": "For",
    "principal": "Principal", "registered": "Registered", "terminated": "Ended",
    "fara_number": "FARA No.", "fara_registered": "FARA: registered",
    "fara_terminated": "FARA: ended", "curated_agreement": "Curated: agreement",
    "curated_registered": "Curated: registered", "curated_source": "Curated source",
    "status": "Status", "detail": "Detail", "indicator": "Measure",
    "period_start": "Year", "value": "Value", "unit": "Unit", "comparator": "",
    "revised_from": "Revised from", "alternatives": "Other figures for the year",
    "original_publisher": "Original publisher", "note": "Note", "appeals": "Appeals",
    "requirements_usd": "Required (US$)", "funding_usd": "Funded (US$)",
    "gap_usd": "Gap (US$)", "coverage_pct": "Funded (%)",
    "unattributed_usd": "Outside appeals (US$)", "people_in_need": "People in need",
    "population": "Population", "share_pct": "In need (% of population)",
    "per_100k": "Per 100,000 people", "from_actor": "From", "to_actor": "To",
    "relation": "Relation", "polarity": "For or against", "direction": "Direction",
    "start": "Since", "end": "Until", "confidence": "Confidence", "evidence_text": "Evidence",
    "from_type": "From (type)", "to_type": "To (type)", "outgoing": "Outgoing",
    "incoming": "Incoming", "relations": "Relations", "actor": "Actor", "type": "Type",
    "agreement_date": "Agreement", "compensation": "Compensation", "services": "Services",
    "donor": "Donor", "period_end": "Until", "order": "Order",
    "national_rows": "National rows", "province_rows": "Province rows",
    "provinces": "Provinces", "first_period": "First period", "last_period": "Last period",
    "level": "Level", "figure": "Figure",
}


def header(column: str) -> str:
    """The header a reader sees for ``column``."""
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def value(column: str, raw: object) -> object:
    """The human label of one coded value of ``column`` (unchanged when it has none)."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return raw
    return VALUE_LABELS.get(column, {}).get(str(raw), raw)


def values(column: str, series: pd.Series) -> pd.Series:
    """Human labels for a whole column."""
    mapping = VALUE_LABELS.get(column)
    return series.map(lambda v: mapping.get(str(v), v) if pd.notna(v) else v) \
        if mapping else series


def relation(kind: str, polarity: str = "positive") -> str:
    """A relation as a reader says it (see ``vocabulary.relation_words``)."""
    return vocabulary.relation_words(kind, polarity)
