"""The provenance banner at the top of every notebook, and the "no data" message.

``data_banner(events)`` says where the numbers come from: sources, whether the data are
the synthetic demo set, date range, row counts, rows dropped on load and the checksum of
every input file (from ``events.attrs`` set by the loader). On synthetic data it carries
a visible warning that patterns are illustrative, not findings. All text is HTML-escaped:
file names and source labels come from user-supplied files.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
from IPython.display import HTML

SYNTHETIC_SOURCE = "synthetic-demo"
#: Output metadata keys (under ``text/html``) the batch runner reads for the index page:
#: what a report stands on, and the dates its event data cover.
SCOPE_KEY = "arw_scope"
EVENTS_KEY = "arw_events"
SYNTHETIC_WARNING = "Synthetic demo data — patterns are illustrative, not findings"
NO_EVENTS = "No events for this selection"
#: How the banner names the loaders' codes.
SOURCE_WORDS = {SYNTHETIC_SOURCE: "the synthetic demo set", "acled": "ACLED",
                "ucdp": "UCDP GED", "ucdp_ged": "UCDP GED"}
LAYOUT_WORDS = {"acled": "ACLED export", "acled_legacy": "ACLED (older export)",
                "ucdp_ged": "UCDP GED"}

_BOX = ("<div class='arw-banner' style='border:1px solid #999;border-radius:4px;"
        "padding:8px 12px;margin:6px 0;font:13px sans-serif;background:#f7f7f7'>{}</div>")
_WARN = ("<div class='arw-synthetic' style='background:#D55E00;color:white;font-weight:bold;"
         "padding:6px 10px;margin-bottom:6px;border-radius:3px'>{}</div>")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def is_synthetic(events: pd.DataFrame) -> bool:
    """True when the loader flagged the frame synthetic or any row is a demo row."""
    if events.attrs.get("synthetic"):
        return True
    if "source" in events.columns and len(events):
        return bool((events["source"] == SYNTHETIC_SOURCE).fillna(False).any())
    return False


def banner_facts(events: pd.DataFrame) -> dict:
    """The facts the banner shows, as plain values (also handy for tests and manifests)."""
    dates = pd.to_datetime(events["event_date"]) if "event_date" in events else pd.Series()
    sources = (events["source"].astype("string").fillna("unknown").value_counts().sort_index()
               if "source" in events.columns else pd.Series(dtype="int64"))
    return {
        "synthetic": is_synthetic(events),
        "rows": len(events),
        "sources": {str(k): int(v) for k, v in sources.items()},
        "first_date": dates.min() if len(dates) else None,
        "last_date": dates.max() if len(dates) else None,
        "provinces": int(events["province_code"].nunique()) if "province_code" in events else 0,
        "inputs": list(events.attrs.get("inputs") or []),
        "dropped": dict(events.attrs.get("dropped") or {}),
        "skipped": list(events.attrs.get("skipped") or []),
    }


def _input_line(item: Mapping) -> str:
    name = str(item.get("path", "?")).replace("\\", "/").rsplit("/", 1)[-1]
    sha = str(item.get("sha256") or "")
    parts = [f"<code>{_e(name)}</code>"]
    if item.get("layout"):
        parts.append(f"{_e(LAYOUT_WORDS.get(str(item['layout']), item['layout']))} layout")
    if item.get("rows") is not None:
        rows = item["rows"]
        parts.append(f"{rows:,} rows" if isinstance(rows, int) else f"{_e(rows)} rows")
    if sha:
        parts.append(f"sha256 <code title='{_e(sha)}'>{_e(sha[:12])}…</code>")
    return "<li>" + ", ".join(parts) + "</li>"


def data_banner(events: pd.DataFrame, filters: Mapping[str, object] | None = None) -> HTML:
    """An escaped HTML box describing the loaded events (see the module docstring).

    With ``filters`` (a selection's), an empty selection adds the "No events for this
    selection" line naming them.
    """
    facts = banner_facts(events)
    lines = []
    if facts["synthetic"]:
        lines.append(_WARN.format(_e(SYNTHETIC_WARNING)))
    kind = "synthetic demo data" if facts["synthetic"] else "real event data"
    if facts["rows"] == 0:
        lines.append(f"<b>Data:</b> no events loaded ({_e(kind)})")
        if filters is not None:
            lines.append(no_data_message(filters).data)
    else:
        sources = ", ".join(f"{_e(SOURCE_WORDS.get(k, k))} ({v:,} rows)"
                            for k, v in facts["sources"].items())
        lines.append(f"<b>Data:</b> {_e(kind)} — {facts['rows']:,} events from {sources}")
        lines.append(f"<b>Dates:</b> {facts['first_date']:%Y-%m-%d} to "
                     f"{facts['last_date']:%Y-%m-%d}; <b>provinces:</b> {facts['provinces']}")
    if facts["dropped"]:
        dropped = ", ".join(f"{_e(k)}: {_e(v)}" for k, v in facts["dropped"].items())
        lines.append(f"<b>Dropped on load:</b> {dropped}")
    if facts["inputs"]:
        items = "".join(_input_line(i) for i in facts["inputs"])
        lines.append(f"<b>Inputs:</b><ul style='margin:2px 0'>{items}</ul>")
    if facts["skipped"]:
        items = "".join(
            f"<li><code>{_e(str(i.get('path', '?')).replace(chr(92), '/').rsplit('/', 1)[-1])}"
            f"</code>: {_e(i.get('reason', ''))}</li>" for i in facts["skipped"])
        lines.append(f"<b>Files left out:</b><ul style='margin:2px 0'>{items}</ul>")
    coverage = {"synthetic": facts["synthetic"], "rows": facts["rows"],
                "first": (f"{facts['first_date']:%Y-%m-%d}" if facts["rows"] else None),
                "last": (f"{facts['last_date']:%Y-%m-%d}" if facts["rows"] else None)}
    return HTML(_BOX.format("<br>".join(lines)), metadata={EVENTS_KEY: coverage})


def describe_selection(selection: Mapping[str, object] | str | None) -> str:
    """A plain sentence fragment for a selection dict: "provinces: Kabul; sides: ..."."""
    if selection is None:
        return ""
    if isinstance(selection, str):
        return selection
    parts = []
    for key, value in selection.items():
        if value is None or (isinstance(value, (list, tuple, set)) and not value):
            continue
        if isinstance(value, (list, tuple, set)):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{str(key).replace('_', ' ')}: {value}")
    return "; ".join(parts)


def no_data_message(selection: Mapping[str, object] | str | None = None) -> HTML:
    """An escaped notice shown instead of a chart when a selection has no events."""
    detail = describe_selection(selection)
    text = f"<b>{_e(NO_EVENTS)}</b>" + (f" ({_e(detail)})" if detail else "")
    return HTML(f"<div class='arw-nodata' style='padding:8px 12px;border:1px dashed #999;"
                f"color:#555;font:13px sans-serif'>{text}.</div>")


def notice(text: str) -> HTML:
    """An escaped, neutral notice box (e.g. "only national figures exist")."""
    return HTML(f"<div class='arw-notice' style='padding:8px 12px;border:1px solid #0072B2;"
                f"color:#333;font:13px sans-serif'>{_e(text)}</div>")


def stands_on(synthetic: bool, what: str) -> HTML:
    """The line at the head of a section saying which data it stands on.

    Real data: a quiet grey line ("Data: UCDP ..."); the synthetic demo events: the orange
    synthetic banner, so no reader takes the section's numbers for findings.
    """
    if synthetic:
        return HTML(_WARN.format(_e(f"{SYNTHETIC_WARNING}. This section: {what}")))
    return HTML("<div class='arw-data-real' style='font:12px sans-serif;color:#333;"
                "border-left:3px solid #2e7d32;padding:2px 8px;margin:4px 0'>"
                f"<b>Data:</b> {_e(what)}</div>")


def report_scope(synthetic: bool, real_parts: list[str], synthetic_parts: list[str]) -> HTML:
    """The page-level statement of which parts of a report are real and which synthetic.

    The batch runner lists the same parts on the index page (output metadata).
    """
    real = "; ".join(real_parts) or "none"
    if synthetic and synthetic_parts:
        text = (f"<b style='color:#D55E00'>Synthetic demo events</b> stand behind: "
                f"{_e('; '.join(synthetic_parts))}. Those sections are marked and their "
                f"numbers are not findings. <b>Real, cited data</b> stand behind: {_e(real)}.")
    else:
        text = f"<b>Real, cited data</b> stand behind every section: {_e(real)}."
    scope = {"real": list(real_parts),
             "synthetic": list(synthetic_parts) if synthetic else []}
    return HTML(_BOX.format(text), metadata={SCOPE_KEY: scope})
