"""Reader for ACLED's aggregated monthly files (as published on HDX) -> conflict aggregates.

ACLED publishes, per country and event family, monthly counts by admin area::

    Country, Admin1, Admin2, ISO3, Admin2 Pcode, Admin1 Pcode, Month, Year, Events, Fatalities

``Month`` is an English month word ("January"; "Jan" and 1..12 are accepted too). The
event family is not a column: it is in the file name (``..._political_violence_events_
and_fatalities_by_month-year_...``, ``..._civilian_targeting_...``,
``..._demonstration_events_...``; demonstration files have no ``Fatalities`` column). A
file whose name names no family gets ``event_type == "unspecified"`` and a warning.

Rows are district (admin-2) counts: they are summed to provinces (``from_admin2 =
True``), except where the file also has a province row for the same month (a variant
without ``Admin2`` columns holds only province rows). Province p-codes (``AF01`` ..
``AF34``) are the join key; an OCHA name (Panjsher, Hilmand, Sar-e-Pul ...) is used only
where the p-code is blank. No row becomes an event: these counts have no actors.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_aggregates
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import (
    geography,
    keep_afghanistan,
    parse_numbers,
    provinces_from_pcodes,
    raise_problems,
    read_hdx,
    roll_up_admin2,
    text,
)
from helpers.errors import Problem

log = logging.getLogger(__name__)

SOURCE = "ACLED aggregated monthly data (HDX)"

COLUMNS: dict[str, tuple[str, ...]] = {
    "Country": ("#country+name",),
    "Admin1": ("#adm1+name",),
    "Admin2": ("#adm2+name",),
    "ISO3": ("#country+code",),
    "Admin2 Pcode": ("#adm2+code",),
    "Admin1 Pcode": ("#adm1+code",),
    "Month": ("#date+month",),
    "Year": ("#date+year",),
    "Events": ("#event+num", "#indicator+event+num"),
    "Fatalities": ("#fatality+num", "#affected+killed"),
}
REQUIRED = ("Admin1", "Month", "Year", "Events")

MONTHS = {m.casefold(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9

#: File-name fragments -> event type (checked in this order).
FAMILIES = (("civilian_targeting", "civilian_targeting"),
            ("political_violence", "political_violence"),
            ("demonstration", "demonstration"))


def event_type_from_name(path: str | Path) -> str:
    """The ACLED event family a file counts, from its name; ``unspecified`` if unnamed."""
    name = re.sub(r"[\s\-]+", "_", Path(path).stem.casefold())
    for fragment, family in FAMILIES:
        if fragment in name:
            return family
    log.warning("%s: the file name does not say which ACLED event family it counts "
                "(political_violence / civilian_targeting / demonstration); "
                "event_type set to 'unspecified'", Path(path).name)
    return "unspecified"


def parse_months(frame: pd.DataFrame, canon: str = "Month") -> pd.Series:
    """Month words ("January", "Jan") or numbers (1..12) -> month number (Int64)."""
    file = frame.attrs.get("path")
    raw = text(frame[canon])
    words = raw.str.casefold().str.rstrip(".").map(MONTHS)
    numbers = pd.to_numeric(raw.where(raw.str.fullmatch(r"\d{1,2}").fillna(False)),
                            errors="coerce")
    numbers = numbers.where(numbers.between(1, 12))
    months = words.fillna(numbers)
    col = (frame.attrs.get("columns") or {}).get(canon, canon)
    problems = [Problem(file, int(r), col, frame.at[r, canon],
                        "not a month: use an English month name (January) or 1..12")
                for r in frame.index[months.isna()]]
    raise_problems(f"{Path(file or '').name}: bad months in column '{col}'", problems)
    return months.astype("Int64")


def read(path: str | Path) -> pd.DataFrame:
    """ACLED aggregated monthly CSV -> conflict-aggregate table (province-month rows)."""
    frame = read_hdx(path, COLUMNS, REQUIRED)
    frame = keep_afghanistan(frame, "ISO3", names="Country")
    file = frame.attrs["path"]
    month = parse_months(frame)
    year = parse_numbers(frame, "Year", integer=True, required=True, minimum=1997)
    start = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))
    out = pd.DataFrame(index=frame.index)
    level = pd.Series(1, index=frame.index, dtype="Int64")
    level[text(frame["Admin2"]).notna() | text(frame["Admin2 Pcode"]).notna()] = 2
    out["province_code"] = provinces_from_pcodes(frame, "Admin1 Pcode", names="Admin1")
    out["period_start"] = start.astype("datetime64[ns]")
    out["period_end"] = (start + pd.offsets.MonthEnd(0)).astype("datetime64[ns]")
    out["event_type"] = event_type_from_name(file)
    out["events"] = parse_numbers(frame, "Events", integer=True, required=True)
    out["fatalities"] = parse_numbers(frame, "Fatalities", integer=True)
    out["admin_level"] = level
    out = roll_up_admin2(out, ["province_code", "event_type", "period_start", "period_end"],
                         ["events", "fatalities"],
                         file=frame.attrs["path"])
    out = out.drop(columns=["admin_level"])
    out["geography"] = geography(out["province_code"])
    out["source"] = SOURCE
    out["source_file"] = file
    out["source_sha256"] = frame.attrs["sha256"]
    valid = validate_aggregates(out, file=file)
    valid.attrs = {"path": file, "sha256": frame.attrs["sha256"], "layout": "acled_aggregated",
                   "dropped": dict(frame.attrs.get("dropped") or {})}
    return valid


LAYOUTS = [
    Layout("acled_aggregated_admin2", "aggregates",
           frozenset({"country", "admin1", "admin2", "iso3", "admin2 pcode", "admin1 pcode",
                      "month", "year", "events"}),
           read, "ACLED aggregated monthly counts by district (HDX)"),
    Layout("acled_aggregated_admin1", "aggregates",
           frozenset({"country", "admin1", "iso3", "admin1 pcode", "month", "year",
                      "events"}),
           read, "ACLED aggregated monthly counts by province (HDX)"),
]
