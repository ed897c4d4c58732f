"""Render one report: execute its notebook with papermill, write .ipynb + .html + sidecar.

:func:`execute_report` is what the runner submits to an executor (threads, processes or a
Dask cluster): a module-level function taking one picklable :class:`Job`. It never raises
for a notebook failure — it returns the sidecar record with ``status: failed`` and the
error message — so one bad notebook cannot stop the others.

Each kernel is started by :class:`ReportKernelManager`: bound to 127.0.0.1, working
directory = the notebook's folder (set per kernel, never by ``chdir`` of the runner, so
parallel threads cannot race), and :data:`~helpers.data.run_inputs.INPUTS_ENV` pointing at
this report's inputs sidecar. Every kernel's process id is registered so that the runner
can kill leftovers after failures and interrupts. Where it gives the same kernel, the
kernel process is forked from a warm zygote (:mod:`helpers.reports.zygote`) instead of
started from scratch (``Job.warm``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.provisioning import LocalProvisioner

from helpers._io import atomic_write, atomic_write_json
from helpers.data.run_inputs import INPUTS_ENV, read_recorded
from helpers.reports import zygote
from helpers.reports.cachekey import full_key
from helpers.reports.catalogue import ReportSpec
from helpers.reports.render import notebook_html, report_facts, stderr_notes
from helpers.reports.workdir import (
    CANCEL,
    LOGS_DIR,
    PARTIAL_DIR,
    kill_kernels,
    register_kernel,
    sidecar_path,
)

LOG = logging.getLogger(__name__)

#: Kernels listen on the loopback interface only.
LOOPBACK = "127.0.0.1"


class Cancelled(Exception):
    """The run was interrupted; the report's partial outputs were discarded."""


@dataclass(frozen=True)
class Job:
    """Everything one worker needs to render one report (picklable)."""

    spec: ReportSpec
    out_dir: str
    parts: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    kernel_name: str = "python3"
    title: str | None = None
    start_timeout: float = 120.0
    extra_env: dict[str, str] = field(default_factory=dict)
    warm: bool = True


# --------------------------------------------------------------------------- kernels


class ReportKernelManager(AsyncKernelManager):
    """Kernel manager for one report; subclassed per job by :func:`kernel_manager_for`."""

    report_cwd: ClassVar[str | None] = None
    report_env: ClassVar[dict[str, str]] = {}
    report_token: ClassVar[str] = ""
    report_log: ClassVar[str | None] = None
    report_warm: ClassVar[bool] = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ip = LOOPBACK
        self.transport = "tcp"
        if _curve_available():
            # Encrypt kernel traffic (CurveZMQ) when the kernelspec supports it.
            self.transport_encryption = "auto"

    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        """Start the kernel in the notebook's folder with the report's environment.

        The kernel process's own stdout/stderr (start-up warnings, crashes) go to the
        report's log file rather than the terminal.
        """
        if self.report_cwd:
            kw["cwd"] = self.report_cwd
        env = dict(kw.pop("env", None) or os.environ)
        env.update(self.report_env)
        kw["env"] = env
        if self.report_log:
            with open(self.report_log, "ab") as stdio:
                kw["stdout"] = kw["stderr"] = stdio
                await KernelManager._async_start_kernel(self, **kw)
        else:
            await KernelManager._async_start_kernel(self, **kw)
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            register_kernel(self.report_token, process.pid)
        if CANCEL.is_set():
            raise Cancelled("run interrupted")


    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        """Fork the kernel from the warm zygote (:mod:`helpers.reports.zygote`) when it
        gives the same kernel; otherwise launch it the normal way."""
        if self.report_warm and isinstance(self.provisioner, LocalProvisioner):
            cwd = str(kw.get("cwd") or os.getcwd())
            env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
            forked = zygote.spawn_kernel(kernel_cmd, cwd=cwd, env=env, log=self.report_log)
            if forked is not None:
                provisioner = self.provisioner
                provisioner.process = forked  # type: ignore[assignment]
                provisioner.pid = provisioner.pgid = forked.pid
                provisioner.cwd = cwd
                LOG.info("kernel %d forked from the warm zygote", forked.pid)
                self._reconcile_connection_info(provisioner.connection_info)
                return
        await super()._async_launch_kernel(kernel_cmd, **kw)


def _curve_available() -> bool:
    try:
        import zmq

        return bool(zmq.has("curve"))
    except (ImportError, AttributeError):
        return False


def kernel_manager_for(cwd: Path, env: dict[str, str], token: str,
                       log: Path | None = None, *,
                       warm: bool = False) -> type[ReportKernelManager]:
    """A :class:`ReportKernelManager` subclass bound to one report's folder, env and log;
    ``warm``: fork the kernel from the zygote where possible."""
    return type("BoundReportKernelManager", (ReportKernelManager,),
                {"report_cwd": str(cwd), "report_env": dict(env), "report_token": token,
                 "report_log": str(log) if log else None, "report_warm": warm})


# --------------------------------------------------------------------------- logging


