"""What the theme notebooks call around the analysis: set-up, narrative, guards, sources.

A notebook cell reads as: compute (``helpers.analysis``), state the finding, show. This
module holds the parts every cell would otherwise repeat:

* ``setup()`` fixes every source of run-to-run variation (random seeds, pandas display
  options, the house plot style) so re-rendered reports are comparable;
* ``finding("{n:,} operations, up {pct:.0f}%", n=..., pct=...)`` formats a narrative
  sentence from values computed in the same run, so the text cannot drift from the data;
  ``ranked(...)`` words the leaders of a ranking ("A (45%), followed by B (20%)");
* ``has_rows(frame, filters)`` is the one empty-selection guard: it shows "No events for
  this selection" (naming the filters) and returns False when there is nothing to draw;
* ``explore(interactive, build)`` shows an explorer in JupyterLab and a notice in static
  reports; ``show(x)`` displays a chart (with its title and the last finding as alt text),
  a map (embedded offline in reports) or a table (the house style of
  :mod:`helpers.views.tables`); ``sources(...)`` builds the closing Sources section from
  the provenance records.

``finding(..., headline=True)`` marks a sentence as one of the report's headline findings:
the batch runner lists those on the index page.

Loading data is not done here: :func:`helpers.data.catalog.select` makes the parameters
cell into a :class:`~helpers.data.catalog.Selection`.
"""

from __future__ import annotations

import base64
import html
import math
import random
import string
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown

from helpers.data.catalog import Selection
from helpers.views import charts, tables
from helpers.views.banner import no_data_message, notice
from helpers.views.maps import MapView

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
    charts.set_style()
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


#: Metadata key (under ``text/markdown``) marking a headline finding for the index page.
HEADLINE_KEY = "arw_headline"
#: The last finding stated, for the alt text of the chart shown after it.
_LAST_FINDING: dict[str, str] = {"text": ""}


def plain(markdown: str) -> str:
    """A Markdown sentence as plain text (emphasis marks and escapes removed)."""
    return html.unescape(markdown.replace("**", "").replace("__", "")).strip()


def finding(template: str, *, headline: bool = False, **values: object) -> Markdown:
    """A Markdown sentence from ``template`` (``str.format`` syntax) and computed values.

    Without a format spec: integers get thousands separators, whole floats print as
    integers, other floats with 2 decimals, timestamps as YYYY-MM-DD, missing values as
    "n/a". Values are HTML-escaped (they may come from data files). ``headline=True``
    puts the sentence on the index page too. The sentence becomes the alt text of the
    next chart shown (with the chart's title).
    """
    text = finding_text(template, **values)
    _LAST_FINDING["text"] = plain(text)
    metadata = {HEADLINE_KEY: True} if headline else None
    return Markdown(text, metadata=metadata)


def headline(template: str, **values: object) -> Markdown:
    """A finding that is also one of the report's headline findings on the index page
    (:func:`finding` with ``headline=True``). Use it only for findings on real data."""
    return finding(template, headline=True, **values)


def reach_finding(reached: Mapping[str, object], claimed: Mapping[str, object],
                  synthetic: bool, headline: bool = False) -> Markdown:
    """The province-reach finding (``expansion.reach``): how many provinces resistance
    activity reached and when. The brief's claimed figure is set beside it only on real
    events: invented counts are never compared with a real claim."""
    text = ("Resistance activity reached **{total}** provinces, the last of them in "
            "{when:%B %Y}; the most in any one quarter was {peak}.")
    values = {"total": reached["total"], "when": reached["reached"], "peak": reached["peak"]}
    if synthetic:
        return finding(text, **values)
    return finding(text + " The analysis brief's figure is about {claimed:.0f} ({who}).",
                   headline=headline, claimed=claimed["quantity"], who=claimed["speaker"],
                   **values)


def change_words(pct: float, reference: str) -> str:
    """A percentage change in words: (-92.4, "the peak") -> "92% below the peak"."""
    if pct is None or _isna(pct):
        return f"no comparison with {reference}"
    if round(pct) == 0:
        return f"about the same as {reference}"
    return f"{abs(pct):.0f}% {'below' if pct < 0 else 'above'} {reference}"


def ranked(frame: pd.DataFrame, label: str, share: str = "share", n: int = 2) -> str:
    """The first ``n`` rows of a ranking in words: "A (45%), followed by B (20%)".

    ``frame`` is sorted already (largest first), ``share`` is a 0..1 fraction. Fewer rows
    give fewer names; an empty frame gives "none".
    """
    parts = [f"**{row[label]}** ({row[share] * 100:.0f}%)" if i == 0
             else f"{row[label]} ({row[share] * 100:.0f}%)"
             for i, (_, row) in enumerate(frame.head(n).iterrows())]
    if not parts:
        return "none"
    return parts[0] + (", followed by " + ", ".join(parts[1:]) if parts[1:] else "")


