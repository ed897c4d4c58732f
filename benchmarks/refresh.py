"""Benchmark: refreshing every report, naive loop vs ``python -m helpers.reports``.

Measures, in one run:

(a) a plain loop: the ``papermill`` CLI, then ``jupyter nbconvert --to html --no-input``,
    for each report, one after the other (what a shell script would do);
(b) our cold run into an empty output folder;
(c) our warm run with nothing changed;
(d) our run after changing the content of one data file that one report uses.

Prints the times and the ratios b/a (target <= 0.5) and c/a (target <= 0.05), and which
reports (d) re-ran (target: only the affected ones).

Uses the theme notebooks and ``notebooks/reports.yml`` when they exist; ``--fixtures``
(or their absence) uses the runner's tiny test notebooks in a temporary folder instead.
Outputs always go to a temporary folder, never to ``reports/``. Not a test: run it with
``make bench`` or ``.venv/bin/python benchmarks/refresh.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from helpers import config
from helpers.reports.catalogue import load_catalogue, select

BIN = Path(sys.executable).parent
FIXTURES = config.PROJ_ROOT / "tests" / "fixtures" / "notebooks" / "build.py"
THEMES = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
          "04_humanitarian"]


def _fixture_catalogue(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    nbdir = root / "notebooks"
    build.build(nbdir, ["hello", "chart", "map"])
    entries = []
    for name in ("hello", "chart", "map"):
        for data in ("data_a.csv", "data_b.csv"):
            entries.append({"name": f"{name}_{data[5]}", "notebook": f"{name}.ipynb",
                            "parameters": {"data_file": data}})
    return build.write_catalogue(nbdir, entries)


def _timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   **kwargs)
    return time.perf_counter() - start


def naive_loop(catalogue: Path, out: Path) -> float:
    """(a): papermill CLI + nbconvert CLI per report, sequentially."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0.0
    for spec in select(load_catalogue(catalogue)):
        executed = out / f"{spec.name}.ipynb"
        total += _timed([str(BIN / "papermill"), str(spec.notebook), str(executed),
                         "-k", "python3", "--cwd", str(spec.notebook.parent),
                         "-y", yaml.safe_dump(dict(spec.parameters)), "--no-progress-bar"])
        total += _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                         str(executed)])
    return total


def our_run(catalogue: Path, out: Path, jobs: int) -> tuple[float, dict[str, str]]:
    """(b)/(c)/(d): the runner's command line; returns time and each report's run status."""
    seconds = _timed([sys.executable, "-m", "helpers.reports", "--catalogue", str(catalogue),
                      "--out", str(out), "--jobs", str(jobs), "--no-progress"])
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    return seconds, {r["name"]: r.get("run_status", "?") for r in manifest["reports"]}


def _least_shared_input(out: Path) -> tuple[Path, list[str]]:
    users: dict[str, list[str]] = {}
    for side in sorted(out.glob("*.report.json")):
        record = json.loads(side.read_text("utf-8"))
        for item in record.get("inputs") or []:
            users.setdefault(item["path"], []).append(record["name"])
    if not users:
        raise SystemExit("no report recorded any input file: cannot run step (d)")
    path, names = min(users.items(), key=lambda kv: (len(kv[1]), kv[0]))
    return Path(path), names


def main(argv: list[str] | None = None) -> int:
    """Run the four measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", action="store_true",
                        help="use the runner's fixture notebooks, not the theme notebooks")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    real = all((config.NOTEBOOKS_DIR / f"{n}.ipynb").exists() for n in THEMES)
    with tempfile.TemporaryDirectory(prefix="arw-bench-") as tmp:
        root = Path(tmp)
        if args.fixtures or not real:
            if not args.fixtures:
                print("theme notebooks missing: benchmarking the fixture notebooks")
            catalogue = _fixture_catalogue(root)
        else:
            catalogue = config.NOTEBOOKS_DIR / "reports.yml"
        count = len(select(load_catalogue(catalogue)))
        print(f"{count} reports from {catalogue}, --jobs {args.jobs}, {os.cpu_count()} cores")

        a = naive_loop(catalogue, root / "naive")
        print(f"(a) papermill + nbconvert CLI loop : {a:7.1f} s")
        out = root / "ours"
        b, statuses = our_run(catalogue, out, args.jobs)
        print(f"(b) cold run                       : {b:7.1f} s   b/a = {b / a:.2f} "
              f"(target <= 0.5)   {sorted(set(statuses.values()))}")
        c, statuses = our_run(catalogue, out, args.jobs)
        print(f"(c) warm run, nothing changed      : {c:7.1f} s   c/a = {c / a:.3f} "
              f"(target <= 0.05)  cached {sum(s == 'cached' for s in statuses.values())}"
              f"/{count}")
        data, users = _least_shared_input(out)
        original = data.read_bytes()
        try:
            data.write_bytes(original + b"\n")
            d, statuses = our_run(catalogue, out, args.jobs)
        finally:
            data.write_bytes(original)
        rerun = sorted(n for n, s in statuses.items() if s != "cached")
        verdict = "OK" if rerun == sorted(users) else "UNEXPECTED"
        print(f"(d) after changing {data.name:<15}: {d:7.1f} s   re-ran {rerun} "
              f"(expected {sorted(users)}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