class _ThreadFilter(logging.Filter):
    def __init__(self, ident: int):
        super().__init__()
        self.ident = ident

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.ident


def _open_log(path: Path) -> logging.Handler:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ThreadFilter(threading.get_ident()))
    for name in ("papermill", __name__):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return handler


def _close_log(handler: logging.Handler) -> None:
    for name in ("papermill", __name__):
        logging.getLogger(name).removeHandler(handler)
    handler.close()


# --------------------------------------------------------------------------- execution


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _error_message(exc: BaseException, timeout: float | None) -> str:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    if isinstance(exc, CellTimeoutError):
        return f"timeout: a cell ran longer than {timeout:g} s and was stopped"
    if isinstance(exc, DeadKernelError):
        return f"the kernel died: {exc}"
    return f"{type(exc).__name__}: {exc}"


def execute_report(job: Job) -> dict[str, Any]:
    """Execute one report and commit its files; return its sidecar record.

    Outputs go to a private folder under ``<out>/.partial/`` first and are moved into
    place with ``os.replace`` only when complete (sidecar last), so an interrupted run
    leaves the previous version of the report untouched.
    """
    import nbformat
    import papermill as pm

    spec = job.spec
    out_dir = Path(job.out_dir)
    token = f"{os.getpid()}-{spec.name}-{uuid.uuid4().hex[:8]}"
    work = out_dir / PARTIAL_DIR / token
    work.mkdir(parents=True, exist_ok=True)
    nb_tmp = work / f"{spec.name}.ipynb"
    inputs_tmp = work / "inputs.json"
    log_tmp = work / f"{spec.name}.log"
    handler = _open_log(log_tmp)
    started = time.perf_counter()
    started_at = _now()
    error: str | None = None
    try:
        if CANCEL.is_set():
            raise Cancelled("run interrupted")
        LOG.info("report %s: notebook %s, parameters %s", spec.name, spec.notebook,
                 spec.parameters)
        env = {INPUTS_ENV: str(inputs_tmp), **job.extra_env}
        km_class = kernel_manager_for(spec.notebook.parent, env, token, log_tmp,
                                      warm=job.warm)
        try:
            pm.execute_notebook(
                str(spec.notebook), str(nb_tmp), parameters=dict(spec.parameters),
                kernel_name=job.kernel_name, progress_bar=False, log_output=True,
                request_save_on_cell_execute=False, start_timeout=job.start_timeout,
                execution_timeout=job.timeout, kernel_manager_class=km_class)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing notebook fails alone
            if CANCEL.is_set():
                raise Cancelled("run interrupted") from exc
            error = _error_message(exc, job.timeout)
            LOG.error("report %s failed: %s\n%s", spec.name, error, traceback.format_exc())
        finally:
            kill_kernels(token)
        if CANCEL.is_set():
            raise Cancelled("run interrupted")
        duration = time.perf_counter() - started
        if nb_tmp.exists():
            nb = nbformat.read(nb_tmp, as_version=4)
        else:
            nb = nbformat.read(spec.notebook, as_version=4)
            if error is None:
                error = "papermill wrote no output notebook"
        for note in stderr_notes(nb):
            LOG.warning("report %s printed to stderr (kept out of the HTML): %s",
                        spec.name, note)
        html_text = notebook_html(nb, title=job.title, error=error)
        recorded = read_recorded(inputs_tmp)
        inputs = recorded["inputs"]
        record = {
            "name": spec.name, "entry": spec.entry, "title": job.title,
            "notebook": str(spec.notebook), "parameters": dict(spec.parameters),
            "status": "failed" if error else "ok", "error": error,
            "started_at": started_at, "finished_at": _now(),
            "duration_s": round(duration, 3),
            "key_parts": dict(job.parts), "key": full_key(job.parts, inputs),
            "inputs": inputs, "synthetic": recorded["synthetic"],
            **report_facts(nb),
            "files": {"notebook": f"{spec.name}.ipynb", "html": f"{spec.name}.html",
                      "log": f"{LOGS_DIR}/{spec.name}.log"},
            "kernel": job.kernel_name,
        }
        LOG.info("report %s: %s in %.1f s", spec.name, record["status"], duration)
        # Commit: data files first, the sidecar (the cache's source of truth) last.
        (out_dir / LOGS_DIR).mkdir(parents=True, exist_ok=True)
        _close_log(handler)
        handler = None
        nbformat.write(nb, nb_tmp)
        atomic_write(work / f"{spec.name}.html", html_text)
        if CANCEL.is_set():
            raise Cancelled("run interrupted")
        os.replace(nb_tmp, out_dir / f"{spec.name}.ipynb")
        os.replace(work / f"{spec.name}.html", out_dir / f"{spec.name}.html")
        os.replace(log_tmp, out_dir / LOGS_DIR / f"{spec.name}.log")
        atomic_write_json(sidecar_path(out_dir, spec.name), record)
        return record
    finally:
        if handler is not None:
            _close_log(handler)
        kill_kernels(token)
        shutil.rmtree(work, ignore_errors=True)