def has_rows(frame: pd.DataFrame, filters: Mapping[str, object] | None = None,
             **narrowed: object) -> bool:
    """True when ``frame`` has rows; otherwise display the empty-selection notice.

    The notice names the selection's ``filters`` and any narrowing the cell adds (for
    example ``side="resistance"``), so the reader knows what came back empty.
    """
    if len(frame):
        return True
    from IPython.display import display

    display(no_data_message({**(filters or {}), **narrowed}))
    return False


#: What a static report shows where JupyterLab shows an explorer.
STATIC_EXPLORER = ("Interactive explorer skipped in this static report; the charts above are "
                   "its static equivalents. Open the notebook in JupyterLab to use it.")


def explore(interactive: bool, build: Callable[[], object]) -> None:
    """Display the explorer ``build()`` makes, or, in a static render, say why there is none.

    Widgets need a live kernel; a batch report (``interactive=False``) shows the notice
    instead of building widgets that would render as nothing.
    """
    from IPython.display import display

    display(build() if interactive else notice(STATIC_EXPLORER))


def table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A small table of already-worded rows (figure, value, source) for display."""
    return pd.DataFrame(rows, columns=columns)


def pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (NaN when ``whole`` is 0)."""
    return math.nan if not whole else 100.0 * part / whole


def alt_text(fig) -> str:
    """What a chart says, for readers who cannot see it: its title, then the finding
    stated just before it (both computed in the run)."""
    title = (fig.get_label() or "").strip()
    if not title and fig.axes:
        title = fig.axes[0].get_title(loc="left") or fig.axes[0].get_title()
    parts = [p.rstrip(".") + "." for p in (title, _LAST_FINDING["text"]) if p]
    return " ".join(parts) or "Chart"


def show(obj, columns=None, **table_options) -> None:
    """Display one thing the way a report shows it.

    * a matplotlib figure: once (then closed) as a compact PNG
      (:func:`helpers.views.charts.png_bytes`), with :func:`alt_text` as its alt text;
    * a folium map: as a :class:`~helpers.views.maps.MapView` (an interactive frame in
      JupyterLab, embedded offline in batch reports);
    * a DataFrame: as a house-style table, :func:`helpers.views.tables.table` (``columns``
      and ``table_options`` are passed on); a ``Styler`` as it is.
    """
    import folium
    import matplotlib.pyplot as plt
    from IPython.display import display
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    if isinstance(obj, folium.Map):
        display(MapView(obj))
    elif isinstance(obj, pd.DataFrame):
        display(tables.table(obj, columns, **table_options))
    elif isinstance(obj, Figure):
        png = base64.b64encode(charts.png_bytes(obj)).decode("ascii")
        display({"image/png": png, "text/plain": f"<chart: {alt_text(obj)}>"}, raw=True,
                metadata={"image/png": {"alt": alt_text(obj)}})
        plt.close(obj)
    elif isinstance(obj, Styler):
        display(obj)
    else:
        raise TypeError(f"show() takes a figure, a map or a table, not {type(obj).__name__}")


def sources(selection: Selection | None = None, tables: list[str] | tuple[str, ...] = (),
            extra: list[str | Path] | tuple[str | Path, ...] = ()) -> Markdown:
    """The closing "Sources" section: the event inputs of ``selection``, the curated
    ``tables`` (names such as ``"claims"``) and any ``extra`` files, from provenance."""
    from helpers import config
    from helpers.data import provenance

    paths: list[str | Path] = []
    if selection is not None:
        paths += [str(i["path"]) for i in selection.all_events.attrs.get("inputs") or []]
    paths += [config.CURATED_DIR / f"{name}.csv" for name in tables]
    paths += list(extra)
    unique = list(dict.fromkeys(str(p) for p in paths))
    return Markdown(provenance.sources_markdown(unique, heading=False))


def indicator_source_line(indicators: pd.DataFrame, limit: int = 3) -> str:
    """The "Source: ..." text for an indicator chart: its distinct sources, first few."""
    if "source" not in indicators.columns or indicators.empty:
        return "no indicator source"
    names = list(dict.fromkeys(str(s) for s in indicators["source"].dropna()))
    more = len(names) - limit
    return "; ".join(names[:limit]) + (f"; and {more} more (listed below)" if more > 0 else "")
