"""One table style for every report: readable numbers, dates, labels and links.

:func:`table` turns a frame into a pandas ``Styler``: thousands separators, percentages as
"38 %", ISO dates, "—" for anything missing (never NaN, NaT or <NA>), no index, human
column names and values (:mod:`helpers.views.labels`), numbers right-aligned, text
left-aligned and wrapped, web addresses as links. Text is HTML-escaped (data files hold
free text).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.views import labels

MISSING = "—"
NBSP = "\u00a0"
_COUNTER = itertools.count(1)

STYLES = [
    {"selector": "", "props": "border-collapse:collapse;font-size:13px;margin:6px 0 14px;"},
    {"selector": "th", "props": "background:#f2f2f2;border-bottom:1px solid #999;"
                                "padding:4px 8px;vertical-align:bottom;"},
    {"selector": "td", "props": "border-bottom:1px solid #e3e3e3;padding:4px 8px;"
                                "vertical-align:top;"},
    {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:bold;"
                                     "padding:2px 0 6px;"},
]


def _is_url(text: object) -> bool:
    return isinstance(text, str) and text.startswith(("http://", "https://"))


def _number(value: float, column_values: pd.Series) -> str:
    if not math.isfinite(value):
        return MISSING
    whole = (column_values.dropna() % 1 == 0).all()
    if whole or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def table(frame: pd.DataFrame, columns: Sequence[str] | Mapping[str, str] | None = None, *,
          percent: Sequence[str] = (), fraction: Sequence[str] = (),
          caption: str | None = None, max_rows: int | None = None) -> Styler:
    """``frame`` in the house table style (see the module docstring).

    ``columns``: which to show, in order (a mapping also renames them); default all.
    ``percent``: columns holding percentages (0..100); ``fraction``: shares (0..1), both
    shown as "38 %". ``max_rows`` cuts a long table and says how many rows were left out.
    """
    if columns is None:
        chosen = list(frame.columns)
        names = {c: labels.header(c) for c in chosen}
    elif isinstance(columns, Mapping):
        chosen = list(columns)
        names = {c: columns[c] or labels.header(c) for c in chosen}
    else:
        chosen = list(columns)
        names = {c: labels.header(c) for c in chosen}
    view = frame.loc[:, [c for c in chosen if c in frame.columns]].copy()
    more = 0
    if max_rows is not None and len(view) > max_rows:
        more = len(view) - max_rows
        view = view.head(max_rows)
    formats = {}
    numeric, text = [], []
    for col in view.columns:
        series = view[col]
        if col in labels.VALUE_LABELS:
            view[col] = labels.values(col, series)
            series = view[col]
        if col in percent or col in fraction:
            scale = 100.0 if col in fraction else 1.0
            formats[col] = (lambda v, s=scale: MISSING if pd.isna(v)
                            else f"{float(v) * s:,.0f}{NBSP}%")
            numeric.append(col)
        elif pd.api.types.is_bool_dtype(series):
            formats[col] = lambda v: MISSING if pd.isna(v) else ("yes" if v else "no")
            text.append(col)
        elif pd.api.types.is_numeric_dtype(series):
            values = pd.to_numeric(series, errors="coerce").astype("float64")
            view[col] = values
            formats[col] = (lambda v, s=values: MISSING if pd.isna(v) else _number(float(v), s))
            numeric.append(col)
        elif pd.api.types.is_datetime64_any_dtype(series):
            formats[col] = lambda v: MISSING if pd.isna(v) else pd.Timestamp(v).strftime(
                "%Y-%m-%d")
            numeric.append(col)
        else:
            view[col] = series.astype("object").where(series.notna(), None)
            formats[col] = (lambda v: MISSING if v is None or (not isinstance(v, str)
                                                               and pd.isna(v))
                            else (f'<a href="{v}">link</a>' if _is_url(v) else str(v)))
            text.append(col)
    view = view.rename(columns=names)
    formats = {names[c]: f for c, f in formats.items()}
    styler = Styler(view, uuid=f"arw{next(_COUNTER)}", cell_ids=False)
    styler = styler.format(formats, na_rep=MISSING, escape="html").hide(axis="index")
    styler = styler.set_table_styles(STYLES)
    if numeric:
        styler = styler.set_properties(subset=[names[c] for c in numeric],
                                       **{"text-align": "right", "white-space": "nowrap"})
    if text:
        styler = styler.set_properties(subset=[names[c] for c in text],
                                       **{"text-align": "left", "white-space": "normal",
                                          "max-width": "34em"})
    if caption or more:
        note = f" (first {len(view)} of {len(view) + more} rows)" if more else ""
        styler = styler.set_caption((caption or "") + note)
    return styler
