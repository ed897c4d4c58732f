"""Small stand-ins for the gazetteer, actor registry and target rules, for ingest tests.

The readers reach the gazetteer, actor registry and target rules through
``helpers.data.sources._canonical``; :func:`install` swaps in these fakes so the reader
tests check the readers' own mapping logic with answers computed by hand, independent of
the real registries (which have their own tests; ``test_events_loader`` also runs once
against the real modules).
"""

from __future__ import annotations

import difflib
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import Problem, UnknownProvinceError

FIXTURES = Path(__file__).parent / "fixtures" / "events"

PROVINCES = {
    "Panjshir": "AF-PAN", "Kabul": "AF-KAB", "Baghlan": "AF-BGL", "Takhar": "AF-TAK",
    "Badakhshan": "AF-BDS", "Parwan": "AF-PAR", "Kapisa": "AF-KAP", "Balkh": "AF-BAL",
    "Nangarhar": "AF-NAN",
}
ALIASES = {"panjsher": "AF-PAN", "panjshir": "AF-PAN", "af-pan": "AF-PAN", "af26": "AF-PAN"}
PCODES = {"AF26": "AF-PAN", "AF01": "AF-KAB"}
KABUL = (34.53, 69.17)

ACTORS = {
    # name (lower) -> list of (system, valid_from, valid_to, actor, side)
    "nrf: national resistance front": [("acled", None, None, "National Resistance Front",
                                        "resistance")],
    "nrf": [("ucdp", None, None, "National Resistance Front", "resistance")],
    "taliban": [("any", None, None, "Taliban", "taliban")],
    "civilians (afghanistan)": [("acled", None, None, "Civilians", "civilians")],
    "islamic state (afghanistan)": [("acled", None, None, "Islamic State Khorasan",
                                     "islamic_state")],
    "military forces of afghanistan (2014-2021)": [("acled", None, None, "Republic forces",
                                                     "republic")],
    "government of afghanistan": [
        ("ucdp", None, "2021-08-14", "Republic forces", "republic"),
        ("ucdp", "2021-08-15", None, "Taliban", "taliban"),
    ],
}


class UnknownActorWarning(UserWarning):
    """Fake of helpers.data.reference.actors.UnknownActorWarning."""


def _code(name: str) -> str | None:
    for canon, code in PROVINCES.items():
        if name.lower() == canon.lower():
            return code
    return ALIASES.get(name.lower())


def resolve_provinces(names, pcodes=None, *, file=None, rows=None) -> pd.Series:
    names = pd.Series(names)
    out, problems, suggestions = [], [], {}
    for i, name in enumerate(names):
        if pd.isna(name):
            out.append(pd.NA)
            continue
        code = _code(str(name).strip())
        if code is None:
            near = difflib.get_close_matches(str(name), list(PROVINCES), n=3, cutoff=0.5)
            suggestions[str(name)] = near
            problems.append(Problem(file, None if rows is None else rows[i], None, name,
                                    "unknown province"))
        out.append(code)
    if problems:
        raise UnknownProvinceError("unknown province(s)", problems, suggestions=suggestions)
    return pd.Series(out, index=names.index, dtype="string")


def resolve_province(name: str) -> str:
    return resolve_provinces(pd.Series([name])).iloc[0]


def province_name(code: str) -> str:
    return {v: k for k, v in PROVINCES.items()}[code]


def provinces() -> pd.DataFrame:
    return pd.DataFrame({"iso_code": list(PROVINCES.values()), "name": list(PROVINCES)})


def is_urban(lat, lon) -> pd.Series:
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return pd.Series((np.abs(lat - KABUL[0]) < 0.1) & (np.abs(lon - KABUL[1]) < 0.1))


