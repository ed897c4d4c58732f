"""Warm kernel starts: fork each report's kernel from a process that has already imported
the heavy libraries.

A report's kernel spends about 3 s importing pandas, SciPy, seaborn, matplotlib, folium,
pandera and ipykernel before its first line of analysis runs; in a sweep of 170 reports
that is most of the work. The *zygote* is a small server process, started once per runner
(or Dask worker) process, that imports those third-party libraries — no data, no
configuration, and of ``helpers`` only what this module needs (whose package import also
sets Arrow's memory pool, as each kernel's own import of ``helpers`` does again) — and
then waits. For each report it forks a child that becomes an ordinary IPython kernel on
the report's connection file, in the report's folder, with the report's environment, its
output going to the report's log.

Every kernel therefore starts from the same state — a process that has imported
libraries and done nothing else — so no report can see what another report did (a test
runs two reports in both orders and compares). ``helpers`` itself is imported fresh by
each kernel, so an edit to the package is picked up by the next report.

The zygote is used only where it gives the same kernel as the kernelspec would: on POSIX
systems, for a kernelspec that runs ``<python> [options] -m ipykernel_launcher -f
{connection_file}`` with this same interpreter. Anything else — or any failure of the
zygote — falls back to a normal kernel start (logged). ``ARW_COLD_KERNELS=1`` (or the
runner's ``--cold-kernels``) turns it off.

Protocol (one request per connection on a private Unix socket): the client sends one JSON
line ``{"argv", "cwd", "env", "log"}``; the zygote forks and answers ``{"pid": n}``.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from helpers.data.run_inputs import INPUTS_ENV

LOG = logging.getLogger(__name__)

#: Setting this environment variable to 1 turns warm starts off (every kernel cold).
COLD_ENV = "ARW_COLD_KERNELS"

#: Third-party modules the report notebooks import, loaded once in the zygote. Only
#: libraries: nothing here reads project files, data or per-report settings on import.
#: Not ``matplotlib_inline``: importing it inside a running kernel is what hooks inline
#: figures into the shell (see :data:`_KERNEL_FRESH`).
PRELOAD = (
    "numpy", "pandas", "pyarrow", "pyarrow.compute", "pyarrow.csv", "pyarrow.ipc",
    "scipy.stats", "statsmodels.api", "matplotlib", "matplotlib.pyplot", "matplotlib.dates",
    "seaborn", "PIL.Image", "PIL.PngImagePlugin",
    "folium", "folium.plugins", "branca.colormap", "shapely.geometry", "networkx",
    "pandera.pandas", "yaml", "jinja2", "requests", "ipywidgets",
    "IPython", "IPython.display", "ipykernel.kernelapp", "ipykernel.ipkernel",
)

_INLINE = "module://matplotlib_inline.backend_inline"

#: Modules each kernel must import itself (dropped from the child's module table): this
#: package, and matplotlib's inline backend, whose import registers its hooks with the
#: kernel's shell.
_KERNEL_FRESH = ("helpers", "matplotlib_inline")
_START_TIMEOUT = 60.0


# --------------------------------------------------------------------------- client side


class ForkedKernel:
    """The handle of a kernel forked by the zygote, shaped like :class:`subprocess.Popen`
    as far as jupyter_client's local provisioner uses it (``pid``, ``poll``, ``wait``,
    ``send_signal``, ``kill``, ``terminate``). The kernel is the zygote's child, not
    ours, so its exit status is not known: an exited kernel reports 0 (nbclient judges a
    run by the kernel's replies, not by this code). The process is tracked by psutil,
    which checks its start time, so a reused process id is never mistaken for it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self._process = None
            self.returncode = 0

    def poll(self) -> int | None:
        """``None`` while the kernel runs, else 0."""
        if self.returncode is None and not _alive(self._process):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has exited (``subprocess.TimeoutExpired`` on timeout)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return 0

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (ignored once it has exited)."""
        if self._process is None or self.poll() is not None:
            return
        try:
            self._process.send_signal(signum)
        except psutil.Error:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _alive(process: psutil.Process | None) -> bool:
    if process is None:
        return False
    try:
        return process.is_running() and process.status() not in (psutil.STATUS_ZOMBIE,
                                                                  psutil.STATUS_DEAD)
    except psutil.Error:
        return False


class Zygote:
    """A running zygote process and the socket to ask it for kernels."""

    def __init__(self, prefix: list[str], cwd: str | None = None,
                 env: dict[str, str] | None = None):
        self.prefix = list(prefix)
        self._dir = tempfile.mkdtemp(prefix="arw-zygote-")
        os.chmod(self._dir, 0o700)
        self.socket_path = os.path.join(self._dir, "zygote.sock")
        self._log = os.path.join(self._dir, "zygote.log")
        env = dict(os.environ if env is None else env)
        env.setdefault("MPLBACKEND", _INLINE)  # what ipykernel sets in every kernel
        try:
            with open(self._log, "wb") as log:  # a file: an undrained pipe could block it
                self.process = subprocess.Popen(
                    [*self.prefix, "-m", "helpers.reports.zygote", self.socket_path],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                    cwd=cwd, env=env, start_new_session=True)  # Ctrl-C is the runner's
        except OSError:
            shutil.rmtree(self._dir, ignore_errors=True)
            raise
        deadline = time.monotonic() + _START_TIMEOUT
        while not os.path.exists(self.socket_path):
            if self.process.poll() is not None:
                with open(self._log, "rb") as log:
                    err = log.read().decode("utf-8", "replace")
                self.close()
                raise RuntimeError(f"the kernel zygote exited on start: {err.strip()[-500:]}")
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError("the kernel zygote did not start in time")
            time.sleep(0.02)

    def spawn(self, argv: list[str], *, cwd: str, env: dict[str, str],
              log: str | None) -> ForkedKernel:
        """Fork one kernel running ``ipykernel_launcher`` with ``argv`` (``-f file ...``)."""
        request = json.dumps({"argv": argv, "cwd": cwd, "env": env, "log": log}) + "\n"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(30)
            conn.connect(self.socket_path)
            conn.sendall(request.encode("utf-8"))
            reply = conn.makefile("r", encoding="utf-8").readline()
        answer = json.loads(reply) if reply else {}
        if "pid" not in answer:
            raise RuntimeError(f"the kernel zygote refused: {answer.get('error', 'no answer')}")
        return ForkedKernel(int(answer["pid"]))

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the zygote (kernels it forked are left to their managers)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self._dir, ignore_errors=True)


_LOCK = threading.Lock()
_ZYGOTES: dict[tuple[str, ...], Zygote] = {}
_FAILED: set[tuple[str, ...]] = set()

#: Environment entries that differ per report and that no library reads on import: they
#: do not call for a zygote of their own (every other entry does, since a library may
#: read it on import: thread counts, time zone, paths, locale).
_PER_REPORT_ENV = ("JPY_", INPUTS_ENV)


def zygote_key(prefix: list[str], cwd: str, env: dict[str, str]) -> tuple[str, ...]:
    """Which zygote can stand for a kernel: same interpreter and options, same working
    folder (a ``matplotlibrc`` there is read on import) and the same environment apart
    from per-report entries."""
    shared = sorted((k, v) for k, v in env.items() if not k.startswith(_PER_REPORT_ENV))
    digest = hashlib.sha256(json.dumps(shared).encode("utf-8")).hexdigest()
    return (*prefix, cwd, digest)


def warm_prefix(kernel_cmd: list[str]) -> list[str] | None:
    """The interpreter part of ``kernel_cmd`` when a forked kernel is equivalent to it.

    That is ``[python, *options]`` for ``[python, *options, "-m", "ipykernel_launcher",
    "-f", <file>, *kernel_options]`` where ``python`` is this interpreter and the options
    are ``-X`` flags (papermill adds kernel options such as
    ``--HistoryManager.hist_file=:memory:``); otherwise ``None``.
    """
    if os.environ.get(COLD_ENV, "").strip() not in ("", "0") or not hasattr(os, "fork"):
        return None
    try:
        at = kernel_cmd.index("-m")
    except ValueError:
        return None
    tail = kernel_cmd[at + 1:]
    if tail[:1] != ["ipykernel_launcher"] or "-f" not in tail:
        return None
    python = kernel_cmd[0]
    if python in ("python", "python3"):
        python = sys.executable
    try:
        same = Path(python).resolve() == Path(sys.executable).resolve()
    except OSError:
        return None
    options = kernel_cmd[1:at]
    if not same or any(not o.startswith("-X") for o in options):
        return None
    return [sys.executable, *options]


def spawn_kernel(kernel_cmd: list[str], *, cwd: str, env: dict[str, str],
                 log: str | None) -> ForkedKernel | None:
    """Fork a warm kernel for ``kernel_cmd``, or ``None`` to start it the normal way."""
    prefix = warm_prefix(kernel_cmd)
    if prefix is None:
        return None
    key = zygote_key(prefix, cwd, env)
    with _LOCK:
        if key in _FAILED:
            return None
        zygote = _ZYGOTES.get(key)
        if zygote is not None and not zygote.alive():
            zygote.close()
            zygote = None
        if zygote is None:
            try:
                zygote = _ZYGOTES[key] = Zygote(
                    prefix, cwd, {k: v for k, v in env.items()
                                  if not k.startswith(_PER_REPORT_ENV)})
            except (OSError, RuntimeError) as exc:
                LOG.warning("warm kernel starts are off for this run: %s", exc)
                _FAILED.add(key)
                return None
    try:
        argv = kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]
        return zygote.spawn(argv, cwd=cwd, env=env, log=log)
    except (OSError, RuntimeError, ValueError) as exc:
        LOG.warning("could not fork a warm kernel (%s); starting it cold", exc)
        with _LOCK:  # a zygote that failed once is not asked again
            if _ZYGOTES.get(key) is zygote:
                zygote.close()
                del _ZYGOTES[key]
            _FAILED.add(key)
        return None


def shutdown() -> None:
    """Stop every zygote this process started (the runner calls it at the end of a run)."""
    with _LOCK:
        for zygote in _ZYGOTES.values():
            zygote.close()
        _ZYGOTES.clear()
        _FAILED.clear()


atexit.register(shutdown)


# --------------------------------------------------------------------------- server side


def _child(request: dict[str, Any], listener: socket.socket, conn: socket.socket) -> None:
    """In the forked child: become the report's kernel. Never returns."""
    code = 1
    try:
        listener.close()
        conn.close()
        for name in [m for m in sys.modules if m.split(".")[0] in _KERNEL_FRESH]:
            del sys.modules[name]
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        if request.get("log"):
            out = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        else:
            out = os.open(os.devnull, os.O_WRONLY)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        cwd = request["cwd"]
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        # ipykernel exits when its parent goes (it read JPY_PARENT_PID when the zygote
        # imported it, so it is told here); the zygote goes with the runner.
        parent = str(os.getppid())
        os.environ["JPY_PARENT_PID"] = parent
        # A fresh process would have fresh random state; so does each kernel.
        import random

        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = ["ipykernel_launcher", *request["argv"],
                    f"--IPKernelApp.parent_handle={parent}"]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - report it in the kernel's log, then leave
        import traceback

        traceback.print_exc()
    # Leave as multiprocessing's forked children do: exit handlers run (temporary folders,
    # weakref finalizers, libraries' atexit hooks), the interpreter's module teardown,
    # which would add ~1 s to every report, does not.
    try:
        atexit._run_exitfuncs()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(socket_path: str) -> None:
    """The zygote's main loop: preload, listen, fork one kernel per request."""
    parent = os.getppid()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional library is imported later
            pass
    # The launcher drops the working folder from the path; each kernel adds its own back.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    partial = socket_path + ".tmp"
    listener.bind(partial)
    os.chmod(partial, 0o600)
    listener.listen(16)
    os.rename(partial, socket_path)  # the client waits for this name: ready
    listener.settimeout(1.0)
    try:
        while os.getppid() == parent:  # the runner is gone: so are we
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(30)
                try:
                    request = _request(conn)
                except (ValueError, OSError) as exc:
                    _answer(conn, {"error": str(exc)})
                    continue
                pid = os.fork()
                if pid == 0:
                    _child(request, listener, conn)
                _answer(conn, {"pid": pid})
    finally:
        listener.close()  # (a forked kernel never gets here: it leaves by os._exit)
        shutil.rmtree(os.path.dirname(socket_path), ignore_errors=True)
        if os.getppid() != parent:
            _kill_orphans()


def _kill_orphans() -> None:
    """The runner died without stopping its kernels (``kill -9``): stop the ones forked
    here (each also watches its parent, but one still starting may not yet)."""
    try:
        kernels = psutil.Process().children()
    except psutil.Error:
        return
    for kernel in kernels:
        try:
            kernel.kill()
        except psutil.Error:
            pass


def _request(conn: socket.socket) -> dict[str, Any]:
    """One request line, checked before anything is forked."""
    line = conn.makefile("r", encoding="utf-8").readline(1 << 20)
    request = json.loads(line)
    if not isinstance(request, dict) or not isinstance(request.get("argv"), list) \
            or not isinstance(request.get("env"), dict):
        raise ValueError("malformed request")
    if not os.path.isdir(str(request.get("cwd"))):
        raise ValueError(f"no such folder: {request.get('cwd')}")
    return request


def _answer(conn: socket.socket, message: dict[str, Any]) -> None:
    try:
        conn.sendall((json.dumps(message) + "\n").encode("utf-8"))
    except OSError:
        pass


if __name__ == "__main__":
    serve(sys.argv[1])
