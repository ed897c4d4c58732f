"""Interrupting the runner (SIGINT, SIGTERM, SIGKILL) keeps earlier reports intact and leaves
no partial files and no orphan kernels."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import run_reports
from helpers.reports.workdir import clean_partials

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every report file (the runner's hidden .partial / .cache folders excluded)."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and not {".partial", ".cache"} & set(p.parts)}


def _is_kernel_process(proc: psutil.Process) -> bool:
    """An ipykernel started from scratch, the warm zygote, or a kernel it forked (which
    keeps the zygote's command line)."""
    return any("ipykernel" in part or "helpers.reports.zygote" in part
               for part in proc.cmdline())


def _kernels_of(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    found = []
    for proc in children:
        try:
            if _is_kernel_process(proc):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _has_running_kernel(processes: list[psutil.Process]) -> bool:
    """True once a kernel proper runs: not just the zygote, which starts first."""
    for proc in processes:
        try:
            if any("ipykernel" in part for part in proc.cmdline()):
                return True
            if _is_kernel_process(proc.parent()):
                return True  # forked by the zygote
        except (psutil.Error, AttributeError):
            continue
    return False


def _gone(proc: psutil.Process) -> bool:
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture()
def previous(tmp_path):
    """A report rendered once (fast), then the same report made slow for the next run."""
    nbdir = tmp_path / "nb"
    BUILD.build(nbdir, ["slow"])
    catalogue = BUILD.write_catalogue(nbdir, [{"name": "slow", "notebook": "slow.ipynb",
                                               "parameters": {"seconds": 0.0}}])
    out = tmp_path / "out"
    summary = run_reports(load_catalogue(catalogue), out, jobs=1, progress=False)
    assert summary.exit_code == 0
    return {"catalogue": catalogue, "out": out, "snapshot": _snapshot(out)}


def _start_slow_run(ctx) -> tuple[subprocess.Popen, list[psutil.Process]]:
    cmd = [sys.executable, "-m", "helpers.reports", "--catalogue", str(ctx["catalogue"]),
           "--out", str(ctx["out"]), "--param", "seconds=60", "--no-progress", "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    kernels: list[psutil.Process] = []
    while time.monotonic() < deadline and not _has_running_kernel(kernels):
        assert proc.poll() is None, proc.communicate()
        kernels = _kernels_of(proc.pid)
        time.sleep(0.2)
    assert _has_running_kernel(kernels), "the runner never started a kernel"
    time.sleep(1.5)  # let the kernel reach the sleeping cell
    return proc, kernels


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sigint_and_sigterm_keep_previous_reports(previous, signum):
    proc, kernels = _start_slow_run(previous)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"interrupted" in err
    assert _snapshot(previous["out"]) == previous["snapshot"]
    assert not (previous["out"] / ".partial").exists()
    assert not list(previous["out"].rglob("*.tmp"))
    assert all(_gone(k) for k in kernels)


def test_sigkill_leaves_previous_reports_and_no_kernels(previous):
    proc, kernels = _start_slow_run(previous)
    proc.kill()
    proc.wait(timeout=30)
    # Kernels notice their parent is gone (ipykernel's parent poller) and exit.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(_gone(k) for k in kernels):
        time.sleep(0.2)
    assert all(_gone(k) for k in kernels)
    # The visible files are exactly the previous run's: nothing half-written.
    assert _snapshot(previous["out"]) == previous["snapshot"]
    # Work in progress sits only in hidden files and folders; the next run removes them.
    clean_partials(previous["out"])
    assert not (previous["out"] / ".partial").exists()
    left = {p.relative_to(previous["out"]).as_posix() for p in previous["out"].rglob("*")
            if p.is_file() and ".cache" not in p.parts}
    assert left == set(previous["snapshot"])


def test_clean_partials_removes_only_dead_runs_leftovers(tmp_path):
    live = psutil.Process().parent().pid  # a process that is certainly alive
    dead = 2**22 + 17  # above the usual pid_max: no such process
    (tmp_path / ".partial" / f"{dead}-rep-1a2b").mkdir(parents=True)
    (tmp_path / ".partial" / f"{live}-rep-3c4d").mkdir(parents=True)
    (tmp_path / f".index.html.{dead}.x1y2.tmp").write_text("half", encoding="utf-8")
    (tmp_path / f".index.html.{live}.x1y2.tmp").write_text("busy", encoding="utf-8")
    (tmp_path / "index.html").write_text("whole", encoding="utf-8")
    assert clean_partials(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".index.html." + str(live) + ".x1y2.tmp", ".partial", "index.html"]
    assert [p.name for p in (tmp_path / ".partial").iterdir()] == [f"{live}-rep-3c4d"]
