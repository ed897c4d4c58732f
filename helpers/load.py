"""The loaders notebooks call: events, humanitarian indicators and conflict aggregates.

This module only re-exports; the implementations live in :mod:`helpers.events` (event
exports: ACLED, UCDP GED, the synthetic demo set) and :mod:`helpers.indicators` (HDX HAPI,
FTS, ACLED aggregated files and the curated humanitarian table).
"""

from __future__ import annotations

from helpers.events import events
from helpers.indicators import conflict_aggregates, indicators

__all__ = ["events", "indicators", "conflict_aggregates"]
