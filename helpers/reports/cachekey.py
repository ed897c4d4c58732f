"""Cache keys: when may a report be skipped?

A report is up to date when all of these are unchanged since its last successful run
(the owid/etl and ploomber habit, closing their blind spot on imported helper code):

* ``notebook`` — the notebook's cells (type + source) and kernel name; re-saving a
  notebook with fresh outputs does not count as a change;
* ``parameters`` — the final parameter values (canonical JSON);
* ``helpers`` — every ``.py`` file under the helpers package (path + bytes);
* ``dependencies`` — installed versions of the project's declared dependencies and Python;
* ``runner`` — the runner's output format version;
* ``inputs`` — the content (sha256) of every data file the last run recorded through
  :func:`helpers.reports.record_inputs`.

The parts and the inputs are stored in the report's sidecar JSON; :func:`decide` compares
them with the current state and says why a report must run.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers import config
from helpers._io import sha256_file
from helpers.reports.catalogue import cell_source, read_notebook_json
from helpers.reports.workdir import RUNNER_FORMAT

DISTRIBUTION = "afghan-resistance-workbook"
CODE_PARTS = ("notebook", "parameters", "helpers", "dependencies", "runner", "sources")


def _digest(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def helpers_digest(root: str | Path = config.HELPERS_DIR) -> str:
    """Hash every ``.py`` file under ``root`` (relative path and bytes, sorted)."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _declared_dependencies() -> list[str]:
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = config.PROJ_ROOT / "pyproject.toml"
        requirements = tomllib.loads(pyproject.read_text("utf-8"))["project"]["dependencies"]
    names = []
    for req in requirements:
        if "extra ==" in req:
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", req)
        if match:
            names.append(match.group(0))
    return sorted(set(names), key=str.lower)


def dependency_versions() -> dict[str, str]:
    """Installed version of each declared dependency (``missing`` when absent), plus Python."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in _declared_dependencies():
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def notebook_digest(path: str | Path) -> str:
    """Hash a notebook's cell types and sources plus its kernel name (not its outputs)."""
    nb = read_notebook_json(Path(path))
    cells = [[c.get("cell_type"), cell_source(c)] for c in nb["cells"]]
    kernel = (nb.get("metadata") or {}).get("kernelspec", {}).get("name")
    return _digest({"cells": cells, "kernel": kernel})


def parameters_digest(parameters: Mapping[str, Any]) -> str:
    """Hash parameter values as canonical JSON."""
    return _digest(dict(parameters))


@dataclass(frozen=True)
class CodeState:
    """Run-wide parts of the key, computed once per run."""

    helpers: str
    dependencies: str
    dependency_versions: dict[str, str]

    @classmethod
    def current(cls, helpers_root: str | Path = config.HELPERS_DIR) -> CodeState:
        """Fingerprint the helpers package at ``helpers_root`` and the installed versions."""
        versions = dependency_versions()
        return cls(helpers=helpers_digest(helpers_root), dependencies=_digest(versions),
                   dependency_versions=versions)


def code_parts(notebook: Path, parameters: Mapping[str, Any], state: CodeState,
               kernel_name: str = "python3") -> dict[str, str]:
    """Every key part known before execution (all but the inputs)."""
    return {"notebook": notebook_digest(notebook),
            "parameters": parameters_digest(parameters),
            "helpers": state.helpers,
            "dependencies": state.dependencies,
            "runner": _digest([RUNNER_FORMAT, kernel_name]),
            "sources": sources_digest(parameters)}


def sources_digest(parameters: Mapping[str, Any]) -> str:
    """What a keyword data source (``data_source="acled"``, ``indicator_source="hdx"``)
    resolves to now: the snapshot folder and the files in it (name, size, mtime). A new
    snapshot from ``python -m helpers.fetch``, or a file dropped into ``data/raw/``,
    changes it, so the report re-runs; an unchanged source keeps it cached."""
    from helpers.data import catalog

    found = []
    for key in ("data_source", "indicator_source"):
        value = parameters.get(key)
        if not isinstance(value, str) or value.partition("@")[0] not in catalog.SNAPSHOT_SOURCES:
            continue
        try:
            folder, snapshot = catalog.raw_folder(value)
        except Exception as exc:  # noqa: BLE001 - a missing snapshot is reported at run time
            found.append([key, value, f"unresolved: {exc}"])
            continue
        listing = sorted([p.name, p.stat().st_size, int(p.stat().st_mtime)]
                         for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        found.append([key, value, snapshot or "", listing])
    return _digest(found)


def inputs_digest(inputs: Sequence[Mapping[str, Any]]) -> str:
    """Hash the recorded inputs (path and sha256 of each)."""
    return _digest(sorted([str(r.get("path")), str(r.get("sha256"))] for r in inputs))


def full_key(parts: Mapping[str, str], inputs: Sequence[Mapping[str, Any]]) -> str:
    """The report's cache key: code parts plus the inputs' content."""
    return _digest({**parts, "inputs": inputs_digest(inputs)})


class FileHashes:
    """sha256 of files for one run, memoised by (path, size, mtime) and thread-safe."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def sha256(self, path: str | Path) -> str | None:
        """Current sha256 of ``path``, or ``None`` when it is missing or unreadable."""
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        memo = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if memo in self._known:
                return self._known[memo]
        try:
            value = sha256_file(path)
        except OSError:
            return None
        with self._lock:
            self._known[memo] = value
        return value


@dataclass(frozen=True)
class Decision:
    """Whether a report must run, and why (``new`` / ``changed`` / ``failed`` /
    ``forced`` / ``cached``)."""

    status: str
    reason: str

    @property
    def run(self) -> bool:
        """True unless the report is cached."""
        return self.status != "cached"


def changed_inputs(inputs: Sequence[Mapping[str, Any]], hashes: FileHashes) -> list[str]:
    """Paths among the recorded inputs whose content differs now (or that vanished)."""
    return [str(r.get("path")) for r in inputs
            if hashes.sha256(str(r.get("path"))) != r.get("sha256")]


def decide(sidecar: Mapping[str, Any] | None, parts: Mapping[str, str], hashes: FileHashes,
           files_present: bool, force: bool = False) -> Decision:
    """Compare a report's sidecar with the current key parts and inputs."""
    if force:
        return Decision("forced", "--force")
    if not sidecar:
        return Decision("new", "never rendered")
    if not files_present:
        return Decision("new", "output files missing")
    if sidecar.get("status") != "ok":
        return Decision("failed", "last run failed")
    old = sidecar.get("key_parts") or {}
    differing = [p for p in CODE_PARTS if old.get(p) != parts.get(p)]
    if differing:
        return Decision("changed", "changed: " + ", ".join(differing))
    inputs = sidecar.get("inputs") or []
    moved = changed_inputs(inputs, hashes)
    if moved:
        names = ", ".join(Path(p).name for p in moved[:3])
        more = f" and {len(moved) - 3} more" if len(moved) > 3 else ""
        return Decision("changed", f"input changed: {names}{more}")
    if sidecar.get("key") != full_key(parts, inputs):
        return Decision("changed", "cache key differs")
    return Decision("cached", "unchanged")
