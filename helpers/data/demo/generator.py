"""SYNTHETIC demo events in ACLED's export layout: not real incidents.

Why: the workbook must run end to end (notebooks, maps, reports, tests) for anyone who
clones it, without an ACLED account. ACLED's terms do not allow redistributing its data,
so the project ships a *generated* stand-in written in ACLED's current CSV export layout:
the demo then goes through the real ACLED reader, gazetteer, actor registry and target
classifier, exactly like a real export dropped into ``data/raw/``.

Every row is labelled: ``source == "synthetic-demo"``, ``source_scale == "Synthetic"``,
``tags`` contain ``synthetic`` and ``notes`` begin with :data:`NOTES_PREFIX`. Nothing in it
is a finding; reports built on it carry a synthetic-data banner.

How it is generated (deterministic: one ``numpy.random.Generator`` seeded with ``seed``):

* Monthly event counts per *stream* are Poisson draws around hand-set intensity curves;
  each event gets a day in its month, a real place from :mod:`helpers.data.demo.places`
  (GeoNames towns and ISO 3166-2 province centroids, jittered a few km), a sub-event type
  from a stream-specific mix, negative-binomial fatalities and a generated description.
* Streams: resistance operations (NRF, AFF), Taliban operations against the resistance,
  Taliban reprisals against civilians (Panjshir, Andarab), arrests, ISKP attacks on
  civilians and on the Taliban, Taliban raids on ISKP, and background violence by
  unidentified armed groups.
* ``timestamp`` (ACLED's last-update time) is derived from the event date, never from
  the clock, so the same seed gives the same bytes.

Calibration targets (shapes the notebooks should find; loosely modelled on the analysis
brief, NOT measured from real data):

* resistance operations start in Panjshir and Andarab (Baghlan) in August 2021 and spread
  north (Badakhshan, Takhar, Balkh, Kunduz, Parwan, Kapisa), into Kabul city and on to
  20 provinces in all by mid-2024;
* a rising monthly tempo, with about 200-260 resistance operations from January to
  August 2024 (the brief reports more than 200 for that period);
* a rising urban share (from about 5% to 40% of resistance operations), with
  assassinations of officials, bombings and mortar strikes in cities, including a
  scripted synthetic analogue of a mortar strike on Kabul airport on 26 February 2024;
* Taliban reprisals against civilians in Panjshir and Andarab; ISKP attacks on civilians
  and the Taliban, strongest in late 2021 and declining.

``python -m helpers.data.demo.generator`` (or ``make demo-data``) rewrites
``data/demo/acled_demo_events.csv``; ``--check`` only verifies the committed file.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers._io import atomic_write
from helpers.data.demo.places import AIRPORT_CITIES, PROVINCES, Place, place, places_in

log = logging.getLogger(__name__)

__all__ = [
    "COLUMNS", "DEFAULT_SEED", "DEMO_FILE", "NOTES_PREFIX", "RESISTANCE_ACTORS", "SOURCE",
    "demo_path", "generate", "main", "to_csv_text", "write",
]

#: Seed of the committed file (the date of the Taliban's takeover of Kabul).
DEFAULT_SEED = 20210815
DEMO_FILE = "acled_demo_events.csv"

#: ACLED's current export columns, in export order.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
_INT_COLUMNS = ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp")
_FLOAT_COLUMNS = ("latitude", "longitude")

NOTES_PREFIX = "SYNTHETIC DEMO EVENT — not a real incident. "
SOURCE = "synthetic-demo"
SOURCE_SCALE = "Synthetic"
TAG = "synthetic"
ID_PREFIX = "AFGDEMO"

FIRST_DAY = date(2021, 8, 15)
LAST_DAY = date(2025, 12, 31)

# ACLED's country fields for Afghanistan (ISO 3166-1 numeric 4; ACLED region).
ISO_NUMERIC = 4
REGION = "Caucasus and Central Asia"
COUNTRY = "Afghanistan"

# Actor names as ACLED spells them (all in data/curated/actors.csv).
NRF = "NRF: National Resistance Front"
AFF = "AFF: Afghanistan Freedom Front"
TALIBAN_MILITARY = "Military Forces of Afghanistan (2021-)"
TALIBAN_POLICE = "Police Forces of Afghanistan (2021-)"
ISKP = "Islamic State (Afghanistan)"
CIVILIANS = "Civilians (Afghanistan)"
UNIDENTIFIED = "Unidentified Armed Group (Afghanistan)"
RESISTANCE_ACTORS = (NRF, AFF)

# ACLED's actor-type labels (inter1 / inter2) in code order 1..8; ``interaction`` joins
# the two labels in this order ("State forces-Rebel group") or says "<label> only".
INTER_LABELS = ("State forces", "Rebel group", "Political militia", "Identity militia",
                "Rioters", "Protesters", "Civilians", "External/Other forces")
INTER = {NRF: "Rebel group", AFF: "Rebel group", ISKP: "Rebel group",
         TALIBAN_MILITARY: "State forces", TALIBAN_POLICE: "State forces",
         CIVILIANS: "Civilians", UNIDENTIFIED: "Political militia"}

# ACLED event types and their disorder type.
BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
STRATEGIC = "Strategic developments"
DISORDER = {BATTLES: "Political violence", EXPLOSIONS: "Political violence",
            VAC: "Political violence", STRATEGIC: "Strategic developments"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_KM_PER_DEG = 111.32
#: Sentence-initial words written in lower case after "On <date>, " (names keep capitals).
_LOWER_AFTER_DATE = frozenset({"A", "An", "The", "Gunmen", "Unidentified"})
_EPOCH = date(1970, 1, 1)


# --------------------------------------------------------------------------- event kinds


@dataclass(frozen=True)
class Kind:
    """One kind of event: ACLED types, the second actor, fatalities and note templates.

    Templates use ``{who}`` (first actor in words), ``{group}`` (resistance group's name),
    ``{where}`` (place phrase), ``{role}`` and ``{city}``. Wording is chosen so that
    :mod:`helpers.data.reference.targets` puts each kind in the intended target class.
    """

    event_type: str
    sub_event_type: str
    actor2: str | None
    templates: tuple[str, ...]
    fatalities: tuple[float, float]  # negative binomial (mean, dispersion)
    civilian_targeting: bool = False
    assoc_actor_2: str | None = None


OFFICIAL_ROLES = ("district chief", "deputy provincial governor", "local commander",
                  "intelligence official", "police chief", "district police commander",
                  "municipal official", "provincial intelligence director")
_LOCAL_ADMIN_ROLES = ("district chief", "deputy provincial governor", "municipal official")

RES_CLASH = Kind(BATTLES, "Armed clash", TALIBAN_MILITARY, (
    "{who} attacked a Taliban checkpoint {where}.",
    "{who} clashed with Taliban forces {where}.",
    "{who} ambushed a Taliban patrol {where}.",
    "{who} attacked a Taliban military outpost {where}.",
), (2.0, 0.8))
RES_OFFICIAL = Kind(BATTLES, "Armed clash", TALIBAN_POLICE, (
    "{who} shot a Taliban {role} {where}.",
    "Gunmen from the {group} attacked the car of a Taliban {role} {where}.",
    "The {group} claimed the killing of a Taliban {role} {where}.",
), (1.2, 2.0))
RES_OFFICIAL_IED = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", TALIBAN_POLICE, (
    "A magnetic bomb planted by {who} exploded under the vehicle of a Taliban {role} {where}.",
    "{who} detonated an IED targeting a Taliban {role} {where}.",
), (1.0, 1.5))
RES_IED = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", TALIBAN_MILITARY, (
    "{who} detonated an IED against a Taliban military vehicle {where}.",
    "An IED planted by {who} struck a Taliban convoy {where}.",
    "{who} detonated explosives at a Taliban security post {where}.",
), (1.2, 0.7))
RES_INFRA = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", None, (
    "{who} blew up a bridge {where}.",
    "{who} destroyed a power pylon {where}.",
    "{who} set off explosives on a power line {where}.",
), (0.1, 0.5))
RES_SHELL = Kind(EXPLOSIONS, "Shelling/artillery/missile attack", TALIBAN_MILITARY, (
    "{who} fired mortar rounds at a Taliban base {where}.",
    "{who} fired rockets at a Taliban military base {where}.",
), (0.6, 0.5))
RES_AIRPORT = Kind(EXPLOSIONS, "Shelling/artillery/missile attack", TALIBAN_MILITARY, (
    "{who} fired mortar rounds at the military section of {city} airport {where}.",
    "{who} fired rockets towards {city} airport {where}.",
), (0.3, 0.5))
RES_GRENADE = Kind(EXPLOSIONS, "Grenade", TALIBAN_POLICE, (
    "{who} threw a grenade at a Taliban police checkpoint {where}.",
    "{who} threw a hand grenade at a Taliban patrol {where}.",
), (0.5, 0.7))
RES_OVERTAKE = Kind(BATTLES, "Non-state actor overtakes territory", TALIBAN_MILITARY, (
    "{who} briefly took control of a Taliban outpost {where} before withdrawing.",
    "{who} overran a Taliban checkpoint {where} and held the position for several hours.",
), (2.0, 1.0))

TAL_CLASH = Kind(BATTLES, "Armed clash", None, (  # actor2: the resistance group
    "Taliban forces launched an operation against {group} positions {where}.",
    "Taliban forces clashed with {group} fighters {where}.",
    "Taliban forces attacked a {group} hideout {where}.",
), (2.5, 0.7))
TAL_REGAIN = Kind(BATTLES, "Government regains territory", None, (
    "Taliban forces retook the area {where} from {group} fighters after heavy fighting.",
), (4.0, 0.8))
TAL_REPRISAL = Kind(VAC, "Attack", CIVILIANS, (
    "Taliban forces shot dead a resident accused of supporting the {group} {where}.",
    "Taliban forces beat residents during house-to-house searches for {group} supporters "
    "{where}.",
    "Taliban forces killed a shepherd whose relatives serve with the {group} {where}.",
), (1.0, 1.5), civilian_targeting=True, assoc_actor_2="Tajik Ethnic Group (Afghanistan)")
TAL_ABDUCT = Kind(VAC, "Abduction/forced disappearance", CIVILIANS, (
    "Taliban intelligence detained a resident accused of links to the {group} {where}; "
    "his family has had no news of him.",
    "Taliban forces took away a young man accused of helping the {group} {where}.",
), (0.0, 1.0), civilian_targeting=True, assoc_actor_2="Tajik Ethnic Group (Afghanistan)")
TAL_ARREST = Kind(STRATEGIC, "Arrests", CIVILIANS, (
    "Taliban police arrested several residents accused of links to the {group} {where}.",
    "Taliban police arrested a former soldier accused of recruiting for the {group} {where}.",
), (0.0, 1.0))

IS_SUICIDE = Kind(EXPLOSIONS, "Suicide bomb", CIVILIANS, (
    "An Islamic State suicide bomber blew himself up inside a mosque {where}.",
    "An Islamic State suicide bomber attacked a crowded market {where}.",
    "An Islamic State suicide bomber attacked a school {where}.",
), (12.0, 0.6), civilian_targeting=True, assoc_actor_2="Hazara Ethnic Group (Afghanistan)")
IS_IED_CIV = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", CIVILIANS, (
    "An IED planted by Islamic State militants exploded next to a minibus {where}.",
    "A sticky bomb planted by Islamic State militants exploded in a shop {where}.",
), (2.0, 0.6), civilian_targeting=True)
IS_ATTACK_CIV = Kind(VAC, "Attack", CIVILIANS, (
    "Islamic State militants shot dead a religious scholar {where}.",
    "Islamic State militants shot at worshippers leaving a mosque {where}.",
), (1.5, 1.0), civilian_targeting=True)
IS_IED_TAL = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", TALIBAN_MILITARY, (
    "Islamic State militants detonated an IED against a Taliban military vehicle {where}.",
    "An IED planted by Islamic State militants struck a Taliban patrol {where}.",
), (1.5, 0.7))
IS_CLASH = Kind(BATTLES, "Armed clash", TALIBAN_MILITARY, (
    "Islamic State militants attacked a Taliban checkpoint {where}.",
), (2.0, 0.8))
IS_OFFICIAL = Kind(BATTLES, "Armed clash", TALIBAN_POLICE, (
    "Islamic State militants shot a Taliban {role} {where}.",
), (1.2, 2.0))
TI_RAID = Kind(BATTLES, "Armed clash", ISKP, (
    "Taliban forces raided an Islamic State hideout {where}.",
    "Taliban forces clashed with Islamic State militants {where}.",
), (2.0, 0.8))
TI_ARREST = Kind(STRATEGIC, "Arrests", ISKP, (
    "Taliban intelligence arrested suspected Islamic State members {where}.",
), (0.0, 1.0))

BG_UNKNOWN = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", None, (
    "An explosion was reported {where}; what was hit was not reported.",
    "An explosive device went off {where}; no claim of responsibility was made.",
), (0.6, 0.5))
BG_CIV = Kind(VAC, "Attack", CIVILIANS, (
    "Unidentified gunmen shot dead a shopkeeper {where}.",
    "Unidentified gunmen killed a former soldier of the Republic {where}.",
), (1.0, 1.5), civilian_targeting=True)
BG_CLASH = Kind(BATTLES, "Armed clash", TALIBAN_MILITARY, (
    "Unidentified gunmen attacked Taliban forces {where}.",
), (1.0, 0.8))
BG_INFRA = Kind(EXPLOSIONS, "Remote explosive/landmine/IED", None, (
    "Unidentified men blew up a power pylon {where}.",
    "Unidentified men damaged a telecom tower with explosives {where}.",
), (0.0, 1.0))
BG_TAL_CIV = Kind(VAC, "Attack", CIVILIANS, (
    "Taliban forces shot dead a former member of the Republic's security forces {where}.",
), (1.0, 3.0), civilian_targeting=True)


# --------------------------------------------------------------------------- the world

#: Resistance front: province, first month with operations, weight of its rural operations.
FRONT: tuple[tuple[str, date, float], ...] = (
    ("Panjshir", date(2021, 8, 15), 10.0), ("Baghlan", date(2021, 8, 15), 8.0),
    ("Kapisa", date(2022, 3, 1), 3.0), ("Parwan", date(2022, 3, 1), 3.0),
    ("Takhar", date(2022, 5, 1), 4.0), ("Badakhshan", date(2022, 5, 1), 4.0),
    ("Kabul", date(2022, 9, 1), 1.5), ("Balkh", date(2023, 3, 1), 2.0),
    ("Kunduz", date(2023, 3, 1), 2.0), ("Samangan", date(2023, 6, 1), 1.0),
    ("Bamyan", date(2023, 6, 1), 0.8), ("Laghman", date(2023, 9, 1), 1.0),
    ("Nuristan", date(2023, 9, 1), 0.8), ("Faryab", date(2024, 1, 1), 1.0),
    ("Jowzjan", date(2024, 1, 1), 0.8), ("Daykundi", date(2024, 3, 1), 0.6),
    ("Ghor", date(2024, 3, 1), 0.6), ("Herat", date(2024, 5, 1), 0.8),
    ("Wardak", date(2024, 5, 1), 0.8), ("Logar", date(2024, 7, 1), 0.7),
)
#: The AFF is stronger south of the Hindu Kush: multiply these provinces' weights for it.
AFF_BOOST = {"Kapisa": 3.0, "Parwan": 2.0, "Kabul": 3.0, "Laghman": 3.0, "Wardak": 3.0,
             "Logar": 3.0, "Panjshir": 0.2}
AFF_START = date(2022, 3, 1)
AFF_SHARE = 0.25
#: Cities of the urban campaign: (location, weight, first day).
URBAN_TARGETS: tuple[tuple[str, float, date], ...] = (
    ("Kabul", 6.0, date(2022, 9, 1)), ("Mazar-e Sharif", 2.0, date(2023, 3, 1)),
    ("Kunduz", 1.5, date(2023, 3, 1)), ("Baghlan", 1.0, date(2022, 6, 1)),
    ("Herat", 0.8, date(2024, 5, 1)), ("Balkh", 0.4, date(2023, 3, 1)),
)
URBAN_SHARE_START, URBAN_SHARE_END = 0.05, 0.40
URBAN_RAMP = (date(2022, 6, 1), LAST_DAY)

RURAL_MIX = ((RES_CLASH, 0.48), (RES_OFFICIAL, 0.09), (RES_OFFICIAL_IED, 0.03),
             (RES_IED, 0.13), (RES_INFRA, 0.05), (RES_SHELL, 0.10), (RES_GRENADE, 0.03),
             (RES_OVERTAKE, 0.09))
URBAN_MIX = ((RES_OFFICIAL, 0.22), (RES_OFFICIAL_IED, 0.10), (RES_IED, 0.25),
             (RES_GRENADE, 0.15), (RES_SHELL, 0.07), (RES_AIRPORT, 0.07), (RES_INFRA, 0.04),
             (RES_CLASH, 0.10))
IS_MIX = ((IS_SUICIDE, 0.12), (IS_IED_CIV, 0.20), (IS_ATTACK_CIV, 0.13), (IS_IED_TAL, 0.28),
          (IS_CLASH, 0.15), (IS_OFFICIAL, 0.12))
IS_AREAS = (("Nangarhar", 0.33), ("Kabul", 0.27), ("Kunar", 0.10), ("Kunduz", 0.08),
            ("Balkh", 0.08), ("Kandahar", 0.05), ("Herat", 0.04), ("Parwan", 0.03),
            ("Laghman", 0.02))
BG_MIX = ((BG_UNKNOWN, 0.30), (BG_CIV, 0.20), (BG_CLASH, 0.25), (BG_INFRA, 0.10),
          (BG_TAL_CIV, 0.15))


def _month_starts() -> list[date]:
    months, day = [], FIRST_DAY.replace(day=1)
    while day <= LAST_DAY:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def _season(month: date) -> float:
    """Fighting-season factor: +/-20%, highest in July, lowest in January."""
    return 1.0 + 0.2 * math.cos(2 * math.pi * (month.month - 7) / 12)


def resistance_intensity(month: date) -> float:
    """Expected resistance operations in ``month`` (before the Poisson draw).

    August-September 2021 is the Panjshir / Andarab fighting after the takeover; from
    October 2021 a linear rise (6 a month, +0.72 a month) times the fighting season.
    """
    if month < date(2021, 9, 1):
        return 8.0
    if month < date(2021, 10, 1):
        return 28.0
    t = (month.year - 2021) * 12 + month.month - 10
    return (6.0 + 0.72 * t) * _season(month)


def iskp_intensity(month: date) -> float:
    """Expected ISKP attacks: a late-2021 peak decaying to a few a month."""
    t = (month.year - 2021) * 12 + month.month - 8
    return 4.0 + 36.0 * math.exp(-t / 8.0)


def _urban_share(day: date) -> float:
    start, end = URBAN_RAMP
    if day < start:
        return 0.0
    frac = (day - start).days / (end - start).days
    return URBAN_SHARE_START + (URBAN_SHARE_END - URBAN_SHARE_START) * frac


# --------------------------------------------------------------------------- generator


class _Builder:
    """Draws events stream by stream from one seeded Generator and collects the rows."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.rows: list[dict[str, object]] = []

    # ---- random helpers
    def pick(self, items: Sequence, weights: Sequence[float]):
        w = np.asarray(weights, dtype=float)
        return items[int(self.rng.choice(len(items), p=w / w.sum()))]

    def mix(self, pairs: Sequence[tuple[Kind, float]]) -> Kind:
        return self.pick([k for k, _ in pairs], [w for _, w in pairs])

    def days_in(self, month: date, n: int) -> list[date]:
        first = max(month, FIRST_DAY)
        last = min(date(month.year, month.month, calendar.monthrange(month.year,
                                                                     month.month)[1]), LAST_DAY)
        span = (last - first).days + 1
        offsets = self.rng.integers(0, span, size=n)
        return sorted(date.fromordinal(first.toordinal() + int(o)) for o in offsets)

    def fatalities(self, kind: Kind) -> int:
        mean, k = kind.fatalities
        if mean <= 0:
            return 0
        return int(min(self.rng.negative_binomial(k, k / (k + mean)), 150))

    def rural_place(self, admin1: str) -> Place | None:
        """A town of the province (``None`` = the province centroid, precision 3)."""
        towns = places_in(admin1, "town")
        if not towns or self.rng.random() < 0.15:
            return None
        return self.pick(towns, [p.weight for p in towns])

    # ---- one row
    def add(self, day: date, kind: Kind, actor1: str, where: Place | None, admin1: str,
            *, actor2: str | None = None, group: str = "", role: str = "",
            fixed_note: str | None = None, fatalities: int | None = None) -> None:
        rng = self.rng
        actor2 = actor2 if actor2 is not None else kind.actor2
        if where is None:
            _, lat0, lon0 = PROVINCES[admin1]
            geo, radius, admin2, location = 3, (0.0, 6.0), None, admin1
            phrase = f"in {admin1} province (exact location not reported)"
        else:
            lat0, lon0, admin2, location = where.latitude, where.longitude, where.admin2, \
                where.location
            if where.role == "city":
                geo, radius = 1, (0.0, 2.0)
                phrase = ("in Kabul city" if where.location == "Kabul"
                          else f"in {where.location} city, {admin1} province")
            else:
                geo = 1 if rng.random() < 0.6 else 2
                radius = (0.0, 1.0) if geo == 1 else (1.5, 5.0)
                near = "in" if geo == 1 else "near"
                district = (f"{where.admin2} district" if where.location == where.admin2
                            else f"{where.location}, {where.admin2} district")
                phrase = f"{near} {district}, {admin1} province"
        bearing = rng.uniform(0.0, 2 * math.pi)
        dist = rng.uniform(*radius)
        lat = lat0 + dist * math.cos(bearing) / _KM_PER_DEG
        lon = lon0 + dist * math.sin(bearing) / (_KM_PER_DEG * math.cos(math.radians(lat0)))
        n_dead = self.fatalities(kind) if fatalities is None else fatalities
        if fixed_note is None:
            template = kind.templates[int(rng.integers(len(kind.templates)))]
            who = _who(actor1, group)
            text = template.format(who=who, group=_group_name(group), where=phrase, role=role,
                                   city=location)
            text = text[0].upper() + text[1:]
        else:
            text = fixed_note
        precision = 1 if rng.random() < 0.88 else 2  # 2: ACLED's "week" precision
        when = ("On" if precision == 1 else "Around") + \
            f" {day.day} {_MONTHS[day.month - 1]} {day.year}, "
        first, _, rest = text.partition(" ")
        if first in _LOWER_AFTER_DATE:
            text = first.lower() + " " + rest
        note = NOTES_PREFIX + when + text + " " + _fatality_text(n_dead)
        tags = [TAG]
        if role in _LOCAL_ADMIN_ROLES:  # ACLED's tag for attacks on local administrators
            tags.append("local administrators")
        inter1 = INTER[actor1]
        inter2 = INTER[actor2] if actor2 else None
        lag_days = int(rng.integers(2, 15))
        stamp = ((day - _EPOCH).days + lag_days) * 86_400 + int(rng.integers(0, 86_400))
        self.rows.append({
            "event_date": day, "year": day.year,
            "time_precision": precision,
            "disorder_type": DISORDER[kind.event_type], "event_type": kind.event_type,
            "sub_event_type": kind.sub_event_type, "actor1": actor1, "assoc_actor_1": None,
            "inter1": inter1, "actor2": actor2, "assoc_actor_2": kind.assoc_actor_2,
            "inter2": inter2, "interaction": _interaction(inter1, inter2),
            "civilian_targeting": "Civilian targeting" if kind.civilian_targeting else None,
            "iso": ISO_NUMERIC, "region": REGION, "country": COUNTRY, "admin1": admin1,
            "admin2": admin2, "admin3": None, "location": location,
            "latitude": round(lat, 4), "longitude": round(lon, 4), "geo_precision": geo,
            "source": SOURCE, "source_scale": SOURCE_SCALE, "notes": note,
            "fatalities": n_dead, "tags": "; ".join(tags), "timestamp": stamp,
        })

    # ---- streams
    def resistance(self) -> None:
        for month in _month_starts():
            n = int(self.rng.poisson(resistance_intensity(month)))
            for day in self.days_in(month, n):
                self._resistance_op(day)
        self._kabul_airport_analogue()

    def _resistance_op(self, day: date) -> None:
        rng = self.rng
        group = AFF if day >= AFF_START and rng.random() < AFF_SHARE else NRF
        cities = [(loc, w) for loc, w, start in URBAN_TARGETS if day >= start]
        if cities and rng.random() < _urban_share(day):
            city = place(self.pick([c for c, _ in cities], [w for _, w in cities]))
            kind = self.mix(URBAN_MIX)
            if kind is RES_AIRPORT and city.location not in AIRPORT_CITIES:
                kind = RES_SHELL
            self.add(day, kind, group, city, city.admin1, group=group,
                     role=self._role(kind))
            return
        front = [(p, w * (AFF_BOOST.get(p, 1.0) if group == AFF else 1.0))
                 for p, start, w in FRONT if day >= start]
        admin1 = self.pick([p for p, _ in front], [w for _, w in front])
        kind = self.mix(RURAL_MIX)
        self.add(day, kind, group, self.rural_place(admin1), admin1, group=group,
                 role=self._role(kind))

    def _role(self, kind: Kind) -> str:
        if kind in (RES_OFFICIAL, RES_OFFICIAL_IED, IS_OFFICIAL):
            return str(OFFICIAL_ROLES[int(self.rng.integers(len(OFFICIAL_ROLES)))])
        return ""

    def _kabul_airport_analogue(self) -> None:
        """Scripted SYNTHETIC analogue of the mortar strike the brief describes."""
        self.add(date(2024, 2, 26), RES_AIRPORT, NRF, place("Kabul"), "Kabul", group=NRF,
                 fixed_note="NRF fighters fired mortar rounds at the military section of "
                            "Kabul airport in Kabul city (scripted synthetic analogue of a "
                            "strike described in the project's analysis brief).",
                 fatalities=0)

    def taliban_response(self) -> None:
        for month in _month_starts():
            base = resistance_intensity(month)
            early = month < date(2021, 10, 1)
            n_clash = int(self.rng.poisson(base * (1.5 if early else 0.35)))
            n_reprisal = int(self.rng.poisson(base * (0.9 if early else 0.12)))
            n_arrest = int(self.rng.poisson(0.0 if early else base * 0.08))
            for day in self.days_in(month, n_clash):
                group = self._opponent(day)
                kind = TAL_REGAIN if early and self.rng.random() < 0.2 else TAL_CLASH
                admin1 = self._front_province(day, core=early)
                self.add(day, kind, TALIBAN_MILITARY, self.rural_place(admin1), admin1,
                         actor2=group, group=group)
            for day in self.days_in(month, n_reprisal):
                admin1 = self.pick(("Panjshir", "Baghlan", "Takhar", "Badakhshan"),
                                   (5, 4, 1, 1) if day >= date(2022, 5, 1) else (5, 4, 0, 0))
                kind = TAL_ABDUCT if self.rng.random() < 0.35 else TAL_REPRISAL
                self.add(day, kind, TALIBAN_MILITARY, self.rural_place(admin1), admin1,
                         group=self._opponent(day))
            for day in self.days_in(month, n_arrest):
                admin1 = self._front_province(day, core=False)
                where = (place("Kabul") if admin1 == "Kabul" and self.rng.random() < 0.7
                         else self.rural_place(admin1))
                self.add(day, TAL_ARREST, TALIBAN_POLICE, where, admin1,
                         group=self._opponent(day))

    def _opponent(self, day: date) -> str:
        return AFF if day >= AFF_START and self.rng.random() < 0.2 else NRF

    def _front_province(self, day: date, core: bool) -> str:
        front = [(p, w) for p, start, w in FRONT if day >= start]
        if core:
            front = front[:2]
        return self.pick([p for p, _ in front], [w for _, w in front])

    def iskp(self) -> None:
        for month in _month_starts():
            lam = iskp_intensity(month)
            for day in self.days_in(month, int(self.rng.poisson(lam))):
                admin1 = self.pick([a for a, _ in IS_AREAS], [w for _, w in IS_AREAS])
                kind = self.mix(IS_MIX)
                self.add(day, kind, ISKP, self._city_or_town(admin1, 0.7), admin1,
                         role=self._role(kind))
            for day in self.days_in(month, int(self.rng.poisson(0.45 * lam + 1.0))):
                admin1 = self.pick([a for a, _ in IS_AREAS], [w for _, w in IS_AREAS])
                kind = TI_RAID if self.rng.random() < 0.7 else TI_ARREST
                self.add(day, kind, TALIBAN_MILITARY, self._city_or_town(admin1, 0.4), admin1)

    def _city_or_town(self, admin1: str, p_city: float) -> Place | None:
        cities = places_in(admin1, "city")
        if cities and self.rng.random() < p_city:
            return cities[int(self.rng.integers(len(cities)))]
        return self.rural_place(admin1)

    def background(self) -> None:
        provinces = sorted(PROVINCES)
        for month in _month_starts():
            for day in self.days_in(month, int(self.rng.poisson(9.0))):
                admin1 = provinces[int(self.rng.integers(len(provinces)))]
                kind = self.mix(BG_MIX)
                actor1 = TALIBAN_MILITARY if kind is BG_TAL_CIV else UNIDENTIFIED
                self.add(day, kind, actor1, self._city_or_town(admin1, 0.3), admin1)


def _who(actor1: str, group: str) -> str:
    return {NRF: "NRF fighters", AFF: "AFF fighters"}.get(actor1, "")


def _group_name(group: str) -> str:
    return {NRF: "National Resistance Front", AFF: "Afghanistan Freedom Front"}.get(group, "")


def _interaction(inter1: str, inter2: str | None) -> str:
    if inter2 is None:
        return f"{inter1} only"
    first, second = sorted((inter1, inter2), key=INTER_LABELS.index)
    return f"{first}-{second}"


def _fatality_text(n: int) -> str:
    if n == 0:
        return "No fatalities were reported."
    return "1 fatality was reported." if n == 1 else f"{n} fatalities were reported."


def generate(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The SYNTHETIC demo events for ``seed``, in ACLED's export layout (see module doc).

    Columns are :data:`COLUMNS` in order; ``event_date`` is an ISO date string as in the
    CSV, counts are int64, coordinates float64 (4 decimals), text is ``string`` with NA
    for empty fields. Rows are newest first, like an ACLED export; ``event_id_cnty`` grows
    with the date. The same seed always gives the same frame.
    """
    builder = _Builder(int(seed))
    builder.resistance()
    builder.taliban_response()
    builder.iskp()
    builder.background()
    frame = pd.DataFrame(builder.rows)
    # Chronological ids: stable sort keeps stream order within a day.
    frame = frame.sort_values("event_date", kind="stable", ignore_index=True)
    frame.insert(0, "event_id_cnty",
                 [f"{ID_PREFIX}{i:05d}" for i in range(1, len(frame) + 1)])
    frame["event_date"] = [d.isoformat() for d in frame["event_date"]]
    frame = frame.iloc[::-1].reset_index(drop=True).loc[:, list(COLUMNS)]
    text = [c for c in COLUMNS if c not in _INT_COLUMNS + _FLOAT_COLUMNS]
    frame[text] = frame[text].astype("string")
    frame[list(_INT_COLUMNS)] = frame[list(_INT_COLUMNS)].astype("int64")
    frame[list(_FLOAT_COLUMNS)] = frame[list(_FLOAT_COLUMNS)].astype("float64")
    frame.attrs["synthetic"] = True
    frame.attrs["seed"] = int(seed)
    return frame


# --------------------------------------------------------------------------- output


def _cell(column: str, value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column in _FLOAT_COLUMNS:
        return f"{float(value):.4f}"
    if column in _INT_COLUMNS:
        return str(int(value))
    return str(value)


def to_csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as ACLED-style CSV text: header, ``\\n`` line ends, 4-decimal coordinates.

    Formatting is done here, not by pandas, so the bytes do not depend on the pandas
    version or locale.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    columns = [frame[c].tolist() for c in COLUMNS]
    for values in zip(*columns, strict=True):
        writer.writerow([_cell(c, v) for c, v in zip(COLUMNS, values, strict=True)])
    return buffer.getvalue()


def demo_path() -> Path:
    """Where the committed demo file lives (``config.DEMO_DIR / DEMO_FILE``)."""
    return config.DEMO_DIR / DEMO_FILE


def write(path: str | Path | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo events for ``seed`` and write them as UTF-8 CSV to ``path``.

    ``path`` defaults to :func:`demo_path`. The write is atomic (temporary file, then
    rename). Same seed, same bytes. Returns the path written.
    """
    target = Path(path) if path is not None else demo_path()
    data = to_csv_text(generate(seed)).encode("utf-8")
    atomic_write(target, data)
    log.info("wrote %d synthetic demo events (seed %d) to %s", data.count(b"\n") - 1, seed,
             target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: regenerate the demo file (default) or ``--check`` that it is up to date."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data.demo", description=(
        "Write the SYNTHETIC demo events (ACLED layout) to data/demo/."))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED}, the committed file)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"where to write (default {demo_path()})")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file differs from generate(seed)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    target = args.output or demo_path()
    if args.check:
        expected = to_csv_text(generate(args.seed)).encode("utf-8")
        actual = target.read_bytes() if target.exists() else b""
        if actual != expected:
            log.error("%s is missing or out of date: run `make demo-data`", target)
            return 1
        log.info("%s matches generate(%d)", target, args.seed)
        return 0
    write(target, args.seed)
    return 0

