"""One-call notebook setup and narrative sentences built from computed numbers.

``setup()`` fixes every source of run-to-run variation a notebook has (random seeds,
pandas display options, the house plot style) so re-rendered reports are comparable.
``finding("{n:,} operations, up {pct:.0f}%", n=..., pct=...)`` formats a narrative
sentence from values computed in the same run, so the text cannot drift from the data.
"""

from __future__ import annotations

import html
import math
import random
import string

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
    plots.set_style()
    return {"seed": seed, **options}


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
