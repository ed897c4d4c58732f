"""Benchmark: how long each theme notebook takes on the demo data, one at a time.

Executes every notebook of ``notebooks/`` alone (papermill, kernel ``python3``,
``interactive=False``, the demo defaults), ``--repeat`` times, and prints the best time of
each with the target of 60 s per notebook. Kernel start-up is included: it is what an
analyst waits for. Outputs go to a temporary folder. Not a test: run it with ``make bench``
or ``.venv/bin/python benchmarks/notebooks.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import papermill as pm

from helpers import config

TARGET_SECONDS = 60.0
NOTEBOOKS = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
             "04_humanitarian"]


def run_once(name: str, out_dir: Path) -> float:
    """Seconds to execute notebook ``name`` once on the demo data."""
    start = time.perf_counter()
    pm.execute_notebook(str(config.NOTEBOOKS_DIR / f"{name}.ipynb"),
                        str(out_dir / f"{name}.ipynb"), parameters={"interactive": False},
                        kernel_name="python3", cwd=str(config.NOTEBOOKS_DIR),
                        progress_bar=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per notebook (best kept)")
    args = parser.parse_args(argv)
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="arw-nb-bench-") as tmp:
        for name in NOTEBOOKS:
            times = [run_once(name, Path(tmp)) for _ in range(args.repeat)]
            best = min(times)
            worst = max(worst, best)
            print(f"{name:<22} best {best:6.1f} s   (runs: "
                  + ", ".join(f"{t:.1f}" for t in times) + ")")
    verdict = "met" if worst <= TARGET_SECONDS else "MISSED"
    print(f"slowest notebook {worst:.1f} s (target <= {TARGET_SECONDS:.0f} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
