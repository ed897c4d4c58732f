"""Arrow's memory pool for the workbook's processes.

pyarrow allocates from mimalloc by default. On Linux with transparent huge pages, mimalloc
hands freed blocks back to the system and takes fresh ones for the next large buffer, and
each fresh huge page is zeroed by the kernel: reading a 1M-row export spent more time in
the kernel clearing pages (3-4 s of system time) than in parsing (measured with
``perf``; ``benchmarks/ingest.py``). Arrow's jemalloc pool reuses freed memory and read the
same file in 2.7 s instead of 4.5 s, with the same peak memory. The workbook therefore
switches Arrow's default pool to jemalloc when :mod:`helpers.data` is imported, unless

* the user chose a pool with Arrow's own ``ARROW_DEFAULT_MEMORY_POOL`` variable, or
* this pyarrow build has no jemalloc (e.g. Windows wheels): the default is kept.
"""

from __future__ import annotations

import logging
import os

import pyarrow as pa

log = logging.getLogger(__name__)


def prefer_jemalloc() -> str:
    """Make jemalloc Arrow's default memory pool where possible; return the pool in use."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool().backend_name
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # not built into this pyarrow
        log.debug("pyarrow has no jemalloc; keeping %s", pa.default_memory_pool().backend_name)
        return pa.default_memory_pool().backend_name
    pa.set_memory_pool(pool)
    return pool.backend_name
