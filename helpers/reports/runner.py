"""Run a set of reports: decide what is stale, execute it in parallel, write the index.

:func:`run_reports` takes any :class:`concurrent.futures.Executor` (threads by default —
papermill runs each kernel in its own process, so threads are enough; a Dask
``Client(...).get_executor()`` spreads a large sweep over a cluster). Failures are
collected, never raised: the summary's :attr:`RunSummary.exit_code` is 1 when any report
failed. On Ctrl-C / SIGTERM the run stops, kills its kernels, discards unfinished work and
re-raises ``KeyboardInterrupt``; reports already on disk stay as they were.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers._io import atomic_write_json
from helpers.reports.cachekey import CodeState, Decision, FileHashes, code_parts, decide
from helpers.reports.catalogue import ReportSpec, notebook_title
from helpers.reports.workdir import (
    CANCEL,
    clean_partials,
    kill_kernels,
    sidecar_path,
)

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """One report with its cache decision (what ``--list`` prints)."""

    spec: ReportSpec
    decision: Decision
    parts: dict[str, str]
    sidecar: dict[str, Any] | None
    title: str | None


@dataclass
class RunSummary:
    """What a run did: one record per report, in catalogue order."""

    records: list[dict[str, Any]] = field(default_factory=list)

    def count(self, run_status: str) -> int:
        """How many reports ended this run with ``run_status``."""
        return sum(1 for r in self.records if r.get("run_status") == run_status)

    @property
    def exit_code(self) -> int:
        """0 when every report is ok (rendered or cached), 1 when any failed."""
        return 1 if self.count("failed") else 0


def read_sidecar(out_dir: str | Path, name: str) -> dict[str, Any] | None:
    """A report's sidecar record, or ``None`` when missing or unreadable."""
    try:
        with open(sidecar_path(out_dir, name), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _files_present(out_dir: Path, sidecar: dict[str, Any] | None) -> bool:
    if not sidecar:
        return False
    files = sidecar.get("files") or {}
    return all((out_dir / str(files.get(k, ""))).is_file() for k in ("notebook", "html"))


def plan_reports(specs: Sequence[ReportSpec], out_dir: str | Path | None = None, *,
                 force: bool = False, helpers_root: str | Path = config.HELPERS_DIR,
                 kernel_name: str = "python3", state: CodeState | None = None,
                 hashes: FileHashes | None = None) -> list[Planned]:
    """Decide, for each report, whether it must run (new / changed / failed / forced)."""
    out = Path(out_dir or config.REPORTS_DIR)
    state = state or CodeState.current(helpers_root)
    hashes = hashes or FileHashes()
    titles: dict[Path, str | None] = {}
    planned = []
    for spec in specs:
        if spec.notebook not in titles:
            titles[spec.notebook] = notebook_title(spec.notebook)
        parts = code_parts(spec.notebook, spec.parameters, state, kernel_name)
        sidecar = read_sidecar(out, spec.name)
        decision = decide(sidecar, parts, hashes, _files_present(out, sidecar), force)
        planned.append(Planned(spec, decision, parts, sidecar,
                               spec.title or titles[spec.notebook]))
    return planned


def _crash_record(plan: Planned, message: str) -> dict[str, Any]:
    spec = plan.spec
    return {"name": spec.name, "entry": spec.entry, "title": plan.title,
            "notebook": str(spec.notebook), "parameters": dict(spec.parameters),
            "status": "failed", "error": message, "key_parts": plan.parts, "key": None,
            "inputs": [], "synthetic": None, "files": {}, "duration_s": None,
            "finished_at": None}


def _index_records(all_specs: Sequence[ReportSpec], out: Path,
                   fresh: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    records = []
    for spec in all_specs:
        rec = fresh.get(spec.name) or read_sidecar(out, spec.name)
        if rec is not None:
            # the question is the catalogue's today, even for a report taken from the cache
            records.append({**rec, "question": spec.question})
    return records


def run_reports(specs: Sequence[ReportSpec], out_dir: str | Path | None = None, *,
                executor: Executor | None = None, jobs: int | None = None,
                force: bool = False, timeout: float | None = None,
                kernel_name: str = "python3", helpers_root: str | Path = config.HELPERS_DIR,
                all_specs: Sequence[ReportSpec] | None = None, progress: bool = True,
                extra_env: dict[str, str] | None = None, warm: bool = True) -> RunSummary:
    """Render every stale report of ``specs`` into ``out_dir``; skip the up-to-date ones.

    ``executor`` may be any ``concurrent.futures.Executor``; without one a thread pool of
    ``jobs`` workers (default: the number of cores) is used and shut down afterwards.
    ``all_specs`` (default ``specs``) are the reports the index lists — pass the whole
    catalogue when running a subset with ``--only``. ``timeout`` is per cell, in seconds.
    ``warm``: fork kernels from a process that has the libraries imported
    (:mod:`helpers.reports.zygote`); ``False`` starts every kernel from scratch.
    """
    from tqdm.auto import tqdm

    out = Path(out_dir or config.REPORTS_DIR)
    out.mkdir(parents=True, exist_ok=True)
    clean_partials(out)
    CANCEL.clear()
    plans = plan_reports(specs, out, force=force, helpers_root=helpers_root,
                         kernel_name=kernel_name)
    fresh: dict[str, dict[str, Any]] = {}
    counts = {"done": 0, "cached": 0, "failed": 0}
    bar = tqdm(total=len(plans), unit="report", disable=not progress, desc="reports")

    def finish(plan: Planned, record: dict[str, Any], run_status: str) -> None:
        record = {**record, "run_status": run_status}
        fresh[plan.spec.name] = record
        counts[{"executed": "done"}.get(run_status, run_status)] += 1
        bar.set_postfix(counts, refresh=False)
        bar.update(1)

    for plan in plans:
        if not plan.decision.run and plan.sidecar is not None:
            finish(plan, plan.sidecar, "cached")

    to_run = [p for p in plans if p.decision.run]
    if to_run:  # the heavy imports (papermill, nbconvert) only when something runs
        from helpers.reports import zygote
        from helpers.reports.execute import Job, execute_report
    own_executor = executor is None and bool(to_run)
    if own_executor:
        executor = ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1),
                                      thread_name_prefix="report")
    futures: dict[Future, Planned] = {}
    index_specs = list(all_specs) if all_specs is not None else list(specs)
    try:
        for plan in to_run:
            job = Job(spec=plan.spec, out_dir=str(out), parts=plan.parts, timeout=timeout,
                      kernel_name=kernel_name, title=plan.title,
                      extra_env=dict(extra_env or {}), warm=warm)
            futures[executor.submit(execute_report, job)] = plan  # type: ignore[union-attr]
        for future in as_completed(futures):
            plan = futures[future]
            try:
                record = future.result()
            except Exception as exc:  # noqa: BLE001 - runner-side crash of one report
                LOG.error("report %s crashed: %s", plan.spec.name, exc)
                record = _crash_record(plan, f"{type(exc).__name__}: {exc}")
                atomic_write_json(sidecar_path(out, plan.spec.name), record)
            finish(plan, record, "executed" if record.get("status") == "ok" else "failed")
            _write_index(_index_records(index_specs, out, fresh), out)
        if not to_run or not futures:
            _write_index(_index_records(index_specs, out, fresh), out)
    except BaseException:
        CANCEL.set()
        for future in futures:
            future.cancel()
        kill_kernels()
        if own_executor:
            executor.shutdown(wait=True, cancel_futures=True)  # type: ignore[union-attr]
            own_executor = False
        kill_kernels()
        clean_partials(out)
        raise
    finally:
        bar.close()
        if own_executor:
            executor.shutdown(wait=True)  # type: ignore[union-attr]
        if to_run:
            zygote.shutdown()
    clean_partials(out)
    order = {s.name: i for i, s in enumerate(specs)}
    records = sorted(fresh.values(), key=lambda r: order.get(r["name"], len(order)))
    return RunSummary(records)


