"""Batch report runner: render the theme notebooks into ``reports/`` with an index.

Command line: ``python -m helpers.reports`` (``--help`` lists the options). In Python::

    from helpers.reports import load_catalogue, run_reports
    summary = run_reports(load_catalogue("notebooks/reports.yml"), "reports", jobs=2)

Notebooks declare the data files they read with
:func:`helpers.data.run_inputs.record_inputs` (``catalog.select`` and ``catalog.tables`` do
it for them); the runner's parts are imported lazily here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_catalogue", "run_reports", "plan_reports",
           "CatalogueError", "ReportSpec", "RunSummary"]

_LAZY = {"load_catalogue": "catalogue", "CatalogueError": "catalogue",
         "ReportSpec": "catalogue", "run_reports": "runner", "plan_reports": "runner",
         "RunSummary": "runner"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"helpers.reports.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'helpers.reports' has no attribute {name!r}")
