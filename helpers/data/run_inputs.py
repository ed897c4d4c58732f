"""How a notebook declares the data files it read, so reports can cite and cache them.

A notebook calls :func:`record_inputs` once it has loaded its data (``catalog.select`` and
``catalog.tables`` do it for them). When the batch runner executes the notebook it sets the
environment variable :data:`INPUTS_ENV` to the path of a small JSON sidecar; each call
adds the files (path, sha256, size, mtime) and the synthetic flag to that sidecar. The
runner then shows the files and their hashes in the index and re-runs the report only when
one of them changes. Outside the runner (JupyterLab) the call only returns the records.

This module uses the standard library and :mod:`helpers._io` only: notebooks import it
cheaply.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from helpers._io import atomic_write_json, sha256_file

#: Environment variable naming the sidecar JSON the runner reads after execution.
INPUTS_ENV = "ARW_REPORT_INPUTS"

_LOCK = threading.Lock()


def file_record(path: str | os.PathLike[str]) -> dict[str, object]:
    """Describe one input file: absolute path, sha256, size and modification time."""
    resolved = Path(path).expanduser().resolve()
    stat = resolved.stat()
    return {"path": str(resolved), "sha256": sha256_file(resolved),
            "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _paths(paths: object) -> list[str]:
    """Accept one path, an iterable of paths, or ``frame.attrs['inputs']``-style dicts."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if not isinstance(paths, Iterable):
        raise TypeError(f"record_inputs expects paths, got {type(paths).__name__}")
    out: list[str] = []
    for item in paths:
        if isinstance(item, Mapping):
            if "path" not in item:
                raise TypeError("record_inputs: an input record needs a 'path' key")
            item = item["path"]
        out.append(os.fspath(item))
    return out


def read_recorded(path: str | os.PathLike[str]) -> dict[str, object]:
    """Read a sidecar written by :func:`record_inputs`; empty record when absent."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return {"inputs": [], "synthetic": None}
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, list):
        return {"inputs": [], "synthetic": None}
    return {"inputs": inputs, "synthetic": data.get("synthetic")}


def record_inputs(paths: object, synthetic: bool | None = None) -> list[dict[str, object]]:
    """Declare the data files this notebook read, and whether they are synthetic.

    ``paths`` is a path, a list of paths, the ``frame.attrs["inputs"]`` list the loader
    sets (dicts with a ``path`` key), or the loaded frame itself — then its
    ``attrs["synthetic"]`` is used when ``synthetic`` is not given::

        events = load.events(source=data_source, ...)
        record_inputs(events)

    Relative paths are taken from the kernel's working directory (the notebook's folder
    under the runner). Calls accumulate: a file recorded twice appears once, and the
    report counts as synthetic when any call says so. Returns the records written (or
    that would be written, outside the runner).
    """
    attrs = getattr(paths, "attrs", None)
    if isinstance(attrs, Mapping) and not isinstance(paths, str | os.PathLike):
        if synthetic is None and attrs.get("synthetic") is not None:
            synthetic = bool(attrs["synthetic"])
        paths = list(attrs.get("inputs") or [])
    records = [file_record(p) for p in _paths(paths)]
    target = os.environ.get(INPUTS_ENV)
    if not target:
        return records
    with _LOCK:
        current = read_recorded(target)
        by_path = {r["path"]: r for r in current["inputs"] if isinstance(r, dict)}
        for rec in records:
            by_path[rec["path"]] = rec
        flag = current["synthetic"]
        if synthetic is not None:
            flag = bool(synthetic) or bool(flag)
        atomic_write_json(Path(target), {"inputs": sorted(by_path.values(),
                                                           key=lambda r: str(r["path"])),
                                          "synthetic": flag})
    return records