def _write_index(records: list[dict[str, Any]], out: Path) -> None:
    from helpers.reports.render import write_index

    write_index(records, out)


def summary_table(records: Sequence[dict[str, Any]]) -> str:
    """A plain-text table: one line per report with its status, duration and any error."""
    rows = [("report", "status", "time", "detail")]
    for rec in records:
        duration = rec.get("duration_s")
        time_text = f"{duration:.1f}s" if isinstance(duration, int | float) else "-"
        if rec.get("run_status") == "cached":
            time_text = "cached"
        detail = str(rec.get("error") or "").splitlines()[0] if rec.get("error") else ""
        rows.append((str(rec.get("name")), str(rec.get("run_status") or rec.get("status")),
                     time_text, detail[:100]))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}".rstrip()
             for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)


def plan_table(planned: Sequence[Planned]) -> str:
    """What ``--list`` prints: each report, whether it would run, and why."""
    rows = [("report", "status", "why", "notebook", "parameters")]
    for p in planned:
        params = json.dumps(p.spec.parameters, sort_keys=True)
        rows.append((p.spec.name, p.decision.status, p.decision.reason, p.spec.notebook.name,
                     params if len(params) <= 80 else params[:77] + "..."))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(f"{r[i]:<{widths[i]}}" for i in range(4)) + "  " + r[4] for r in rows)
