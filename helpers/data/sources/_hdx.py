"""Shared plumbing for the humanitarian readers (HDX HAPI, FTS, ACLED aggregated files).

These files share habits that each reader would otherwise handle on its own:

* an HXL hashtag row under the header (``#country+code, #adm1+code, ...``). The ingest
  reader (:func:`helpers.data.sources._csv.read_table`) drops it and keeps ``{column: tag}`` in
  ``attrs["hxl"]``; :func:`canonical_columns` uses those tags to recognise columns whose
  header was renamed (e.g. ``Requirements`` instead of ``requirements``);
* OCHA admin-1 p-codes (``AF01`` .. ``AF34``), turned into ISO 3166-2 codes through the
  gazetteer; an unknown p-code is an error naming file, row, column and value;
* global files holding every country: only Afghanistan's rows are kept, and how many rows
  were left out is logged and recorded in ``attrs["dropped"]`` (never dropped silently);
* sub-national rows at admin level 2 (districts), rolled up to admin 1 by
  :func:`roll_up_admin2` only where the file has no admin-1 row for the same key.

Every function raises :class:`helpers.errors.DataError` (or a subclass) naming the file,
the 1-based data row and the column; nothing here returns a half-converted frame.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from helpers._io import sha256_file
from helpers.data.reference import gazetteer
from helpers.data.sources._csv import read_table
from helpers.errors import DataError, Problem, UnknownProvinceError

log = logging.getLogger(__name__)

#: Afghanistan in the ISO 3166-1 alpha-3 columns of HDX files.
AFG = "AFG"

#: HXL tags HDX HAPI puts on its shared location / period / metadata columns
#: (hdx-scraper-* HAPI outputs). Reused by the needs, food-security and conflict readers.
HAPI_LOCATION_TAGS: dict[str, tuple[str, ...]] = {
    "location_code": ("#country+code",),
    "has_hrp": ("#meta+has_hrp",),
    "in_gho": ("#meta+in_gho",),
    "provider_admin1_name": ("#adm1+name+provider",),
    "provider_admin2_name": ("#adm2+name+provider",),
    "admin1_code": ("#adm1+code",),
    "admin1_name": ("#adm1+name",),
    "admin2_code": ("#adm2+code",),
    "admin2_name": ("#adm2+name",),
    "admin_level": ("#adm+level",),
    "reference_period_start": ("#date+start",),
    "reference_period_end": ("#date+end",),
    "dataset_hdx_id": ("#meta+dataset_id",),
    "resource_hdx_id": ("#meta+resource_id",),
    "warning": ("#meta+warning",),
    "error": ("#meta+error",),
}

_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


# ----------------------------------------------------------------------------- reading


def _tag_key(tag: str) -> tuple[str, frozenset[str]]:
    """``#adm1+code+x`` -> (``#adm1``, {code, x}): HXL attributes are unordered."""
    parts = [p.strip().lower() for p in str(tag).strip().split("+") if p.strip()]
    return (parts[0] if parts else "", frozenset(parts[1:]))


def _norm_header(name: str) -> str:
    return re.sub(r"[\s_]+", "", str(name).strip().lower())


def canonical_columns(frame: pd.DataFrame, columns: Mapping[str, Sequence[str]], *,
                      file: str | Path, required: Iterable[str]) -> pd.DataFrame:
    """Rename ``frame``'s columns to the canonical names of one layout.

    ``columns`` maps each canonical name to the HXL tags that identify it. A column is
    recognised by its header first (case, spaces and underscores ignored), then — when the
    header was renamed — by its HXL tag (``attrs["hxl"]``; attribute order ignored).
    ``attrs["columns"]`` keeps ``{canonical: header as written}`` so that messages name
    the column the analyst sees. Missing ``required`` columns raise one :class:`DataError`.
    """
    by_header = {_norm_header(c): c for c in frame.columns}
    hxl = frame.attrs.get("hxl") or {}
    by_tag: dict[tuple[str, frozenset[str]], str] = {}
    for col, tag in hxl.items():
        by_tag.setdefault(_tag_key(tag), col)
    found: dict[str, str] = {}
    for canon, tags in columns.items():
        col = by_header.get(_norm_header(canon))
        if col is None:
            col = next((by_tag[_tag_key(t)] for t in tags if _tag_key(t) in by_tag), None)
        if col is not None and col not in found.values():
            found[canon] = col
    missing = [c for c in required if c not in found]
    if missing:
        problems = [Problem(str(file), None, c, None,
                            "required column is missing (looked for this header"
                            + (f" or HXL tag {' / '.join(columns[c])}" if columns[c] else "")
                            + ")")
                    for c in missing]
        raise DataError(f"{Path(file).name} lacks required column(s): {', '.join(missing)}",
                        problems)
    out = frame[list(found.values())].copy()
    out.columns = list(found)
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = found
    return out


