"""Batch report runner: render the theme notebooks into ``reports/`` with an index.

Command line: ``python -m helpers.reports`` (``--help`` lists the options). In Python::

    from helpers.reports import load_catalogue, run_reports
    summary = run_reports(load_catalogue("notebooks/reports.yml"), "reports", jobs=2)

Notebooks declare the data files they read with :func:`record_inputs`; that one is
imported eagerly (it needs only the standard library), the runner's parts lazily so that
notebooks do not pay for papermill and nbconvert.
"""

from __future__ import annotations

from typing import Any

from helpers.reports.inputs import INPUTS_ENV, record_inputs

__all__ = ["INPUTS_ENV", "record_inputs", "load_catalogue", "run_reports", "plan_reports",
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
