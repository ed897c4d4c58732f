"""Files -> validated frames: the lowest layer of the workbook.

``sources`` (one reader per file layout), ``schemas`` (the canonical tables and their
checks), ``reference`` (vocabularies, gazetteer, actor registry, target rules, boundary
matching), ``curated`` and ``provenance`` (the cited tables and their origin records),
``cache`` (memory-mapped Arrow cache of parsed inputs), ``demo`` (the synthetic demo events),
``run_inputs`` (what a report run read) and ``catalog``, the loaders notebooks call.
Nothing here imports analysis, views or reports.
"""

from helpers._memory import prefer_jemalloc as _prefer_jemalloc

_prefer_jemalloc()