def read_hdx(path: str | Path, columns: Mapping[str, Sequence[str]],
             required: Iterable[str]) -> pd.DataFrame:
    """Read an HDX-style CSV (BOM, HXL row, any delimiter) into canonical string columns.

    Optional canonical columns absent from the file are added as all-NA, so readers can
    use every canonical name. ``attrs`` gains ``path``, ``sha256`` and ``columns``.
    """
    path = Path(path)
    frame = canonical_columns(read_table(path), columns, file=path, required=required)
    for canon in columns:
        if canon not in frame.columns:
            frame[canon] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame = frame[list(columns)]
    frame.attrs["path"] = str(path)
    frame.attrs["sha256"] = sha256_file(path)
    return frame


def header_name(frame: pd.DataFrame, canon: str) -> str:
    """The column's header as written in the file (for messages)."""
    return (frame.attrs.get("columns") or {}).get(canon, canon)


def blank(series: pd.Series) -> pd.Series:
    """True where a text cell is missing or only whitespace."""
    return series.isna() | series.astype("str").str.strip().eq("")


def text(series: pd.Series) -> pd.Series:
    """Stripped text with blanks as NA."""
    out = series.astype("str").str.strip()
    return out.where(~blank(series))


def raise_problems(summary: str, problems: list[Problem]) -> None:
    """Raise one :class:`DataError` listing ``problems`` (no-op when there are none)."""
    if problems:
        raise DataError(summary, problems)


# ------------------------------------------------------------------------- conversions


def parse_dates(frame: pd.DataFrame, canon: str, *, required: bool = True) -> pd.Series:
    """ISO dates (``2024-01-05``, also with a time part) -> ``datetime64[ns]``.

    Blank cells are NaT when ``required`` is False, an error otherwise.
    """
    file = frame.attrs.get("path")
    col = header_name(frame, canon)
    raw = frame[canon]
    day = raw.astype("str").str.extract(_ISO_DAY, expand=False)
    out = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    problems = []
    for row, value in raw[out.isna()].items():
        if pd.isna(value) or not str(value).strip():
            if required:
                problems.append(Problem(file, int(row), col, value, "a date is required here"))
        else:
            problems.append(Problem(file, int(row), col, value,
                                    "not a date in ISO form YYYY-MM-DD"))
    raise_problems(f"{Path(file or '').name}: bad dates in column '{col}'", problems)
    return out.astype("datetime64[ns]")


def parse_numbers(frame: pd.DataFrame, canon: str, *, integer: bool = False,
                  required: bool = False, minimum: float | None = 0) -> pd.Series:
    """Text numbers -> ``Float64`` (or ``Int64`` when ``integer``), NA where blank.

    Accepts plain numbers and comma thousands separators (``1,234,567``). Fractions in an
    integer column are rejected, never rounded; values below ``minimum`` are rejected.
    """
    file = frame.attrs.get("path")
    col = header_name(frame, canon)
    raw = frame[canon]
    cleaned = raw.astype("str").str.strip()
    thousands = cleaned.str.match(_THOUSANDS).fillna(False).astype(bool)
    cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
    ok = cleaned.str.match(_PLAIN_NUMBER).fillna(False).astype(bool)
    values = pd.to_numeric(cleaned.where(ok), errors="coerce").astype("Float64")
    problems = []
    empty = blank(raw)
    for row in raw.index[~ok & ~empty]:
        problems.append(Problem(file, int(row), col, raw[row], "not a number"))
    if required:
        for row in raw.index[empty]:
            problems.append(Problem(file, int(row), col, None, "a number is required here"))
    if minimum is not None:
        low = values.lt(minimum).fillna(False).astype(bool)
        for row in raw.index[low]:
            problems.append(Problem(file, int(row), col, raw[row],
                                    f"must be at least {minimum:g}"))
    if integer:
        frac = (values % 1).ne(0).fillna(False).astype(bool)
        for row in raw.index[frac]:
            problems.append(Problem(file, int(row), col, raw[row],
                                    "must be a whole number (fractions are rejected, "
                                    "not rounded)"))
    raise_problems(f"{Path(file or '').name}: bad numbers in column '{col}'", problems)
    if integer:
        return values.round().astype("Int64")
    return values


