"""US Foreign Agents Registration Act (FARA) bulk data: foreign principals -> registrations.

The FARA eFile bulk file ``FARA_All_ForeignPrincipals.csv`` (US Department of Justice)::

    Foreign Principal Termination Date, Foreign Principal, Foreign Principal Registration
    Date, Country/Location Represented, Registration Number, Registrant Date, Registrant
    Name, Address 1, Address 2, City, State, Zip

one row per registrant and foreign principal; dates written ``MM/DD/YYYY``; a blank
termination date means the registration was still active when the file was made; names
may end in a line break inside their quoted cell. Only principals located in Afghanistan
are kept (others are counted in ``attrs["dropped"]``).

:func:`read` returns the :data:`~helpers.data.schemas.REGISTRATIONS` table: registration
number, registrant, principal, when the principal was registered, when the registrant
first registered under FARA, when the principal's registration ended, city.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.schemas import validate_registrations
from helpers.data.sources._csv import Layout
from helpers.data.sources._hdx import raise_problems, read_hdx, text
from helpers.errors import Problem

SOURCE = "US Department of Justice, FARA eFile bulk data (foreign principals)"
COUNTRY = "AFGHANISTAN"

COLUMNS: dict[str, tuple[str, ...]] = {
    "Foreign Principal Termination Date": (),
    "Foreign Principal": (),
    "Foreign Principal Registration Date": (),
    "Country/Location Represented": (),
    "Registration Number": (),
    "Registrant Date": (),
    "Registrant Name": (),
    "City": (),
}
REQUIRED = ("Foreign Principal", "Foreign Principal Registration Date",
            "Country/Location Represented", "Registration Number", "Registrant Name")


def _dates(frame: pd.DataFrame, column: str, *, required: bool) -> pd.Series:
    """``MM/DD/YYYY`` -> datetime64; every bad or (when required) blank cell reported."""
    raw = text(frame[column])
    out = pd.to_datetime(raw, format="%m/%d/%Y", errors="coerce").astype("datetime64[ns]")
    file = frame.attrs["path"]
    problems = [Problem(file, int(r), column, raw[r], "not a date of the form MM/DD/YYYY")
                for r in frame.index[out.isna() & raw.notna()]]
    if required:
        problems += [Problem(file, int(r), column, None, "a date is required here")
                     for r in frame.index[raw.isna()]]
    raise_problems(f"{Path(file).name}: bad dates in column '{column}'", problems)
    return out


def _clean(series: pd.Series) -> pd.Series:
    """Names as FARA wrote them, with line breaks and repeated spaces folded."""
    return text(series).str.replace(r"\s+", " ", regex=True).str.strip(" ,")


def read(path: str | Path) -> pd.DataFrame:
    """FARA foreign-principals CSV -> registrations of principals located in Afghanistan."""
    frame = read_hdx(path, COLUMNS, REQUIRED)
    country = text(frame["Country/Location Represented"]).str.upper()
    keep = country.eq(COUNTRY).fillna(False)
    dropped = int((~keep).sum())
    attrs = {**frame.attrs}
    frame = frame[keep].copy()
    frame.attrs = attrs
    out = pd.DataFrame(index=frame.index)
    out["registration_number"] = text(frame["Registration Number"])
    out["registrant"] = _clean(frame["Registrant Name"])
    out["principal"] = _clean(frame["Foreign Principal"])
    out["principal_registered"] = _dates(frame, "Foreign Principal Registration Date",
                                         required=True)
    out["registrant_registered"] = _dates(frame, "Registrant Date", required=False)
    out["terminated"] = _dates(frame, "Foreign Principal Termination Date", required=False)
    out["country"] = country[keep]
    out["city"] = _clean(frame["City"])
    out["source_file"] = frame.attrs["path"]
    out["source_sha256"] = frame.attrs["sha256"]
    valid = validate_registrations(out, file=frame.attrs["path"])
    valid.attrs = {"path": frame.attrs["path"], "sha256": frame.attrs["sha256"],
                   "layout": "fara_foreign_principals",
                   "dropped": {"outside_afghanistan": dropped} if dropped else {}}
    return valid


LAYOUTS = [
    Layout("fara_foreign_principals", "registrations",
           frozenset({"foreign principal", "foreign principal registration date",
                      "country/location represented", "registration number",
                      "registrant name"}),
           read, "US FARA bulk data: foreign principals and their registrants"),
]
