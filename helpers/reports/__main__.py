"""``python -m helpers.reports``: render every report of the catalogue into reports/.

Exit codes: 0 all reports ok (rendered or cached), 1 at least one report failed,
2 invalid catalogue or options (nothing ran), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers import config

DEFAULT_CATALOGUE = config.NOTEBOOKS_DIR / "reports.yml"


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.reports",
        description="Render the workbook's notebooks into static reports with an index; "
                    "unchanged reports are skipped.")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this report or catalogue entry (glob allowed, "
                             "repeatable, comma-separated)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="override a notebook parameter for every selected report "
                             "(value read as YAML: [a, b], true, 2023-01-01); repeatable")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="reports rendered in parallel (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="re-render even if unchanged")
    parser.add_argument("--list", action="store_true", dest="list_only",
                        help="show what would run and why (new / changed / cached); run nothing")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"output folder (default: {config.REPORTS_DIR})")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address: run reports on that cluster")
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, metavar="PATH",
                        help="report catalogue YAML (default: notebooks/reports.yml)")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help="per-cell execution timeout (default: 600)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.add_argument("--cold-kernels", action="store_true",
                        help="start every kernel from scratch instead of forking it from a "
                             "process with the libraries already imported (slower)")
    return parser


def _sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Notebook output goes to the per-report log files, not to the terminal.
    quiet = [logging.getLogger(n) for n in ("papermill", "helpers.reports.execute")]
    previous = [logger.propagate for logger in quiet]
    for logger in quiet:
        logger.propagate = False
    try:
        return _run(args)
    finally:
        for logger, value in zip(quiet, previous, strict=True):
            logger.propagate = value


def _unwritable(out: Path) -> str | None:
    """Why the output folder cannot take reports (None when it can). Tries for real (a
    permission check alone misleads under root or on special file systems) and leaves
    nothing behind: folders it had to create for the test are removed again."""
    created = []
    probe = out
    while not probe.exists() and probe.parent != probe:
        created.append(probe)
        probe = probe.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
        test = out / ".write-test"
        test.write_text("", encoding="utf-8")
        test.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        for folder in created:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
    return None


def _missing_inputs(selected: Sequence) -> str | None:
    """Before anything runs: a report asking for ACLED or UCDP events when ``data/raw/``
    holds none (one message, naming the reports)."""
    from helpers.data import catalog

    wanted: dict[str, list[str]] = {}
    for spec in selected:
        source = spec.parameters.get("data_source")
        if isinstance(source, str) and source.partition("@")[0] in catalog.KEYWORD_LAYOUTS:
            wanted.setdefault(source, []).append(spec.name)
    for source, names in wanted.items():
        if not catalog.has_raw_events(source):
            reports = ", ".join(names[:5]) + (f" and {len(names) - 5} more"
                                              if len(names) > 5 else "")
            return (f"data_source={source} but {config.RAW_DIR} holds no "
                    f"{source.upper()} export ({reports} would fail): run `python -m "
                    f"helpers.fetch {source.partition('@')[0]}`, download one into that "
                    "folder (README, 'Adding real data') or choose another source")
    return None


def _run(args: argparse.Namespace) -> int:
    from helpers.reports.catalogue import CatalogueError, load_catalogue, select
    from helpers.reports.runner import plan_reports, plan_table, run_reports, summary_table
    from helpers.reports.workdir import CACHE_DIR

    out = Path(args.out or config.REPORTS_DIR)
    problem = _unwritable(out)
    if problem:
        print(f"error: cannot write reports to {out}: {problem}", file=sys.stderr)
        return 2
    only = [part for item in args.only for part in item.split(",") if part]
    try:
        specs = load_catalogue(args.catalogue, args.param, cache_dir=out / CACHE_DIR,
                               only=only)
        selected = select(specs, only)
        missing = _missing_inputs(selected)
    except CatalogueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.list_only:
        print(plan_table(plan_reports(selected, out, force=args.force)))
        return 0
    if not selected:
        print("nothing to run: the catalogue has no enabled report", file=sys.stderr)
        return 0
    executor = client = None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            print("error: --scheduler needs Dask's distributed package, an optional extra: "
                  "pip install -e '.[cluster]' (conda: conda install dask distributed)",
                  file=sys.stderr)
            return 2
        client = Client(args.scheduler)
        executor = client.get_executor()
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        summary = run_reports(selected, out, executor=executor, jobs=args.jobs,
                              force=args.force, timeout=args.timeout,
                              all_specs=[s for s in specs if s.enabled or s in selected],
                              progress=not args.no_progress, warm=not args.cold_kernels)
    except KeyboardInterrupt:
        print("interrupted: unfinished reports were discarded; earlier reports are intact",
              file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if client is not None:
            client.close()
    print(summary_table(summary.records))
    failed = summary.count("failed")
    print(f"\n{summary.count('executed')} rendered, {summary.count('cached')} cached, "
          f"{failed} failed -> {Path(out) / 'index.html'}")
    return summary.exit_code


if __name__ == "__main__":
    sys.exit(main())
