"""What the theme notebooks call around the analysis: set-up, data selection, narrative.

``setup()`` fixes every source of run-to-run variation a notebook has (random seeds,
pandas display options, the house plot style) so re-rendered reports are comparable.
``select(data_source, start_date, end_date, provinces, sides)`` turns the parameters cell
into a :class:`Selection` (filtered events, the whole source, the analysis window, the
chart source line) and declares the files read to the batch runner; ``tables(...)`` does
the same for curated tables. ``finding("{n:,} operations, up {pct:.0f}%", n=..., pct=...)``
formats a narrative sentence from values computed in the same run, so the text cannot
drift from the data. ``sources(...)`` builds the closing Sources section from provenance.
"""

from __future__ import annotations

import html
import math
import random
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown

from helpers import plots

DEFAULT_SEED = 20210815
NA_TEXT = "n/a"


def setup(seed: int = DEFAULT_SEED) -> dict:
    """Seed ``random`` and NumPy, set pandas display options and the house plot style.

    Returns the settings applied, so a notebook can print or record them.
    """
    random.seed(seed)
    np.random.seed(seed)
    options = {"display.max_columns": 40, "display.max_rows": 60, "display.width": 120,
               "display.max_colwidth": 80, "display.precision": 2}
    for key, value in options.items():
        pd.set_option(key, value)
    pd.set_option("display.float_format", float_text)
    plots.set_style()
    return {"seed": seed, **options}


def float_text(value: float) -> str:
    """How tables show a float: thousands separated from 1,000 up (24,400,000), three
    significant digits below (0.165, 93.3), so counts never turn into 2.44e+07."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


class _FindingFormatter(string.Formatter):
    """Formats values for prose: thousands separators, dates as YYYY-MM-DD, NA as n/a."""

    def format_field(self, value: object, format_spec: str) -> str:
        if value is None or (not isinstance(value, (str, list, tuple, dict)) and _isna(value)):
            return NA_TEXT
        if format_spec:
            text = format(value, format_spec)
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, (int, np.integer)):
            text = f"{int(value):,}"
        elif isinstance(value, (float, np.floating)):
            text = f"{float(value):,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        elif isinstance(value, pd.Timestamp):
            text = value.strftime("%Y-%m-%d")
        elif isinstance(value, (list, tuple)):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        return html.escape(text, quote=False)


def _isna(value: object) -> bool:
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if np.ndim(result) == 0 else False


def finding_text(template: str, **values: object) -> str:
    """The formatted sentence as a string (see :func:`finding`)."""
    return _FindingFormatter().format(template, **values)


def finding(template: str, **values: object) -> Markdown:
    """A Markdown sentence from ``template`` (``str.format`` syntax) and computed values.

    Without a format spec: integers get thousands separators, whole floats print as
    integers, other floats with 2 decimals, timestamps as YYYY-MM-DD, missing values as
    "n/a". Values are HTML-escaped (they may come from data files).
    """
    return Markdown(finding_text(template, **values))


def pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (NaN when ``whole`` is 0)."""
    return math.nan if not whole else 100.0 * part / whole


# --------------------------------------------------------------------------- data selection
@dataclass
class Selection:
    """What a theme notebook works on, loaded from its parameters in one call.

    ``events`` is the filtered canonical table; ``all_events`` the whole source (claim
    checks and coverage use it); ``start`` / ``end`` the analysis window: the requested
    dates clipped to the dates the source covers, so monthly series are zero-filled only
    where the data could have had events. ``source`` is the line charts print under them.
    """

    events: pd.DataFrame
    all_events: pd.DataFrame
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    filters: dict
    source: str
    synthetic: bool

    @property
    def empty(self) -> bool:
        """True when the selection has no events (notebooks then show a notice)."""
        return self.events.empty


def source_line(events: pd.DataFrame) -> str:
    """The "Source: ..." text under a chart: synthetic demo set or the input files."""
    if events.attrs.get("synthetic"):
        return "synthetic demo events generated by helpers.demo (not real incidents)"
    names = {"acled": "ACLED", "acled_legacy": "ACLED", "ucdp_ged": "UCDP GED"}
    parts = []
    for item in events.attrs.get("inputs") or []:
        layout = names.get(str(item.get("layout")), str(item.get("layout") or "events"))
        parts.append(f"{layout} export {Path(str(item.get('path', '?'))).name}")
    return "; ".join(parts) or "event data (no input files recorded)"