def resolve_actors(names, dates, system) -> pd.DataFrame:
    names = pd.Series(names).astype("string")
    dates = pd.Series(pd.to_datetime(pd.Series(dates).to_numpy()), index=names.index)
    actor, side, unknown = [], [], set()
    for name, when in zip(names, dates, strict=True):
        if pd.isna(name):
            actor.append(pd.NA)
            side.append(pd.NA)
            continue
        hit = None
        for sys_, start, end, canon, s in ACTORS.get(str(name).strip().lower(), []):
            if sys_ not in (system, "any"):
                continue
            if start and when < pd.Timestamp(start) or end and when > pd.Timestamp(end):
                continue
            hit = (canon, s)
            break
        if hit is None:
            unknown.add(str(name).strip())
            hit = (str(name).strip(), "other")
        actor.append(hit[0])
        side.append(hit[1])
    out = pd.DataFrame({"actor": pd.array(actor, dtype="string"),
                        "side": pd.array(side, dtype="string")}, index=names.index)
    out.attrs["unknown"] = sorted(unknown)
    return out


def warn_unknown(names, *, source=None, stacklevel=2) -> None:
    listed = sorted(set(names))
    if listed:
        warnings.warn(f"unknown actors in {source}: {', '.join(listed)}", UnknownActorWarning,
                      stacklevel=stacklevel)


def term_mentions(notes: pd.Series) -> np.ndarray:
    """Stand-in for the notes scan: every present note "names a term"."""
    return notes.notna().to_numpy(dtype=bool)


def classify_targets(frame: pd.DataFrame, *, mentions: np.ndarray | None = None
                     ) -> pd.Series:
    if mentions is not None:  # the reader's early notes scan reaches the rules intact
        assert np.array_equal(mentions, term_mentions(frame["notes"])), "mentions misaligned"
    side2 = frame["side2"].astype("string")
    civ = frame.get("civilian_targeting", pd.Series(pd.NA, index=frame.index)).notna()
    out = np.where(civ | (side2 == "civilians").fillna(False), "civilian",
                   np.where(side2.isin(["taliban", "resistance", "republic"]).fillna(False),
                            "military", "unknown"))
    return pd.Series(out, index=frame.index, dtype="string")


def install(monkeypatch) -> None:
    """Replace the gazetteer, actor registry and target rules the readers use, for one test."""
    from helpers.data import catalog
    from helpers.data.sources import _canonical

    gaz = types.SimpleNamespace(**{fn.__name__: fn for fn in (
        resolve_provinces, resolve_province, province_name, provinces, is_urban)})
    act = types.SimpleNamespace(resolve_actors=resolve_actors, warn_unknown=warn_unknown,
                                UnknownActorWarning=UnknownActorWarning)
    tgt = types.SimpleNamespace(classify_targets=classify_targets,
                                term_mentions=term_mentions)
    monkeypatch.setattr(_canonical, "gazetteer", gaz)
    monkeypatch.setattr(_canonical, "actors", act)
    monkeypatch.setattr(_canonical, "targets", tgt)
    monkeypatch.setattr(catalog, "gazetteer", gaz)
    monkeypatch.setattr(catalog, "warn_unknown", warn_unknown)


ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]

ACLED_DEFAULT = {
    "event_id_cnty": "AFG1", "event_date": "2024-02-26", "year": "2024", "time_precision": "1",
    "disorder_type": "Political violence", "event_type": "Battles",
    "sub_event_type": "Armed clash", "actor1": "NRF: National Resistance Front",
    "assoc_actor_1": "", "inter1": "2", "actor2": "Taliban", "assoc_actor_2": "",
    "inter2": "1", "interaction": "12", "civilian_targeting": "", "iso": "4",
    "region": "Caucasus and Central Asia", "country": "Afghanistan", "admin1": "Panjshir",
    "admin2": "Anaba", "admin3": "", "location": "Anaba", "latitude": "35.25",
    "longitude": "69.45", "geo_precision": "1", "source": "Test Fixture",
    "source_scale": "National", "notes": "TEST FIXTURE - synthetic, not a real incident",
    "fatalities": "0", "tags": "", "timestamp": "1709000000",
}


def write_acled(path: Path, rows: list[dict], *, columns=None, delimiter: str = ",",
                encoding: str = "utf-8") -> Path:
    """Write an ACLED-layout CSV: each row is ACLED_DEFAULT updated with the given dict."""
    import csv

    columns = columns or ACLED_COLUMNS
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(columns)
        for i, row in enumerate(rows, start=1):
            full = {**ACLED_DEFAULT, "event_id_cnty": f"AFG{i}", **row}
            writer.writerow([full.get(c, "") for c in columns])
    return path
