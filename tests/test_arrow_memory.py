"""Arrow's memory pool: jemalloc once helpers.data is imported, unless the user chose one."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa
import pytest

from helpers import _memory

SHOW_POOL = ("import pyarrow as pa; import helpers.data; "
             "print(pa.default_memory_pool().backend_name)")


def _pool_in_fresh_process(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", SHOW_POOL], env={**clean, **env},
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


@pytest.mark.skipif(not _has_jemalloc(), reason="this pyarrow has no jemalloc")
def test_importing_the_data_layer_switches_arrow_to_jemalloc():
    assert _pool_in_fresh_process() == "jemalloc"


def test_a_pool_the_user_chose_is_kept():
    assert _pool_in_fresh_process(ARROW_DEFAULT_MEMORY_POOL="system") == "system"


def test_without_jemalloc_the_default_pool_stays(monkeypatch):
    def missing():
        raise NotImplementedError("jemalloc not built")

    before = pa.default_memory_pool()
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    monkeypatch.setattr(_memory.pa, "jemalloc_memory_pool", missing)
    assert _memory.prefer_jemalloc() == before.backend_name
    assert pa.default_memory_pool().backend_name == before.backend_name
