"""ACLED event exports -> the canonical event table.

Two layouts: the current export a registered user downloads (lower-case columns such as
``event_id_cnty``, ``assoc_actor_1``, ``civilian_targeting``; ISO dates) and the older
upper-case layout (``EVENT_ID_CNTY``, ``GWNO``, ``EVENT_ID_NO_CNTY``, ``ALLY_ACTOR_1``; no
sub-event types; dates such as ``26 February 2015`` or ``26/02/2015``, always day first).
Column names are compared case-insensitively, so one mapping serves both.

The project's synthetic demo set is written in the current ACLED layout with
``source == "synthetic-demo"``; those rows keep that value as their canonical ``source``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data._codes import by_code
from helpers.data.sources import _canonical as canon
from helpers.data.sources._csv import Layout, read_header, read_table
from helpers.errors import Problem

log = logging.getLogger(__name__)

SYNTHETIC_SOURCE = "synthetic-demo"

#: Columns every ACLED layout has (lower-cased); the reader needs all of them.
CORE_COLUMNS = ("event_id_cnty", "event_date", "event_type", "actor1", "actor2", "country",
                "admin1", "latitude", "longitude", "fatalities")

#: Day-first formats, tried in order: ISO, "26 February 2024", "26-February-2015",
#: "26 Feb 2024", "26-Feb-2015", "26/02/2015", then ISO timestamps.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y",
                "ISO8601")

#: Every column the reader uses (others in the export are not converted, for speed).
USED_COLUMNS = CORE_COLUMNS + ("time_precision", "sub_event_type", "civilian_targeting",
                               "admin2", "admin3", "location", "geo_precision", "source",
                               "notes")

#: Canonical column -> the ACLED column it comes from (error messages name the latter).
SOURCE_COLUMNS = {"event_id": "event_id_cnty", "date_precision": "time_precision",
                  "province": "admin1", "province_code": "admin1", "district": "admin2",
                  "source_ref": "source"}

TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION = {"1": 1, "2": 2, "3": 3}


def parse(path: str | Path) -> pd.DataFrame:
    """Read one ACLED export (either layout) into a validated canonical event frame.

    Rows outside Afghanistan are dropped and counted in ``attrs["dropped"]``; unknown actor
    names are listed in ``attrs["unknown_actors"]`` (no warning here: see :func:`read`).
    """
    path = Path(path)
    file = str(path)
    header = [c.lower() for c in read_header(path).columns]
    layout = "acled" if LAYOUTS[0].matches(header) else "acled_legacy"
    raw = canon.lower_columns(read_table(path, columns=USED_COLUMNS, where=canon.AFGHAN_ROWS),
                              file=file)
    canon.require_columns(raw, CORE_COLUMNS, file=file, layout=layout)
    raw, dropped = canon.drop_outside(raw, raw["country"], file=file)
    attrs = {"dropped": dropped, "unknown_actors": [], "rows_read": len(raw) + sum(
        dropped.values())}
    if raw.empty:
        log.info("%s: no Afghan rows", path.name)
        return canon.empty_result(attrs, layout=layout, file=file)

    def col(name: str) -> pd.Series:
        return canon.text_column(raw, name)

    problems: list[Problem] = []
    suggestions: dict = {}
    # The target rules' scan of the free-text notes is the slowest step and needs only the
    # notes: it runs in a worker thread (Arrow's regex kernels release the GIL) while the
    # other columns are mapped and the rules' short columns are coded (categoricals).
    with ThreadPoolExecutor(max_workers=1) as pool:
        mentions = pool.submit(canon.note_mentions, col("notes"))
        dates = canon.parse_dates(raw["event_date"], DATE_FORMATS, column="event_date",
                                  file=file, problems=problems,
                                  hint="expected e.g. 2024-02-26 or 26 February 2024")
        actors, unknown = canon.resolve_actor_pairs(raw["actor1"], raw["actor2"], dates,
                                                    "acled")
        attrs["unknown_actors"] = unknown
        if "time_precision" in raw.columns:
            precision = canon.map_codes(raw["time_precision"], TIME_PRECISION,
                                        column="time_precision", file=file, problems=problems,
                                        allowed="1 (day), 2 (week), 3 (month)")
        else:
            log.info("%s: no time_precision column; dates taken as exact days", path.name)
            precision = pd.Series("day", index=raw.index, dtype="string")
        geo = (canon.map_codes(raw["geo_precision"], GEO_PRECISION, column="geo_precision",
                               file=file, problems=problems, allowed="1, 2, 3",
                               dtype="Int64", required=False)
               if "geo_precision" in raw.columns
               else pd.Series(pd.NA, index=raw.index, dtype="Int64"))
        lat = canon.to_number(raw["latitude"], column="latitude", file=file,
                              problems=problems)
        lon = canon.to_number(raw["longitude"], column="longitude", file=file,
                              problems=problems)
        deaths = canon.to_number(raw["fatalities"], column="fatalities", file=file,
                                 problems=problems, integer=True)
        codes, names = canon.resolve_provinces(raw["admin1"], file=file, column="admin1",
                                               problems=problems, suggestions=suggestions)
        src = col("source")
        src_codes, src_values = canon.distinct_text(src)
        synthetic = by_code(src_codes, (src_values == SYNTHETIC_SOURCE).to_numpy(
            dtype=bool, na_value=False))
        location = col("location")
        if "admin3" in raw.columns:
            location = location.fillna(col("admin3"))
        frame = pd.DataFrame({
            "event_id": col("event_id_cnty").str.strip(),
            "source": canon.take_text(["acled", SYNTHETIC_SOURCE], synthetic.astype(np.int8),
                                      raw.index),
            "event_date": dates,
            "date_precision": precision,
            "event_type": col("event_type"),
            "sub_event_type": col("sub_event_type"),
            "actor1": actors["actor1"],
            "actor2": actors["actor2"],
            "side1": actors["side1"],
            "side2": actors["side2"],
            "province": names,
            "province_code": codes,
            "district": col("admin2"),
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": geo,
            "fatalities": deaths,
            "target": pd.Series(pd.NA, index=raw.index, dtype="string"),
            "urban": canon.urban_flags(lat, lon),
            "notes": col("notes"),
            "source_ref": src,
        }, index=raw.index, copy=False)  # columns are not copied: CoW protects them
        rules_input = pd.DataFrame({
            "actor2": actors["actor2"], "notes": col("notes"),
            **{name: col(name).astype("category") for name in (
                "event_type", "sub_event_type", "civilian_targeting")},
            "side2": actors["side2"].astype("category")}, copy=False)
        frame["target"] = canon.target_classes(rules_input, mentions=mentions.result())
    return canon.finish(frame, problems, file=file, layout=layout, attrs=attrs,
                        source_columns=SOURCE_COLUMNS, suggestions=suggestions)


def read(path: str | Path) -> pd.DataFrame:
    """Read one ACLED export and warn (once) about actor names the registry does not know."""
    frame = parse(path)
    canon.actors.warn_unknown(frame.attrs.get("unknown_actors", []), source=Path(path).name,
                              stacklevel=3)
    return frame


LAYOUTS = [
    Layout(
        name="acled",
        kind="events",
        signature=frozenset(CORE_COLUMNS) | {"sub_event_type", "assoc_actor_1", "inter1"},
        read=parse,
        description="ACLED event export, current layout (lower-case columns, "
                    "sub_event_type, assoc_actor_1)",
    ),
    Layout(
        name="acled_legacy",
        kind="events",
        signature=frozenset(CORE_COLUMNS),
        read=parse,
        description="ACLED event export, older upper-case layout (EVENT_ID_CNTY, "
                    "ALLY_ACTOR_1, GWNO; no sub-event types)",
    ),
]
