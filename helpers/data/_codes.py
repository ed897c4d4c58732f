"""Per-row answers from per-value answers: the one helper behind every "decide once per
distinct value" step of the readers and the target rules.

A column of a million cells holds a few thousand distinct values; ``pd.factorize`` gives
each row the code of its value (-1 for a missing cell), a rule is decided once per value,
and :func:`by_code` spreads the answers back to the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def by_code(codes: np.ndarray, answers: Sequence | np.ndarray, missing: object = False,
            dtype: object = bool) -> np.ndarray:
    """``answers[codes]``, with ``missing`` where the code is -1 (a missing cell)."""
    table = np.append(np.asarray(answers, dtype=dtype), np.asarray([missing], dtype=dtype))
    return table[codes]  # code -1 picks the appended last entry
