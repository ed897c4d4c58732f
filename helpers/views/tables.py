"""One table style for every report: readable numbers, dates, labels and links.

:func:`table` turns a frame into a pandas ``Styler``: thousands separators, percentages as
"38 %", ISO dates, "—" for anything missing (never NaN, NaT or <NA>), no index, human
column names and values (:mod:`helpers.views.labels`), numbers right-aligned, text
left-aligned and wrapped, web addresses as links. Text is HTML-escaped (data files hold
free text).
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlparse

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.views import labels

MISSING = "—"
NBSP = "\u00a0"
_COUNTER = itertools.count(1)

STYLES = [
    {"selector": "", "props": "border-collapse:collapse;font-size:13px;margin:6px 0 14px;"},
    {"selector": "th", "props": "background:#f2f2f2;border-bottom:1px solid #999;"
                                "padding:4px 8px;vertical-align:bottom;text-align:left;"},
    {"selector": "td", "props": "border-bottom:1px solid #e3e3e3;padding:4px 8px;"
                                "vertical-align:top;"},
    {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:bold;"
                                     "padding:2px 0 6px;"},
]


def _is_url(text: object) -> bool:
    return isinstance(text, str) and text.startswith(("http://", "https://"))


def _link(url: str) -> str:
    """A web address (already HTML-escaped) as a link named by its host: "rev.com"."""
    host = _host(html.unescape(url))
    return f'<a href="{url}" rel="noopener noreferrer">{html.escape(host)}</a>'


#: Date formats by the precision a curated row gives its date.
_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _precision_of(frame: pd.DataFrame, column: str) -> pd.Series | None:
    """The precision column that goes with a date column, if the frame has one."""
    for name in (f"{column}_precision", "date_precision"):
        if name in frame.columns:
            return frame[name]
    return None


def _dated(value: object, precision: object) -> str:
    if value is None or pd.isna(value):
        return MISSING
    fmt = _DATE_FORMATS.get(str(precision), "%Y-%m-%d")
    return pd.Timestamp(value).strftime(fmt)


def _text(value: object) -> str:
    """A text cell (already escaped by the Styler): "—" when missing, links clickable."""
    if isinstance(value, _Markup):
        return value.markup
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return MISSING
    return _link(value) if _is_url(value) else str(value)


#: Columns holding identifiers or years: digits shown as they are (2024, not 2,024).
_PLAIN = re.compile(r"(^|_)(year|years|id|number|no|order|code|version)$")


def _number(value: float, column_values: pd.Series) -> str:
    if not math.isfinite(value):
        return MISSING
    whole = (column_values.dropna() % 1 == 0).all()
    if whole or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


class _Markup:
    """A cell already rendered as safe HTML (its parts escaped here), kept from escaping."""

    def __init__(self, markup: str) -> None:
        self.markup = markup


def _linked(texts: pd.Series, urls: pd.Series) -> pd.Series:
    """``texts`` as links to ``urls`` where a web address is given; escaped text otherwise."""
    out = []
    for text, url in zip(texts, urls, strict=True):
        missing = text is None or (not isinstance(text, str) and pd.isna(text))
        label = MISSING if missing else html.escape(str(text))
        if _is_url(url):
            out.append(_Markup(f'<a href="{html.escape(url)}" rel="noopener noreferrer">'
                               f"{label if not missing else html.escape(_host(url))}</a>"))
        else:
            out.append(None if missing else _Markup(label))
    return pd.Series(out, index=texts.index, dtype="object")


def _host(url: str) -> str:
    return urlparse(url).netloc.removeprefix("www.") or "link"


def table(frame: pd.DataFrame, columns: Sequence[str] | Mapping[str, str] | None = None, *,
          percent: Sequence[str] = (), fraction: Sequence[str] = (),
          links: Mapping[str, str] | None = None,
          caption: str | None = None, max_rows: int | None = None) -> Styler:
    """``frame`` in the house table style (see the module docstring).

    ``columns``: which to show, in order (a mapping also renames them); default all.
    ``percent``: columns holding percentages (0..100); ``fraction``: shares (0..1), both
    shown as "38 %". ``links``: {text column: address column}, the text becomes a link
    (e.g. ``{"source": "source_url"}``). ``max_rows`` cuts a long table and says how many
    rows were left out.
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
    for text_col, url_col in (links or {}).items():
        if text_col in view.columns and url_col in frame.columns:
            view[text_col] = _linked(frame[text_col], frame[url_col])
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
        elif pd.api.types.is_numeric_dtype(series) and _PLAIN.search(str(col)):
            formats[col] = lambda v: MISSING if pd.isna(v) else (
                str(int(v)) if float(v).is_integer() else str(v))
            numeric.append(col)
        elif pd.api.types.is_numeric_dtype(series):
            values = pd.to_numeric(series, errors="coerce").astype("float64")
            view[col] = values
            formats[col] = (lambda v, s=values: MISSING if pd.isna(v) else _number(float(v), s))
            numeric.append(col)
        elif pd.api.types.is_datetime64_any_dtype(series):
            precision = _precision_of(frame, col)
            if precision is not None:  # a date known to the month is "2021-08", not 08-01
                view[col] = [_Markup(_dated(v, p)) for v, p in
                             zip(series, precision.loc[series.index], strict=True)]
                formats[col] = _text
            else:
                formats[col] = lambda v: MISSING if pd.isna(v) else pd.Timestamp(v).strftime(
                    "%Y-%m-%d")
            numeric.append(col)
        else:
            view[col] = series.astype("object").where(series.notna(), None)
            formats[col] = _text
            text.append(col)
    view = view.rename(columns=names)
    formats = {names[c]: f for c, f in formats.items()}
    styler = Styler(view, uuid=f"arw{next(_COUNTER)}", cell_ids=False)
    styler = styler.format(formats, na_rep=MISSING, escape="html").hide(axis="index")
    positions = {name: i for i, name in enumerate(view.columns)}
    header_align = [{"selector": f"th.col_heading.col{positions[names[c]]}",
                     "props": "text-align:right;"} for c in numeric]
    styler = styler.set_table_styles(STYLES + header_align)
    if numeric:
        styler = styler.set_properties(subset=[names[c] for c in numeric],
                                       **{"text-align": "right", "white-space": "nowrap"})
    if text:
        styler = styler.set_properties(subset=[names[c] for c in text],
                                       **{"text-align": "left", "white-space": "normal",
                                          "max-width": "34em", "min-width": "6em",
                                          "overflow-wrap": "anywhere"})
    if caption or more:
        note = f" (first {len(view)} of {len(view) + more} rows)" if more else ""
        styler = styler.set_caption((caption or "") + note)
    return styler


