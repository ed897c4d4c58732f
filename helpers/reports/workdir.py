"""Where a run keeps its files, and the process-wide state an interrupt needs.

Kept free of heavy imports (no papermill, nbconvert or jupyter_client) so that a warm run
with nothing to execute starts fast.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import psutil

#: Hidden folder (inside the output folder) holding work in progress.
#: Bump when the runner's outputs change shape, so old reports are re-rendered.
RUNNER_FORMAT = "1"

PARTIAL_DIR = ".partial"
#: Hidden folder (inside the output folder) for the runner's own small caches.
CACHE_DIR = ".cache"
LOGS_DIR = "logs"
SIDECAR_SUFFIX = ".report.json"

#: Set by the runner on SIGINT/SIGTERM: jobs stop and commit nothing.
CANCEL = threading.Event()

_KERNELS: dict[str, set[int]] = {}
_KERNELS_LOCK = threading.Lock()


def sidecar_path(out_dir: str | Path, name: str) -> Path:
    """Where the sidecar JSON of report ``name`` lives."""
    return Path(out_dir) / f"{name}{SIDECAR_SUFFIX}"


def register_kernel(token: str, pid: int) -> None:
    """Remember a kernel process started for job ``token`` (so it can be killed later)."""
    with _KERNELS_LOCK:
        _KERNELS.setdefault(token, set()).add(pid)


def _kill_tree(pid: int) -> None:
    try:
        root = psutil.Process(pid)
        procs = root.children(recursive=True) + [root]
    except psutil.Error:
        return
    for proc in procs:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=5)


def kill_kernels(token: str | None = None) -> int:
    """Kill registered kernels (of one job, or all) that are still alive; return the count."""
    with _KERNELS_LOCK:
        tokens = [token] if token is not None else list(_KERNELS)
        pids = [pid for t in tokens for pid in _KERNELS.pop(t, set())]
    killed = 0
    for pid in pids:
        if psutil.pid_exists(pid):
            _kill_tree(pid)
            killed += 1
    return killed


_TMP_FILE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _owner_gone(pid_text: str) -> bool:
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    return pid == os.getpid() or not psutil.pid_exists(pid)


def clean_partials(out_dir: str | Path) -> int:
    """Remove what runs that no longer exist left behind (e.g. after ``kill -9``).

    Work folders are named ``.partial/<pid>-<report>-<random>``, temporary files of atomic
    writes ``.<name>.<pid>.<random>.tmp``; those of another live process (a concurrent
    run) are kept. Call it only while this process has no report in progress.
    """
    out = Path(out_dir)
    removed = 0
    for folder in (out, out / LOGS_DIR, out / CACHE_DIR):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            match = _TMP_FILE.match(item.name)
            if match and item.is_file() and _owner_gone(match.group(1)):
                item.unlink(missing_ok=True)
                removed += 1
    root = out / PARTIAL_DIR
    if not root.is_dir():
        return removed
    for item in root.iterdir():
        if _owner_gone(item.name.split("-", 1)[0]):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
            removed += 1
    try:
        root.rmdir()
    except OSError:
        pass
    return removed