def _window(frame: pd.DataFrame, start: pd.Timestamp | None,
            end: pd.Timestamp | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    if frame.empty:
        return start, end
    dates = pd.to_datetime(frame["event_date"])
    first, last = dates.min().normalize(), dates.max().normalize()
    lo = first if start is None else max(start, first)
    hi = last if end is None else min(end, last)
    return lo, hi


def select(data_source: object = "demo", start_date: object = None, end_date: object = None,
           provinces: list[str] | None = None, sides: list[str] | None = None,
           record: bool = True) -> Selection:
    """Load ``data_source`` through ``helpers.load.events`` and apply a notebook's filters.

    Empty strings and empty lists mean "no filter". The files read are declared to the
    batch runner (``helpers.reports.record_inputs``) unless ``record`` is False. Bad
    parameters (an unknown province or side, start after end) raise the loader's clear
    :class:`~helpers.errors.DataError`.
    """
    from helpers import events as events_mod
    from helpers.reports.inputs import record_inputs

    everything = events_mod.events(source=data_source)
    if record:  # the gazetteer and actor registry shape every canonical event table
        tables(*REGISTRY_TABLES)
    start = pd.Timestamp(start_date) if start_date else None
    end = pd.Timestamp(end_date) if end_date else None
    chosen = events_mod.filter_events(everything, start, end, provinces or None, sides or None)
    if record:
        record_inputs(everything)
    lo, hi = _window(everything, start, end)
    filters = {"dates": f"{start_date or 'first'} to {end_date or 'last'}",
               "provinces": list(provinces or []), "sides": list(sides or [])}
    return Selection(chosen, everything, lo, hi, filters, source_line(everything),
                     bool(everything.attrs.get("synthetic")))


#: Curated tables every event load depends on (recorded so reports re-run when they change).
REGISTRY_TABLES = ("provinces", "province_aliases", "districts", "actors")


def tables(*names: str, record: bool = True) -> dict[str, pd.DataFrame]:
    """Curated tables by name, validated (``helpers.curated``), and declared to the runner.

    The registry tables (provinces, aliases, districts, actors) are recorded but not
    returned as frames: the gazetteer and actor modules read them.
    """
    from helpers import config, curated
    from helpers.reports.inputs import record_inputs

    if record:
        record_inputs([config.CURATED_DIR / f"{name}.csv" for name in names])
    return {name: curated.table(name) for name in names if name not in REGISTRY_TABLES}


def show(fig) -> None:
    """Display a matplotlib figure once and close it (no duplicate inline copy)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def sources(selection: Selection | None = None, tables: list[str] | tuple[str, ...] = (),
            extra: list[str | Path] | tuple[str | Path, ...] = ()) -> Markdown:
    """The closing "Sources" section: the event inputs of ``selection``, the curated
    ``tables`` (names such as ``"claims"``) and any ``extra`` files, from provenance."""
    from helpers import config, provenance

    paths: list[str | Path] = []
    if selection is not None:
        paths += [str(i["path"]) for i in selection.all_events.attrs.get("inputs") or []]
    paths += [config.CURATED_DIR / f"{name}.csv" for name in tables]
    paths += list(extra)
    unique = list(dict.fromkeys(str(p) for p in paths))
    return Markdown(provenance.sources_markdown(unique))


def indicator_files(indicators: pd.DataFrame) -> list[str]:
    """The distinct files an indicator table was read from (its ``source_file`` column)."""
    if "source_file" not in indicators.columns:
        return []
    return sorted({str(p) for p in indicators["source_file"].dropna()})


def record_indicator_inputs(indicators: pd.DataFrame) -> list[dict]:
    """Declare the files behind an indicator table to the batch runner."""
    from helpers.reports.inputs import record_inputs

    return record_inputs(indicator_files(indicators))


def indicator_source_line(indicators: pd.DataFrame, limit: int = 3) -> str:
    """The "Source: ..." text for an indicator chart: its distinct sources, first few."""
    if "source" not in indicators.columns or indicators.empty:
        return "no indicator source"
    names = list(dict.fromkeys(str(s) for s in indicators["source"].dropna()))
    more = len(names) - limit
    return "; ".join(names[:limit]) + (f"; and {more} more (listed below)" if more > 0 else "")