#: Verdict colours of the claims ledger (text), readable on white.
VERDICT_COLORS = {"supported": "#1a7f37", "contradicted": "#b00020", "partly": "#9a6700"}


def ledger(rows: pd.DataFrame, caption: str | None = None) -> Styler:
    """Claims ledger rows (``analysis.claims.evaluate_claims``) as a table a reader scans.

    One "Claim" cell holds the paraphrased claim with who made it and when; then the
    verdict (coloured), why, what the data show and the rows it rests on.
    """
    def claim(row: pd.Series) -> str:
        who = ", ".join(str(row[c]) for c in ("speaker", "said_when")
                        if c in row and isinstance(row[c], str) and row[c])
        return f"{row['statement']} — {who}" if who else str(row["statement"])

    view = pd.DataFrame({
        "id": rows["id"],
        "claim": rows.apply(claim, axis=1) if len(rows) else pd.Series(dtype="object"),
        "verdict": rows["verdict"], "reason": rows["reason"],
        "computed": rows["computed"], "evidence": rows["evidence"]})
    styled = table(view, {"id": "ID", "claim": "Claim (paraphrased; by whom, when)",
                          "verdict": "Verdict", "reason": "Why",
                          "computed": "What the data show", "evidence": "Evidence"},
                   caption=caption)

    def color(value: object) -> str:
        for word, hue in VERDICT_COLORS.items():
            if isinstance(value, str) and value.startswith(word):
                return f"color:{hue};font-weight:bold"
        return "color:#555555"
    wide = {"min-width": "14em"}
    return (styled.map(color, subset=["Verdict"])
            .set_properties(subset=["Claim (paraphrased; by whom, when)", "Why",
                                    "What the data show"], **wide)
            .set_table_attributes('style="width:100%"'))


def support(rows: pd.DataFrame, caption: str | None = None,
            max_rows: int | None = None) -> Styler:
    """The relations table (``analysis.external.support_table``) as a reader reads it:
    who, whom, what relation in words ("rules out military support" for a negative
    military relation), direction, since / until, confidence, evidence, source as a link."""
    view = rows.copy()
    if "relation" in view:
        polarity = view["polarity"] if "polarity" in view else pd.Series("positive",
                                                                         index=view.index)
        view["relation"] = [labels.relation(str(r), str(p)) for r, p in
                            zip(view["relation"], polarity.fillna("positive"), strict=True)]
    if "direction" in view:
        view["direction"] = view["direction"].map(
            {"one-way": "one way", "mutual": "both ways"}).fillna(view["direction"])
    return table(view, {"from_actor": "Who", "to_actor": "Whom", "relation": "Relation",
                        "direction": "Direction", "start": "Since", "end": "Until",
                        "confidence": "Confidence", "evidence": "Evidence",
                        "source": "Source"},
                 links={"source": "source_url"}, caption=caption, max_rows=max_rows)