def parse_choice(frame: pd.DataFrame, canon: str, choices: Mapping[str, str]) -> pd.Series:
    """Map coded text (compared case-insensitively) through ``choices``; unknown -> error."""
    file = frame.attrs.get("path")
    col = header_name(frame, canon)
    raw = text(frame[canon])
    lookup = {k.casefold(): v for k, v in choices.items()}
    mapped = raw.str.casefold().map(lookup)
    problems = [Problem(file, int(row), col, raw[row],
                        f"must be one of: {', '.join(choices)}")
                for row in raw.index[mapped.isna()]]
    raise_problems(f"{Path(file or '').name}: unexpected values in column '{col}'", problems)
    return mapped.astype("str")


# ------------------------------------------------------------------------------ places


def keep_afghanistan(frame: pd.DataFrame, canon: str, *, names: str | None = None
                     ) -> pd.DataFrame:
    """Keep Afghanistan's rows of a global file; count (and log) the others.

    ``canon`` is the ISO3 column; when it is blank, ``names`` (a country-name column) is
    compared with "Afghanistan". The count lands in ``attrs["dropped"]["outside_afghanistan"]``.
    """
    codes = text(frame[canon]).str.upper()
    is_afg = codes.eq(AFG).fillna(False).astype(bool)
    if names is not None:
        by_name = text(frame[names]).str.casefold().eq("afghanistan").fillna(False)
        is_afg = is_afg | (codes.isna() & by_name.astype(bool))
    out = frame[is_afg].copy()
    out.attrs = dict(frame.attrs)
    dropped = int((~is_afg).sum())
    out.attrs["dropped"] = dict(frame.attrs.get("dropped") or {})
    if dropped:
        out.attrs["dropped"]["outside_afghanistan"] = dropped
        log.info("%s: kept %d Afghanistan row(s), left out %d row(s) of other countries",
                 Path(frame.attrs.get("path", "")).name, len(out), dropped)
    return out


#: Flags HDX HAPI writes in its ``error`` column that mean the row cannot be used as a
#: figure of its own: a duplicate of another row (it would count people twice), or a place
#: code that matches no admin unit (the row cannot be put anywhere). Such rows are left out
#: and counted; every other flag -- all ``warning`` texts, and other ``error`` texts -- is
#: kept on the row (``flag``), which stays in the data. HAPI's documentation gives no list
#: of these values; they are the ones its pipelines write.
HAPI_LEAVE_OUT = {"duplicate": "hapi_duplicate_row", "non matching p-code": "hapi_unmatched_pcode"}


