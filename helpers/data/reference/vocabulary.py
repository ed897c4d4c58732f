"""The closed vocabularies every layer shares, each defined once.

Sides, target classes, the 34 province codes and the eight OCHA regions are referred to by
readers, schemas, curated tables, analysis and charts. They live here, at the bottom of
the data layer, so every other module imports the same tuple instead of keeping a copy.
"""

from __future__ import annotations

#: Sides an actor can be on (``side1`` / ``side2`` of the canonical event table).
SIDES: tuple[str, ...] = ("resistance", "taliban", "republic", "islamic_state", "al_qaeda",
                          "civilians", "other")

#: Sides that carry arms: an event against one of them hits a military target.
ARMED_SIDES: tuple[str, ...] = ("taliban", "republic", "resistance", "islamic_state",
                                "al_qaeda")

#: Target classes of an operation, in the order charts and tables list them.
TARGETS: tuple[str, ...] = ("official", "military", "infrastructure", "civilian", "unknown")

#: ISO 3166-2:AF codes of the 34 provinces.
PROVINCE_CODES: tuple[str, ...] = (
    "AF-BAL", "AF-BAM", "AF-BDG", "AF-BDS", "AF-BGL", "AF-DAY", "AF-FRA", "AF-FYB", "AF-GHA",
    "AF-GHO", "AF-HEL", "AF-HER", "AF-JOW", "AF-KAB", "AF-KAN", "AF-KAP", "AF-KDZ", "AF-KHO",
    "AF-KNR", "AF-LAG", "AF-LOG", "AF-NAN", "AF-NIM", "AF-NUR", "AF-PAN", "AF-PAR", "AF-PIA",
    "AF-PKA", "AF-SAM", "AF-SAR", "AF-TAK", "AF-URU", "AF-WAR", "AF-ZAB",
)

#: The eight UN OCHA humanitarian regions of Afghanistan, as used in OCHA's Humanitarian
#: Needs Overviews / Response Plans since 2022 and in partner datasets (e.g. the REACH/WFP
#: market monitoring's region rows). Source: UN OCHA Afghanistan, https://www.unocha.org/afghanistan
#: ("Capital" was called "Central" in OCHA products before 2022; both names are accepted).
REGIONS: dict[str, tuple[str, ...]] = {
    "Capital": ("AF-KAB", "AF-KAP", "AF-LOG", "AF-PAN", "AF-PAR", "AF-WAR"),
    "Central Highland": ("AF-BAM", "AF-DAY"),
    "Eastern": ("AF-KNR", "AF-LAG", "AF-NAN", "AF-NUR"),
    "North Eastern": ("AF-BDS", "AF-BGL", "AF-KDZ", "AF-TAK"),
    "Northern": ("AF-BAL", "AF-FYB", "AF-JOW", "AF-SAM", "AF-SAR"),
    "South Eastern": ("AF-GHA", "AF-KHO", "AF-PIA", "AF-PKA"),
    "Southern": ("AF-HEL", "AF-KAN", "AF-NIM", "AF-URU", "AF-ZAB"),
    "Western": ("AF-BDG", "AF-FRA", "AF-GHO", "AF-HER"),
}
REGION_NAMES: tuple[str, ...] = tuple(REGIONS)


#: Relations in ``relations.csv``: how a relation *for* someone is said ...
RELATION_WORDS = {"military": "military support", "logistical": "logistical support",
                  "political": "political support", "financial": "financial support",
                  "diplomatic": "diplomatic engagement", "lobbying": "lobbying",
                  "humanitarian aid": "humanitarian aid", "recognition": "recognition"}
#: ... and a relation *against* someone (``polarity == "negative"``).
AGAINST_WORDS = {"hostility": "hostility", "military": "rules out military support",
                 "recognition": "withholds recognition", "political": "political opposition",
                 "financial": "sanctions or withheld funds"}


def relation_words(kind: str, polarity: str | None = "positive") -> str:
    """A relation as a reader says it: ("military", "negative") -> "rules out military
    support"; an unknown kind keeps its name, prefixed "against:" when negative."""
    if polarity == "negative":
        return AGAINST_WORDS.get(kind, f"against: {kind}")
    return RELATION_WORDS.get(kind, kind)
