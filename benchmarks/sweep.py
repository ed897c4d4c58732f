"""Benchmark: a full sweep — every theme report for every province (5 x 34 = 170 reports).

Measures, in one run:

(a) the plain loop a shell script would run — the ``papermill`` CLI, then ``jupyter
    nbconvert --to html``, one report after the other — on a sample of ``--sample``
    reports spread over the themes and provinces, scaled to the whole sweep;
(b) our runner, ``python -m helpers.reports --jobs 2``, on the whole sweep (warm kernels
    forked from a process with the libraries imported; see helpers/reports/zygote.py);
(b') with ``--cold`` also our runner with ``--cold-kernels`` (every kernel from scratch),
    to show what the warm start is worth;
(c) with ``--dask``: the same sweep through ``--scheduler`` on a ``distributed.LocalCluster``
    with 2 single-threaded worker processes; its manifest is compared report by report
    with (b)'s (status, headline findings, data scope, inputs read).

Targets: b <= 0.2 x a, and b <= 3 s of wall time per report. Outputs go to a temporary
folder (``--keep DIR`` keeps them), never to ``reports/``. Not a test: run it with
``make bench-sweep`` or ``.venv/bin/python benchmarks/sweep.py``; ``--provinces N``
shortens the sweep for a quick look.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from helpers import config
from helpers.reports.catalogue import load_catalogue, province_names, select

BIN = Path(sys.executable).parent
THEMES = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
          "04_humanitarian"]
TARGET_RATIO = 0.2
TARGET_PER_REPORT = 3.0


def write_catalogue(folder: Path, provinces: list[str]) -> Path:
    """A catalogue with one sweep entry per theme over ``provinces``."""
    defaults = yaml.safe_load((config.NOTEBOOKS_DIR / "reports.yml").read_text("utf-8"))
    entries = [{"name": f"{theme}_by_province",
                "notebook": str(config.NOTEBOOKS_DIR / f"{theme}.ipynb"),
                "sweep": {"provinces": provinces}} for theme in THEMES]
    path = folder / "sweep.yml"
    path.write_text(yaml.safe_dump({"defaults": defaults["defaults"], "reports": entries},
                                   sort_keys=False), "utf-8")
    return path


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def naive_sample(catalogue: Path, out: Path, sample: int) -> tuple[float, int, int]:
    """(a): papermill + nbconvert CLI on ``sample`` reports spread over the sweep;
    returns (seconds, reports run, reports in the sweep)."""
    specs = select(load_catalogue(catalogue))
    step = max(1, len(specs) // sample)
    picked = specs[::step][:sample]
    out.mkdir(parents=True, exist_ok=True)
    total = 0.0
    for spec in picked:
        executed = out / f"{spec.name}.ipynb"
        total += _timed([str(BIN / "papermill"), str(spec.notebook), str(executed),
                         "-k", "python3", "--cwd", str(spec.notebook.parent),
                         "-y", yaml.safe_dump(dict(spec.parameters)), "--no-progress-bar"])
        total += _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)])
    return total, len(picked), len(specs)


def our_sweep(catalogue: Path, out: Path, *extra: str) -> tuple[float, dict]:
    """The runner's command line on the whole sweep; (seconds, manifest)."""
    seconds = _timed([sys.executable, "-m", "helpers.reports", "--catalogue", str(catalogue),
                      "--out", str(out), "--jobs", "2", "--no-progress", "--force", *extra])
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    return seconds, manifest


def _essence(manifest: dict) -> dict[str, tuple]:
    """What must agree between two runs of the same reports (not times or paths)."""
    out = {}
    for rec in manifest["reports"]:
        inputs = tuple(sorted((i["path"], i.get("sha256")) for i in rec.get("inputs") or []))
        out[rec["name"]] = (rec.get("status"), tuple(rec.get("headlines") or []),
                            json.dumps(rec.get("scope"), sort_keys=True),
                            json.dumps(rec.get("events"), sort_keys=True), inputs)
    return out


def compare(first: dict, second: dict) -> list[str]:
    """Names of the reports whose essence differs (or that only one run has)."""
    a, b = _essence(first), _essence(second)
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def _line(label: str, seconds: float, count: int, a: float | None) -> str:
    """One result line: total, per report and, when (a) ran, the ratio to it."""
    text = f"{label:<44}: {seconds:7.1f} s  {seconds / count:5.2f} s/report"
    if a:
        text += f"   /a = {seconds / a:.3f}"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=10,
                        help="reports in (a)'s sample (0 skips (a))")
    parser.add_argument("--provinces", type=int, default=None,
                        help="sweep only the first N provinces (quick look)")
    parser.add_argument("--cold", action="store_true", help="also run (b') cold kernels")
    parser.add_argument("--dask", action="store_true",
                        help="also run (c) on a 2-worker LocalCluster and compare manifests")
    parser.add_argument("--keep", type=Path, default=None, help="keep outputs in DIR")
    args = parser.parse_args(argv)

    provinces = province_names()[:args.provinces] if args.provinces else province_names()
    with tempfile.TemporaryDirectory(prefix="arw-sweep-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        catalogue = write_catalogue(root, provinces)
        count = len(select(load_catalogue(catalogue)))
        print(f"sweep: {len(THEMES)} themes x {len(provinces)} provinces = {count} reports; "
              f"{os.cpu_count()} cores")

        a = None
        if args.sample:
            naive, ran, _ = naive_sample(catalogue, root / "naive", args.sample)
            a = naive * count / ran
            print(f"(a) papermill + nbconvert CLI, {ran} reports : {naive:7.1f} s  "
                  f"{naive / ran:5.2f} s/report -> sweep {a:7.1f} s (scaled)")
        b, ours = our_sweep(catalogue, root / "ours")
        failed = [r["name"] for r in ours["reports"] if r.get("status") != "ok"]
        print(_line("(b) our runner, --jobs 2, warm kernels", b, count, a))
        ok = (a is None or b <= TARGET_RATIO * a) and b / count <= TARGET_PER_REPORT
        print(f"    targets b <= {TARGET_RATIO} a and <= {TARGET_PER_REPORT:.0f} s/report: "
              f"{'met' if ok else 'MISSED'}; failed reports: {failed or 'none'}")
        if args.cold:
            cold, cold_manifest = our_sweep(catalogue, root / "cold", "--cold-kernels")
            print(_line("(b') our runner, --jobs 2, --cold-kernels", cold, count, a))
            differ = compare(ours, cold_manifest)
            print(f"    warm vs cold manifests: {len(differ)} report(s) differ {differ[:5]}")
        if args.dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                c, dask_manifest = our_sweep(catalogue, root / "dask", "--scheduler",
                                             cluster.scheduler_address)
            print(_line("(c) --scheduler, LocalCluster 2 workers", c, count, a))
            differ = compare(ours, dask_manifest)
            print(f"    (b) vs (c) manifests: {count - len(differ)}/{count} reports agree"
                  f"{'; differ: ' + ', '.join(differ[:5]) if differ else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