def hapi_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply HDX HAPI's own row flags (see :data:`HAPI_LEAVE_OUT`): rows flagged as
    duplicates or unplaceable are left out and counted in ``attrs["dropped"]``; the others
    keep their flag in a ``_flag`` column ("HDX HAPI warning: ...")."""
    none = pd.Series(pd.NA, index=frame.index, dtype="str")
    warning = text(frame["warning"]) if "warning" in frame else none
    error = text(frame["error"]) if "error" in frame else none
    lowered = error.str.casefold().fillna("")
    out_mask = pd.Series(False, index=frame.index)
    dropped = dict(frame.attrs.get("dropped") or {})
    for words, key in HAPI_LEAVE_OUT.items():
        hit = lowered.str.contains(words, regex=False) & ~out_mask
        if hit.any():
            dropped[key] = dropped.get(key, 0) + int(hit.sum())
            rows = ", ".join(str(r) for r in frame.index[hit][:10])
            log.warning("%s: left out %d row(s) HDX HAPI flags as '%s' (rows %s%s)",
                        Path(frame.attrs.get("path", "")).name, int(hit.sum()), words, rows,
                        " ..." if hit.sum() > 10 else "")
        out_mask |= hit
    flag = ("HDX HAPI error: " + error).where(error.notna())
    flag = flag.fillna(("HDX HAPI warning: " + warning).where(warning.notna()))
    out = frame[~out_mask.astype(bool)].copy()
    out["_flag"] = flag[~out_mask.astype(bool)].astype("str")
    out.attrs = dict(frame.attrs)
    out.attrs["dropped"] = dropped
    return out


def _pcode_to_iso(pcode: str) -> str | None:
    """One admin-1 p-code -> ISO 3166-2 through the gazetteer; None when unknown."""
    try:
        iso = gazetteer.pcode_to_iso(pcode)
    except (LookupError, ValueError):
        return None
    if iso is None or (not isinstance(iso, str)) or not iso:
        return None
    return iso


def provinces_from_pcodes(frame: pd.DataFrame, canon: str, *, names: str | None = None,
                          needed: pd.Series | None = None) -> pd.Series:
    """ISO 3166-2 province codes (``AF-BDS``) from an admin-1 p-code column (``AF17``).

    Rows where ``needed`` is False (e.g. national rows) are left NA. Where the p-code is
    blank but ``names`` holds an OCHA province name, the gazetteer resolves the name (a
    fallback only: p-codes are the join key). Every unknown p-code is listed in one
    :class:`UnknownProvinceError` naming file, row, column and value.
    """
    file = frame.attrs.get("path")
    col = header_name(frame, canon)
    if needed is None:
        needed = pd.Series(True, index=frame.index)
    codes = text(frame[canon]).str.upper()
    lookup = {code: _pcode_to_iso(code) for code in codes[needed].dropna().unique()}
    out = codes.map(lookup).where(needed).astype("str")
    unknown = needed & codes.notna() & out.isna()
    if unknown.any():
        problems = [Problem(file, int(row), col, frame.at[row, canon],
                            "unknown p-code: Afghanistan's provinces are AF01 .. AF34 "
                            "(OCHA admin-1 p-codes)") for row in frame.index[unknown]]
        raise UnknownProvinceError(f"{Path(file or '').name}: unknown province p-code(s) in "
                                   f"column '{col}'", problems)
    by_name = needed & codes.isna()
    if by_name.any():
        name_vals = (text(frame[names]) if names is not None
                     else pd.Series(pd.NA, index=frame.index, dtype="str"))
        nameless = by_name & name_vals.isna()
        if nameless.any():
            raise DataError(
                f"{Path(file or '').name}: sub-national row(s) without a province p-code",
                [Problem(file, int(r), col, None,
                         "a sub-national row needs an admin-1 p-code (or a province name)")
                 for r in frame.index[nameless]])
        sub = name_vals[by_name].rename(header_name(frame, names))
        resolved = gazetteer.resolve_provinces(sub.reset_index(drop=True), file=file,
                                     rows=[int(r) for r in sub.index])
        out[by_name] = list(resolved)
    return out


# ------------------------------------------------------------------------------ roll-up


def roll_up_admin2(frame: pd.DataFrame, keys: Sequence[str], sums: Sequence[str],
                   level: str = "admin_level", *, file: str | Path | None = None
                   ) -> pd.DataFrame:
    """Sum admin-2 (district) rows to admin 1, only where no admin-1 row has the same keys.

    ``keys`` must include ``province_code`` and the period columns; ``sums`` are summed
    (NA when every contributor is NA). Admin-1 figures published by the source always win
    over a sum of its district figures (they may count people or events that no district
    row holds). District rows are not returned: the tables are at province level. Rolled-up
    rows get ``from_admin2 = True`` and the smallest contributing data row as index.
    """
    is2 = frame[level].eq(2).fillna(False).astype(bool)
    if not is2.any():
        out = frame.copy()
        out["from_admin2"] = False
        return out
    top = frame[~is2].copy()
    top["from_admin2"] = False
    districts = frame[is2]
    keyframe = top[top[level].eq(1).fillna(False).astype(bool)][list(keys)]
    have = set(map(tuple, keyframe.astype("object").where(keyframe.notna(), None)
                   .itertuples(index=False, name=None)))
    dk = districts[list(keys)].astype("object").where(districts[list(keys)].notna(), None)
    wanted = [tuple(t) not in have for t in dk.itertuples(index=False, name=None)]
    districts = districts[wanted]
    if districts.empty:
        return top.sort_index(kind="stable")
    grouped = districts.reset_index().groupby(list(keys), dropna=False, sort=True)
    summed = grouped[list(sums)].sum(min_count=1)
    first = grouped.first()
    rolled = first.drop(columns=list(sums)).join(summed).reset_index()
    rolled = rolled.set_index(frame.index.name or "row")
    rolled[level] = 1
    rolled["from_admin2"] = True
    for col in sums:
        rolled[col] = rolled[col].astype(frame[col].dtype)
    n_groups = len(rolled)
    log.info("%s: summed %d district row(s) into %d province row(s) (no admin-1 row for them)",
             Path(file or frame.attrs.get("path", "")).name, len(districts), n_groups)
    out = pd.concat([top, rolled[top.columns]]).sort_index(kind="stable")
    out.index.name = frame.index.name
    out.attrs = dict(frame.attrs)
    return out


# --------------------------------------------------------------------------- finishing


def geography(province_code: pd.Series) -> pd.Series:
    """``national`` where there is no province, else the ISO province code."""
    return province_code.astype("str").where(province_code.notna(), "national").astype("str")
